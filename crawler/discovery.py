"""Discovery beyond the coverage URLs: links, sitemaps (news sitemaps too), feeds.

Each function reads one fetched document and returns candidate pages; the spider decides
what to fetch. Candidates outside the story's window or without its keywords are dropped
here when the document says enough (a feed entry's date and title); pages are checked again
after extraction.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
from scrapy.linkextractors import LinkExtractor

from core.story import Story

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
# Slack around the window: outlets date pages in their own time zone, sitemaps by last change.
WINDOW_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class Candidate:
    """A page worth fetching, and what pointed to it."""

    url: str
    found_by: str  # link | sitemap | feed | wayback-cdx
    via: str
    title: str | None = None
    sitemap: bool = False  # a nested sitemap (from a sitemap index), not a page


def matches_keywords(text: str, story: Story) -> bool:
    """Whether text carries the story's keywords (all or any, as the story says)."""
    if not story.keywords:
        return True
    low = text.casefold()
    hits = [k.casefold() in low for k in story.keywords]
    return all(hits) if story.discovery.match == "all" else any(hits)


def _slug_words(url: str) -> str:
    path = urlsplit(url).path
    return " ".join(path.replace("-", " ").replace("_", " ").replace("/", " ").split())


def link_matches(url: str, text: str, story: Story) -> bool:
    """A link is followed when its anchor text or URL slug mentions any keyword."""
    low = f"{text} {_slug_words(url)}".casefold()
    return any(k.casefold() in low or k.casefold().replace(" ", "") in low.replace(" ", "")
               for k in story.keywords)


def in_window(day: dt.date | None, story: Story) -> bool:
    """Unknown dates pass; known ones must fall inside the window (with a day's slack)."""
    if day is None or story.window is None:
        return True
    return story.window[0] - WINDOW_SLACK <= day <= story.window[1] + WINDOW_SLACK


_LINKS = LinkExtractor(deny_extensions=None, unique=True, canonicalize=False)


def links(response, story: Story) -> list[Candidate]:
    """Links on a coverage page whose text or URL matches the story's keywords."""
    out = []
    for link in _LINKS.extract_links(response):
        if urlsplit(link.url).scheme not in ("http", "https"):
            continue
        if link_matches(link.url, link.text or "", story):
            out.append(Candidate(link.url, "link", response.url, title=(link.text or "").strip() or None))
    return out


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def sitemap(body: bytes, url: str, story: Story) -> list[Candidate]:
    """Pages (and nested sitemaps) of a sitemap or sitemap index, news sitemaps included.

    Scrapy's own Sitemap class flattens <news:news>, losing the publication date and title,
    so this reads the XML itself (entities and network access off).
    """
    if body[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as gz:
            body = gz.read(MAX_SITEMAP_BYTES + 1)[:MAX_SITEMAP_BYTES]
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    out = []
    kind = lxml.etree.QName(root).localname
    for entry in root:
        if not isinstance(entry.tag, str):
            continue
        fields = {lxml.etree.QName(el).localname: (el.text or "").strip() for el in entry.iter() if isinstance(el.tag, str)}
        loc = fields.get("loc")
        if not loc:
            continue
        loc = urljoin(url, loc)
        if kind == "sitemapindex":
            out.append(Candidate(loc, "sitemap", url, sitemap=True))
            continue
        day = _date(fields.get("publication_date")) or _date(fields.get("lastmod"))
        title = fields.get("title")
        if not in_window(day, story):
            continue
        if story.keywords and not link_matches(loc, title or "", story):
            continue
        out.append(Candidate(loc, "sitemap", url, title=title))
    return out


def feed(body: bytes, url: str, story: Story) -> list[Candidate]:
    """Entries of an RSS or Atom feed inside the window whose title, summary or URL match."""
    parsed = feedparser.parse(body)
    out = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        day = dt.date(*stamp[:3]) if stamp else None
        if not in_window(day, story):
            continue
        text = f"{entry.get('title', '')} {entry.get('summary', '')}"
        if story.keywords and not link_matches(link, text, story):
            continue
        out.append(Candidate(urljoin(url, link), "feed", url, title=entry.get("title")))
    return out
