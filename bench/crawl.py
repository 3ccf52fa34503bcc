"""Crawl cost per page: `pressdiff crawl` (WARC + index + extraction) against a bare Scrapy spider.

Both fetch the same N article pages (~6 KB each) from a loopback site served by another process,
with the same concurrency and robots.txt handling, in the same run; each is timed as a whole
process (start-up included), its CPU time counted over its whole process tree (pool processes
and forkserver included) and its peak resident memory sampled. Usage:

    python bench/crawl.py [--sizes 2000 10000 50000] [--latency 0 0.05] [--concurrency 16] [--repeat 1]

With latency 0 the loopback server answers at once and the run is CPU-bound on this machine,
where server, crawler and extraction workers share the cores: the worst case for pressdiff. A
latency of tens of milliseconds is what real outlets answer in. Printed per row: pages per
second, pressdiff's ratio to bare Scrapy, wall milliseconds per page and each size's against
the smallest size's (how the cost grows with the archive), and CPU milliseconds per page of
each process tree (the loopback server's not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PageServer, run_measured, story_toml  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.core.story import parse_story  # noqa: E402


def bare(n: int, latency: float, concurrency: int, tmp: Path, env: dict):
    # A fresh server for every run: a Python server that has served one crawl serves the next one
    # much slower (lingering keep-alive threads), which would favour the first.
    with PageServer(latency) as site:
        url_file = tmp / f"urls-{n}.txt"
        url_file.write_text("\n".join(f"{site.base}/p/{i}.html" for i in range(n)))
        m = run_measured([sys.executable, str(ROOT / "bench" / "bare_spider.py"), str(url_file), str(concurrency)], env)
    assert m.proc.returncode == 0 and int(m.proc.stdout.split()[-1]) == n, m.proc.stderr[-500:]
    return m


def pressdiff(n: int, latency: float, concurrency: int, data: Path, env: dict):
    with PageServer(latency) as site:
        with Store(data) as store:
            urls = [f"{site.base}/p/{i}.html" for i in range(n)]
            toml = story_toml("Crawl benchmark", urls, concurrency_per_domain=concurrency)
            store.articles.save_story(parse_story(toml))
        m = run_measured([sys.executable, "-m", "pressdiff.crawler.run", "--data", str(data), "--story", "bench"], env)
    summary = json.loads(m.proc.stdout.strip().splitlines()[-1])
    assert m.proc.returncode == 0 and summary["new_versions"] == n, (summary, m.proc.stderr[-1000:])
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 50000])
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.05],
                        help="seconds the server waits before each answer (one row per latency and size)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each crawler per row; the fastest counts")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    print(f"crawl benchmark: loopback article pages (~6 KB each), concurrency {args.concurrency}, "
          f"{os.cpu_count()} CPUs; whole-process wall time and CPU of the process tree, start-up included, "
          f"fastest of {args.repeat}")
    print(f"{'latency':>7} {'pages':>7} {'bare p/s':>9} {'pressdiff p/s':>14} {'ratio':>6} {'bare ms/p':>10} "
          f"{'pd ms/p':>8} {'x smallest':>11} {'bare CPU':>9} {'pd CPU':>7} {'pd MB':>6} {'WARC MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for latency in args.latency:
            first = None
            for n in args.sizes:
                b = min((bare(n, latency, args.concurrency, tmp, env) for _ in range(args.repeat)),
                        key=lambda m: m.seconds)
                runs = []
                for attempt in range(args.repeat):
                    data = tmp / f"ws-{latency}-{n}-{attempt}"
                    runs.append((pressdiff(n, latency, args.concurrency, data, env), data))
                p, data = min(runs, key=lambda r: r[0].seconds)
                warc_mb = sum(f.stat().st_size for f in (data / "warc").glob("*.warc.gz")) / 1e6
                per_page = p.seconds / n * 1000
                first = first or per_page
                print(f"{latency * 1000:>5.0f}ms {n:>7} {n / b.seconds:>9.1f} {n / p.seconds:>14.1f} "
                      f"{b.seconds / p.seconds:>6.2f} {b.seconds / n * 1000:>10.2f} {per_page:>8.2f} "
                      f"{per_page / first:>11.2f} {b.cpu / n * 1000:>9.2f} {p.cpu / n * 1000:>7.2f} "
                      f"{p.peak_rss / 1e6:>6.0f} {warc_mb:>8.1f}", flush=True)
                shutil.rmtree(data.parent / data.name, ignore_errors=True)


if __name__ == "__main__":
    main()
