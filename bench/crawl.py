"""Crawl throughput: `pressdiff crawl` (WARC + index + extraction) against a bare Scrapy spider.

Both fetch the same N article pages (~6 KB each) from a loopback site served by another process,
with the same concurrency and robots.txt handling; each is timed as a whole process (start-up
included) and its process tree's peak resident memory is sampled. Usage:

    python bench/crawl.py [--sizes 2000 10000] [--concurrency 16] [--latency 0.05]

With --latency 0 (the default) the loopback server answers at once and the run is CPU-bound on
this machine, where server, crawler and extraction workers share the cores: the worst case for
pressdiff. A latency of tens of milliseconds is what real outlets answer in.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PageServer, run_measured  # noqa: E402
from core.store import Store  # noqa: E402
from core.story import parse_story  # noqa: E402


def story_toml(urls: list[str], concurrency: int) -> str:
    lines = ['slug = "bench"', 'title = "Crawl benchmark"']
    for u in urls:
        lines += ["[[coverage]]", f'url = "{u}"']
    lines += ["[crawl]", "autothrottle = false", f"concurrency_per_domain = {concurrency}", "retries = 0"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the server waits before each answer")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawler per size; the best counts")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            # A fresh server for every run: a Python server that has served one crawl serves the
            # next one much slower (lingering keep-alive threads), which would favour the first.
            # Best of --repeat runs each, so a passing hiccup on the shared cores does not count.
            bare_s, pd_s, bare_rss, pd_rss = float("inf"), float("inf"), 0, 0
            for attempt in range(args.repeat):
                with PageServer(args.latency) as site:
                    urls = [f"{site.base}/p/{i}.html" for i in range(n)]
                    url_file = Path(tmp) / f"urls-{n}.txt"
                    url_file.write_text("\n".join(urls))
                    secs, rss, bare = run_measured([sys.executable, str(ROOT / "bench" / "bare_spider.py"),
                                                    str(url_file), str(args.concurrency)], env)
                assert bare.returncode == 0 and int(bare.stdout.split()[-1]) == n, bare.stderr[-500:]
                bare_s, bare_rss = min(bare_s, secs), max(bare_rss, rss)
                with PageServer(args.latency) as site:
                    urls = [f"{site.base}/p/{i}.html" for i in range(n)]
                    data = Path(tmp) / f"ws-{n}-{attempt}"
                    with Store(data) as store:
                        store.archive.save_story(parse_story(story_toml(urls, args.concurrency)))
                    secs, rss, pd = run_measured([sys.executable, "-m", "crawler.run", "--data", str(data),
                                                  "--story", "bench"], env)
                pd_s, pd_rss = min(pd_s, secs), max(pd_rss, rss)
            summary = json.loads(pd.stdout.strip().splitlines()[-1])
            assert pd.returncode == 0 and summary["new_versions"] == n, (summary, pd.stderr[-1000:])
            warc_mb = sum(f.stat().st_size for f in (data / "warc").glob("*.warc.gz")) / 1e6
            rows.append((n, n / bare_s, n / pd_s, (n / pd_s) / (n / bare_s), bare_rss / 1e6, pd_rss / 1e6, warc_mb))
    print(f"crawl benchmark: loopback article pages (~6 KB each), server latency {args.latency * 1000:.0f} ms, "
          f"concurrency {args.concurrency}, {os.cpu_count()} CPUs; whole-process wall time, start-up included, "
          f"best of {args.repeat}")
    print(f"{'pages':>7} {'bare p/s':>9} {'pressdiff p/s':>14} {'ratio':>6} {'bare MB':>8} {'pressdiff MB':>13} {'WARC MB':>8}")
    for n, b, p, r, bm, pm, wm in rows:
        print(f"{n:>7} {b:>9.1f} {p:>14.1f} {r:>6.2f} {bm:>8.0f} {pm:>13.0f} {wm:>8.1f}")
    if len(rows) > 1:
        print(f"peak memory growth {rows[0][0]} -> {rows[-1][0]} pages: "
              f"bare x{rows[-1][4] / rows[0][4]:.2f}, pressdiff x{rows[-1][5] / rows[0][5]:.2f}")


if __name__ == "__main__":
    main()
