"""Compare at scale: `pressdiff compare` as stages on generated corpora, in this process and on a
local Dask cluster of 1 and 2 workers, against today's single-process compare (compare_story, the
whole story in memory) in the same run.

The corpora are bench/align.py's (a Zipf vocabulary; utterances carried by later articles with
known changes), imported into a workspace. Each compare runs as its own command; its process
tree (scheduler and workers included) is sampled from /proc for peak resident memory (the sum
over its processes) and CPU. Recall per change is read from the stored findings. Usage:

    python bench/compare_scale.py [--sizes 10000 100000] [--workers 0 1 2] [--baseline-upto 10000]
                                  [--partition 2000] [--keep DIR]

Prints a table per size: wall seconds, articles per second, peak RSS of all processes, CPU
seconds (all processes, and the command's own: export, the ordered pass, the document), and
recall overall and per change; then the ratios the issue asks for (2 workers
against 1, cost per article at the largest size against the smallest, recall against the
baseline) and the per-stage seconds of each run (its progress lines).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import run_measured  # noqa: E402
from bench.align import CHANGES, RERENDERED, generate, recall_of_spans  # noqa: E402
from pressdiff.core.store.db import DB_NAME  # noqa: E402

SLUG = "gen"
PRESSDIFF = [sys.executable, "-m", "pressdiff"]
BASELINE = """
import sys
from pressdiff.compare.comparison import compare_story
from pressdiff.core.store import Store
from pressdiff.scale.plan import store_comparison
with Store(sys.argv[1]) as store:
    store_comparison(store, compare_story("gen", store.articles.articles("gen")))
"""


def build(data: Path, n: int) -> Path:
    """A workspace of n generated articles; their carriages (for recall) in carriages.json."""
    from pressdiff.core.store import Store
    from pressdiff.core.story import parse_story

    articles, carriages = generate(n)
    with Store(data) as store:
        store.articles.save_story(parse_story(f'slug = "{SLUG}"\ntitle = "Generated, {n} articles"\n'))
        with store.transaction():
            for a in articles:
                store.articles.save_article(SLUG, a.url, a.text, outlet=a.outlet, published=a.published,
                                           title=f"Article {a.id}", ingested_by="import")
        keys = {a.url: a.id for a in store.articles.article_meta(SLUG)}
    # carriages name bench ids (a17); the archive keys articles by URL
    by_id = {a.id: keys[a.url] for a in articles}
    out = data / "carriages.json"
    out.write_text(json.dumps([(by_id[art], *rest) for art, *rest in carriages]), "utf-8")
    return out


def recall(data: Path, carriages: Path) -> dict[str, float]:
    """bench/align.py's recall, from the stored variants: the share of later carriages that land
    in a cluster with their source's origin carriage, overall and per change."""
    with sqlite3.connect(data / DB_NAME) as db:
        variants = db.execute("SELECT article, start, end, cluster FROM variant WHERE story = ?", (SLUG,)).fetchall()
    return recall_of_spans(variants, json.loads(carriages.read_text("utf-8")))


STAGE = re.compile(r"compare: (?P<stage>[a-z: ]+) \[(?P<done>\d+)/(?P<total>\d+)\] (?P<s>[\d.]+) s")


def stages(stderr: str) -> dict[str, float]:
    """Each stage's seconds (from its last progress line)."""
    return {m["stage"]: float(m["s"]) for m in STAGE.finditer(stderr)}


def run(data: Path, label: str, cmd: list[str], document: Path) -> dict:
    m = run_measured(cmd, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    if m.proc.returncode != 0:
        sys.exit(f"{label} failed:\n{m.proc.stderr.decode()[-3000:]}")
    size = document.stat().st_size
    digest = __import__("hashlib").sha256(document.read_bytes()).hexdigest()[:16]
    return {"label": label, "seconds": m.seconds, "peak_rss": m.peak_rss, "cpu": m.cpu, "own_cpu": m.own_cpu,
            "digest": digest,
            "bytes": size, "stages": stages(m.proc.stderr.decode())}


def measure(n: int, workers: list[int], partition: int, baseline: bool, keep: Path | None) -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix=f"compare-scale-{n}-", dir=keep))
    data = tmp / "data"
    start = time.monotonic()
    carriages = build(data, n)
    print(f"  {n} articles generated and imported in {time.monotonic() - start:.0f} s", flush=True)
    document = data / "comparisons" / f"{SLUG}.json"
    results = []
    runs = [("today (compare_story)", [sys.executable, "-c", BASELINE, str(data)])] if baseline else []
    runs += [("stages, this process" if w == 0 else f"stages, {w} worker{'s' if w > 1 else ''}",
              [*PRESSDIFF, "compare", SLUG, "--data", str(data), "--workers", str(w), "--partition", str(partition)])
             for w in workers]
    try:
        for label, cmd in runs:
            r = run(data, label, cmd, document)
            r["recall"] = recall(data, carriages)
            results.append(r)
            print(f"  {r['label']}: {r['seconds']:.1f} s", flush=True)
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def table(n: int, results: list[dict]) -> None:
    changes = ["all", *CHANGES[1:], *RERENDERED]
    print(f"\n{n} articles")
    print(f"{'run':<24}{'wall s':>8}{'art/s':>8}{'peak MB':>9}{'CPU s':>8}{'cmd CPU':>8}  {'JSON':<17}" +
          "".join(f"{c[:6]:>7}" for c in changes))
    for r in results:
        print(f"{r['label']:<24}{r['seconds']:>8.1f}{n / r['seconds']:>8.0f}{r['peak_rss'] / 2**20:>9.0f}"
              f"{r['cpu']:>8.1f}{r['own_cpu']:>8.1f}  {r['digest']:<17}" + "".join(f"{r['recall'].get(c, 0):>7.3f}" for c in changes))
    for r in results:
        if r["stages"]:
            print(f"  {r['label']}: " + ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1, 2],
                        help="0: the stages in the command's process; N: a local Dask cluster of N workers")
    parser.add_argument("--baseline-upto", type=int, default=10000,
                        help="run today's single-process compare up to this size (it holds the whole story)")
    parser.add_argument("--partition", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="keep the workspaces under this folder")
    args = parser.parse_args()
    print(f"compare at scale: generated corpora (bench/align.py), partitions of {args.partition} articles; "
          f"{os.cpu_count()} cores")
    everything = {}
    for n in args.sizes:
        everything[n] = measure(n, args.workers, args.partition, n <= args.baseline_upto, args.keep)
        table(n, everything[n])
    print("\nratios")
    for n, results in everything.items():
        by = {r["label"]: r for r in results}
        one, two = by.get("stages, 1 worker"), by.get("stages, 2 workers")
        if one and two:
            print(f"  {n}: 2 workers against 1: {one['seconds'] / two['seconds']:.2f}x faster")
        base = by.get("today (compare_story)")
        if base:
            for r in results:
                if r is not base:
                    worst = max(abs(r["recall"].get(c, 0) - v) for c, v in base["recall"].items())
                    same = "identical JSON" if r["digest"] == base["digest"] else "JSON differs"
                    print(f"  {n}: {r['label']}: {same}; largest recall difference {worst:.4f}; "
                          f"time {base['seconds'] / r['seconds']:.2f}x, peak memory "
                          f"{r['peak_rss'] / base['peak_rss']:.2f}x of today's")
    sizes = sorted(everything)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for label in {r["label"] for r in everything[large]}:
            a = next((r for r in everything[small] if r["label"] == label), None)
            b = next(r for r in everything[large] if r["label"] == label)
            if a:
                print(f"  {label}: cost per article at {large} is {(b['seconds'] / large) / (a['seconds'] / small):.2f}x "
                      f"its cost at {small}")


if __name__ == "__main__":
    main()
