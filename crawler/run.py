"""Run one crawl in this process: `python -m crawler.run --data DIR --story SLUG`.

pressdiff starts every crawl in a child process, because Twisted's reactor cannot be
restarted: a demo or a test suite crawls several times in one run.
"""

from __future__ import annotations

import argparse
import json
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pressdiff.store import Store

from . import settings as default_settings
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
    }, priority="cmdline")
    return s


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run")
    parser.add_argument("--data", required=True)
    parser.add_argument("--story", required=True, help="slug of a story saved in the workspace")
    args = parser.parse_args(argv)
    with Store(args.data) as store:
        story = store.get_story(args.story)
    if story is None:
        print(f"no story '{args.story}' in {args.data}", file=sys.stderr)
        return 2
    if not story.crawl.obey_robots:
        print(f"pressdiff: robots.txt is NOT obeyed for {story.slug} (the story's [crawl] obey_robots = false)",
              file=sys.stderr)
    process = CrawlerProcess(crawl_settings(story))
    crawler = process.create_crawler(CoverageSpider)
    process.crawl(crawler, story=story, data_dir=args.data)
    process.start()
    summary = dict(crawler.spider.summary)
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
