"""The coverage spider: fetches a story's coverage URLs and hands each page to the pipelines."""

from __future__ import annotations

import datetime as dt
import sys

import scrapy
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from ..items import CaptureItem

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _headers(headers) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        for value in values:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
    return out


class CoverageSpider(scrapy.Spider):
    """Fetches each coverage URL once per crawl."""

    name = "coverage"

    def __init__(self, story, data_dir, **kwargs):
        super().__init__(**kwargs)
        self.story = story
        self.data_dir = data_dir
        self.queued = len(story.coverage)
        self.summary = {"pages": 0, "new_versions": 0, "unchanged": 0, "no_text": 0,
                        "errors": 0, "skipped": 0, "warc_files": []}

    async def start(self):
        for item in self.story.coverage:
            yield scrapy.Request(item.url, callback=self.parse, errback=self.failed, dont_filter=True,
                                 meta={"found_by": "seed", "outlet": item.outlet, "requested": item.url})

    def parse(self, response):
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if not isinstance(response, TextResponse) or (ctype and not ctype.startswith(HTML_TYPES)):
            self.summary["skipped"] += 1
            self.summary["pages"] += 1
            print(f"pressdiff: [{self.summary['pages']}/{self.queued}] skipped, not HTML ({ctype or 'no type'}): "
                  f"{response.url}", file=sys.stderr, flush=True)
            return
        yield CaptureItem(
            url=response.meta["requested"], final_url=response.url, method=response.request.method,
            status=response.status, request_headers=_headers(response.request.headers),
            response_headers=_headers(response.headers), body=response.body,
            fetched_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
            found_by=response.meta["found_by"], outlet=response.meta.get("outlet"))

    def failed(self, failure):
        request = failure.request
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        else:
            reason = failure.getErrorMessage() or failure.type.__name__
        self.summary["errors"] += 1
        self.summary["pages"] += 1
        print(f"pressdiff: [{self.summary['pages']}/{self.queued}] failed ({reason}): {request.url}",
              file=sys.stderr, flush=True)
