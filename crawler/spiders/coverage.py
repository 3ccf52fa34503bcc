"""The coverage spider: a story's coverage URLs, what discovery finds, and Wayback fallbacks.

Every page the run means to fetch is first written to the run's frontier in SQLite; the
pipelines mark it done in the same transaction as its capture, so a run killed at any moment
resumes with nothing lost and nothing fetched twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from pressdiff.archive.capture import NOT_MODIFIED

from .. import discovery, progress, wayback
from ..extensions import Workspace
from ..frontier import LocalFrontier
from ..items import CaptureItem

logger = logging.getLogger("pressdiff.crawl")  # crawler/run.py prints "pressdiff." loggers on stderr

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Live failures after which the page is looked up in the Wayback Machine.
FALLBACK_STATUSES = {404, 410}
FALLBACK_ERRORS = (DNSLookupError, TimeoutError, TCPTimedOutError, ConnectionRefusedError, ConnectError,
                   CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError, DownloadFailedError)


def _headers(headers) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


class CoverageSpider(scrapy.Spider):
    """Fetches a story's pages once per run, with discovery and Wayback fallback.

    Spider arguments: the story and the run (crawler/run.py passes them). What the run means
    to fetch is kept by its frontier: the run's table in the workspace (the Workspace
    extension's store), or, for a worker of a crawl shared through Redis, the job's queue and
    the coordinator (the Worker extension's, crawler/distributed/components.py). Counts go to the
    crawler's stats under pressdiff/ (crawler/run.py reads the summary there).
    """

    name = "coverage"

    def __init__(self, story, run, **kwargs):
        super().__init__(**kwargs)
        self.story = story
        self.run = run
        self.frontier = None  # from spider_opened on
        self.store = None  # the workspace, for a watch's conditional requests (one-machine crawls)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        return spider

    def opened(self, spider):
        if self.crawler.settings.get("PRESSDIFF_WORKER"):
            from ..distributed.components import (
                Worker,  # scrapy-redis is only loaded for a distributed crawl
            )

            self.frontier = self.crawler.get_extension(Worker).frontier(self)
        else:
            self.frontier = LocalFrontier(self.crawler.get_extension(Workspace).store, self.run)
            if self.crawler.settings.getbool("PRESSDIFF_WATCH"):
                self.store = self.crawler.get_extension(Workspace).store
        counts = self.frontier.counts()  # a resumed run starts part done
        self.crawler.stats.set_value("pressdiff/done", sum(v for k, v in counts.items() if k != "pending"))
        progress.plan(self.crawler, sum(counts.values()))

    def count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"pressdiff/{key}")

    def fail(self, url: str, reason: str, key: str = "errors") -> None:
        self.count(key)
        self.frontier.mark(url, "failed" if key == "errors" else "skipped", reason)
        progress.report(self.crawler, f"{'failed' if key == 'errors' else 'skipped'} ({reason})", url, important=True)

    # -- starting -------------------------------------------------------------------

    async def start(self):
        if self.frontier.distributed:
            return  # the coordinator queued the seeds and sources; pages come from the job's queue
        progress.plan(self.crawler, self.frontier.plan_seeds(self.story))
        for request in self.source_requests():
            yield request
        # every page still pending: the seeds, or what an interrupted run left
        for row in self.frontier.pending():
            yield self.page_request(row["url"], row["found_by"], row["via"], row["outlet"], row["depth"])

    def source_requests(self) -> list:
        """The story's discovery sources: sitemaps, feeds, the Wayback CDX index, CDX searches."""
        story = self.story
        out = [self._source(url, self.parse_sitemap) for url in story.discovery.sitemaps]
        out += [self._source(url, self.parse_feed) for url in story.discovery.feeds]
        if story.discovery.wayback:
            hosts = {}
            for item in story.coverage:
                hosts.setdefault(urlsplit(item.url).netloc, item)
            for host, item in sorted(hosts.items()):
                cdx = wayback.cdx_url(story.crawl.wayback_endpoint, item.url, story.window,
                                      story.discovery.max_pages)
                out.append(self._source(cdx, self.parse_cdx, outlet=item.outlet, api=True))
        for i, search in enumerate(story.discovery.search):
            request = self._source(wayback.cdx_search_url(story.crawl.wayback_endpoint, search),
                                   self.parse_cdx_search, outlet=search.outlet, api=True)
            request.meta.update(search=i, read=0)
            out.append(request)
        return out

    def _source(self, url, callback, outlet=None, api=False):
        meta = {"outlet": outlet}
        if api:
            meta["dont_obey_robotstxt"] = True  # an API meant for programs, not a page to crawl
        return scrapy.Request(url, callback=callback, errback=self.source_failed, dont_filter=True, meta=meta)

    def page_request(self, url, found_by, via=None, outlet=None, depth=0):
        meta = {"requested": url, "found_by": found_by, "via": via, "outlet": outlet, "depth": depth}
        if self.story.crawl.wayback_pin and found_by == "seed":
            return self.wayback_lookup(url, meta)
        headers = {}
        validated = self.store.articles.validators(self.story.slug, url) if self.store is not None else None
        if validated:  # a watch asks whether the page changed since the archive's copy
            headers = {name: validated[key] for name, key in (("If-None-Match", "etag"),
                                                              ("If-Modified-Since", "last_modified")) if validated[key]}
            meta.update(validated=validated, handle_httpstatus_list=[NOT_MODIFIED])
        return scrapy.Request(url, callback=self.parse_page, errback=self.page_failed, dont_filter=True, meta=meta,
                              headers=headers)

    def snapshot_request(self, snap: wayback.WaybackCapture, meta: dict):
        """Fetch a Wayback capture raw (id_, no banner); the article keeps its original URL."""
        endpoint = self.story.crawl.wayback_endpoint
        return scrapy.Request(snap.raw_url(endpoint), callback=self.parse_page, errback=self.page_failed,
                              dont_filter=True,
                              meta=dict(meta, requested=snap.original, wayback_url=snap.view_url(endpoint),
                                        wayback_time=snap.captured_at, dont_obey_robotstxt=True))

    def claim(self, candidate: discovery.Candidate, request, depth: int, outlet=None) -> list:
        """Add a discovered page to the frontier, within the story's cap: what to yield to fetch it."""
        cap = self.story.discovery.max_pages
        if self.crawler.stats.get_value("pressdiff/discovered", 0) >= cap:
            return []
        if not self.frontier.claim(request, candidate.url, candidate.found_by, candidate.via, outlet, depth, cap):
            return []
        progress.plan(self.crawler, 1)
        self.count("discovered")
        return self.frontier.schedule(request)

    def enqueue(self, candidate: discovery.Candidate, depth: int, outlet=None) -> list:
        """Claim a discovered page: the request to yield for it, if any."""
        request = self.page_request(candidate.url, candidate.found_by, candidate.via, outlet, depth)
        return self.claim(candidate, request, depth, outlet)

    # -- pages ----------------------------------------------------------------------

    def parse_page(self, response):
        # A list, not a generator: Scrapy parses a generator callback's source on every call
        # to warn about `return` values, which costs more than the rest of this method.
        meta = response.meta
        url = meta["requested"]
        if response.status == NOT_MODIFIED and meta.get("validated"):
            return [self.capture_item(response, meta, body=b"", validated=meta["validated"])]
        ctype = response.headers.get("Content-Type", b"").decode("latin-1")
        if not isinstance(response, TextResponse) or (ctype and not ctype.lower().startswith(HTML_TYPES)):
            self.fail(url, f"not HTML: {ctype or 'no type'}", key="skipped")
            return []
        if meta.get("wayback_url"):
            self.count("wayback")
        headers, body, decoded = _headers(response.headers), response.body, None
        wire = meta.get("wire")
        if wire:  # archive what came over the wire; extract from what Scrapy decoded
            body, decoded = wire[0], response.body
            headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
            headers += [("Content-Encoding", v) for v in wire[1]]
        out = [self.capture_item(response, meta, body, decoded, headers)]
        d = self.story.discovery
        if d.follow_links and meta.get("depth", 0) < d.link_depth and not meta.get("wayback_url"):
            for cand in discovery.links(response, self.story):
                out.extend(self.enqueue(cand, meta.get("depth", 0) + 1))
        return out

    @staticmethod
    def capture_item(response, meta, body: bytes, decoded: bytes | None = None, headers=None,
                     validated: dict | None = None) -> CaptureItem:
        return CaptureItem(
            url=meta["requested"], final_url=response.url, method=response.request.method, status=response.status,
            request_headers=_headers(response.request.headers),
            response_headers=headers if headers is not None else _headers(response.headers),
            body=body, decoded=decoded, fetched_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
            found_by=meta["found_by"], via=meta.get("via"), outlet=meta.get("outlet"),
            wayback_url=meta.get("wayback_url"), wayback_time=meta.get("wayback_time"), validated=validated)

    def page_failed(self, failure):
        request = failure.request
        meta = request.meta
        url = meta.get("requested", request.url)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # RobotsTxtMiddleware (or the size limit) refused it: no fallback to an archive copy
            reason = str(failure.value) or "ignored"
            key = "robots" if "robots" in reason.lower() else "errors"
            self.fail(url, "forbidden by robots.txt" if key == "robots" else reason, key=key)
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            reason, eligible = f"HTTP {status}", status in FALLBACK_STATUSES
        else:
            reason = failure.getErrorMessage() or failure.type.__name__
            eligible = bool(failure.check(*FALLBACK_ERRORS))
        if eligible and self.story.crawl.wayback_fallback and not meta.get("wayback_url"):
            progress.report(self.crawler, f"live fetch failed ({reason}); asking the Wayback Machine", url,
                            finished=False, important=True)
            yield self.wayback_lookup(url, dict(meta, live_error=reason))
            return
        self.fail(url, reason)

    # -- Wayback --------------------------------------------------------------------

    def wayback_lookup(self, url, meta):
        near = self.story.window[0] if self.story.window else None
        api = wayback.availability_url(self.story.crawl.wayback_available, url, near)
        return scrapy.Request(api, callback=self.parse_availability, errback=self.lookup_failed, dont_filter=True,
                              meta=dict(meta, requested=url, dont_obey_robotstxt=True))

    def parse_availability(self, response):
        meta = response.meta
        url = meta["requested"]
        snap = wayback.parse_availability(response.body, url)
        if snap is None:
            self.fail(url, f"{meta.get('live_error', 'pinned')}; no Wayback snapshot")
            return
        yield self.snapshot_request(snap, meta)

    def lookup_failed(self, failure):
        url = failure.request.meta.get("requested", failure.request.url)
        self.fail(url, f"Wayback lookup failed ({failure.getErrorMessage() or failure.type.__name__})")

    # -- discovery sources -------------------------------------------------------------

    # A source's requests are scheduled before it is done with (for a worker: before its lease
    # ends), so each parse_* below returns a list, built whole.

    def source_failed(self, failure):
        logger.warning("discovery source failed (%s): %s", failure.getErrorMessage() or failure.type.__name__,
                       failure.request.url)
        self.frontier.source_done(failure.request)

    def parse_sitemap(self, response):
        out = []
        for cand in discovery.sitemap(response.body, response.url, self.story):
            if cand.sitemap:
                out.extend(self.frontier.schedule(self._source(cand.url, self.parse_sitemap)))
            else:
                out.extend(self.enqueue(cand, 1, outlet=response.meta.get("outlet")))
        self.frontier.source_done(response.request)
        return out

    def parse_feed(self, response):
        out = [r for cand in discovery.feed(response.body, response.url, self.story)
               for r in self.enqueue(cand, 1, outlet=response.meta.get("outlet"))]
        self.frontier.source_done(response.request)
        return out

    def parse_cdx_search(self, response):
        """One page of a [[discovery.search]]: its candidates, then the next page while rows remain.

        The URL prefix and regex did the narrowing on the server; the URL need not name the
        story (a BBC article's address is a number), so every candidate is fetched and kept
        only if its text carries the story's keywords.
        """
        meta = response.meta
        search = self.story.discovery.search[meta["search"]]
        snaps, resume = wayback.parse_cdx_page(response.body)
        room = search.max_pages - meta["read"]
        out = []
        for snap in snaps[:room]:
            cand = discovery.Candidate(snap.original, "wayback-search", response.url)
            out.extend(self.claim(cand, self.snapshot_request(snap, {"found_by": cand.found_by, "via": cand.via,
                                                                     "outlet": search.outlet, "depth": 1}),
                                  1, search.outlet))
        read = meta["read"] + min(len(snaps), max(room, 0))
        if resume and read < search.max_pages:
            request = self._source(wayback.cdx_search_url(self.story.crawl.wayback_endpoint, search, resume),
                                   self.parse_cdx_search, outlet=search.outlet, api=True)
            request.meta.update(search=meta["search"], read=read)
            out.extend(self.frontier.schedule(request))
        self.frontier.source_done(response.request)
        return out

    def parse_cdx(self, response):
        outlet = response.meta.get("outlet")
        out = []
        for snap in wayback.parse_cdx(response.body):
            if not discovery.link_matches(snap.original, "", self.story):
                continue  # the CDX index only knows URLs: their slugs must name the story
            cand = discovery.Candidate(snap.original, "wayback-cdx", response.url)
            out.extend(self.claim(cand, self.snapshot_request(snap, {"found_by": cand.found_by, "via": cand.via,
                                                                     "outlet": outlet, "depth": 1}), 1, outlet))
        self.frontier.source_done(response.request)
        return out
