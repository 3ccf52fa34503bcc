"""Item pipelines: WARC first (the evidence), then the archive index and the extracted article."""

from __future__ import annotations

import asyncio
import hashlib
import os
from abc import ABC, abstractmethod
from concurrent.futures import ProcessPoolExecutor

from scrapy.exceptions import NotConfigured

from pressdiff.archive.capture import OUTCOMES, Fetched, prepare, record
from pressdiff.archive.warc import NOT_MODIFIED_PROFILE, Revisit, WarcArchive, warc_date
from pressdiff.core.processes import process_pool

from . import progress
from .extensions import Workspace


def _pool() -> ProcessPoolExecutor:
    # Serialising WARC records (gzip) and extraction are CPU work: worker processes do them
    # while the reactor keeps downloading. forkserver: workers never inherit the reactor's
    # threads or sockets; they die with this process (core.processes).
    workers = max(1, min(4, os.cpu_count() or 1))
    pool = process_pool(workers, "forkserver", preload=("pressdiff.archive.capture",))
    for _ in range(workers):  # start them now, while robots.txt and the first pages download
        pool.submit(os.getpid)
    return pool


class Index(ABC):
    """Where the pipeline indexes what it archived: the workspace (LocalIndex) or, for a worker
    of a distributed crawl, the coordinator (crawler/distributed/components.py: RemoteIndex)."""

    @abstractmethod
    def revisit_of(self, url: str, sha256: str) -> Revisit | None:
        """The earlier response of this URL with the same payload, which a revisit record points to."""

    @abstractmethod
    def register_warc(self, rel: str) -> None:
        """A WARC file of the run was opened."""

    @abstractmethod
    def close_warc(self, rel: str) -> None:
        """A WARC file of the run was closed (rotated, or the crawl ended)."""

    @abstractmethod
    def record(self, fetched: Fetched, page, charset: str) -> str:
        """Index one capture and its extracted page; what happened (archive.capture.OUTCOMES)."""


class LocalIndex(Index):
    """The pipeline's index when this process is the run's only crawler: the workspace itself."""

    def __init__(self, store, story, run: int):
        self.store, self.story, self.run = store, story, run

    def revisit_of(self, url: str, sha256: str) -> Revisit | None:
        row = self.store.articles.payload_response(self.story.slug, url, sha256)
        return None if row is None else Revisit(row["final_url"], warc_date(row["fetched_at"]), row["record_id"])

    def register_warc(self, rel: str) -> None:
        self.store.runs.register_warc(rel, self.run)

    def close_warc(self, rel: str) -> None:
        self.store.runs.close_warc(rel)

    def record(self, fetched: Fetched, page, charset: str) -> str:
        return record(self.store, self.story, self.run, fetched, page, charset)


class ArchivePipeline:
    """WARC records first (the evidence), then the capture and, when its text changed, a new version.

    Order matters for resume: a capture reaches its WARC file before the index, so a crash in
    between leaves a record that the next run finds and indexes instead of fetching it again.
    What to archive where comes from the crawler's settings (PRESSDIFF_DATA, PRESSDIFF_STORY,
    PRESSDIFF_RUN, set by crawler/run.py); counts go to its stats. A worker of a distributed
    crawl (PRESSDIFF_WORKER) names its WARC files with its id and sends each capture to the
    coordinator instead of indexing it. Scrapy's current pipeline API: the crawler is passed
    once, methods take no spider.
    """

    def __init__(self, crawler, data_dir: str, slug: str, run: int):
        self.crawler = crawler
        self.data_dir, self.slug, self.run = data_dir, slug, run

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("PRESSDIFF_DATA"):
            raise NotConfigured("no PRESSDIFF_DATA: not a pressdiff crawl")
        return cls(crawler, s.get("PRESSDIFF_DATA"), s.get("PRESSDIFF_STORY"), s.getint("PRESSDIFF_RUN"))

    def open_spider(self):
        worker = self.crawler.settings.get("PRESSDIFF_WORKER")
        if worker:
            from .distributed.components import Worker

            spider = self.crawler.spider
            self.story, self.index = spider.story, self.crawler.get_extension(Worker).index(spider)
        else:
            store = self.crawler.get_extension(Workspace).store
            self.story = store.articles.get_story(self.slug)
            self.index = LocalIndex(store, self.story, self.run)
        info = {"story": self.slug, "title": self.story.title, "run": self.run, **({"worker": worker} if worker else {})}
        self.archive = WarcArchive(
            self.data_dir, prefix=self.slug, max_file_bytes=self.story.crawl.max_warc_bytes, info=info,
            tag=worker, on_open=self.index.register_warc, on_close=self.index.close_warc)
        self.pool = _pool()

    def close_spider(self):
        self.pool.shutdown(wait=True, cancel_futures=False)
        self.archive.close()
        self.crawler.stats.set_value("pressdiff/warc_files", list(self.archive.files))

    async def process_item(self, item):
        headers = dict((k.lower(), v) for k, v in item["response_headers"])
        ctype = headers.get("content-type")
        exchange = {
            "url": item["final_url"], "method": item["method"], "request_headers": item["request_headers"],
            "status": item["status"], "response_headers": item["response_headers"], "body": item["body"],
            "fetched_at": item["fetched_at"],
            "metadata": {"story": self.slug, "run": self.run, "found_by": item["found_by"],
                         "requested_url": item["url"], "via": item["via"], "outlet": item["outlet"],
                         "fetched_at": item["fetched_at"], "wayback_url": item["wayback_url"],
                         "wayback_time": item["wayback_time"]}}
        validated = item.get("validated")
        if validated:  # 304: the server confirmed the response the conditional request named
            # A request and a revisit record (profile server-not-modified), serialised here: a few
            # hundred bytes, less work than the trip to the pool. No metadata record: the index has
            # its fields, and there is nothing for a replay to re-index (it indexes 2xx answers).
            exchange["revisit"] = Revisit(target_uri=validated["final_url"], date=warc_date(validated["fetched_at"]),
                                          record_id=validated["record_id"], profile=NOT_MODIFIED_PROFILE)
            exchange.pop("metadata")
            blob, page, charset = prepare(exchange, None)
        else:
            revisit = self.index.revisit_of(item["final_url"], hashlib.sha256(item["body"]).hexdigest())
            if revisit is not None:
                exchange["revisit"] = revisit
            blob, page, charset = await asyncio.wrap_future(
                self.pool.submit(prepare, exchange, ctype, item.get("decoded")))
        warc = self.archive.append(blob)
        warc["refers_to"] = exchange["revisit"].record_id if "revisit" in exchange else None
        fetched = Fetched(url=item["url"], final_url=item["final_url"], status=item["status"], content_type=ctype,
                          fetched_at=item["fetched_at"], found_by=item["found_by"], warc=warc,
                          via=item["via"], outlet=item["outlet"], wayback_url=item["wayback_url"],
                          wayback_time=item["wayback_time"], etag=headers.get("etag"),
                          last_modified=headers.get("last-modified"))
        outcome = self.index.record(fetched, page, charset)
        self.crawler.stats.inc_value(f"pressdiff/{outcome}")
        self.crawler.stats.inc_value("pressdiff/pages")
        progress.report(self.crawler, OUTCOMES.get(outcome, outcome)
                        + (" (from the Wayback Machine)" if item["wayback_url"] else ""), item["url"])
        item["body"] = item["decoded"] = b""  # the WARC has it; keep memory flat on long crawls
        return item
