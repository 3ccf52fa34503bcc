"""Recording one capture in the archive index, and storing a page as an article version: the one
path from page to stored article, shared by live crawls, resume recovery, replay, the WARC import
and the record import."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from pressdiff.core.bylines import clean_authors
from pressdiff.core.snapshots import is_archive_host
from pressdiff.core.store import SavedVersion, Store
from pressdiff.core.story import Story

from . import health
from .cdxj import exchange_lines
from .extract import Extracted, decode_html, extract, extraction_meta
from .warc import ExchangeBlob, serialize_exchange


@dataclass(frozen=True)
class Fetched:
    """One archived HTTP response and how it came to be fetched."""

    url: str  # the article's URL (for a Wayback capture: the original, not the snapshot)
    final_url: str  # what was actually fetched, after redirects
    status: int
    content_type: str | None
    fetched_at: str
    found_by: str
    warc: dict  # warc_file, warc_offset, warc_length, record_id, sha256, refers_to (revisits)
    via: str | None = None
    outlet: str | None = None
    wayback_url: str | None = None
    wayback_time: str | None = None
    etag: str | None = None  # the response's validators, which a watch sends back
    last_modified: str | None = None


NOT_MODIFIED = 304


def declared_charset(content_type: str | None) -> str | None:
    """The charset a Content-Type header claims."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def extract_page(body: bytes, content_type: str | None, url: str) -> tuple[Extracted | None, str]:
    """Decode and extract one page."""
    html, charset = decode_html(body, declared_charset(content_type))
    return extract(html, url=url), charset


def prepare(exchange: dict, content_type: str | None,
            decoded: bytes | None = None) -> tuple[ExchangeBlob, Extracted | None, str]:
    """The CPU work of one capture, done in a worker process: WARC records, their CDXJ lines, extraction.

    exchange["body"] is the payload as received; decoded, when given, is it with its
    Content-Encoding undone, which is what extraction reads.
    """
    blob = serialize_exchange(**exchange)
    blob = dataclasses.replace(blob, cdxj=exchange_lines(blob.data))
    if not exchange["body"]:  # a 304, or an empty answer: nothing to extract
        return blob, None, declared_charset(content_type) or ""
    page, charset = extract_page(exchange["body"] if decoded is None else decoded, content_type, exchange["url"])
    return blob, page, charset


# What record() returns, as the progress line says it ("sent": a worker sent it to the coordinator).
OUTCOMES = {"new_versions": "new version", "unchanged": "unchanged", "no_text": "no article text",
            "off_topic": "not about the story", "sent": "archived", "not_modified": "not modified (HTTP 304)"}


def record(store: Store, story: Story, run: int, f: Fetched, page: Extracted | None, charset: str) -> str:
    """Write the capture and, if it is an article of the story, its text; returns what happened."""
    with store.transaction():
        capture_id = store.articles.add_capture(
            story.slug, url=f.url, final_url=f.final_url, status=f.status, content_type=f.content_type,
            fetched_at=f.fetched_at, found_by=f.found_by, wayback_url=f.wayback_url,
            wayback_time=f.wayback_time, run=run, charset=charset, etag=f.etag, last_modified=f.last_modified,
            **f.warc)
        store.runs.frontier_add(run, f.url, f.found_by, f.via, f.outlet)
        if f.status == NOT_MODIFIED:  # the version the archive holds stands
            store.runs.frontier_mark(run, f.url, "done", "not modified")
            return "not_modified"
        if page is None:
            health.check(store, story.slug, f.url, outlet_of(story, f.url, f.outlet), "", run)  # a new layout?
            store.runs.frontier_mark(run, f.url, "done", "no article text")
            return "no_text"
        if f.found_by != "seed":
            why = _off_topic(page, story)
            if why:
                store.runs.frontier_mark(run, f.url, "skipped", why)
                return "off_topic"
        saved = save_page(store, story, f.url, page, run=run, given={"outlet": f.outlet}, capture_id=capture_id,
                          ingested_by="crawl", found_by=f.found_by)
        store.runs.frontier_mark(run, f.url, "done", f"v{saved.version}")
    return "new_versions" if saved.created else "unchanged"


def outlet_of(story: Story, url: str, named: str | None = None, site: str | None = None) -> str | None:
    """A page's outlet: the one its crawl or record names, else the story's for its URL, else the
    page's site name, else its host."""
    return named or story.outlet_for(url) or site or urlsplit(url).hostname


def save_page(store: Store, story: Story, url: str, page: Extracted | None, *, run: int | None, ingested_by: str,
              found_by: str, given: dict | None = None, capture_id: int | None = None, meta: dict | None = None,
              warnings: list[str] | None = None) -> SavedVersion:
    """Store a page as a version of its article (checking its extraction's health first), however
    it came: crawled, in an imported WARC file, or an imported record. page: what extraction
    found; given: a record's own fields (text, outlet, title, author, published, site_name,
    language), which win over the page's. Author strings that name no person are dropped, each
    with a warning added to warnings. Extraction's text is stored without its outlet's template
    lines (archive/health.py drop_template)."""
    given = {k: v for k, v in (given or {}).items() if v}
    found = {} if page is None else {k: getattr(page, k) for k in ("text", "title", "author", "published",
                                                                  "site_name", "language")}
    text = found.get("text") or given["text"]
    field = lambda name: given.get(name) or found.get(name)  # noqa: E731
    site = field("site_name")
    site = None if site and is_archive_host(site) else site  # a snapshot's host is not the outlet's
    outlet = outlet_of(story, url, given.get("outlet"), site)
    kept, dropped = clean_authors((field("author") or "").split(","), (outlet, site, urlsplit(url).hostname))
    if warnings is not None:
        warnings.extend(dropped)
    template = ()
    if found.get("text") and outlet:  # extraction's text, not a record's own: the outlet's template out
        text, template = health.drop_template(text, health.outlet_template(store, outlet, url),
                                              store.articles.latest_text(story.slug, url))
    health.check(store, story.slug, url, outlet, text, run)
    meta = {**(meta or {}), **(extraction_meta(page) if page else {}),
            **({health.TEMPLATE_KEY: list(template)} if template else {})}
    return store.articles.save_article(
        story.slug, url, text, outlet=outlet, title=field("title"), author=", ".join(kept) or None,
        published=field("published"), site_name=site, language=field("language"), capture_id=capture_id,
        ingested_by=ingested_by, found_by=found_by, meta=meta,
        credit_lines=page.credit_lines if page else (), captions=page.captions if page else ())


def _off_topic(page: Extracted, story: Story) -> str | None:
    """Why a discovered page is not part of the story (None when it is)."""
    if not story.carries_keywords(f"{page.title or ''}\n{page.text}"):
        return "keywords not found"
    if page.published:
        try:
            day = dt.date.fromisoformat(page.published[:10])
        except ValueError:
            day = None
        if not story.in_window(day):
            return f"published {page.published[:10]}, outside the story's window"
    return None
