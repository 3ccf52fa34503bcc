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
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
from scrapy.linkextractors import LinkExtractor

from pressdiff.core.story import WINDOW_SLACK, Story

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


@dataclass(frozen=True)
class Candidate:
    """A page worth fetching, and what pointed to it."""

    url: str
    found_by: str  # link | sitemap | feed | wayback-cdx
    via: str
    title: str | None = None
    sitemap: bool = False  # a nested sitemap (from a sitemap index), not a page


def _slug_words(url: str) -> str:
    path = urlsplit(url).path
    return " ".join(path.replace("-", " ").replace("_", " ").replace("/", " ").split())


def link_matches(url: str, text: str, story: Story) -> bool:
    """A link is followed when its anchor text or URL slug mentions any keyword."""
    low = f"{text} {_slug_words(url)}".casefold()
    return any(k.casefold() in low or k.casefold().replace(" ", "") in low.replace(" ", "")
               for k in story.keywords)


_LINKS = LinkExtractor(deny_extensions=None, unique=True, canonicalize=False)


def links(response, story: Story) -> list[Candidate]:
    """Links on a coverage page whose text or URL matches the story's keywords."""
    return [Candidate(link.url, "link", response.url, title=(link.text or "").strip() or None)
            for link in _LINKS.extract_links(response)
            if urlsplit(link.url).scheme in ("http", "https") and link_matches(link.url, link.text or "", story)]


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


# A date in a URL's path: 2017-03-14, 2017/03/14, 20170314, 2017-03, 2017/03 (and _ for -).
_PATH_DATE = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/_]?)(?P<m>0[1-9]|1[0-2])"
                        r"(?:(?P=sep)(?P<d>0[1-9]|[12][0-9]|3[01]))?(?![0-9])")


def path_period(url: str) -> tuple[dt.date, dt.date] | None:
    """The day or month an outlet's URL path names (its last such date), as (first, last) day."""
    found = list(_PATH_DATE.finditer(urlsplit(url).path))
    if not found:
        return None
    m = found[-1]
    year, month = int(m["y"]), int(m["m"])
    if not m["sep"] and not m["d"]:
        return None  # six bare digits (201703) are as likely an id as a month
    try:
        if m["d"]:
            day = dt.date(year, month, int(m["d"]))
            return day, day
        first = dt.date(year, month, 1)
    except ValueError:
        return None
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _overlaps(period: tuple[dt.date, dt.date] | None, story: Story) -> bool:
    if period is None or story.window is None:
        return True
    return period[0] <= story.window[1] + WINDOW_SLACK and period[1] >= story.window[0] - WINDOW_SLACK


def sitemap(body: bytes, url: str, story: Story) -> list[Candidate]:
    """Pages (and nested sitemaps) of a sitemap or sitemap index, news sitemaps included.

    Scrapy's own Sitemap class flattens <news:news>, losing the publication date and title,
    so this reads the XML itself (entities and network access off). A big outlet's sitemap
    index lists a sitemap per day or month (sitemap-2017-03.xml, /sitemaps/2017/03/14.xml):
    only those whose path names a period meeting the story's window are followed, and not
    those last changed before the window began. A page with no date of its own is dated by
    its path (/2017/03/14/slug) where it names one.
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
            changed = _date(fields.get("lastmod"))
            stale = changed is not None and story.window is not None and changed < story.window[0] - WINDOW_SLACK
            if _overlaps(path_period(loc), story) and not stale:
                out.append(Candidate(loc, "sitemap", url, sitemap=True))
            continue
        day = _date(fields.get("publication_date")) or _date(fields.get("lastmod"))
        title = fields.get("title")
        if not story.in_window(day) or (day is None and not _overlaps(path_period(loc), story)):
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
        if not story.in_window(day):
            continue
        text = f"{entry.get('title', '')} {entry.get('summary', '')}"
        if story.keywords and not link_matches(link, text, story):
            continue
        out.append(Candidate(urljoin(url, link), "feed", url, title=entry.get("title")))
    return out
