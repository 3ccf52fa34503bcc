"""The one sequence crawl -> compare -> site, and the one way their summaries are printed.

`pressdiff crawl`, `pressdiff run` and `pressdiff demo` all go through here, so they stop for the
same reasons (an interrupted crawl, a crawl that fetched nothing) and print the same lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import WorkError
from core.records import CrawlSummary
from core.store import Store
from core.story import Story

from .comparing import default_json_path, run_compare, summarize
from .crawling import crawl as crawl_process
from .publish import build_site

Echo = Callable[[str], None]


def crawl_line(slug: str, s: CrawlSummary, verb: str = "crawl") -> str:
    """The summary line of a crawl or replay."""
    extra = "".join(f", {n} {label}" for n, label in ((s.wayback, "from the Wayback Machine"),
                                                       (s.discovered, "discovered"), (s.off_topic, "off topic"),
                                                       (s.robots, "blocked by robots.txt")) if n)
    return (f"{verb} {slug}: {s.pages} pages, {s.new_versions} new versions, {s.unchanged} unchanged, "
            f"{s.errors} errors, {s.skipped} skipped, {s.no_text} without text{extra}; "
            f"WARC: {', '.join(s.warc_files) or 'none'}")


def compare_line(slug: str, document: dict) -> str:
    """The summary line of a comparison."""
    c = summarize(document)
    changes = ", ".join(f"{k} {v}" for k, v in c["changes"].items()) or "none"
    return (f"compare {slug}: {c['articles']} articles, {c['clusters']} clusters "
            f"({c['shared_clusters']} shared), {c['variants']} variants; changes: {changes}; "
            f"{c['credits']} credits, {c['copies']} whole copies")


def crawl(data_dir: str | Path, story: Story, echo: Echo, proxy: str | None = None,
          progress: Echo | None = None, label: str = "") -> CrawlSummary:
    """Crawl and print its line; an interrupted crawl, or one that fetched nothing, stops the work."""
    summary = crawl_process(data_dir, story, proxy=proxy, echo=progress)
    echo(label + crawl_line(story.slug, summary))
    if summary.interrupted:
        raise WorkError(f"the crawl of '{story.slug}' was interrupted; run it again to resume")
    if summary.errors and not summary.pages:
        raise WorkError(f"the crawl of '{story.slug}' fetched nothing ({summary.errors} errors)")
    return summary


def compare(data_dir: str | Path, story: Story, echo: Echo, json_path: str | Path | None = None) -> dict:
    """Compare a story's articles, store the findings, print the line; returns the comparison JSON."""
    with Store(data_dir) as store:
        document = run_compare(store, story, json_path)
    echo(compare_line(story.slug, document) + (f"; JSON: {json_path}" if json_path else ""))
    return document


def run(data_dir: str | Path, story: Story, echo: Echo, proxy: str | None = None,
        site_url: str | None = None) -> Path:
    """Crawl, compare and build the site for one story; returns the site's folder."""
    crawl(data_dir, story, echo, proxy=proxy)
    compare(data_dir, story, echo, default_json_path(data_dir, story.slug))
    return build_site(data_dir, [story.slug], echo=echo, site_url=site_url)
