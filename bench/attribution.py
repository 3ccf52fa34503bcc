"""Direct-quotation attribution on PolNeAR's train and dev splits (../shared/data/attribution/polnear).

Train (840 articles) is what the rules were developed on; dev (84 articles) is held out: read
its figures as the estimate for unseen news. Both are printed, separately, in one run.

Gold: Content spans inside quotation marks (the span starts at, or right after, an opening mark
and ends at, or right before, a closing one), with their Source span. Each annotator's file is
scored against pressdiff's quotations of the same text; a quotation that continues over several
paragraphs is scored as one span. Recall is over those direct quotations; for precision, a
predicted quotation is right when it lies in any gold Content span, since reporters also quote
a few words inside indirect speech ("… in order to “keep the details under wraps”"), which
PolNeAR marks as one indirect Content span. Printed: span precision/recall/F1, exact (same characters once
quotation marks, spaces and edge punctuation are stripped) and overlap (any shared character),
and speaker accuracy: the share of overlap-matched quotations whose speaker mention overlaps the
gold Source (pronouns count as written, as PolNeAR marks them). Anchor: BBC's Citron reports
content overlap F1 83.3% and source exact F1 82.0% on PARC 3.0. Usage:

    python bench/attribution.py [--shared ../shared] [--split train|dev|both] [--errors N] [--model PATH]

--errors prints misses, false alarms and wrong speakers of the train split only, so that
development never reads the held-out dev errors.

Every attribution (compare/relations.py), scored as CofeNet scores PolNeAR (its exe/eval): spans
read from BIO labels over tokens, one paragraph at a time; a predicted span counts only when its
role (source, cue, content) and both token boundaries equal a gold span's (exact precision, recall,
F1 per role); overlap F1 counts any shared token of the same role. Dev is CofeNet's own tokens and
labels (../shared/data/attribution/cofenet-dev/valid.txt), our character spans laid onto them (dev's
own gold spans laid so score 0.9995 / 1.000 / 0.9966 source / cue / content against CofeNet's labels:
the bench's ceiling, the rest annotation CofeNet's copy has and PolNeAR's files lack);
train is tokenised by compare/tokens.py (Penn-Treebank style, as CoreNLP does) with labels from the
.ann files. Each span is also scored, exact and overlap, by its relation's kind (direct, mixed,
indirect: the gold relation's for recall, ours for precision). --relation-errors N prints N wrong
spans of the split named by --errors-split (train by default; dev only for the closing report).
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from polnear import (  # noqa: E402  (bench/polnear.py)
    ROLES,
    align_tokens,
    bio_spans,
    cofenet_docs,
    gold_labels,
    project,
    read_relations,
    split_files,
)

from pressdiff.compare.quotes import find_quotes  # noqa: E402
from pressdiff.compare.relations import TextSpan, find_relations, kind_of, quoted_speakers, units  # noqa: E402

OPEN, CLOSE = "“\"‘'", "”\"’'"
EDGE = " \t\n\"'“”‘’.,;:!?—–-"


def read_ann(path: Path):
    """Content spans with their Source spans, from a BRAT standoff file."""
    spans, relations = {}, []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 2:  # other lines: a span's text went on past a newline
            tid, info, _ = line.split("\t", 2)
            kind, ranges = info.split(" ", 1)
            # a quotation interrupted by its attribution is one span in fragments: "1078 1135;1186 1277"
            spans[tid] = (kind, [tuple(map(int, r.split())) for r in ranges.split(";")])
        elif line.startswith("E") and "\t" in line:
            relations.append(dict(part.split(":") for part in line.split("\t")[1].split()))
    out = []
    for rel in relations:
        if "Content" in rel and rel["Content"] in spans:
            src = spans.get(rel.get("Source", ""))
            src_span = (src[1][0][0], src[1][-1][1]) if src else None
            for cs, ce in spans[rel["Content"]][1]:
                out.append(((cs, ce), src_span))
    return out


def core(text: str, start: int, end: int) -> tuple[int, int]:
    s = start + len(text[start:end]) - len(text[start:end].lstrip(EDGE))
    return s, s + len(text[s:end].rstrip(EDGE))


def is_direct(text: str, start: int, end: int) -> bool:
    s = start + len(text[start:end]) - len(text[start:end].lstrip())
    e = s + len(text[s:end].rstrip())
    if s >= e:
        return False
    before = text[:s].rstrip()[-1:] if text[:s].rstrip() else ""
    opens = text[s] in OPEN or before in OPEN
    tail = text[s:e].rstrip(".,;:!? ")
    after = text[e:].lstrip()[:1]
    closes = (tail[-1:] in CLOSE) or text[e - 1] in CLOSE or after in CLOSE or text[e:e + 2].lstrip(".,")[:1] in CLOSE
    return opens and closes


def predicted(text: str, attributed_only: bool = False):
    """pressdiff's quotations as the comparison takes them (relations.quoted_speakers: a quotation
    quotes.py left without a speaker takes its relation's source), multi-paragraph ones merged, with
    their speaker mention spans."""
    out = []
    found = find_quotes("x", text)
    for q in quoted_speakers(text, found, find_relations(text, found)):
        if attributed_only and not q.attributed:
            continue
        if q.continued and out:
            (s, _), src = out[-1]
            out[-1] = ((s, q.end), src or ((q.mention_start, q.mention_end) if q.mention_start is not None else None))
            continue
        out.append(((q.start, q.end), (q.mention_start, q.mention_end) if q.mention_start is not None else None))
    return out


def overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--split", choices=["train", "dev", "both"], default="both")
    parser.add_argument("--errors", type=int, default=0, help="print this many train-split misses and false alarms")
    parser.add_argument("--relation-errors", type=int, default=0, help="print this many wrong attribution spans")
    parser.add_argument("--errors-split", choices=["train", "dev"], default="train",
                        help="the split whose attribution errors --relation-errors prints")
    parser.add_argument("--quotes-only", action="store_true", help="only the direct-quotation figures")
    parser.add_argument("--relations-only", action="store_true", help="only the attribution (CofeNet) figures")
    parser.add_argument("--model", type=Path,
                        help="tag with this model instead of the shipped one: a .crfsuite, or a .npz of "
                             "scripts/train_attribution_lstm.py")
    parser.add_argument("--timing", type=int, default=0, metavar="N",
                        help="only time find_relations against find_quotes on N of bench/align.py's generated "
                             "articles (bench/compare_scale.py's corpora) and on PolNeAR dev")
    args = parser.parse_args()
    if args.model:  # every find_relations below tags with it
        global find_relations
        find_relations = partial(find_relations, model=args.model.resolve())
    if args.timing:
        timing(args)
        return
    for split in (["train", "dev"] if args.split == "both" else [args.split]):
        if not args.relations_only:
            for attributed_only in (False, True):
                evaluate(args, split, attributed_only)
        if not args.quotes_only:
            score_relations(args, split)


def evaluate(args, split: str, attributed_only: bool) -> dict:
    """Print one split's figures; returns them too (tests/test_speakers_polnear.py holds them)."""
    base = args.shared / "data" / "attribution" / "polnear" / split
    if not base.is_dir():
        sys.exit(f"attribution benchmark: no PolNeAR {split} split at {base}")
    tp_exact = tp_gold_exact = tp_overlap = tp_precise = n_pred = n_gold = spk_ok = spk_n = 0
    misses, alarms, wrong = [], [], []
    files = sorted((base / "attributions").glob("*.ann"))
    for ann in files:
        text = (base / "text" / (ann.stem.rsplit("_", 1)[0] + ".txt")).read_text("utf-8")
        contents = read_ann(ann)
        gold = [(core(text, *c), src) for c, src in contents if is_direct(text, *c)]
        any_content = [core(text, *c) for c, _ in contents]
        pred = [(core(text, *c), src) for c, src in predicted(text, attributed_only)]
        n_pred += len(pred)
        n_gold += len(gold)
        gold_exact = {g for g, _ in gold} | set(any_content)
        tp_exact += sum(1 for p, _ in pred if p in gold_exact)
        tp_precise += sum(1 for p, _ in pred if any(overlaps(p, c) for c in any_content))
        pred_exact = {p for p, _ in pred}
        tp_gold_exact += sum(1 for g, _ in gold if g in pred_exact)
        for g, gsrc in gold:
            match = next(((p, psrc) for p, psrc in pred if overlaps(p, g)), None)
            if match is None:
                misses.append((ann.stem, text[g[0]:g[1]][:100]))
                continue
            tp_overlap += 1
            if gsrc is not None:
                spk_n += 1
                if overlaps(match[1], gsrc):
                    spk_ok += 1
                else:
                    wrong.append((ann.stem, text[gsrc[0]:gsrc[1]], text[match[1][0]:match[1][1]] if match[1] else None,
                                  text[g[0]:g[1]][:60]))
        for p, _ in pred:
            if not any(overlaps(p, c) for c in any_content):
                alarms.append((ann.stem, text[p[0]:p[1]][:100]))

    def f1(tp_pred, tp_gold):
        prec, rec = tp_pred / n_pred if n_pred else 0, tp_gold / n_gold if n_gold else 0
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0)

    which = ("attributed quotations (a speaker found, or four words or more)" if attributed_only
             else "every span between quotation marks")
    role = "development split" if split == "train" else "held-out split, not tuned on"
    print(f"attribution benchmark: PolNeAR {split} ({role}), {len(files)} annotation files, {n_gold} gold direct "
          f"quotations; predicted: {which}, {n_pred}")
    figures = {}
    for name, tp_pred, tp_gold in (("exact", tp_exact, tp_gold_exact), ("overlap", tp_precise, tp_overlap)):
        p, r, f = f1(tp_pred, tp_gold)
        figures[f"{name}_f1"] = f
        print(f"content {name:<8} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    figures["speaker_accuracy"] = spk_ok / spk_n if spk_n else 0.0
    print(f"speaker accuracy (mention overlaps gold Source): {spk_ok}/{spk_n} = {spk_ok / spk_n if spk_n else 0:.3f}")
    for label, rows in (("missed", misses), ("false alarm", alarms), ("wrong speaker", wrong)):
        for row in rows[:args.errors if attributed_only and split == "train" else 0]:
            print(f"  {label}: {row}")
    return figures


KINDS = ("direct", "mixed", "indirect")


def timing(args) -> None:
    """CPU milliseconds per article of find_relations and of find_quotes (today's stage), side by side."""
    from align import generate  # bench/align.py

    corpora = {"generated (bench/compare_scale.py)": [a.text for a in generate(args.timing)[0]],
               "PolNeAR dev": [t.read_text("utf-8") for _, _, t in split_files(args.shared, "dev")]}
    find_relations(corpora["PolNeAR dev"][0])  # the model loaded, once
    for name, texts in corpora.items():
        cost = {}
        for label, run in (("find_quotes", lambda t: find_quotes("x", t)), ("find_relations", find_relations)):
            began = time.process_time()
            for t in texts:
                run(t)
            cost[label] = 1000 * (time.process_time() - began) / len(texts)
        print(f"{name}: {len(texts)} articles, find_relations {cost['find_relations']:.1f} ms CPU per article, "
              f"find_quotes {cost['find_quotes']:.1f} ms")


def _gold_kinds(text: str, relations) -> list[tuple[str, int, int, str]]:
    """(role, start, end, kind) of every gold span, its kind that of its relation."""
    out = []
    for rel in relations:
        if not rel.content:
            continue
        kind = kind_of(text, tuple(TextSpan(s, e, text[s:e]) for s, e in rel.content))
        out.extend((role, s, e, kind) for role in ROLES for s, e in getattr(rel, role))
    return out


def _kind_at(spans, role: str, s: int, e: int) -> str:
    return next((k for r, a, b, k in spans if r == role and a < e and s < b), "indirect")


def _documents(args, split: str):
    """(annotation id, text, gold relations, [(token offsets, gold BIO labels)]) of each file of a split."""
    files = split_files(args.shared, split)
    if not files:
        sys.exit(f"attribution benchmark: no PolNeAR {split} split under {args.shared}")
    if split == "dev":
        docs = cofenet_docs(args.shared / "data" / "attribution" / "cofenet-dev" / "valid.txt")
        for aid, ann, txt in files:
            text, cursor, paras = txt.read_text("utf-8"), 0, []
            for row in docs.get(aid, []):
                offsets, cursor = align_tokens(text, row["tokens"], cursor)
                paras.append((offsets, row["labels"]))
            yield aid, text, read_relations(ann), paras
    else:
        for aid, ann, txt in files:
            text = txt.read_text("utf-8")
            relations, spans = read_relations(ann), units(text)
            yield aid, text, relations, list(zip(spans, gold_labels(text, relations, spans)))


def score_relations(args, split: str) -> dict:
    """Print CofeNet's exact and overlap F1 per role (and by kind) on one split; returns the figures."""
    n_gold, n_pred, tp_gold, tp_pred, ov_gold, ov_pred = ({} for _ in range(6))

    def add(counter, role, kind, n=1):
        for key in ((role, kind), (role, "all")):
            counter[key] = counter.get(key, 0) + n

    predicted: dict[str, list] = {}
    relation_rows: dict[str, list] = {}
    errors, files, seconds, quote_seconds, spk_ok, spk_n = [], 0, 0.0, 0.0, 0, 0
    for aid, text, relations, paras in _documents(args, split):
        files += 1
        if text not in predicted:
            began = time.process_time()  # CPU time: the machine may be shared
            quotes = find_quotes("x", text)
            tagged = time.process_time()
            rels = find_relations(text, quotes)
            seconds += time.process_time() - tagged
            quote_seconds += tagged - began
            relation_rows[text] = rels
            predicted[text] = sorted({(role, sp.start, sp.end, r.kind) for r in rels
                                      for role, sps in (("content", r.content), ("source", (r.source,)),
                                                        ("cue", (r.cue,))) for sp in sps if sp is not None})
        pred_chars, gold_chars = predicted[text], _gold_kinds(text, relations)
        # the direct-quotation speaker measure above, on these relations: the source of the predicted
        # relation whose content overlaps a gold direct quotation's overlaps its gold Source
        for rel in relations:
            if rel.content and rel.source and all(is_direct(text, s, e) for s, e in rel.content):
                match = next((r for r in relation_rows[text] if any(overlaps(core(text, c.start, c.end), g)
                              for c in r.content for g in rel.content)), None)
                if match is not None:
                    spk_n += 1
                    spk_ok += match.source is not None and any(
                        overlaps((match.source.start, match.source.end), g) for g in rel.source)
        for offsets, labels in paras:
            def chars(b, e):
                found = [o for o in offsets[b:e] if o is not None]
                return (found[0][0], found[-1][1]) if found else (0, 0)

            gold = set(bio_spans(list(labels)))
            pred = set(bio_spans(project([(r, s, e) for r, s, e, _ in pred_chars], offsets)))
            for role, b, e in gold:
                kind = _kind_at(gold_chars, role, *chars(b, e))
                add(n_gold, role, kind)
                add(tp_gold, role, kind, (role, b, e) in pred)
                hit = any(r == role and pb < e and b < pe for r, pb, pe in pred)
                add(ov_gold, role, kind, hit)
                if (role, b, e) not in pred and len(errors) < 10_000:
                    errors.append(("missed" if not hit else "boundary", aid, role, text[slice(*chars(b, e))]))
            for role, b, e in pred:
                kind = _kind_at(pred_chars, role, *chars(b, e))
                add(n_pred, role, kind)
                add(tp_pred, role, kind, (role, b, e) in gold)
                hit = any(r == role and gb < e and b < ge for r, gb, ge in gold)
                add(ov_pred, role, kind, hit)
                if not hit:
                    errors.append(("false alarm", aid, role, text[slice(*chars(b, e))]))

    def f1(tp_p, tp_g, key):
        p = tp_p.get(key, 0) / n_pred[key] if n_pred.get(key) else 0.0
        r = tp_g.get(key, 0) / n_gold[key] if n_gold.get(key) else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    role_name = "development split" if split == "train" else "held out, CofeNet's tokens and labels"
    print(f"attribution (CofeNet's scoring): PolNeAR {split} ({role_name}), {files} annotation files, "
          f"{len(predicted)} articles, find_relations {1000 * seconds / max(len(predicted), 1):.1f} ms CPU per article "
          f"(find_quotes before it {1000 * quote_seconds / max(len(predicted), 1):.1f} ms)")
    figures = {}
    for role in ROLES:
        p, r, f = f1(tp_pred, tp_gold, (role, "all"))
        op, orr, of = f1(ov_pred, ov_gold, (role, "all"))
        by_kind = "  ".join(f"{k} {f1(tp_pred, tp_gold, (role, k))[2]:.3f} (n={n_gold.get((role, k), 0)})"
                            for k in KINDS)
        overlap_by_kind = "  ".join(f"{k} {f1(ov_pred, ov_gold, (role, k))[2]:.3f}" for k in KINDS)
        print(f"{role:<8} exact P {p:.3f} R {r:.3f} F1 {f:.3f} | overlap P {op:.3f} R {orr:.3f} F1 {of:.3f} "
              f"| exact F1 by kind: {by_kind} | overlap F1 by kind: {overlap_by_kind}")
        figures[role] = {"exact_f1": f, "overlap_f1": of,
                         **{f"{k}_exact_f1": f1(tp_pred, tp_gold, (role, k))[2] for k in KINDS},
                         **{f"{k}_overlap_f1": f1(ov_pred, ov_gold, (role, k))[2] for k in KINDS}}
    figures["direct_speaker_accuracy"] = spk_ok / spk_n if spk_n else 0.0
    print(f"direct quotations' source (the relation's source overlaps the gold Source): {spk_ok}/{spk_n} = "
          f"{figures['direct_speaker_accuracy']:.3f}")
    if args.relation_errors and split == getattr(args, "errors_split", "train"):
        for row in errors[:: max(1, len(errors) // args.relation_errors)][:args.relation_errors]:
            print(f"  {row[0]}: {row[1]} {row[2]}: {row[3][:140]!r}")
    return figures


if __name__ == "__main__":
    main()
