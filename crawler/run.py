"""Run one crawl in this process: `python -m pressdiff.crawler.run --data DIR --story SLUG`.

pressdiff starts every crawl in a child process, because Twisted's reactor cannot be
restarted: a demo or a test suite crawls several times in one run. An interrupted run
(Ctrl-C, kill -9, power loss) is resumed by the next crawl of the same story: its WARC
files are repaired, captures they hold but the index lacks are indexed, and only the
pages still pending are fetched.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from pressdiff.archive.cdxj import update_index
from pressdiff.archive.replay import recover
from pressdiff.core.errors import PressdiffError
from pressdiff.core.processes import watch_parent
from pressdiff.core.records import CrawlSummary
from pressdiff.core.store import Store

from .config import crawl_settings
from .spiders.coverage import CoverageSpider


def log_to_terminal() -> None:
    """pressdiff's own loggers (progress, the spider's warnings) as "pressdiff: …" lines on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pressdiff: %(message)s"))
    log = logging.getLogger("pressdiff")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # Scrapy's own log stays at its LOG_LEVEL


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pressdiff.crawler.run")
    parser.add_argument("--data", required=True)
    parser.add_argument("--story", required=True, help="slug of a story saved in the workspace")
    parser.add_argument("--parent", type=int, help="process id of the pressdiff command: stop when it is gone")
    parser.add_argument("--watch", action="store_true", help="a watch's pass: every article the story has crawled "
                        "is fetched again, with conditional requests")
    args = parser.parse_args(argv)
    if args.parent:
        watch_parent(args.parent)
    data = Path(args.data)
    try:
        with Store(data) as store:
            story = store.articles.get_story(args.story)
            if story is None:
                print(f"pressdiff: error: no story '{args.story}' in {data}", file=sys.stderr)
                return 2
            run, resumed = store.runs.start_run(story.slug, os.getpid())
            if args.watch:  # a resumed pass has them planned already; adding them again is a no-op
                with store.transaction():
                    for url, outlet in store.articles.crawled_articles(story.slug):
                        store.runs.frontier_add(run, url, "seed", outlet=outlet)
            if resumed:
                found = recover(store, story, run, data)
                counts = store.runs.frontier_counts(run)
                print(f"pressdiff: resuming interrupted crawl run {run}: {sum(counts.values()) - counts.get('pending', 0)} "
                      f"pages already done ({found.get('pages', 0)} recovered from its WARC files, "
                      f"{found['repaired_bytes']} damaged bytes cut), {counts.get('pending', 0)} pending",
                      file=sys.stderr, flush=True)
    except PressdiffError as exc:
        print(f"pressdiff: error: {exc}", file=sys.stderr)
        return exc.exit_code
    log_to_terminal()
    settings = crawl_settings(story, data, run)
    settings.set("PRESSDIFF_WATCH", args.watch, priority="cmdline")
    if not settings.getbool("ROBOTSTXT_OBEY"):
        print(f"pressdiff: robots.txt is NOT obeyed for {story.slug} (the story's [crawl] obey_robots = false)",
              file=sys.stderr)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CoverageSpider)
    process.crawl(crawler, story=story, run=run)
    process.start()
    stats = crawler.stats.get_stats()
    finished = stats.get("finish_reason") == "finished"
    summary = CrawlSummary.from_counts({k.removeprefix("pressdiff/"): v for k, v in stats.items()},
                                       warc_files=tuple(stats.get("pressdiff/warc_files", ())),
                                       interrupted=not finished, run=run, resumed=resumed)
    if finished:
        with Store(data) as store:
            store.runs.finish_run(run, summary.to_json())
    update_index(data)  # also after an interrupted run: what its WARC files hold is replayable
    print(json.dumps(summary.to_json(), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
