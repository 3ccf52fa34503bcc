"""Where a crawl's time goes per page: the reactor process (profiled), the pool's work, the end.

    python bench/crawl_profile.py [--pages 10000]

1. The reactor process of `python -m pressdiff.crawler.run` crawls N loopback pages (~6 KB, no latency)
   under cProfile; its time is split into start-up, Scrapy's own work (downloading, the
   engine, the spider), the pipeline's steps (revisit lookup, handing pages to the pool, WARC
   append, recording the capture in the index) and the end of the crawl (CDXJ index, summary).
   cProfile slows Python code down, so the shares count more than the milliseconds.
2. The pool's work per page, timed without a profiler on 300 of the same pages in this
   process: WARC serialisation, the CDXJ lines, extraction, and the pickling of what crosses
   to and from the pool.
"""

from __future__ import annotations

import argparse
import os
import pickle
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PageServer, article_page, story_toml  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.core.story import parse_story  # noqa: E402

# (label, file suffix, function name) whose cumulative time makes a row; rows below a parent
# are part of it.
REACTOR = [
    ("whole process", "crawler/run.py", "main"),
    ("  start-up: store, run, settings", "crawler/run.py", "main"),  # main minus the rest, computed
    ("  reactor: Scrapy and the pipeline", "twisted/internet/asyncioreactor.py", "run"),
    ("    pipeline: every step of a page", "crawler/pipelines.py", "process_item"),
    ("      revisit lookup (SQLite)", "core/store/articles.py", "payload_response"),
    ("      WARC append", "archive/warc.py", "append"),
    ("      capture and version into the index", "archive/capture.py", "record"),
    ("    spider: parse_page", "crawler/spiders/coverage.py", "parse_page"),
    ("  end: CDXJ index of the run's files", "archive/cdxj.py", "update_index"),
    ("  end: run finished, summary", "core/store/runs.py", "finish_run"),
]


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> tuple[float, int]:
    total, calls = 0.0, 0
    for (path, _line, fn), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if fn == name and path.endswith(suffix):
            total, calls = total + ct, calls + nc
    return total, calls


def profile_reactor(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, PageServer(0.0) as site:
        data, out = Path(tmp) / "ws", Path(tmp) / "crawl.prof"
        with Store(data) as store:
            urls = [f"{site.base}/p/{i}.html" for i in range(n)]
            store.articles.save_story(parse_story(story_toml("Crawl benchmark", urls, concurrency_per_domain=16)))
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "pressdiff.crawler.run", "--data",
                               str(data), "--story", "bench"], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                              capture_output=True, text=True)
        wall = time.monotonic() - started
        assert proc.returncode == 0, proc.stderr[-1000:]
        stats = pstats.Stats(str(out))
    rows = {label: cumulative(stats, suffix, name) for label, suffix, name in REACTOR}
    whole = rows["whole process"][0]
    rest = whole - sum(rows[label][0] for label in rows if label.startswith("  ") and not label.startswith("    ")
                       and "start-up" not in label)
    rows["  start-up: store, run, settings"] = (rest, 1)
    print(f"reactor process of a {n}-page crawl under cProfile: {wall:.1f} s wall")
    print(f"{'':<44} {'s':>7} {'share':>6} {'ms/page':>8}")
    for label, _, _ in REACTOR:
        secs, _calls = rows[label]
        print(f"{label:<44} {secs:>7.2f} {secs / whole:>6.1%} {secs / n * 1000:>8.3f}")


def profile_pool(samples: int = 300) -> None:
    from pressdiff.archive.capture import extract_page
    from pressdiff.archive.cdxj import exchange_lines
    from pressdiff.archive.warc import serialize_exchange

    exchanges = [{"url": f"http://127.0.0.1:9/p/{i}.html", "method": "GET", "request_headers": [("Accept", "*/*")],
                  "status": 200, "response_headers": [("Content-Type", "text/html; charset=utf-8")],
                  "body": article_page(i), "fetched_at": "2026-03-02T10:00:00.000000+00:00",
                  "metadata": {"story": "bench", "run": 1, "found_by": "seed"}} for i in range(samples)]
    extract_page(exchanges[0]["body"], "text/html; charset=utf-8", exchanges[0]["url"])  # imports, caches
    steps = {}

    def timed(label, fn):
        started = time.perf_counter()
        results = [fn(e) for e in exchanges]
        steps[label] = (time.perf_counter() - started) / samples * 1000
        return results

    timed("pickle the page to the pool", lambda e: pickle.loads(pickle.dumps(e)))
    blobs = timed("WARC records (warcio, gzip)", lambda e: serialize_exchange(**e))
    by_url = {e["url"]: b for e, b in zip(exchanges, blobs)}
    timed("CDXJ lines (cdxj-indexer)", lambda e: exchange_lines(by_url[e["url"]].data))
    pages = timed("extraction (trafilatura)", lambda e: extract_page(e["body"], "text/html; charset=utf-8", e["url"]))
    by_page = {e["url"]: p for e, p in zip(exchanges, pages)}
    timed("pickle the result back", lambda e: pickle.loads(pickle.dumps((by_url[e["url"]], by_page[e["url"]]))))
    print(f"\npool work per page ({samples} pages, no profiler; {min(4, os.cpu_count() or 1)} pool processes "
          "share it)")
    for label, ms in steps.items():
        print(f"  {label:<42} {ms:>8.3f} ms")
    print(f"  {'all':<42} {sum(steps.values()):>8.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    args = parser.parse_args()
    profile_reactor(args.pages)
    profile_pool()


if __name__ == "__main__":
    main()
