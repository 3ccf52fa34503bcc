"""Precision of alignment on real text: hand-labelled cross-article links of the PolNeAR comparison.

A link is a pair of wordings that compare put in one cluster, from two articles: the cluster's
origin and one of its other variants. bench/labels/polnear_links.jsonl holds links sampled from
the comparison of PolNeAR dev + train (924 articles, ../shared) and labelled by hand: is it one
utterance (the same quotation or sentence, however edited) or not? Labels are pairs of spans
(article URL, start, end), never cluster ids, so they outlive changes to the clustering; no text
of the corpus is stored. Usage:

    python bench/links.py precision        # precision on the labelled links the clustering still makes
    python bench/links.py sample [--n 60]  # the sample's links that no label covers, with texts, to label

--split dev compares PolNeAR dev alone, as a story is compared: with each article's publication
date (metadata.tsv), so that renderings of one remark can link, and without the clusters named
publisher boilerplate (shown apart, never as reuse). Its labels are bench/labels/polnear_dev_links.jsonl;
dev is held out: no rule was tuned on it.

    python bench/links.py remarks          # recall and precision on the hand-labelled remarks (issue #35)

`remarks` scores bench/labels/remarks.jsonl (groups of one remark as outlets print it: a span per
carrying article, a kind per carrier pair) and bench/labels/remark_near_misses.jsonl (pairs of
passages that are not one remark); bench/labels/GUIDE-remarks.md says how they were made. It
imports the labelled sources of ../shared as stories (ECB+: one story per topic, i.e. two events of
one kind; SemEval dev, PolNeAR train and the founding corpus: one story each), with the dates the
sources carry (PolNeAR's file names, the founding corpus's records, a date in the URL), compares
each, and reports recall of labelled carrier pairs (a pair counts when both spans overlap variants
of one cluster, by half the shorter), and precision: linked labelled pairs against linked near
misses and links between articles of different events (ECB+ subtopics; SemEval pairs labelled very
dissimilar). Each group and near miss falls in half `dev` or `test` by the hash of its id;
develop on dev, report test.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressdiff.compare.comparison import compare_story  # noqa: E402
from pressdiff.core.records import Article  # noqa: E402

LABELS = ROOT / "bench" / "labels" / "polnear_links.jsonl"
REMARKS = ROOT / "bench" / "labels" / "remarks.jsonl"
NEAR_MISSES = ROOT / "bench" / "labels" / "remark_near_misses.jsonl"
DEV_LABELS = ROOT / "bench" / "labels" / "polnear_dev_links.jsonl"
SEED = 12


def polnear_articles(shared: Path, splits=("dev", "train"), dated: bool = False) -> list[Article]:
    base = shared / "data" / "attribution" / "polnear"
    if not (base / "train").is_dir():
        raise SystemExit(f"PolNeAR not found under {shared}: links need the real corpus")
    days = {}
    if dated:
        with open(base / "metadata.tsv", encoding="utf-8") as fh:
            days = {r["filename"]: r["publication_date"] for r in csv.DictReader(fh, delimiter="\t")}
    out = []
    for split in splits:
        for p in sorted((base / split / "text").glob("*.txt")):
            url = f"https://polnear.example/{split}/{p.stem}"
            day = days.get(p.stem)
            out.append(Article(id=f"a{len(out):05d}", url=url, text=p.read_text("utf-8"), outlet=p.stem.split("_")[0],
                               published=day if day and day[:4].isdigit() else None))
    return out


def current_links(articles: list[Article]) -> list[dict]:
    """Every cross-article link of the comparison: (origin span, other variant's span), in cluster order."""
    comparison = compare_story("polnear", articles)
    url = {a.id: a.url for a in articles}
    text = {a.id: a.text for a in articles}
    links = []
    for c in comparison.clusters:
        if c.boilerplate:
            continue  # shown apart as page furniture, never as a link
        origin = next(v for v in c.variants if v.article == c.origin)
        for v in c.variants:
            if v.article == c.origin:
                continue
            links.append({"a": [url[origin.article], origin.start, origin.end],
                          "b": [url[v.article], v.start, v.end],
                          "relation": v.relation, "changes": list(v.changes),
                          "texts": [text[origin.article][origin.start:origin.end], text[v.article][v.start:v.end]]})
    return links


def _overlap(x: list, y: list) -> float:
    if x[0] != y[0]:
        return 0.0
    inter = min(x[2], y[2]) - max(x[1], y[1])
    return max(0, inter) / max(1, min(x[2] - x[1], y[2] - y[1]))


def covers(label: dict, link: dict) -> bool:
    """A label covers a link when both spans overlap by half the shorter (in either order)."""
    a, b = label["a"], label["b"]
    return ((_overlap(a, link["a"]) >= 0.5 and _overlap(b, link["b"]) >= 0.5)
            or (_overlap(a, link["b"]) >= 0.5 and _overlap(b, link["a"]) >= 0.5))


def load_labels(path: Path = LABELS) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def sample_of(links: list[dict], n: int) -> list[dict]:
    """The n links whose spans hash lowest (seeded): a sample that a change to the clustering
    alters only where it removes or adds links, so the labels keep covering it."""
    def key(link: dict) -> str:
        return hashlib.sha256(json.dumps([SEED, link["a"], link["b"]]).encode()).hexdigest()

    return sorted(links, key=key)[:n]


def precision(articles: list[Article], n: int = 60, labels_path: Path = LABELS) -> dict:
    """Precision on a seeded sample of the current links; links no label covers are counted apart."""
    links = current_links(articles)
    sample = sample_of(links, n)
    labels = load_labels(labels_path)
    judged = [(link, next((lab for lab in labels if covers(lab, link)), None)) for link in sample]
    labelled = [(link, lab) for link, lab in judged if lab is not None]
    same = sum(1 for _, lab in labelled if lab["same"])
    return {"links": len(links), "sample": len(sample), "labelled": len(labelled),
            "same": same, "precision": same / len(labelled) if labelled else None,
            "unlabelled": [link for link, lab in judged if lab is None]}


def half(label_id: str) -> str:
    """The fixed split of the remark labels: by the hash of the group's (or near miss's) id."""
    return "dev" if int(hashlib.sha256(label_id.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"


URL_DAY = re.compile(r"(?<!\d)(20\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?!\d)")
MONTH_DAY = re.compile(r"/(20\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/(\d{1,2})/")
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def url_day(url: str) -> str | None:
    """The publication day a URL spells (…/2020/01/01/…, …-20200101…, …/2020/jan/1/…), else None."""
    m = URL_DAY.search(url)
    if m:
        return f"{m[1]}-{m[2]}-{m[3]}"
    m = MONTH_DAY.search(url.lower())
    return f"{m[1]}-{MONTHS.index(m[2]) + 1:02d}-{int(m[3]):02d}" if m else None


def remark_stories(shared: Path, docs: set[str]) -> dict[str, list[Article]]:
    """The stories the labelled documents belong to, as the sources date them; article id = label doc."""
    stories: dict[str, list[Article]] = {}
    data = shared / "data"
    if any(d.startswith("ecbplus:") for d in docs):
        rows = [json.loads(line) for line in (data / "ecbplus" / "articles.jsonl").read_text("utf-8").splitlines()]
        topics = {r["topic"] for r in rows if f"ecbplus:{r['id']}" in docs}
        for r in rows:
            if r["topic"] in topics:
                stories.setdefault(f"ecbplus-{r['topic']}", []).append(Article(
                    id=f"ecbplus:{r['id']}", url=r["url"], text=r["text"], outlet=r["outlet"],
                    published=url_day(r["url"]) if r["url_known"] else None))
    if any(d.startswith("semeval:") for d in docs):
        rows = [json.loads(line) for line in (data / "semeval-dev" / "articles.jsonl").read_text("utf-8").splitlines()]
        stories["semeval-dev"] = [Article(id=f"semeval:{r['url']}", url=r["url"], text=r["text"],
                                          outlet=re.sub(r"^www\.", "", r["url"].split("/")[2]), published=url_day(r["url"]))
                                  for r in rows]
    if any(d.startswith("polnear:") for d in docs):
        stories["polnear-train"] = [Article(id=f"polnear:train/{p.stem}", url=f"https://polnear.example/train/{p.stem}",
                                            text=p.read_text("utf-8"), outlet=p.stem.split("_")[0], published=p.stem.split("_")[1])
                                    for p in sorted((data / "attribution" / "polnear" / "train" / "text").glob("*.txt"))]
    if any(d.startswith("home-office-trump:") for d in docs):
        stories["home-office-trump"] = []
        for p in sorted((shared / "corpus" / "home-office-trump").glob("*.json")):
            r = json.loads(p.read_text("utf-8"))
            stories["home-office-trump"].append(Article(id=f"home-office-trump:{p.stem}", url=r["url"], text=r["text"],
                                                        outlet=r["outlet"], published=r["published"]))
    return stories


def different_events(shared: Path) -> tuple[dict[str, str], set[frozenset]]:
    """ECB+ article -> its event (subtopic), and SemEval article pairs labelled very dissimilar (>= 3.5)."""
    data = shared / "data"
    event = {}
    if (data / "ecbplus" / "articles.jsonl").is_file():
        for line in (data / "ecbplus" / "articles.jsonl").read_text("utf-8").splitlines():
            r = json.loads(line)
            event[f"ecbplus:{r['id']}"] = r["subtopic"]
    apart = set()
    if (data / "semeval-dev" / "pairs.csv").is_file():
        with open(data / "semeval-dev" / "pairs.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if float(r["Overall"]) >= 3.5:
                    apart.add(frozenset((f"semeval:{r['link1']}", f"semeval:{r['link2']}")))
    return event, apart


def _span(s: dict) -> list:
    return [s["doc"], s["start"], s["end"]]


def remarks_score(shared: Path, groups: list[dict], misses: list[dict], found_prefix: str = "") -> dict:
    """Recall of labelled carrier pairs and precision against near misses and cross-event links, per half.

    found_prefix: score only the groups and near misses whose `found` starts with it (a pass of labels on
    its own, e.g. "2026-12-07b" for the third pass, made before that pass's rules); every label still
    judges the links between different events, which are counted for the whole half."""
    docs = {s["doc"] for g in groups for s in g["spans"]} | {m[k]["doc"] for m in misses for k in "ab"}
    stories = remark_stories(shared, docs)
    texts = {a.id: a.text for arts in stories.values() for a in arts}
    drift = [g["id"] for g in groups for s in g["spans"]
             if hashlib.sha256(texts.get(s["doc"], "")[s["start"]:s["end"]].encode()).hexdigest()[:12] != s["sha"]]
    event, apart = different_events(shared)
    variants: dict[str, list[tuple[int, list]]] = {}  # doc -> (cluster number, [doc, start, end])
    cross_event = []
    n = 0
    for name, arts in sorted(stories.items()):
        comparison = compare_story(name, arts)
        for c in comparison.clusters:
            if c.boilerplate:
                continue  # page furniture, shown apart: never a link
            n += 1
            vs = [[v.article, v.start, v.end] for v in c.variants]
            for v in vs:
                variants.setdefault(v[0], []).append((n, v))
            for i, x in enumerate(vs):
                for y in vs[i + 1:]:
                    if x[0] != y[0] and ((x[0] in event and y[0] in event and event[x[0]] != event[y[0]])
                                         or frozenset((x[0], y[0])) in apart):
                        cross_event.append((x, y))
    # a cross-event link that a label covers is judged by the label (a remark printed in coverage of
    # both events is one remark; a labelled near miss is counted once, as a near miss)
    labelled = [(_span(g["spans"][i]), _span(g["spans"][j])) for g in groups for i, j, _ in g["kinds"]]
    labelled += [(_span(m["a"]), _span(m["b"])) for m in misses]
    cross_event = [(x, y) for x, y in cross_event
                   if not any(covers({"a": a, "b": b}, {"a": x, "b": y}) for a, b in labelled)]

    def linked(a: list, b: list) -> bool:
        ca = {k for k, v in variants.get(a[0], ()) if _overlap(a, v) >= 0.5}
        return any(k in ca and _overlap(b, v) >= 0.5 for k, v in variants.get(b[0], ()))

    out = {}
    for h in ("dev", "test"):
        pairs = [(g, i, j, kind) for g in groups if half(g["id"]) == h and g.get("found", "").startswith(found_prefix)
                 for i, j, kind in g["kinds"]]
        found = [(g, kind, linked(_span(g["spans"][i]), _span(g["spans"][j]))) for g, i, j, kind in pairs]
        near = [m for m in misses if half(m["id"]) == h and m.get("found", "").startswith(found_prefix)]
        false_near = [m for m in near if linked(_span(m["a"]), _span(m["b"]))]
        false_events = [x for x in cross_event if half(json.dumps(sorted([x[0][0], x[1][0]]))) == h]
        hits = sum(ok for *_, ok in found)
        by = {}
        for key in ("kind", "source"):
            for g, kind, ok in found:
                k = kind if key == "kind" else g["source"]
                t = by.setdefault(key, {}).setdefault(k, [0, 0])
                t[0] += ok
                t[1] += 1
        out[h] = {"groups": len({g["id"] for g, *_ in pairs}), "pairs": len(found), "linked": hits,
                  "recall": hits / len(found) if found else None, "near_misses": len(near),
                  "near_misses_linked": len(false_near), "cross_event_links": len(false_events),
                  "precision": hits / (hits + len(false_near) + len(false_events)) if hits else None,
                  "by_kind": by.get("kind", {}), "by_source": by.get("source", {}),
                  "missed": [(g["id"], kind) for g, kind, ok in found if not ok],
                  "false": [m["id"] for m in false_near]}
    out["drift"] = drift
    return out


def print_remarks(r: dict, halves=("dev", "test")) -> None:
    if r["drift"]:
        print(f"warning: {len(r['drift'])} labelled spans no longer hash as labelled (texts changed): {sorted(set(r['drift']))[:5]}")
    for h in halves:
        x = r[h]
        recall = f"{x['recall']:.3f}" if x["recall"] is not None else "-"
        precision = f"{x['precision']:.3f}" if x["precision"] is not None else "-"
        print(f"{h}: {x['groups']} groups, {x['pairs']} carrier pairs, {x['linked']} linked: recall {recall}; "
              f"precision {precision} ({x['near_misses_linked']} of {x['near_misses']} near misses linked, "
              f"{x['cross_event_links']} links between different events)")
        for key in ("by_kind", "by_source"):
            print("  " + key.replace("_", " ") + ": " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(x[key].items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["precision", "sample", "remarks"])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--split", choices=["all", "dev"], default="all")
    parser.add_argument("--json", action="store_true", help="remarks: print the full result as JSON")
    parser.add_argument("--half", choices=["dev", "test", "both"], default="both",
                        help="remarks: report this half only (develop on dev; leave test unread until the end)")
    parser.add_argument("--found", default="", metavar="PREFIX",
                        help="remarks: score only the labels whose `found` starts with PREFIX (one pass of labels, "
                             "e.g. '2026-12-07b' for the third pass); links between events are still the half's")
    args = parser.parse_args()
    if args.command == "remarks":
        r = remarks_score(args.shared, load_labels(REMARKS), load_labels(NEAR_MISSES), args.found)
        halves = ("dev", "test") if args.half == "both" else (args.half,)
        r = {k: v for k, v in r.items() if k not in ("dev", "test") or k in halves}
        print(json.dumps(r, indent=1) if args.json else "", end="")
        print_remarks(r, halves)
        return
    dev = args.split == "dev"
    articles = polnear_articles(args.shared, ("dev",), dated=True) if dev else polnear_articles(args.shared)
    labels_path = DEV_LABELS if dev else LABELS
    if args.command == "sample":
        labels = load_labels(labels_path)
        for i, link in enumerate(sample_of(current_links(articles), args.n)):
            if not any(covers(lab, link) for lab in labels):
                print(json.dumps({"i": i, **link}, ensure_ascii=False))
        return
    r = precision(articles, args.n, labels_path)
    print(f"links of the PolNeAR comparison ({len(articles)} articles{', dated' if dev else ''}): {r['links']}; "
          f"seeded sample of {r['sample']} "
          f"(seed {SEED}): {r['labelled']} labelled, {r['same']} of them one utterance; "
          f"precision {r['precision']:.3f}" if r["precision"] is not None else "no labelled link in the sample")
    if r["unlabelled"]:
        print(f"{len(r['unlabelled'])} links of the sample have no label yet: `sample` prints them to label")


if __name__ == "__main__":
    main()
