"""Progress of a crawl on the terminal: a line per page on small crawls, at most one a second on
large ones, and every failure. Counted in the crawler's stats (pressdiff/done, pressdiff/planned)
so that the spider and the pipeline report through the crawler, not through each other."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("pressdiff.progress")
EVERY_PAGE_UP_TO = 200  # pages; above this, at most one line a second


def plan(crawler, pages: int) -> None:
    """pages more to fetch in this run."""
    crawler.stats.inc_value("pressdiff/planned", pages)


def report(crawler, what: str, url: str, finished: bool = True, important: bool = False) -> None:
    """One line about one page ("new version", "failed (HTTP 500)") if it is due."""
    stats = crawler.stats
    if finished:
        stats.inc_value("pressdiff/done")
    done, total = stats.get_value("pressdiff/done", 0), stats.get_value("pressdiff/planned", 0)
    now = time.monotonic()
    if important or total <= EVERY_PAGE_UP_TO or now - stats.get_value("pressdiff/last_line", 0.0) >= 1.0 \
            or done == total:
        stats.set_value("pressdiff/last_line", now)
        logger.info("[%d/%d] %s: %s", done, total, what, url)
