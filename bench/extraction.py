r"""Extraction quality: pressdiff's extraction against plain `trafilatura.extract`, in one run.

Two sets of real pages with gold article text, each scored on the ScrapingHub benchmark's metric
and each cut by a fixed split, written here, into a "dev" half (the pages whose id's SHA-1 begins
with an even hex digit), on which every extraction rule was set, and a "test" half (the others),
held out from that work and only reported:

- ../shared/data/extraction/scrapinghub: 181 real article pages with gold bodies (the pages of
  the ScrapingHub/Zyte article-extraction benchmark);
- ../shared/data/extraction/dragnet: 1,381 real news and blog pages of about 2012 (the Dragnet
  set) whose gold leaves readers' comments out: trafilatura, which keeps comments by default, is
  also run without them there ("trafilatura-nc").

The metric (the benchmark's README and evaluation, implemented here): each page's gold and
predicted text tokenised into word tokens (`\w+`, case kept), all 4-gram shingles as a multiset,
TP/FP/FN over them; per-page precision (pages with no predicted shingle left out) and recall
(pages with no gold shingle left out); the macro means, and F1 of the two means; ± the standard
deviation of F1 over 1,000 bootstrap resamples of the pages; exact-page accuracy, the share of
pages whose token lists are identical. And the paired bootstrap of pressdiff's F1 minus each
trafilatura's on the same resamples (mean, 95% interval, and the share of resamples in which
pressdiff is better). On ScrapingHub also the token metric used before (multiset of lower-cased
word tokens; macro and micro F1).

- ../shared/data/extraction/trafilatura: 24 news pages with snippets that must appear in the
  text ("with") and boilerplate that must not ("without"); the share of each that passes.
- the outlet template (archive/health.py template_lines): on Dragnet, pages grouped by the site
  their markup names (canonical or og:url link, else the host most of their links point to), and
  each page's text without the lines that stand in more than half of the other pages of its site
  in the same half (pressdiff's texts; no gold read); and as the archive applies it when it stores
  a page (archive/capture.py save_page, the outlet's earlier pages only), on the sites with at
  least OUTLET_MIN_PAGES pages, each stored in id order as one outlet's in a fresh workspace.
- with --candidates N, the choice of block (archive/extract.py right_block) on the dev half of each
  set only: for each page, the F1 of every candidate the rule could have chosen (pressdiff's first
  reading: trafilatura's precision mode with its fallbacks and the repairs before the choice;
  trafilatura's balanced mode; readability's block; trafilatura's recall mode; the page's
  <article> element), each through the same cuts after the choice (extract.after_choice,
  clean_text), and of the choice; the F1 of each candidate taken always, of the choice, and of the
  best candidate of each page (the ceiling of any choice among them); and the N pages where the
  best candidate beats the choice by the most, with each candidate's signs (wrong_signs). The test
  halves' pages are never listed.
- time per page: both systems over every page, after a first untimed pass of all over all of them
  (the pass that gives the texts scored above: neither system then pays first-call costs the
  other already paid, such as imports, caches and the word lists of each language met), in
  ROUNDS rounds in which the two take turns page by page (so that both see the same machine);
  the median round's figures, and the slowest pages (each page's median time over the rounds).

Usage: python bench/extraction.py [--shared ../shared] [--worst 10] [--rounds 3] [--sets scrapinghub,dragnet]
       [--candidates 20]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pressdiff.archive import extract as extraction  # noqa: E402
from pressdiff.archive.capture import save_page  # noqa: E402
from pressdiff.archive.extract import Extracted, extract, shingles  # noqa: E402
from pressdiff.archive.health import template_lines, without_template  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.core.story import parse_story  # noqa: E402

WORD = re.compile(r"\w+")
RESAMPLES = 1000
ROUNDS = 3


def tokens(text: str | None) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text or ""))


def prf(pred: Counter, gold: Counter) -> tuple[float, float, float, int, int, int]:
    hit = sum((pred & gold).values())
    p = hit / sum(pred.values()) if pred else 0.0
    r = hit / sum(gold.values()) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, hit, sum(pred.values()), sum(gold.values())


def page_score(pred: str, gold: str) -> tuple[float | None, float | None, bool]:
    """(precision or None, recall or None, exact) of one page on the benchmark's metric."""
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    precision = tp / sum(p.values()) if p else None
    recall = tp / sum(g.values()) if g else None
    return precision, recall, WORD.findall(pred or "") == WORD.findall(gold or "")


def summary(scores: list) -> tuple[float, float, float, float]:
    """(F1, precision, recall, exact-page accuracy) of page scores: macro means, F1 of the means."""
    ps = [s[0] for s in scores if s[0] is not None]
    rs = [s[1] for s in scores if s[1] is not None]
    p, r = (sum(ps) / len(ps) if ps else 0.0), (sum(rs) / len(rs) if rs else 0.0)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, sum(s[2] for s in scores) / max(1, len(scores))


def bootstrap(a: list, b: list | None = None, seed: int = 0) -> tuple[float, list[float]]:
    """The standard deviation of F1 over RESAMPLES resamples of the pages; with b (another
    system's scores of the same pages), the F1 differences a - b on the same resamples."""
    rng = random.Random(seed)
    n, f1s, diffs = len(a), [], []
    for _ in range(RESAMPLES):
        idx = [rng.randrange(n) for _ in range(n)]
        fa = summary([a[i] for i in idx])[0]
        f1s.append(fa)
        if b is not None:
            diffs.append(fa - summary([b[i] for i in idx])[0])
    return statistics.pstdev(f1s), diffs


def timed_rounds(runs: dict, pages: list, rounds: int = ROUNDS) -> list[dict]:
    """`rounds` timings of each system on each page, {name: [seconds a page]}, the systems taking
    turns page by page (the first to go alternating), so that a busy moment of the machine costs both."""
    out = []
    for _ in range(rounds):
        spent = {name: [0.0] * len(pages) for name in runs}
        for i, (url, html) in enumerate(pages):
            for name in (list(runs) if i % 2 == 0 else list(runs)[::-1]):
                start = time.perf_counter()
                runs[name](html, url)
                spent[name][i] = time.perf_counter() - start
        out.append(spent)
    return out


def half(pid: str) -> str:
    """The fixed split: dev when the SHA-1 of the page id begins with an even hex digit."""
    return "dev" if int(hashlib.sha1(pid.encode()).hexdigest()[0], 16) % 2 == 0 else "test"


def systems():
    yield "pressdiff", lambda html, url: (lambda e: e.text if e else "")(extract(html, url=url))
    yield "trafilatura", lambda html, url: trafilatura.extract(html, url=url) or ""
    yield "trafilatura-nc", lambda html, url: trafilatura.extract(html, url=url, include_comments=False) or ""


TIMED = ("pressdiff", "trafilatura")  # the systems timed against each other


def load_sets(base: Path, names: list[str]) -> dict[str, list[tuple[str, str | None, bytes | str, str]]]:
    """{set: [(page id, url, html, gold text)]}: the ScrapingHub pages as bytes, Dragnet's as the
    text its file holds (both systems get the same object)."""
    sets = {}
    if "scrapinghub" in names:
        gold = json.loads((base / "scrapinghub" / "ground-truth.json").read_text("utf-8"))
        sets["scrapinghub"] = [(pid, g.get("url"), gzip.decompress((base / "scrapinghub" / "html" / f"{pid}.html.gz")
                                                                   .read_bytes()), g["articleBody"] or "")
                               for pid, g in sorted(gold.items())]
    if "dragnet" in names:
        with gzip.open(base / "dragnet" / "pages.jsonl.gz", "rt", encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines]
        sets["dragnet"] = [(r["id"], r.get("url"), r["html"], r["gold"] or "") for r in sorted(rows, key=lambda r: r["id"])]
    return sets


_SITE_LINK = re.compile(r"""<(?:link[^>]+rel=["']canonical["'][^>]+href|meta[^>]+property=["']og:url["'][^>]+content)"""
                        r"""=["']https?://([^/"']+)""", re.I)
_LINK_HOST = re.compile(r"""href=["']https?://([^/"':]+)""", re.I)


def site(html: bytes | str) -> str:
    """The site a page's markup names: its canonical or og:url link's host, else the host most of
    its links point to (Dragnet's pages have no URL)."""
    head = html if isinstance(html, str) else html.decode("utf-8", "replace")
    found = _SITE_LINK.search(head)
    hosts = [found.group(1)] if found else _LINK_HOST.findall(head)
    return Counter(h.lower().removeprefix("www.") for h in hosts).most_common(1)[0][0] if hosts else ""


def report_template(pages: list, texts: list[str], scores: list) -> None:
    """F1 by half of pressdiff's texts without their outlet's template (the other pages of their
    site in the same half)."""
    groups: dict = {}
    for i, (pid, _, html, _) in enumerate(pages):
        groups.setdefault((site(html), half(pid)), []).append(i)
    cleaned, dropped = list(texts), 0
    for (name, _), idx in groups.items():
        for i in idx:
            template = template_lines([texts[j] for j in idx if j != i]) if name else frozenset()
            cleaned[i] = without_template(texts[i], template)
            dropped += cleaned[i] != texts[i]
    sized = [len(idx) for idx in groups.values()]
    print(f"outlet template: {len(groups)} sites by half ({sum(n >= 4 for n in sized)} with 4 pages or more); "
          f"the template's lines dropped from {dropped} pages:")
    for label in ("dev", "test"):
        idx = [i for i, (pid, *_) in enumerate(pages) if half(pid) == label]
        before = summary([scores[i] for i in idx])
        after = summary([page_score(cleaned[i], pages[i][3]) for i in idx])
        print(f"  {label:<5} F1 {before[0]:.3f} -> {after[0]:.3f} (P {before[1]:.3f} -> {after[1]:.3f}, "
              f"R {before[2]:.3f} -> {after[2]:.3f})")


OUTLET_MIN_PAGES = 10


def report_stored(pages: list, texts: list[str]) -> None:
    """The template as the archive applies it (archive/capture.py save_page): the pages of each
    Dragnet site with at least OUTLET_MIN_PAGES pages stored, in id order, as one outlet's in a
    fresh workspace; F1 by half of their texts as extracted and as stored."""
    groups: dict = {}
    for i, (_, _, html, _) in enumerate(pages):
        groups.setdefault(site(html), []).append(i)
    outlets = {name: idx for name, idx in groups.items() if name and len(idx) >= OUTLET_MIN_PAGES}
    story = parse_story('slug = "bench"\ntitle = "Bench"\n')
    stored = {}
    with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
        store.articles.save_story(story)
        for name, idx in sorted(outlets.items()):
            for i in idx:
                pid, url, _, _ = pages[i]
                if texts[i]:
                    save_page(store, story, url or f"https://{name}/{pid}", Extracted(text=texts[i]), run=None,
                              ingested_by="crawl", found_by="seed", given={"outlet": name})
        for v in store.articles.versions("bench"):
            stored[v.url] = v.text
    print(f"outlet template as stored: the {sum(map(len, outlets.values()))} pages of the {len(outlets)} sites with "
          f"{OUTLET_MIN_PAGES} pages or more, each site's stored in id order as one outlet's:")
    changed = 0
    for label in ("dev", "test", None):
        idx = [i for ix in outlets.values() for i in ix if label is None or half(pages[i][0]) == label]
        after = [stored.get(pages[i][1] or f"https://{site(pages[i][2])}/{pages[i][0]}", texts[i]) for i in idx]
        before = summary([page_score(texts[i], pages[i][3]) for i in idx])
        now = summary([page_score(a, pages[i][3]) for a, i in zip(after, idx)])
        changed = sum(a != texts[i] for a, i in zip(after, idx))
        print(f"  {label or 'all':<5} {len(idx)} pages, {changed} changed: F1 {before[0]:.3f} -> {now[0]:.3f} "
              f"(P {before[1]:.3f} -> {now[1]:.3f}, R {before[2]:.3f} -> {now[2]:.3f})")
    for name, idx in sorted(outlets.items(), key=lambda x: -len(x[1])):
        after = [stored.get(pages[i][1] or f"https://{name}/{pages[i][0]}", texts[i]) for i in idx]
        before = summary([page_score(texts[i], pages[i][3]) for i in idx])[0]
        now = summary([page_score(a, pages[i][3]) for a, i in zip(after, idx)])[0]
        print(f"    {name:<24} {len(idx):>3} pages, {sum(a != texts[i] for a, i in zip(after, idx)):>2} changed: "
              f"F1 {before:.3f} -> {now:.3f}")


def page_f1(score: tuple) -> float:
    p, r = score[0] or 0, score[1] or 0
    return 2 * p * r / (p + r) if p + r else 0.0


def report_set(name: str, pages: list, results: dict, worst: int) -> None:
    """One set's figures by half, the paired bootstraps and pressdiff's worst pages."""
    halves = {h: [i for i, (pid, *_) in enumerate(pages) if half(pid) == h] for h in ("dev", "test")}
    parts = (("all", range(len(pages))), ("dev", halves["dev"]), ("test", halves["test"]))
    print(f"\n{name}: {len(pages)} pages (dev half {len(halves['dev'])}, test half {len(halves['test'])}); "
          "the benchmark's metric (4-gram shingles; macro P and R, F1 of the means; ± bootstrap sd):")
    print(f"{'system':<15} {'pages':<6} {'F1':>14} {'P':>6} {'R':>6} {'exact':>6}")
    for system, r in results.items():
        for label, idx in parts:
            scores = [r[name][i] for i in idx]
            f1, p, rec, exact = summary(scores)
            sd, _ = bootstrap(scores)
            print(f"{system:<15} {label:<6} {f1:>7.3f} ± {sd:.3f} {p:>6.3f} {rec:>6.3f} {exact:>6.3f}")
    for other in [s for s in results if s != "pressdiff"]:
        for label, idx in parts:
            _, diffs = bootstrap([results["pressdiff"][name][i] for i in idx], [results[other][name][i] for i in idx],
                                 seed=1)
            diffs.sort()
            print(f"paired bootstrap, pressdiff - {other} F1 ({label}): {statistics.mean(diffs):+.4f} "
                  f"[95%: {diffs[int(0.025 * RESAMPLES)]:+.4f}, {diffs[int(0.975 * RESAMPLES) - 1]:+.4f}], "
                  f"better in {sum(d > 0 for d in diffs) / RESAMPLES:.1%} of resamples")
    if worst:
        print(f"pressdiff's {worst} worst pages of {name} (F1 of the page; P, R; trafilatura-nc's F1):")
        ranked = sorted((page_f1(s), i) for i, s in enumerate(results["pressdiff"][name]))
        for f, i in ranked[:worst]:
            pid, url, *_ = pages[i]
            p, r, _ = results["pressdiff"][name][i]
            print(f"  {f:.3f}  P {p if p is None else round(p, 3)}  R {r if r is None else round(r, 3)}  "
                  f"({page_f1(results['trafilatura-nc'][name][i]):.3f})  {half(pid):<4} {pid}  {url or ''}")


CANDIDATES = ("precision", "balanced", "readability", "recall", "article")


def candidate_texts(html: bytes | str, url: str | None) -> dict[str, str] | None:
    """{candidate: its text after the cuts that follow the choice} and "chosen": right_block's choice
    the same way (extract()'s text before its mojibake repair); None where the first reading finds
    no text."""
    read = extraction.first_reading(html, url)
    if read is None:
        return None
    tree, body, meta = read
    balanced = trafilatura.bare_extraction(tree, options=extraction._options(False, url))
    readability, recall = extraction._candidates(tree, url)
    raw = {"precision": body, "balanced": (balanced.text or "") if balanced is not None else "",
           "readability": readability, "recall": recall}
    best, _ = extraction.article_element(tree)  # as _fuller_article finds it
    if best is not None:
        doc = trafilatura.bare_extraction(best, options=extraction._options(True, url))
        raw["article"] = (doc.text or "") if doc is not None else ""
    page = extraction._Page(tree, meta.author)
    signs = {name: sorted(extraction.wrong_signs(text, page)) for name, text in raw.items()}
    raw["chosen"] = extraction.right_block(tree, body, url, meta.author)
    texts = {name: extraction.clean_text(extraction.after_choice(tree, text, meta.title), meta.title)[0]
             for name, text in raw.items()}
    return {"texts": texts, "signs": signs}


def report_candidates(sets: dict, listed: int) -> None:
    """The choice of block on each set's dev half (see --candidates)."""
    for name, pages in sets.items():
        rows = []
        for pid, url, html, gold in pages:
            if half(pid) != "dev":
                continue
            found = candidate_texts(html, url)
            if found is None:
                continue
            scores = {c: page_score(t, gold) for c, t in found["texts"].items()}
            rows.append((pid, scores, found["signs"]))
        print(f"\n{name} dev half, the choice of block: {len(rows)} pages with a first reading; F1 of each "
              "candidate taken always, of the choice, and of each page's best candidate:")
        for c in (*CANDIDATES, "chosen"):
            print(f"  {c:<12} {summary([s.get(c, s['precision']) for _, s, _ in rows])[0]:.4f}")
        best = [max((s[c] for c in CANDIDATES if c in s), key=page_f1) for _, s, _ in rows]
        print(f"  {'best':<12} {summary(best)[0]:.4f}")
        gaps = sorted(((page_f1(b) - page_f1(s["chosen"]), pid, s, signs) for b, (pid, s, signs) in zip(best, rows)),
                      key=lambda g: -g[0])
        print(f"the {listed} pages where the best candidate beats the choice by the most (F1; each candidate's "
              "F1 and signs):")
        for gap, pid, s, signs in gaps[:listed]:
            shown = "  ".join(f"{c} {page_f1(s[c]):.2f}" + (f" ({', '.join(signs[c])})" if signs[c] else "")
                              for c in CANDIDATES if c in s)
            print(f"  +{gap:.3f}  chosen {page_f1(s['chosen']):.2f}  {pid}: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--worst", type=int, default=10, help="list pressdiff's N worst pages of each set (page F1)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed rounds (0: no timing)")
    parser.add_argument("--slowest", type=int, default=10, help="list the N pages pressdiff took longest on")
    parser.add_argument("--sets", default="scrapinghub,dragnet", help="the sets of pages scored, comma-separated")
    parser.add_argument("--candidates", type=int, default=0,
                        help="report the choice of block on the dev halves, listing the N pages it loses most on")
    args = parser.parse_args()
    base = args.shared / "data" / "extraction"
    sets = load_sets(base, args.sets.split(","))
    snippets = json.loads((base / "trafilatura" / "evaldata-news-subset.json").read_text("utf-8"))
    snip_pages = [(url, (base / "trafilatura" / "html" / s["file"]).read_bytes(), s) for url, s in snippets.items()]
    print(f"extraction benchmark: {', '.join(f'{len(p)} {n} pages' for n, p in sets.items())}, {len(snip_pages)} "
          f"trafilatura pages ({sum(len(s['with']) for *_, s in snip_pages)} must-have, "
          f"{sum(len(s['without']) for *_, s in snip_pages)} must-not snippets)")
    results, checks, token, texts = {}, {}, {}, {}
    for system, run in systems():  # the untimed pass
        results[system] = {}
        for name, pages in sets.items():
            found = [run(html, url) for _, url, html, _ in pages]
            results[system][name] = [page_score(t, g) for t, (*_, g) in zip(found, pages)]
            if system == "pressdiff":
                texts[name] = found
        with_ok = without_ok = with_n = without_n = 0
        for url, html, s in snip_pages:
            text = " ".join(run(html, url).split())
            with_n += len(s["with"])
            without_n += len(s["without"])
            with_ok += sum(" ".join(x.split()) in text for x in s["with"])
            without_ok += sum(" ".join(x.split()) not in text for x in s["without"])
        checks[system] = (with_ok / with_n, without_ok / without_n)
        if "scrapinghub" in sets:
            tok = [prf(tokens(run(html, url)), tokens(g)) for _, url, html, g in sets["scrapinghub"]]
            hit, npred, ngold = (sum(x[i] for x in tok) for i in (3, 4, 5))
            micro_p, micro_r = hit / npred, hit / ngold
            token[system] = (sum(x[2] for x in tok) / len(tok), 2 * micro_p * micro_r / (micro_p + micro_r))
    for name, pages in sets.items():
        report_set(name, pages, results, args.worst)
    if "dragnet" in sets:
        report_template(sets["dragnet"], texts["dragnet"], results["pressdiff"]["dragnet"])
        report_stored(sets["dragnet"], texts["dragnet"])
    print("\nboilerplate snippets (trafilatura's 24 pages)" + (", the token metric on scrapinghub" if token else "") + ":")
    print(f"{'system':<15} {'with ok':>8} {'without ok':>11}" + (f" {'tokenF1':>8} {'microF1':>8}" if token else ""))
    for system in results:
        print(f"{system:<15} {checks[system][0]:>8.3f} {checks[system][1]:>11.3f}"
              + (f" {token[system][0]:>8.3f} {token[system][1]:>8.3f}" if token else ""))
    if args.candidates:
        report_candidates(sets, args.candidates)
    if args.rounds:
        report_time(dict((s, run) for s, run in systems() if s in TIMED),
                    [(pid, url, html) for pages in sets.values() for pid, url, html, _ in pages]
                    + [(url, url, html) for url, html, _ in snip_pages], args.rounds, args.slowest)


def report_time(runs: dict, pages: list, rounds: int, slowest: int) -> None:
    """Time per page of the two systems taking turns, the median round, and the slowest pages."""
    timed = timed_rounds(runs, [(url, html) for _, url, html in pages], rounds)
    totals = [{s: sum(t) for s, t in r.items()} for r in timed]
    mine, theirs = TIMED
    median = sorted(totals, key=lambda r: r[mine] / r[theirs])[len(totals) // 2]
    n = len(pages)
    ratios = ", ".join(f"{r[mine] / r[theirs]:.2f}" for r in totals)
    print(f"\ntime per page over {n} pages: {mine} {median[mine] / n * 1000:.1f} ms, {theirs} "
          f"{median[theirs] / n * 1000:.1f} ms: {median[mine] / median[theirs]:.2f}x (the median of {rounds} rounds, "
          f"whose ratios were {ratios})")
    per_page = [(statistics.median(r[mine][i] for r in timed), statistics.median(r[theirs][i] for r in timed), i)
                for i in range(n)]
    over_second = sum(a > 1 for a, _, _ in per_page)
    over_five = sum(a > 5 * b for a, b, _ in per_page)
    print(f"pages over 1 s: {over_second}; pages over 5x {theirs}'s time: {over_five} (each page's median over the rounds)")
    for title, key in ((f"the {slowest} slowest pages for {mine} (ms, {theirs}'s ms, ratio, size):", None),
                       (f"the {slowest} pages of the highest ratio:", lambda x: x[0] / x[1])):
        print(title)
        for a, b, i in sorted(per_page, key=key, reverse=True)[:slowest]:
            pid, _, html = pages[i]
            print(f"  {a * 1000:7.1f}  {b * 1000:7.1f}  {a / b:5.2f}x  {len(html) // 1024:5d} KB  {pid}")


if __name__ == "__main__":
    main()
