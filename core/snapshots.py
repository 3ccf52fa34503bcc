"""Web-archive snapshot URLs: the original page a Wayback Machine or archive.today URL stands for.

Records written by other tools (newspaper3k, news-please, hand-made lists) often carry the
address of a snapshot instead of the article's own: `https://web.archive.org/web/20170314093000id_/
https://www.theregister.co.uk/...`. The article is the original page; the snapshot is where
this copy was taken from, kept beside it.

Forms read (as the archives write them):
- Wayback Machine: {host}/web/{timestamp}{flag_}/{original}, timestamp 4 to 14 digits, an
  optional flag such as `id_`, `if_`, `im_`; hosts web.archive.org, wayback.archive.org, and
  Archive-It's wayback.archive-it.org/{collection}/{timestamp}/{original};
- archive.today (archive.ph, .is, .li, .vn, .fo, .md, .today): /{YYYY.MM.DD-hhmmss}/{original},
  /{timestamp}/{original}, /o/{id}/{original}, /newest/{original}.

The original may have lost a slash (`https:/example.com`, as some clients collapse `//`) or its
scheme (`www.example.com/a`); both are restored. A short archive.today link (`archive.ph/AbCdE`)
names no original and is left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

WAYBACK_HOSTS = {"web.archive.org", "wayback.archive.org"}
ARCHIVE_IT_HOST = "wayback.archive-it.org"
ARCHIVE_TODAY_HOSTS = {f"archive.{tld}" for tld in ("today", "ph", "is", "li", "vn", "fo", "md")}

_WAYBACK_PATH = re.compile(r"^/web/(?P<ts>\d{4,14})(?:[a-z]{2}_)?/(?P<original>.+)$", re.S)
_ARCHIVE_IT_PATH = re.compile(r"^/\d+/(?P<ts>\d{4,14})(?:[a-z]{2}_)?/(?P<original>.+)$", re.S)
_TODAY_PATH = re.compile(r"^/(?:(?P<dotted>\d{4}\.\d{2}\.\d{2}-\d{6})|(?P<ts>\d{8,14})|o/\w+|newest)/(?P<original>.+)$",
                         re.S)
_SCHEME = re.compile(r"^(https?):/+", re.I)
_HOSTLIKE = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$)")


@dataclass(frozen=True)
class Snapshot:
    """A snapshot URL read back: the page it is a copy of, and when the copy was taken."""

    original: str
    snapshot: str
    archive: str  # "Wayback Machine" | "Archive-It" | "archive.today"
    captured_at: str | None  # ISO 8601, UTC, when the timestamp gives one to the second

    def as_meta(self) -> dict:
        return {"url": self.snapshot, "archive": self.archive, "captured_at": self.captured_at}


def read_snapshot(url: str) -> Snapshot | None:
    """The snapshot a URL is, or None when it is no web-archive snapshot (or names no original)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = url[url.find(parts.netloc) + len(parts.netloc):] if parts.netloc else ""
    if host in WAYBACK_HOSTS:
        archive, m = "Wayback Machine", _WAYBACK_PATH.match(path)
    elif host == ARCHIVE_IT_HOST:
        archive, m = "Archive-It", _ARCHIVE_IT_PATH.match(path)
    elif host in ARCHIVE_TODAY_HOSTS:
        archive, m = "archive.today", _TODAY_PATH.match(path)
    else:
        return None
    if not m:
        return None
    original = _restore(m.group("original"))
    if original is None or read_snapshot(original) is not None:
        return None  # a snapshot of a snapshot: nothing trustworthy to read
    stamp = m.groupdict().get("ts") or (m.groupdict().get("dotted") or "").replace(".", "").replace("-", "")
    return Snapshot(original=original, snapshot=url, archive=archive, captured_at=stamp_time(stamp))


def is_archive_host(name: str) -> bool:
    """Whether a site name or host is a web archive's ("web.archive.org", "https://archive.ph/")."""
    host = urlsplit(name if "//" in name else f"//{name}").hostname or ""
    host = host.removeprefix("www.")
    return host in WAYBACK_HOSTS | ARCHIVE_TODAY_HOSTS | {ARCHIVE_IT_HOST, "archive.org"}


def _restore(original: str) -> str | None:
    m = _SCHEME.match(original)
    if m:
        original = f"{m.group(1).lower()}://{original[m.end():]}"
    elif _HOSTLIKE.match(original):
        original = "http://" + original
    else:
        return None
    parts = urlsplit(original)
    return original if parts.netloc and "." in (parts.hostname or "") else None


RAW = "id_"  # the flag of a Wayback capture served as archived, with no banner or rewritten links


def wayback_url(endpoint: str, timestamp: str, original: str, flag: str = "") -> str:
    """A Wayback Machine snapshot URL: {endpoint}/web/{timestamp}{flag}/{original} (the form read_snapshot reads)."""
    return f"{endpoint}/web/{timestamp}{flag}/{original}"


def stamp_time(stamp: str) -> str | None:
    """A 14-digit Wayback timestamp as ISO 8601 UTC; None for a shortened or impossible one."""
    if len(stamp) != 14:
        return None  # a shortened timestamp is a request for "the nearest", not a time
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc).isoformat()
    except ValueError:
        return None
