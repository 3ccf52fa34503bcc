"""The one sequence crawl -> compare -> site, and the one way their summaries are printed.

`pressdiff crawl`, `pressdiff run` and `pressdiff demo` all go through here, so they stop for the
same reasons (an interrupted crawl, a crawl that fetched nothing) and print the same lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pressdiff.compare.cite import normalize as normalize_words
from pressdiff.compare.comparison import compare_story
from pressdiff.compare.report import to_document
from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.records import CrawlSummary
from pressdiff.core.store import Store
from pressdiff.core.story import Story

from .crawling import crawl as crawl_process
from .publish.build import build_site
from .publish.escape import plural

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
            f"{plural(c['credits'], 'credit')}, {plural(c['copies'], 'whole copy', 'whole copies')}")


def crawl(data_dir: str | Path, story: Story, echo: Echo, proxy: str | None = None,
          progress: Echo | None = None, label: str = "", redis: str | None = None, workers: int = 0) -> CrawlSummary:
    """Crawl and print its line; an interrupted crawl, or one that fetched nothing, stops the work."""
    summary = crawl_process(data_dir, story, proxy=proxy, echo=progress, redis=redis, workers=workers)
    echo(label + crawl_line(story.slug, summary))
    if summary.interrupted:
        raise WorkError(f"the crawl of '{story.slug}' was interrupted; run it again to resume")
    if summary.errors and not summary.pages:
        raise WorkError(f"the crawl of '{story.slug}' fetched nothing ({summary.errors} errors)")
    return summary


def compare(data_dir: str | Path, story: Story, echo: Echo, json_path: str | Path | None = None) -> dict:
    """Compare a story's articles, store the findings, print the line; returns the comparison JSON."""
    with Store(data_dir) as store:
        document = compare_and_store(store, story, json_path)
    echo(compare_line(story.slug, document) + (f"; JSON: {json_path}" if json_path else ""))
    return document


def run(data_dir: str | Path, story: Story, echo: Echo, proxy: str | None = None,
        site_url: str | None = None) -> Path:
    """Crawl, compare and build the site for one story; returns the site's folder."""
    crawl(data_dir, story, echo, proxy=proxy)
    compare(data_dir, story, echo, default_json_path(data_dir, story.slug))
    return build_site(data_dir, [story.slug], echo=echo, site_url=site_url)


def compare_and_store(store: Store, story: Story, json_path: str | Path | None = None) -> dict:
    """Compare the newest version of every article of a story; return the comparison JSON."""
    articles = store.archive.articles(story.slug)
    if not articles:
        raise InputError(f"story '{story.slug}' has no articles yet: crawl or import some first")
    outlets = [c.outlet for c in story.coverage if c.outlet]
    comparison = compare_story(story.slug, articles, outlets)
    document = to_document(comparison)
    store.findings.save_comparison(comparison, document, index_words=normalize_words)
    if json_path:
        write_json(document, json_path)
    return document


def default_json_path(data_dir: str | Path, slug: str) -> Path:
    """Where `run` and `demo` write a story's comparison JSON."""
    return Path(data_dir) / f"{slug}.comparison.json"


def write_json(document: dict, path: str | Path) -> None:
    """Write a JSON document atomically (a crash never leaves half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def summarize(document: dict) -> dict:
    """Counts for the terminal: articles, clusters, variants by relation and change."""
    variants = [v for c in document["clusters"] for v in c["variants"]]
    changes: dict[str, int] = {}
    for v in variants:
        for ch in v["changes"]:
            changes[ch] = changes.get(ch, 0) + 1
    relations: dict[str, int] = {}
    for v in variants:
        relations[v["relation"]] = relations.get(v["relation"], 0) + 1
    shared = [c for c in document["clusters"] if len({v["article"] for v in c["variants"]}) > 1]
    return {"articles": len(document["articles"]), "clusters": len(document["clusters"]),
            "shared_clusters": len(shared), "variants": len(variants), "relations": relations,
            "changes": dict(sorted(changes.items())), "credits": len(document["credits"]),
            "copies": sum(1 for p in document.get("pairs", []) if p["relation"] == "copy")}
