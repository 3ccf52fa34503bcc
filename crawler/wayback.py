"""The Wayback Machine's public APIs: availability (closest snapshot) and CDX (URLs in a window).

Shapes, as the real services answer them (the test stand-in answers the same):
- availability: GET {available}?url=U&timestamp=YYYYMMDDhhmmss ->
  {"archived_snapshots": {"closest": {"available": true, "status": "200",
   "timestamp": "20170313120000", "url": "http://web.archive.org/web/20170313120000/U"}}}
  or {"archived_snapshots": {}} when there is none.
- CDX: GET {endpoint}/cdx/search/cdx?url=U&output=json&... -> a JSON array whose first row names
  the columns (urlkey, timestamp, original, mimetype, statuscode, digest, length).
- raw capture: {endpoint}/web/{timestamp}id_/{url} serves the archived bytes with no banner.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from pressdiff.core.snapshots import RAW, stamp_time, wayback_url


@dataclass(frozen=True)
class WaybackCapture:
    """One archived capture of a URL, as the Wayback Machine's APIs list it."""

    original: str
    timestamp: str  # YYYYMMDDhhmmss

    def raw_url(self, endpoint: str) -> str:
        return wayback_url(endpoint, self.timestamp, self.original, RAW)

    def view_url(self, endpoint: str) -> str:
        return wayback_url(endpoint, self.timestamp, self.original)

    @property
    def captured_at(self) -> str | None:
        return stamp_time(self.timestamp[:14].ljust(14, "0"))


def stamp(day: dt.date | None) -> str:
    """A Wayback timestamp for a date (noon, to find captures either side of it)."""
    return (day or dt.date.today()).strftime("%Y%m%d") + "120000"


def availability_url(api: str, url: str, near: dt.date | None) -> str:
    return f"{api}?{urlencode({'url': url, 'timestamp': stamp(near)})}"


def parse_availability(body: bytes, url: str) -> WaybackCapture | None:
    """The closest usable snapshot from an availability answer, or None."""
    try:
        data = json.loads(body)
        closest = data["archived_snapshots"].get("closest") or {}
    except (ValueError, KeyError, AttributeError, TypeError):
        return None
    if not closest.get("available") or str(closest.get("status", "200")) != "200":
        return None
    ts = str(closest.get("timestamp", ""))
    if not (ts.isdigit() and len(ts) >= 8):
        return None
    return WaybackCapture(original=url, timestamp=ts)


def cdx_url(endpoint: str, outlet_url: str, window: tuple[dt.date, dt.date], limit: int) -> str:
    """CDX query for an outlet's HTML pages captured with status 200 inside the window."""
    host = urlsplit(outlet_url).netloc
    params = [("url", f"{host}/*"), ("output", "json"), ("from", window[0].strftime("%Y%m%d")),
              ("to", window[1].strftime("%Y%m%d")), ("filter", "statuscode:200"),
              ("filter", "mimetype:text/html"), ("collapse", "urlkey"), ("limit", str(limit))]
    return f"{endpoint}/cdx/search/cdx?{urlencode(params)}"


def cdx_search_url(endpoint: str, search, resume_key: str | None = None) -> str:
    """One page of a per-outlet CDX search: a URL prefix, a regex on the URL, the window.

    The server applies every filter; showResumeKey asks it to end the answer with the key of
    the next page (an empty row, then [key]) when there are more rows.
    """
    params = [("url", search.prefix), ("matchType", "prefix"), ("output", "json"),
              ("from", search.window[0].strftime("%Y%m%d")), ("to", search.window[1].strftime("%Y%m%d")),
              ("filter", "statuscode:200"), ("filter", "mimetype:text/html"), ("collapse", "urlkey"),
              ("limit", str(min(search.page_size, search.max_pages))), ("showResumeKey", "true")]
    if search.url_regex:
        params.append(("filter", f"original:{search.url_regex}"))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{endpoint}/cdx/search/cdx?{urlencode(params)}"


def parse_cdx(body: bytes) -> list[WaybackCapture]:
    """WaybackCaptures from a CDX JSON answer (first row: column names)."""
    return parse_cdx_page(body)[0]


def parse_cdx_page(body: bytes) -> tuple[list[WaybackCapture], str | None]:
    """WaybackCaptures from a CDX JSON answer, and the resume key of the next page (None: the last)."""
    try:
        rows = json.loads(body or b"[]")
    except ValueError:
        return [], None
    if not rows or not isinstance(rows, list):
        return [], None
    resume = None
    if len(rows) >= 2 and rows[-2] == [] and isinstance(rows[-1], list) and len(rows[-1]) == 1:
        resume = str(rows[-1][0]) or None
        rows = rows[:-2]
    header = rows[0]
    try:
        ts_i, orig_i = header.index("timestamp"), header.index("original")
    except (ValueError, AttributeError):
        return [], None
    snaps = [WaybackCapture(original=row[orig_i], timestamp=row[ts_i]) for row in rows[1:]
             if isinstance(row, list) and len(row) > max(ts_i, orig_i)]
    return snaps, resume
