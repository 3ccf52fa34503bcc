"""Extraction quality: pressdiff's extraction against plain `trafilatura.extract`, in one run.

- ../shared/data/extraction/scrapinghub: 181 real article pages with gold bodies (the pages of
  the ScrapingHub/Zyte article-extraction benchmark), scored two ways:
  - the benchmark's own metric (its README and evaluation, implemented here): each page's gold
    and predicted text tokenised into word tokens (`\w+`, case kept), all 4-gram shingles as a
    multiset, TP/FP/FN over them; per-page precision (pages with no predicted shingle left out)
    and recall (pages with no gold shingle left out); the macro means, and F1 of the two means;
    ± the standard deviation of F1 over 1,000 bootstrap resamples of the pages; exact-page
    accuracy, the share of pages whose token lists are identical. And the paired bootstrap of
    pressdiff's F1 minus trafilatura's on the same resamples (mean, 95% interval, and the
    share of resamples in which pressdiff is better);
  - the token metric used before (multiset of lower-cased word tokens; macro and micro F1).
  Each figure is given for all 181 pages and for two fixed halves: "dev" (the pages whose id's
  SHA-1 begins with an even hex digit), on which every extraction rule was developed, and
  "test" (the others), held out from that work.
- ../shared/data/extraction/trafilatura: 24 news pages with snippets that must appear in the
  text ("with") and boilerplate that must not ("without"); the share of each that passes.
- time per page: both systems over all 205 pages, after a first untimed pass of both over all of
  them (the pass that gives the texts scored above: neither system then pays first-call costs the
  other already paid, such as imports, caches and the word lists of each language met), in
  ROUNDS rounds in which the two take turns page by page (so that both see the same machine);
  the median round's figures.

Usage: python bench/extraction.py [--shared ../shared] [--worst 10]
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
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pressdiff.archive.extract import extract  # noqa: E402

WORD = re.compile(r"\w+")
SHINGLE = 4
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


def shingles(text: str | None) -> Counter:
    """The benchmark's 4-gram shingles of a text's word tokens, as a multiset (a text shorter
    than four tokens is one shingle of what it has)."""
    toks = WORD.findall(text or "")
    return Counter(tuple(toks[i:i + SHINGLE]) for i in range(max(1, len(toks) - SHINGLE + 1)) if toks[i:i + SHINGLE])


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


def timed_rounds(runs: dict, pages: list) -> list[dict]:
    """ROUNDS timings of each system over all pages, {name: seconds}, the systems taking turns
    page by page (the first to go alternating), so that a busy moment of the machine costs both."""
    rounds = []
    for _ in range(ROUNDS):
        spent = dict.fromkeys(runs, 0.0)
        for i, (url, html) in enumerate(pages):
            for name in (list(runs) if i % 2 == 0 else list(runs)[::-1]):
                start = time.perf_counter()
                runs[name](html, url)
                spent[name] += time.perf_counter() - start
        rounds.append(spent)
    return rounds


def half(pid: str) -> str:
    """The fixed split: dev when the SHA-1 of the page id begins with an even hex digit."""
    return "dev" if int(hashlib.sha1(pid.encode()).hexdigest()[0], 16) % 2 == 0 else "test"


def systems():
    yield "pressdiff", lambda html, url: (lambda e: e.text if e else "")(extract(html, url=url))
    yield "trafilatura", lambda html, url: trafilatura.extract(html, url=url) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--worst", type=int, default=10, help="list pressdiff's N worst pages (benchmark F1)")
    args = parser.parse_args()
    base = args.shared / "data" / "extraction"
    gold = json.loads((base / "scrapinghub" / "ground-truth.json").read_text("utf-8"))
    pages = []
    for pid, g in sorted(gold.items()):
        html = gzip.decompress((base / "scrapinghub" / "html" / f"{pid}.html.gz").read_bytes())
        pages.append((pid, g.get("url"), html, g["articleBody"] or ""))
    snippets = json.loads((base / "trafilatura" / "evaldata-news-subset.json").read_text("utf-8"))
    snip_pages = [(url, (base / "trafilatura" / "html" / s["file"]).read_bytes(), s) for url, s in snippets.items()]
    halves = {name: [i for i, (pid, *_) in enumerate(pages) if half(pid) == name] for name in ("dev", "test")}
    print(f"extraction benchmark: {len(pages)} scrapinghub pages (dev half {len(halves['dev'])}, test half "
          f"{len(halves['test'])}), {len(snip_pages)} trafilatura pages ({sum(len(s['with']) for *_, s in snip_pages)} "
          f"must-have, {sum(len(s['without']) for *_, s in snip_pages)} must-not snippets)")
    results = {}
    for name, run in systems():  # the untimed pass
        texts = [run(html, url) for _, url, html, _ in pages]
        with_ok = without_ok = with_n = without_n = 0
        for url, html, s in snip_pages:
            text = " ".join(run(html, url).split())
            with_n += len(s["with"])
            without_n += len(s["without"])
            with_ok += sum(" ".join(x.split()) in text for x in s["with"])
            without_ok += sum(" ".join(x.split()) not in text for x in s["without"])
        tok = [prf(tokens(t), tokens(g)) for t, (*_, g) in zip(texts, pages)]
        hit, npred, ngold = (sum(x[i] for x in tok) for i in (3, 4, 5))
        micro_p, micro_r = hit / npred, hit / ngold
        results[name] = {"texts": texts, "with": with_ok / with_n, "without": without_ok / without_n,
                         "scores": [page_score(t, g) for t, (*_, g) in zip(texts, pages)],
                         "token_f1": sum(x[2] for x in tok) / len(tok),
                         "token_micro_f1": 2 * micro_p * micro_r / (micro_p + micro_r)}
    rounds = timed_rounds(dict(systems()), [(url, html) for _, url, html, _ in pages] + [(u, h) for u, h, _ in snip_pages])
    median = sorted(rounds, key=lambda r: r["pressdiff"] / r["trafilatura"])[len(rounds) // 2]
    for name, seconds in median.items():
        results[name]["ms"] = seconds / (len(pages) + len(snip_pages)) * 1000
    base_name = "trafilatura"
    print("\nthe benchmark's metric (4-gram shingles; macro P and R, F1 of the means; ± bootstrap sd):")
    print(f"{'system':<12} {'pages':<6} {'F1':>14} {'P':>6} {'R':>6} {'exact':>6}")
    for name, r in results.items():
        for label, idx in (("all", range(len(pages))), ("dev", halves["dev"]), ("test", halves["test"])):
            scores = [r["scores"][i] for i in idx]
            f1, p, rec, exact = summary(scores)
            sd, _ = bootstrap(scores)
            print(f"{name:<12} {label:<6} {f1:>7.3f} ± {sd:.3f} {p:>6.3f} {rec:>6.3f} {exact:>6.3f}")
    for label, idx in (("all", range(len(pages))), ("dev", halves["dev"]), ("test", halves["test"])):
        _, diffs = bootstrap([results["pressdiff"]["scores"][i] for i in idx],
                             [results[base_name]["scores"][i] for i in idx], seed=1)
        diffs.sort()
        print(f"paired bootstrap, pressdiff - {base_name} F1 ({label}): {statistics.mean(diffs):+.4f} "
              f"[95%: {diffs[int(0.025 * RESAMPLES)]:+.4f}, {diffs[int(0.975 * RESAMPLES) - 1]:+.4f}], "
              f"better in {sum(d > 0 for d in diffs) / RESAMPLES:.1%} of resamples")
    print("\nthe token metric (lower-cased word tokens), boilerplate snippets, time:")
    print(f"{'system':<12} {'F1':>6} {'microF1':>8} {'with ok':>8} {'without ok':>11} {'ms/page':>8}")
    for name, r in results.items():
        print(f"{name:<12} {r['token_f1']:>6.3f} {r['token_micro_f1']:>8.3f} {r['with']:>8.3f} {r['without']:>11.3f} "
              f"{r['ms']:>8.1f}")
    ratios = ", ".join(f"{r['pressdiff'] / r[base_name]:.2f}" for r in rounds)
    print(f"time per page: pressdiff {results['pressdiff']['ms'] / results[base_name]['ms']:.2f}x {base_name}'s "
          f"(the median of {ROUNDS} rounds, whose ratios were {ratios})")
    if args.worst:
        print(f"\npressdiff's {args.worst} worst pages (benchmark F1 of the page; P, R):")
        ranked = []
        for i, (pid, url, _, _) in enumerate(pages):
            p, r, _ = results["pressdiff"]["scores"][i]
            f = 2 * (p or 0) * (r or 0) / ((p or 0) + (r or 0)) if (p or 0) + (r or 0) else 0.0
            ranked.append((f, pid, url, p, r, half(pid)))
        for f, pid, url, p, r, h in sorted(ranked)[:args.worst]:
            print(f"  {f:.3f}  P {p if p is None else round(p, 3)}  R {r if r is None else round(r, 3)}  {h:<4} {pid}  {url}")


if __name__ == "__main__":
    main()
