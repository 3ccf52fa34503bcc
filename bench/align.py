"""Alignment at scale: `compare` (quotes, credits, clusters, drift, article pairs) on generated corpora.

Each source utterance (two or three clauses, one with a British spelling) is first printed,
quoted and verbatim, by its origin article; one to three later articles carry it with a known
change among sentences of their own. The changes: elided, truncated, substituted, inserted
bracket, re-cased, unquoted; and re-rendered: one clause of it (clause), five words of it
(fragment), two words replaced (synonyms), American spelling (spelling), clauses in another
order (reordered). Words come from a 20,000-word vocabulary with Zipf frequencies. Recall: the
share of later carriages that land in a cluster with their source's origin, overall and per
change. Brute force (every cluster verified for every unit, no index) gives the baseline where
it can run. Each size runs in its own process, so peak memory is that run's alone. Usage:

    python bench/align.py [--sizes 1000 10000 50000] [--brute 300 1000] [--precision]

--precision adds the precision of links on real text: hand-labelled links of the PolNeAR
comparison (bench/links.py, bench/labels/polnear_links.jsonl).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breame.spelling import BRITISH_ENGLISH_SPELLINGS  # noqa: E402

from bench._common import vocabulary  # noqa: E402
from pressdiff.core.records import Article  # noqa: E402

CHANGES = ("verbatim", "elided", "truncated", "substituted", "inserted", "normalized", "unquoted")
RERENDERED = ("clause", "fragment", "synonyms", "spelling", "reordered")
BRITISH = sorted(w for w in BRITISH_ENGLISH_SPELLINGS if w.isalpha() and w.islower() and len(w) > 5)


def generate(n: int, seed: int = 1):
    """(articles, carriages): carriages are (article id, source id, start, end, change, is_origin)."""
    rnd = random.Random(seed)
    words, weights = vocabulary(rnd, 20000)
    sent = lambda k: " ".join(rnd.choices(words, weights, k=k))  # noqa: E731
    clauses = []
    for _ in range(n * 2):
        parts = [sent(rnd.randint(6, 10)).split() for _ in range(rnd.choice((2, 2, 3)))]
        part = rnd.choice(parts)
        part.insert(rnd.randrange(1, len(part)), rnd.choice(BRITISH))
        clauses.append([" ".join(p) for p in parts])
    sources = [", ".join(c) for c in clauses]
    day = lambda i: f"2026-{1 + i * 12 // n:02d}-{1 + i % 28:02d}"  # noqa: E731
    plans: dict[int, list[tuple[int, str]]] = {i: [] for i in range(n)}
    for s in range(len(sources)):
        origin = rnd.randrange(n)
        plans[origin].append((s, "origin"))
        for _ in range(rnd.randint(0, 3)):
            later = rnd.randrange(origin, n) if origin < n - 1 else origin
            if later != origin:
                plans[later].append((s, rnd.choice(CHANGES + RERENDERED)))
    articles, carriages = [], []
    for i in range(n):
        parts, spans = [], []
        pos = 0
        items = plans[i] + [(None, "own")] * rnd.randint(4, 8)
        rnd.shuffle(items)
        for s, change in items:
            if s is None:
                parts.append(sent(rnd.randint(10, 20)).capitalize() + ".")
                pos += len(parts[-1]) + 2
                continue
            ws = sources[s].split()
            if change == "elided":
                del ws[len(ws) // 2: len(ws) // 2 + 2]
            elif change == "truncated":
                ws = ws[3:]
            elif change == "substituted":
                ws[len(ws) // 3] = rnd.choice(words)
            elif change == "inserted":
                ws.insert(len(ws) // 2, "[" + " ".join(rnd.choices(words, k=2)) + "]")
            elif change == "normalized":
                ws[0] = ws[0].upper()
            elif change == "clause":
                ws = rnd.choice(clauses[s]).split()
            elif change == "fragment":
                mid = rnd.randrange(2, max(3, len(ws) - 7))
                ws = ws[mid:mid + 5]
            elif change == "synonyms":
                for k in (len(ws) // 4, 3 * len(ws) // 4):
                    ws[k] = rnd.choice(words) + ("," if ws[k].endswith(",") else "")
            elif change == "spelling":
                ws = [BRITISH_ENGLISH_SPELLINGS[w] if w in BRITISH_ENGLISH_SPELLINGS else w for w in ws]
            elif change == "reordered":
                ws = ", ".join(reversed(clauses[s])).split()
            quoted = change != "unquoted"
            lead = sent(4).capitalize()
            body = " ".join(ws)
            text = f'{lead} said: "{body}."' if quoted else f"{lead} said that {body}."
            start = pos + text.index(body)
            spans.append((f"a{i}", s, start, start + len(body), change, change == "origin"))
            parts.append(text)
            pos += len(text) + 2
        articles.append(Article(id=f"a{i}", url=f"https://outlet{i % 300}.example/{i}", text="\n\n".join(parts),
                                outlet=f"Outlet {i % 300}", published=day(i)))
        carriages += spans
    return articles, carriages


def recall(comparison, carriages) -> dict[str, float]:
    """Share of later carriages in a cluster with (part of) their source's origin carriage:
    overall ("all") and per change."""
    return recall_of_spans(((v.article, v.start, v.end, c.id) for c in comparison.clusters for v in c.variants),
                           carriages)


def recall_of_spans(variants, carriages) -> dict[str, float]:
    """recall() from (article, start, end, cluster) of every variant (a comparison's, or stored ones)."""
    by_article: dict[str, list] = {}
    for article, start, end, cluster in variants:
        by_article.setdefault(article, []).append((start, end, cluster))

    def clusters_of(article, start, end) -> set[str]:
        return {cid for s, e, cid in by_article.get(article, ()) if s < end and start < e}

    origin = {src: clusters_of(art, start, end) for art, src, start, end, _, is_origin in carriages if is_origin}
    hits: dict[str, list[bool]] = {}
    for art, src, start, end, change, is_origin in carriages:
        if not is_origin:
            hit = bool(origin.get(src, set()) & clusters_of(art, start, end))
            hits.setdefault(change, []).append(hit)
            hits.setdefault("all", []).append(hit)
    return {change: sum(h) / len(h) for change, h in hits.items()}


def run_one(n: int, brute: bool) -> dict:
    from pressdiff.compare.comparison import compare_story

    articles, carriages = generate(n)
    start = time.monotonic()
    comparison = compare_story("bench", articles, brute=brute)
    secs = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rec = recall(comparison, carriages)
    return {"n": n, "brute": brute, "seconds": secs, "peak_mb": peak / 1e6, "recall": rec["all"], "classes": rec,
            "clusters": len(comparison.clusters), "variants": sum(len(c.variants) for c in comparison.clusters),
            "carriages": sum(1 for c in carriages if not c[5])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--brute", type=int, nargs="*", default=[300, 1000], help="sizes to also run brute force on")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--precision", action="store_true",
                        help="also report precision on the hand-labelled PolNeAR links (bench/links.py, ../shared)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1] == "brute")))
        return
    rows = []
    for n in sorted(set(args.sizes) | set(args.brute)):
        for mode in (["indexed", "brute"] if n in args.brute else ["indexed"]):
            proc = subprocess.run([sys.executable, __file__, "--one", str(n), mode], capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
                raise SystemExit(1)
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print("alignment benchmark: compare_story on generated corpora (Zipf vocabulary; known changes); one process per run")
    print(f"{'articles':>8} {'mode':>8} {'seconds':>8} {'peak MB':>8} {'clusters':>9} {'carriages':>9} {'recall':>7} {'vs brute':>8}")
    brute = {r["n"]: r["recall"] for r in rows if r["brute"]}
    for r in rows:
        vs = f"{r['recall'] / brute[r['n']]:.3f}" if not r["brute"] and r["n"] in brute and brute[r["n"]] else ""
        print(f"{r['n']:>8} {'brute' if r['brute'] else 'indexed':>8} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} "
              f"{r['clusters']:>9} {r['carriages']:>9} {r['recall']:>7.3f} {vs:>8}")
    print("recall per change (re-rendered below the line):")
    print(f"{'change':>12} " + " ".join(f"{('brute ' if r['brute'] else '') + str(r['n']):>11}" for r in rows))
    for change in CHANGES + RERENDERED:
        if change == RERENDERED[0]:
            print(" " * 12 + "-" * (12 * len(rows)))
        print(f"{change:>12} " + " ".join(f"{r['classes'].get(change, float('nan')):>11.3f}" for r in rows))
    idx = [r for r in rows if not r["brute"]]
    if len(idx) > 1:
        a, b = idx[0], idx[-1]
        print(f"growth {a['n']} -> {b['n']} articles (x{b['n'] / a['n']:.0f}): time x{b['seconds'] / a['seconds']:.1f}")
    if args.precision:
        from bench import links

        r = links.precision(links.polnear_articles(args.shared))
        print(f"precision on real text: {r['links']} cross-article links in the PolNeAR comparison (924 articles); "
              f"of a seeded sample of {r['sample']}, {r['labelled']} are labelled by hand, {r['same']} one utterance: "
              + (f"precision {r['precision']:.3f}" if r["precision"] is not None else "no labels")
              + (f"; {len(r['unlabelled'])} unlabelled (bench/links.py sample)" if r["unlabelled"] else ""))


if __name__ == "__main__":
    main()
