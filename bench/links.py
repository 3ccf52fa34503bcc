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
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressdiff.compare.comparison import compare_story  # noqa: E402
from pressdiff.core.records import Article  # noqa: E402

LABELS = ROOT / "bench" / "labels" / "polnear_links.jsonl"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["precision", "sample"])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--split", choices=["all", "dev"], default="all")
    args = parser.parse_args()
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
