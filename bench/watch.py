"""A watch's second pass over unchanged pages, against the first crawl of them, in the same run.

N article pages (~6 KB each) are served from a loopback site in another process that sends
validators (ETag, Last-Modified) and answers a matching If-None-Match with 304, as news sites'
servers and CDNs do. The first pass is `pressdiff crawl` (every page fetched, archived, extracted);
the second is `pressdiff watch STORY --once --no-site` over the same, unchanged, pages. Each is
timed as a whole command (start-up included). Printed: each pass's wall seconds, CPU seconds of
its process tree and the bytes of the WARC files it wrote, and the second's ratios to the first;
and the floor of any pass that asks every page again: a bare Scrapy spider fetching the same
URLs and discarding the answers (bench/bare_spider.py), timed the same way.

Pages come in two sizes: the bench's usual ~4 KB article page, and the same page with furniture
(menus, tracking links) to ~113 KB, compressing 4.6:1, the size of real news pages (the 181
pages of the ScrapingHub benchmark in ../shared: median 115 KB of HTML, 4.7:1 under gzip).
Goal (issue #24): a second pass in at most 0.3 of the first's time and 1% of its WARC bytes.

    python bench/watch.py [--pages 1000] [--latency 0 0.05] [--extra-bytes 0 109000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PageServer, article_page, run_measured, story_toml  # noqa: E402


def warc_bytes(data: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in (data / "warc").glob("*.warc.gz")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.05])
    parser.add_argument("--extra-bytes", type=int, nargs="+", default=[0, 109000],
                        help="furniture added to each page (one row per size and latency)")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    print(f"watch benchmark: {args.pages} loopback article pages, concurrency {args.concurrency}, "
          f"{os.cpu_count()} CPUs; whole commands, start-up included")
    print(f"{'latency':>7} {'page KB':>7} {'crawl s':>8} {'watch s':>8} {'time ratio':>10} {'bare s':>7} "
          f"{'bare ratio':>10} {'crawl CPU':>9} {'watch CPU':>9} {'crawl WARC':>12} {'watch WARC':>11} "
          f"{'bytes ratio':>11} {'304s':>6}")
    for latency, extra in ((la, x) for x in args.extra_bytes for la in args.latency):
        with tempfile.TemporaryDirectory() as tmp, PageServer(latency, extra_bytes=extra) as site:
            data = Path(tmp) / "ws"
            story = Path(tmp) / "bench.toml"
            urls = [f"{site.base}/p/{i}.html" for i in range(args.pages)]
            story.write_text(story_toml("Crawl benchmark", urls, concurrency_per_domain=args.concurrency))
            urls = Path(tmp) / "urls.txt"
            urls.write_text("\n".join(f"{site.base}/p/{i}.html" for i in range(args.pages)))
            bare = run_measured([sys.executable, str(ROOT / "bench" / "bare_spider.py"), str(urls),
                                 str(args.concurrency)], env)
            assert bare.proc.returncode == 0, bare.proc.stderr[-1000:]
            pd = [sys.executable, "-m", "pressdiff"]
            first = run_measured([*pd, "crawl", str(story), "--data", str(data)], env)
            assert first.proc.returncode == 0, first.proc.stderr[-1000:]
            before = warc_bytes(data)
            second = run_measured([*pd, "watch", "bench", "--once", "--no-site", "--data", str(data)], env)
            assert second.proc.returncode == 0, second.proc.stderr[-1000:]
            out = second.proc.stdout.decode()
            after = warc_bytes(data)
            first_bytes = sum(before.values())
            second_bytes = sum(n - before.get(name, 0) for name, n in after.items())
            not_modified = int(out.split(" not modified")[0].rsplit(" ", 1)[1]) if " not modified" in out else 0
            assert "0 new versions" in out, out
            size = len(article_page(0, extra)) / 1000
            print(f"{latency * 1000:>5.0f}ms {size:>7.0f} {first.seconds:>8.2f} {second.seconds:>8.2f} "
                  f"{second.seconds / first.seconds:>10.3f} {bare.seconds:>7.2f} {second.seconds / bare.seconds:>10.2f} "
                  f"{first.cpu:>9.2f} {second.cpu:>9.2f} {first_bytes:>12,} {second_bytes:>11,} "
                  f"{second_bytes / first_bytes:>11.4f} {not_modified:>6}", flush=True)


if __name__ == "__main__":
    main()
