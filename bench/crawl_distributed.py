"""Distributed crawl throughput: 1, 2 and 4 workers through Redis, against slow loopback outlets.

Each run crawls the same N article pages (~6 KB each) spread over D "outlets", each its own
server process on its own loopback address (127.0.0.2, 127.0.0.3, ...), answering after a
fixed latency, as real outlets far away do. The coordinator (`python -m pressdiff.crawler.distributed.coordinator
--workers W`) starts W local workers; everything is real: redis-server, Scrapy, WARC files,
SQLite, extraction. Politeness holds across workers (concurrency_per_domain per outlet in
all), and each worker makes at most --concurrency requests at once, as one machine would:
the crawl is network-bound, so more workers should mean more pages per second. Usage:

    python bench/crawl_distributed.py [--pages 2000] [--outlets 8] [--latency 0.05] [--concurrency 2]

Printed: pages per second over the whole run (start-up included) and over the fetching itself
(first to last capture), each with its ratio to one worker in the same run; the coordinator's
own CPU per capture (its process alone: reading events, writing the index, ending leases), and
from it how many workers of this speed one coordinator can index for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PageServer, run_measured, story_toml  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.core.story import parse_story  # noqa: E402
from tests.loopback import RedisServer  # noqa: E402


def fetch_span(data: Path) -> float:
    db = sqlite3.connect(data / "pressdiff.db")
    first, last = db.execute("SELECT MIN(fetched_at), MAX(fetched_at) FROM capture").fetchone()
    return (dt.datetime.fromisoformat(last) - dt.datetime.fromisoformat(first)).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--outlets", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=2, help="requests at once per worker")
    parser.add_argument("--per-domain", type=int, default=4, help="requests at once per outlet, all workers")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        redis = stack.enter_context(RedisServer(Path(tmp) / "redis"))
        sites = [stack.enter_context(PageServer(args.latency, host=f"127.0.0.{2 + k}")) for k in range(args.outlets)]
        urls = [f"{sites[i % args.outlets].base}/p/{i}.html" for i in range(args.pages)]
        for workers in args.workers:
            data = Path(tmp) / f"ws-{workers}"
            with Store(data) as store:
                toml = story_toml("Distributed crawl benchmark", urls, concurrency=args.concurrency,
                                  concurrency_per_domain=args.per_domain)
                store.articles.save_story(parse_story(toml))
            m = run_measured([sys.executable, "-m", "pressdiff.crawler.distributed.coordinator", "--data", str(data),
                              "--story", "bench", "--redis", redis.url, "--workers", str(workers)], env)
            assert m.proc.returncode == 0, m.proc.stderr.decode()[-2000:]
            summary = json.loads(m.proc.stdout.decode().strip().splitlines()[-1])
            assert summary["pages"] == args.pages, summary
            rows.append((workers, args.pages / m.seconds, args.pages / fetch_span(data), m.peak_rss / 1e6,
                         m.own_cpu / args.pages * 1000))
    base_wall, base_fetch = rows[0][1], rows[0][2]
    print(f"distributed crawl benchmark: {args.pages} loopback article pages (~6 KB) on {args.outlets} outlets, "
          f"latency {args.latency * 1000:.0f} ms, {args.concurrency} requests at once per worker, "
          f"{args.per_domain} per outlet across workers, {os.cpu_count()} CPUs; redis-server on loopback")
    print(f"{'workers':>7} {'pages/s (wall)':>15} {'ratio':>6} {'pages/s (fetching)':>19} {'ratio':>6} {'peak MB':>8} "
          f"{'coordinator CPU ms/capture':>27}")
    for workers, wall, fetch, mb, coord in rows:
        print(f"{workers:>7} {wall:>15.1f} {wall / base_wall:>6.2f} {fetch:>19.1f} {fetch / base_fetch:>6.2f} {mb:>8.0f} "
              f"{coord:>27.2f}")
    coord = max(r[4] for r in rows)
    print(f"one coordinator records at most ~{1000 / coord:.0f} captures/s (its CPU per capture, at most "
          f"{coord:.2f} ms); at the fetching rate of one worker here ({rows[0][2]:.1f} pages/s) it can index for "
          f"about {1000 / coord / rows[0][2]:.0f} workers before it limits the crawl")


if __name__ == "__main__":
    main()
