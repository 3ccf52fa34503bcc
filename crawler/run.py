"""Run one crawl in this process: `python -m crawler.run --data DIR --story SLUG`.

pressdiff starts every crawl in a child process, because Twisted's reactor cannot be
restarted: a demo or a test suite crawls several times in one run. An interrupted run
(Ctrl-C, kill -9, power loss) is resumed by the next crawl of the same story: its WARC
files are repaired, captures they hold but the index lacks are indexed, and only the
pages still pending are fetched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from core.errors import PressdiffError
from core.store import Store

from . import settings as default_settings
from .replay import recover
from .spiders.coverage import CoverageSpider


def crawl_settings(story) -> Settings:
    """Scrapy settings for a story: defaults overridden by its [crawl] table."""
    s = Settings()
    s.setmodule(default_settings, priority="project")
    c = story.crawl
    ua = c.user_agent or default_settings.USER_AGENT
    if c.contact:
        ua = f"{ua} contact: {c.contact}"
    s.setdict({
        "ROBOTSTXT_OBEY": c.obey_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrency_per_domain,
        "DOWNLOAD_DELAY": c.download_delay,
        "AUTOTHROTTLE_ENABLED": c.autothrottle,
        "USER_AGENT": ua,
        "DOWNLOAD_MAXSIZE": c.max_bytes,
        "DOWNLOAD_TIMEOUT": c.timeout,
        "RETRY_TIMES": c.retries,
        "RETRY_BACKOFF_BASE": float(os.environ.get("PRESSDIFF_RETRY_BACKOFF", default_settings.RETRY_BACKOFF_BASE)),
    }, priority="cmdline")
    return s


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run")
    parser.add_argument("--data", required=True)
    parser.add_argument("--story", required=True, help="slug of a story saved in the workspace")
    args = parser.parse_args(argv)
    data = Path(args.data)
    try:
        with Store(data) as store:
            story = store.archive.get_story(args.story)
            if story is None:
                print(f"pressdiff: error: no story '{args.story}' in {data}", file=sys.stderr)
                return 2
            run, resumed = store.runs.start_run(story.slug, os.getpid())
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
    if not story.crawl.obey_robots:
        print(f"pressdiff: robots.txt is NOT obeyed for {story.slug} (the story's [crawl] obey_robots = false)",
              file=sys.stderr)
    process = CrawlerProcess(crawl_settings(story))
    crawler = process.create_crawler(CoverageSpider)
    process.crawl(crawler, story=story, data_dir=data, run=run)
    process.start()
    summary = dict(crawler.spider.summary)
    if summary.get("close_reason") == "finished":
        with Store(data) as store:
            store.runs.finish_run(run, summary)
    else:
        summary["interrupted"] = True
    summary["run"] = run
    summary["resumed"] = resumed
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
