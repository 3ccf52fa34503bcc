"""Scrapy components of a worker in a crawl shared through Redis, on scrapy-redis.

scrapy-redis provides the scheduler (requests in a Redis sorted set) and the dupefilter (a
Redis set). What it lacks is added here, on top of job.py:

- LeasedQueue: taking a request leases its page; expired leases are put back; the
  coordinator's tasks (protocol.PageTask, SourcesTask) become the spider's requests.
- PageDupeFilter: one entry per page, not per request, so that the Wayback lookup, the
  snapshot and a redirect of a page count as that page.
- RedisPoliteness: per-domain concurrency and delay across all workers.
- Worker: the worker's heartbeat (it renews its leases), its frontier for the spider and its
  index for the pipeline, which sends each capture to the coordinator as an event.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from urllib.parse import urlsplit

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from twisted.internet import task

from pressdiff.archive.warc import Revisit

from ..frontier import Frontier
from ..pipelines import Index
from .job import Job, Politeness, connect, lease_key
from .protocol import (
    Captured,
    Marked,
    PageTask,
    Planned,
    SourcesTask,
    WarcFile,
    decode_task,
    page_fingerprint,
    split_member,
    worker_key,
)

logger = logging.getLogger("pressdiff.worker")


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop leases the request's page (Job.take).

    The spider carries the job and the worker's id (worker.py passes them).
    """

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.job, self.worker = spider.job, spider.worker_id
        self.take_while_waiting = spider.crawler.settings.getint("PRESSDIFF_TAKE_WHILE_WAITING")

    def _waiting(self) -> int:
        """Requests this worker has taken that are not being transferred yet."""
        downloader = getattr(self.spider.crawler.engine, "downloader", None)
        if downloader is None:
            return 0
        return len(downloader.active) - sum(len(slot.transferring) for slot in downloader.slots.values())

    def push(self, request):
        self.job.push(lease_key(request), self._encode_request(request), request.priority,
                      urlsplit(request.url).hostname or "")

    def pop(self, timeout=0):
        if self._waiting() >= self.take_while_waiting:
            return None  # requests taken here already wait for their domains: leave the rest to others
        while True:
            try:
                requeued, got = self.job.take(self.worker)
            except redis.RedisError:
                return None  # the Worker's heartbeat reports an outage and gives up if it lasts
            if requeued:
                logger.info("%d page(s) of stopped workers put back in the queue", requeued)
            if got is None:
                return None
            key, payload = split_member(got)
            work = decode_task(payload)
            if work is None:
                return self._decode_request(payload)
            if isinstance(work, PageTask):
                return self.spider.page_request(work.url, work.found_by, work.via, work.outlet, work.depth)
            if isinstance(work, SourcesTask):  # its requests go to the queue, for any worker to take
                for request in self.spider.source_requests():
                    self.push(request)
                self.job.release(key)


class PageDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter, keyed by page (job.lease_key) in the job's set."""

    def request_fingerprint(self, request):
        return page_fingerprint(lease_key(request))

    @classmethod
    def from_spider(cls, spider):
        return cls(spider.job.r, key=spider.job.keys.dupefilter)


class RedisPoliteness:
    """Downloader middleware: a request starts only when its domain has a free slot across every
    worker (CONCURRENT_REQUESTS_PER_DOMAIN in all) and DOWNLOAD_DELAY has passed since the last
    start there. A slot is held until the response or error, or DOWNLOAD_TIMEOUT if the worker
    dies with it."""

    def __init__(self, client, limit: int, delay: float, hold: float):
        self.polite = Politeness(client)
        self.limit, self.delay, self.hold = limit, delay, hold

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("PRESSDIFF_WORKER"):
            raise NotConfigured("not a worker of a distributed crawl")
        return cls(connect(s.get("PRESSDIFF_REDIS")), s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                   s.getfloat("DOWNLOAD_DELAY"), s.getfloat("DOWNLOAD_TIMEOUT") + 5)

    async def process_request(self, request):
        token = uuid.uuid4().hex
        while True:
            wait = self.polite.acquire(request.url, token, self.limit, self.delay, self.hold)
            if not wait:
                break
            await asyncio.sleep(wait / 1000)
        request.meta["polite_token"] = token
        return None

    def _release(self, request) -> None:
        token = request.meta.pop("polite_token", None)
        if token:
            self.polite.release(request.url, token)

    def process_response(self, request, response):
        self._release(request)
        return response

    def process_exception(self, request, exception):
        self._release(request)
        return None


class RedisFrontier(Frontier):
    """The spider's frontier in a worker: pages are claimed in the job's Redis dupefilter, queued
    in its Redis queue, and reported to the coordinator, which writes the frontier in SQLite.

    A discovered page is pushed to the queue before its discovery source's lease ends, so that
    a worker killed between the two leaves the source to be fetched again, never a page lost.
    """

    distributed = True

    def __init__(self, job: Job, queue: LeasedQueue, dupefilter: PageDupeFilter):
        self.job, self.queue, self.df = job, queue, dupefilter

    def counts(self) -> dict[str, int]:
        return {}

    def claim(self, request, url, found_by, via, outlet, depth, cap) -> bool:
        r, discovered = self.job.r, self.job.keys.discovered
        if r.incr(discovered) > cap:
            r.decr(discovered)
            return False
        if self.df.request_seen(request):
            r.decr(discovered)
            return False
        self.job.send(Planned(url, found_by, via, outlet, depth))
        return True

    def mark(self, url: str, state: str, note: str) -> None:
        self.job.send(Marked(url, state, note))

    def schedule(self, request) -> list:
        self.queue.push(request)
        return []

    def source_done(self, request) -> None:
        self.job.release(lease_key(request))


class RemoteIndex(Index):
    """The pipeline's index for a worker: captures and WARC files go to the coordinator as events."""

    def __init__(self, job: Job, worker: str):
        self.job, self.worker = job, worker

    def revisit_of(self, url: str, sha256: str) -> Revisit | None:
        found = self.job.digest(url, sha256)
        return Revisit(*found) if found else None

    def register_warc(self, rel: str) -> None:
        self.job.send(WarcFile(rel, False, self.worker))

    def close_warc(self, rel: str) -> None:
        self.job.send(WarcFile(rel, True, self.worker))

    def record(self, fetched, page, charset: str) -> str:
        self.job.send(Captured(fetched, page, charset, self.worker))
        return "sent"


class Worker:
    """Extension of a worker's crawl: renews its leases, keeps the engine asking Redis for work,
    and keeps the spider open until the coordinator marks the job finished."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.give_up = s.getfloat("PRESSDIFF_GIVE_UP")
        self.heartbeat_every = s.getfloat("PRESSDIFF_HEARTBEAT")
        self.poke_every = s.getfloat("PRESSDIFF_POKE")
        self.lost_since: float | None = None
        self.loops: list = []
        self.stopped_by_outage = False

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("PRESSDIFF_WORKER"):
            raise NotConfigured("not a worker of a distributed crawl")
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def frontier(self, spider) -> RedisFrontier:
        return RedisFrontier(spider.job, LeasedQueue(spider.job.r, spider, spider.job.keys.queue),
                             PageDupeFilter.from_spider(spider))

    def index(self, spider) -> RemoteIndex:
        return RemoteIndex(spider.job, spider.worker_id)

    def opened(self, spider):
        self.spider = spider
        # three missed beats still keep a lease (crawler/settings.py)
        every = max(0.2, min(self.heartbeat_every, spider.job.lease_ms / 1000 / 4))
        self.loops = [task.LoopingCall(self.heartbeat), task.LoopingCall(self.poke)]
        self.loops[0].start(every)
        self.loops[1].start(self.poke_every, now=False)

    def heartbeat(self) -> None:
        job, me = self.spider.job, self.spider.worker_id
        try:
            job.flush()
            job.beat(me, os.getpid())
        except redis.RedisError as exc:
            now = time.monotonic()
            if self.lost_since is None:
                self.lost_since = now
                logger.warning("lost Redis (%s); retrying for %d s", exc, self.give_up)
            elif now - self.lost_since > self.give_up and not self.stopped_by_outage:
                self.stopped_by_outage = True
                logger.error("Redis unreachable for %d s; stopping (rerun the worker to resume)", self.give_up)
                self.crawler.engine.close_spider(self.spider, "redis_lost")
            return
        if self.lost_since is not None:
            logger.warning("Redis is back after %.1f s", time.monotonic() - self.lost_since)
            self.lost_since = None

    def poke(self) -> None:
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and self.lost_since is None:
            slot.nextcall.schedule()

    def idle(self, spider):
        try:
            finished = spider.job.status() == "finished"
        except redis.RedisError:
            finished = False
        if not finished and not self.stopped_by_outage:
            raise DontCloseSpider

    def closed(self, spider, reason):
        for loop in self.loops:
            if loop.running:
                loop.stop()
        try:
            spider.job.flush()
            if not spider.job.outbox:  # a clean stop: the name is free for a worker at once
                spider.job.r.delete(worker_key(spider.worker_id))
        except redis.RedisError:
            pass
        if spider.job.outbox:
            logger.error("%d capture report(s) could not reach the coordinator; their pages are in this worker's "
                         "WARC files and will be fetched again", len(spider.job.outbox))
