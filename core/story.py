"""Story files: TOML that names what to collect, validated on load."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field, make_dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from .errors import StoryError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Slack around a story's window: outlets date pages in their own time zone, sitemaps by last change.
WINDOW_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class Coverage:
    """One coverage URL and, if the story names it, its outlet."""

    url: str
    outlet: str | None = None


@dataclass(frozen=True)
class WaybackSearch:
    """One outlet's part of the Wayback Machine's CDX index, searched for the story's articles.

    A big outlet's whole host holds thousands of unrelated URLs in a week; a URL prefix (its
    news section, a dated path) and a regular expression on the URL narrow it to candidates,
    read page by page (CDX resume keys). Fetched candidates must still carry the story's
    keywords, as every discovered page must.
    """

    prefix: str  # host and path, e.g. "bbc.co.uk/news/uk-" (CDX matchType=prefix)
    outlet: str | None = None
    url_regex: str | None = None  # the CDX server matches it against each whole captured URL (filter=original:…)
    window: tuple[dt.date, dt.date] | None = None  # default: the story's window
    max_pages: int = 1000  # CDX rows read at most
    page_size: int = 500  # CDX rows per request (then the next page, by resume key)


@dataclass(frozen=True)
class Discovery:
    """Which discovery sources a crawl may use beyond the coverage URLs."""

    follow_links: bool = False  # links on coverage pages whose text or URL matches a keyword
    link_depth: int = 1  # how many links away from a coverage page
    sitemaps: tuple[str, ...] = ()  # sitemap or sitemap-index URLs (news sitemaps included)
    feeds: tuple[str, ...] = ()  # RSS or Atom feed URLs
    wayback: bool = False  # the Wayback Machine's CDX index of each outlet's URLs in the window
    match: str = "all"  # a discovered page must contain all (or any) keywords
    max_pages: int = 500  # at most this many discovered pages per crawl
    search: tuple[WaybackSearch, ...] = ()  # [[discovery.search]]: per-outlet Wayback CDX searches


@dataclass(frozen=True)
class Setting:
    """One key of a story's [crawl] or [watch] table: its type, default and help. The story's
    validation, its defaults (crawler/settings.py takes the Scrapy ones from here) and the
    README's tables (settings_table) are all derived from these two tables."""

    name: str
    kind: str  # "bool", "int", "float", "text", "url" or "patterns" (a list of regular expressions)
    default: object
    help: str
    low: float = 0  # the range a number must fall in
    high: float = 0
    scrapy: str | None = None  # the Scrapy setting it overrides (crawler/config.py)


# Below this many changed words (outside quotations, timestamp and count lines and link-like
# lines), a new version of an article is noise and alerts nothing (compare/edits.py says how it
# was set). A story's [watch] min_changed_words overrides it.
MIN_CHANGED_WORDS = 4

CRAWL = (
    Setting("contact", "text", None, "added to the User-Agent so site owners can reach you"),
    Setting("user_agent", "text", None, "replaces pressdiff's User-Agent", scrapy="USER_AGENT"),
    Setting("obey_robots", "bool", True, "obey robots.txt; false is logged on every crawl", scrapy="ROBOTSTXT_OBEY"),
    Setting("concurrency_per_domain", "int", 2, "requests at once to one site (with --redis: across all workers)",
            1, 64, "CONCURRENT_REQUESTS_PER_DOMAIN"),
    Setting("concurrency", "int", 16, "requests at once per crawling process (with --redis: per worker)", 1, 256,
            "CONCURRENT_REQUESTS"),
    Setting("autothrottle", "bool", True, "Scrapy's AutoThrottle adapts the delay to each site's latency",
            scrapy="AUTOTHROTTLE_ENABLED"),
    Setting("download_delay", "float", 0.0, "s between two requests to one site", 0, 600, "DOWNLOAD_DELAY"),
    Setting("retries", "int", 2, "retries of a failed request, with exponential backoff between attempts", 0, 10,
            "RETRY_TIMES"),
    Setting("retry_backoff", "float", 1.0, "s before the first retry, doubled each time", 0, 600,
            "RETRY_BACKOFF_BASE"),
    Setting("timeout", "float", 30.0, "s a request may take", 1, 600, "DOWNLOAD_TIMEOUT"),
    Setting("max_bytes", "int", 10 * 1024 * 1024, "larger pages are refused", 1024, 1 << 31, "DOWNLOAD_MAXSIZE"),
    Setting("max_warc_bytes", "int", 1 << 30, "a WARC file past this size is closed and the next one begun",
            1024, 1 << 40),
    Setting("wayback_fallback", "bool", True,
            "a 404/410, DNS failure, refused connection or timeout -> the closest Wayback snapshot"),
    Setting("wayback_pin", "bool", False, "fetch every coverage URL from the snapshot closest to the window start"),
    Setting("wayback_endpoint", "url", "https://web.archive.org", "the Wayback Machine: snapshots (/web/) and CDX"),
    Setting("wayback_available", "url", "https://archive.org/wayback/available", "the Wayback availability API"),
    Setting("lease", "float", 60.0, "with --redis: s a worker holds a page without renewing it", 1, 3600,
            "PRESSDIFF_LEASE"),
    Setting("give_up", "float", 120.0, "with --redis: s of Redis outage ridden out before stopping (resumable)",
            1, 86400, "PRESSDIFF_GIVE_UP"),
)
WATCH = (
    Setting("min_changed_words", "int", MIN_CHANGED_WORDS, "fewer changed words than this are noise, not an edit",
            1, 10_000),
    Setting("ignore", "patterns", (), "regular expressions: lines matching one are noise (a site's own counters)"),
)

# The story's [crawl] settings (CrawlSettings.given: the keys the story file set; the rest keep
# Scrapy's project settings) and [watch] settings, as records with the tables' fields.
CrawlSettings = make_dataclass("CrawlSettings", [*((s.name, object, field(default=s.default)) for s in CRAWL),
                                                 ("given", frozenset, field(default=frozenset()))], frozen=True)
WatchSettings = make_dataclass("WatchSettings", [(s.name, object, field(default=s.default)) for s in WATCH],
                               frozen=True)
CrawlSettings.__module__ = WatchSettings.__module__ = __name__  # pickled to crawl workers and Dask


def settings_table(table: tuple[Setting, ...]) -> str:
    """A settings table as the README prints it (Markdown): key, type, default, what it does."""
    kinds = {"bool": "true/false", "int": "whole number", "float": "number", "text": "string", "url": "URL",
             "patterns": "list of regexes"}
    rows = ["| key | type | default | what it does |", "|---|---|---|---|"]
    for s in table:
        default = "none" if s.default is None else json.dumps(s.default)
        span = f" ({s.low:,} to {s.high:,})" if s.kind in ("int", "float") else ""
        rows.append(f"| `{s.name}` | {kinds[s.kind]}{span} | `{default}` | {s.help} |")
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class Story:
    """A validated story definition."""

    slug: str
    title: str
    coverage: tuple[Coverage, ...] = ()
    origin: str | None = None
    window: tuple[dt.date, dt.date] | None = None
    keywords: tuple[str, ...] = ()
    publish_full_text: bool = False
    summary: str | None = None  # what happened, in a sentence or two, for the site
    discovery: Discovery = field(default_factory=Discovery)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    toml: str = ""  # the TOML text the story was read from, kept in the archive

    @cached_property
    def _outlets(self) -> dict[str, str | None]:
        return {item.url: item.outlet for item in self.coverage}

    def outlet_for(self, url: str) -> str | None:
        """The outlet the story names for a URL, if any."""
        return self._outlets.get(url)

    def carries_keywords(self, text: str) -> bool:
        """Whether text carries the story's keywords (all or any, as the story says)."""
        if not self.keywords:
            return True
        low = text.casefold()
        hits = [k.casefold() in low for k in self.keywords]
        return all(hits) if self.discovery.match == "all" else any(hits)

    def in_window(self, day: dt.date | None) -> bool:
        """Unknown dates pass; known ones must fall inside the window (with a day's slack)."""
        if day is None or self.window is None:
            return True
        return self.window[0] - WINDOW_SLACK <= day <= self.window[1] + WINDOW_SLACK


def load_story(path: str | Path) -> Story:
    """Read and validate a story file; raise StoryError naming the key at fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StoryError(path, "-", "no such story file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoryError(path, "-", f"cannot read the file as UTF-8 ({exc})") from None
    return parse_story(text, path)


def parse_story(text: str, path: str | Path = "") -> Story:
    """Validate TOML text as a story."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(path, "-", f"not valid TOML ({exc})") from None
    v = _Validator(path)
    v.only(data, {"slug", "title", "summary", "origin", "window", "keywords", "coverage",
                  "discovery", "crawl", "watch", "publish_full_text"}, "")
    slug = v.string(data, "slug", required=True)
    if not SLUG_RE.match(slug):
        raise StoryError(path, "slug", "expected lowercase letters, digits and single hyphens, e.g. 'home-office-trump'")
    title = v.string(data, "title", required=True)
    origin = v.url(data, "origin")
    window = None
    if "window" in data:
        start, end = v.dates(data["window"], "window", ", e.g. [\"2017-03-10\", \"2017-04-30\"]")
        if start > end:
            raise StoryError(path, "window", "expected the first date to come before the second")
        window = (start, end)
    keywords = tuple(v.string_list(data, "keywords"))
    coverage = []
    raw_cov = data.get("coverage", [])
    if not isinstance(raw_cov, list) or not all(isinstance(c, dict) for c in raw_cov):
        raise StoryError(path, "coverage", "expected an array of tables ([[coverage]] with url = ...)")
    seen = set()
    for i, item in enumerate(raw_cov, 1):
        key = f"coverage[{i}]"
        v.only(item, {"url", "outlet"}, key + ".")
        url = v.url(item, "url", required=True, key=f"{key}.url")
        if url in seen:
            raise StoryError(path, f"{key}.url", f"expected each URL once; {url} is listed twice")
        seen.add(url)
        coverage.append(Coverage(url=url, outlet=v.string(item, "outlet", key=f"{key}.outlet")))
    publish_full_text = v.boolean(data, "publish_full_text", False)
    discovery = Discovery()
    if "discovery" in data:
        d = v.table(data, "discovery")
        v.only(d, {"follow_links", "link_depth", "sitemaps", "feeds", "wayback", "match", "max_pages", "search"},
               "discovery.")
        match = d.get("match", "all")
        if match not in ("all", "any"):
            raise StoryError(path, "discovery.match", f"expected \"all\" or \"any\", got {match!r}")
        discovery = Discovery(
            follow_links=v.boolean(d, "follow_links", False, key="discovery.follow_links"),
            link_depth=v.number(d, "link_depth", 1, int, 1, 5, prefix="discovery"),
            sitemaps=tuple(v.url_list(d, "sitemaps", key="discovery.sitemaps")),
            feeds=tuple(v.url_list(d, "feeds", key="discovery.feeds")),
            wayback=v.boolean(d, "wayback", False, key="discovery.wayback"),
            match=match,
            max_pages=v.number(d, "max_pages", 500, int, 1, 1_000_000, prefix="discovery"),
            search=tuple(_searches(v, d, window)),
        )
        if (discovery.follow_links or discovery.wayback or discovery.search) and not keywords:
            raise StoryError(path, "keywords", "expected keywords when [discovery] follows links or asks the "
                                               "Wayback Machine: they decide which pages belong to the story")
    crawl = CrawlSettings(**_table(v, data, "crawl", CRAWL), given=frozenset(data.get("crawl", ())))
    if "crawl" in data:
        if crawl.wayback_pin and window is None:
            raise StoryError(path, "crawl.wayback_pin", "expected a story window: snapshots are pinned to its first date")
        if discovery.wayback and window is None:
            raise StoryError(path, "discovery.wayback", "expected a story window: the CDX query needs its dates")
    return Story(slug=slug, title=title, summary=v.string(data, "summary"), coverage=tuple(coverage),
                 origin=origin, window=window,
                 keywords=keywords, publish_full_text=publish_full_text, discovery=discovery,
                 crawl=crawl, watch=WatchSettings(**_table(v, data, "watch", WATCH)), toml=text)


def _table(v: _Validator, data: dict, name: str, table: tuple[Setting, ...]) -> dict:
    """A story's [name] table validated against its Setting table: every key's value, or its default."""
    if name not in data:
        return {s.name: s.default for s in table}
    given = v.table(data, name)
    v.only(given, {s.name for s in table}, f"{name}.")
    out = {}
    for s in table:
        key = f"{name}.{s.name}"
        if s.kind == "bool":
            out[s.name] = v.boolean(given, s.name, s.default, key=key)
        elif s.kind in ("int", "float"):
            out[s.name] = v.number(given, s.name, s.default, int if s.kind == "int" else float, s.low, s.high, name)
        elif s.kind == "text":
            out[s.name] = v.string(given, s.name, key=key) or s.default
        elif s.kind == "url":
            out[s.name] = (v.url(given, s.name, key=key) or s.default).rstrip("/")
        else:  # patterns
            out[s.name] = tuple(v.string_list(given, s.name, key=key))
            for pattern in out[s.name]:
                v.regex(pattern, key, f"expected regular expressions, got {pattern!r}")
    return out


def _searches(v: _Validator, d: dict, window):
    raw = d.get("search", [])
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise StoryError(v.path, "discovery.search", "expected an array of tables ([[discovery.search]] with prefix = ...)")
    for i, item in enumerate(raw, 1):
        key = f"discovery.search[{i}]"
        v.only(item, {"prefix", "outlet", "url_regex", "window", "max_pages", "page_size"}, key + ".")
        prefix = v.string(item, "prefix", required=True, key=f"{key}.prefix")
        if "://" in prefix or " " in prefix or "/" not in prefix.strip("/") and "." not in prefix:
            raise StoryError(v.path, f"{key}.prefix", f"expected a host and path without scheme, e.g. "
                                                      f"\"bbc.co.uk/news/uk-\", got {prefix!r}")
        regex = v.string(item, "url_regex", key=f"{key}.url_regex")
        if regex is not None:
            v.regex(regex, f"{key}.url_regex", "expected a regular expression")
        span = window
        if "window" in item:
            span = v.dates(item["window"], f"{key}.window")
        if span is None:
            raise StoryError(v.path, f"{key}.window", "expected a window here or for the story: the CDX search "
                                                      "covers the dates the story happened")
        yield WaybackSearch(prefix=prefix, outlet=v.string(item, "outlet", key=f"{key}.outlet"), url_regex=regex,
                            window=span, max_pages=v.number(item, "max_pages", 1000, int, 1, 1_000_000, prefix=key),
                            page_size=v.number(item, "page_size", 500, int, 1, 10_000, prefix=key))


class _Validator:
    """Typed accessors that raise StoryError naming the file and key."""

    def __init__(self, path):
        self.path = path

    def only(self, table: dict, allowed: set[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                raise StoryError(self.path, prefix + key,
                                 f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def table(self, data, key):
        value = data[key]
        if not isinstance(value, dict):
            raise StoryError(self.path, key, f"expected a table ([{key}])")
        return value

    def string(self, data, name, required=False, key=None):
        key = key or name
        if name not in data:
            if required:
                raise StoryError(self.path, key, "missing (expected a non-empty string)")
            return None
        value = data[name]
        if not isinstance(value, str) or not value.strip():
            raise StoryError(self.path, key, f"expected a non-empty string, got {value!r}")
        return value.strip()

    def boolean(self, data, name, default, key=None):
        value = data.get(name, default)
        if not isinstance(value, bool):
            raise StoryError(self.path, key or name, f"expected true or false, got {value!r}")
        return value

    def number(self, data, name, default, kind, low, high, prefix="crawl"):
        value = data.get(name, default)
        ok = isinstance(value, int) if kind is int else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or not (low <= value <= high):
            raise StoryError(self.path, f"{prefix}.{name}",
                             f"expected {'a whole number' if kind is int else 'a number'} from {low} to {high}, got {value!r}")
        return kind(value)

    def url(self, data, name, required=False, key=None):
        key = key or name
        value = self.string(data, name, required=required, key=key)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoryError(self.path, key, f"expected an http(s) URL, got {value!r}")
        return value

    def string_list(self, data, name, key=None):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            raise StoryError(self.path, key or name, "expected a list of non-empty strings")
        return [x.strip() for x in value]

    def url_list(self, data, name, key=None):
        items = self.string_list(data, name, key=key)
        for item in items:
            self.url({"u": item}, "u", key=key or name)
        return items

    def regex(self, pattern: str, key: str, expected: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise StoryError(self.path, key, f"{expected} ({exc})") from None

    def dates(self, raw, key: str, example: str = "") -> tuple[dt.date, dt.date]:
        if not (isinstance(raw, list) and len(raw) == 2):
            raise StoryError(self.path, key, "expected two ISO dates" + example)
        return tuple(self.date(d, key) for d in raw)

    def date(self, value, key):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise StoryError(self.path, key, f"expected ISO dates like \"2017-03-10\", got {value!r}")
