"""Extraction quality: pressdiff's extraction against plain `trafilatura.extract`, in one run.

- ../shared/data/extraction/scrapinghub: 181 real article pages with gold bodies; token-level
  precision, recall and F1 (multiset of lower-cased word tokens), averaged over pages (macro) and
  pooled (micro).
- ../shared/data/extraction/trafilatura: 24 news pages with snippets that must appear in the
  text ("with") and boilerplate that must not ("without"); the share of each that passes.

Usage: python bench/extraction.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pressdiff.archive.extract import extract  # noqa: E402

WORD = re.compile(r"\w+")


def tokens(text: str | None) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text or ""))


def prf(pred: Counter, gold: Counter) -> tuple[float, float, float, int, int, int]:
    hit = sum((pred & gold).values())
    p = hit / sum(pred.values()) if pred else 0.0
    r = hit / sum(gold.values()) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, hit, sum(pred.values()), sum(gold.values())


def systems():
    yield "pressdiff", lambda html, url: (lambda e: e.text if e else "")(extract(html, url=url))
    yield "trafilatura", lambda html, url: trafilatura.extract(html, url=url) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    base = args.shared / "data" / "extraction"
    gold = json.loads((base / "scrapinghub" / "ground-truth.json").read_text("utf-8"))
    pages = []
    for pid, g in sorted(gold.items()):
        html = gzip.decompress((base / "scrapinghub" / "html" / f"{pid}.html.gz").read_bytes())
        pages.append((pid, g.get("url"), html, tokens(g["articleBody"])))
    snippets = json.loads((base / "trafilatura" / "evaldata-news-subset.json").read_text("utf-8"))
    snip_pages = [(url, (base / "trafilatura" / "html" / s["file"]).read_bytes(), s) for url, s in snippets.items()]
    print(f"extraction benchmark: {len(pages)} scrapinghub pages (token P/R/F1), "
          f"{len(snip_pages)} trafilatura pages ({sum(len(s['with']) for *_, s in snip_pages)} must-have, "
          f"{sum(len(s['without']) for *_, s in snip_pages)} must-not snippets)")
    print(f"{'system':<12} {'P':>6} {'R':>6} {'F1':>6} {'microF1':>8} {'with ok':>8} {'without ok':>11} {'ms/page':>8}")
    for name, run in systems():
        start = time.monotonic()
        scores, hit, npred, ngold = [], 0, 0, 0
        for pid, url, html, g in pages:
            p, r, f, h, np_, ng = prf(tokens(run(html, url)), g)
            scores.append((p, r, f))
            hit, npred, ngold = hit + h, npred + np_, ngold + ng
        with_ok = without_ok = with_n = without_n = 0
        for url, html, s in snip_pages:
            text = " ".join(run(html, url).split())
            with_n += len(s["with"])
            without_n += len(s["without"])
            with_ok += sum(" ".join(x.split()) in text for x in s["with"])
            without_ok += sum(" ".join(x.split()) not in text for x in s["without"])
        ms = (time.monotonic() - start) / (len(pages) + len(snip_pages)) * 1000
        mp, mr, mf = (sum(x[i] for x in scores) / len(scores) for i in range(3))
        micro_p, micro_r = hit / npred, hit / ngold
        micro_f = 2 * micro_p * micro_r / (micro_p + micro_r)
        print(f"{name:<12} {mp:>6.3f} {mr:>6.3f} {mf:>6.3f} {micro_f:>8.3f} {with_ok / with_n:>8.3f} "
              f"{without_ok / without_n:>11.3f} {ms:>8.1f}")


if __name__ == "__main__":
    main()
