"""The one sequence crawl -> compare -> site, and the one way their summaries are printed.

`pressdiff crawl`, `pressdiff run` and `pressdiff demo` all go through here, so they stop for the
same reasons (an interrupted crawl, a crawl that fetched nothing) and print the same lines.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.records import CrawlSummary
from pressdiff.core.store import Store
from pressdiff.core.store.edits import EXTRACTION
from pressdiff.core.story import Story

from .changes import classify_new, edit_line
from .crawling import crawl as crawl_process
from .publish.build import build_site
from .publish.escape import plural
from .scale.engine import engine_for
from .scale.plan import LOCAL_CLUSTER_FROM, compare_staged, partition_for

Echo = Callable[[str], None]


def crawl_line(slug: str, s: CrawlSummary, verb: str = "crawl") -> str:
    """The summary line of a crawl or replay."""
    extra = "".join(f", {n} {label}" for n, label in ((s.wayback, "from the Wayback Machine"),
                                                       (s.discovered, "discovered"), (s.off_topic, "off topic"),
                                                       (s.not_modified, "not modified (HTTP 304)"),
                                                       (s.robots, "blocked by robots.txt")) if n)
    return (f"{verb} {slug}: {s.pages} pages, {s.new_versions} new versions, {s.unchanged} unchanged, "
            f"{s.errors} errors, {s.skipped} skipped, {s.no_text} without text{extra}; "
            f"WARC: {', '.join(s.warc_files) or 'none'}")


def compare_line(slug: str, c: dict) -> str:
    """The summary line of a comparison, from its counts (compare.report.Counts')."""
    changes = ", ".join(f"{k} {v}" for k, v in c["changes"].items()) or "none"
    boilerplate = f", {c['boilerplate']} publisher boilerplate, counted apart" if c.get("boilerplate") else ""
    return (f"compare {slug}: {c['articles']} articles, {c['clusters']} clusters "
            f"({c['shared_clusters']} shared{boilerplate}), {c['variants']} variants; changes: {changes}; "
            f"{plural(c['credits'], 'credit')}, {plural(c['copies'], 'whole copy', 'whole copies')}")


def crawl(data_dir: str | Path, story: Story, echo: Echo, proxy: str | None = None,
          progress: Echo | None = None, label: str = "", redis: str | None = None, workers: int = 0,
          warn: Echo | None = None, watch: bool = False, notify: bool = False) -> CrawlSummary:
    """Crawl and print its line, a warning for each page whose extraction looks broken for its
    outlet (archive/health.py), and a line for each new version of an article, classified
    (changes.py: an edit, noise, or an extraction problem; notify: queue its edits for the
    webhook); an interrupted crawl, or one that fetched nothing, stops the work."""
    with Store(data_dir) as store:
        last = store.articles.last_alert(story.slug)
    summary = crawl_process(data_dir, story, proxy=proxy, echo=progress, redis=redis, workers=workers, watch=watch)
    echo(label + crawl_line(story.slug, summary))
    with Store(data_dir) as store:
        edits = classify_new(store, story, notify)
        for alert in store.articles.alerts(story.slug, last):  # archive/health.py records each, once
            (warn or echo)(alert["detail"])
        for e in edits:
            if e.kind != EXTRACTION:  # an extraction problem is an alert, said above
                echo(edit_line(e))
    if summary.interrupted:
        raise WorkError(f"the crawl of '{story.slug}' was interrupted; run it again to resume")
    if summary.errors and not summary.pages:
        raise WorkError(f"the crawl of '{story.slug}' fetched nothing ({summary.errors} errors)")
    return summary


def compare(data_dir: str | Path, story: Story, echo: Echo, json_path: str | Path | None = None,
            workers: int | None = None, dask: str | None = None, partition: int | None = None,
            progress: Echo | None = None) -> dict:
    """Compare a story's articles (as stages, on the engine workers and dask choose, in partitions
    of `partition` articles, by default plan.partition_for's), store the findings and the
    document, print the line; returns the counts (compare.report.Counts')."""
    with Store(data_dir) as store:
        articles = len(store.articles.article_meta(story.slug))
        if not articles:
            raise InputError(f"story '{story.slug}' has no articles yet: crawl or import some first")
        with engine_for(articles, workers, dask, progress, LOCAL_CLUSTER_FROM) as engine:
            counts = compare_staged(store, story, engine, partition or partition_for(articles, engine.workers),
                                    echo=progress)
        if json_path:
            shutil.copyfile(store.findings.comparison_path(story.slug), json_path)
    echo(compare_line(story.slug, counts) + (f"; JSON: {json_path}" if json_path else ""))
    return counts


def run(data_dir: str | Path, story: Story, echo: Echo, proxy: str | None = None,
        site_url: str | None = None) -> Path:
    """Crawl, compare and build the site for one story; returns the site's folder."""
    crawl(data_dir, story, echo, proxy=proxy)
    compare(data_dir, story, echo, default_json_path(data_dir, story.slug))
    return build_site(data_dir, [story.slug], echo=echo, site_url=site_url)


def default_json_path(data_dir: str | Path, slug: str) -> Path:
    """Where `run` and `demo` write a story's comparison JSON."""
    return Path(data_dir) / f"{slug}.comparison.json"
