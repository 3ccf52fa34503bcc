"""Scrapy components of a worker in a crawl shared through Redis, on scrapy-redis.

scrapy-redis provides the scheduler (requests in a Redis sorted set) and the dupefilter (a
Redis set). What it lacks is added here, on top of crawler/redisjob.py:

- LeasedQueue: taking a request leases its page (see redisjob); expired leases are put back.
- PageDupeFilter: one entry per page, not per request, so that the Wayback lookup, the
  snapshot and a redirect of a page count as that page.
- RedisPoliteness: per-domain concurrency and delay across all workers.
- Worker: the worker's heartbeat (it renews its leases), its frontier for the spider and its
  index for the pipeline, which sends each capture to the coordinator through Redis.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
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
from w3lib.url import canonicalize_url

from .frontier import RedisFrontier
from .redisjob import SEPARATOR, Job, Politeness, connect, lease_key
from .warc import Revisit

logger = logging.getLogger("pressdiff.worker")


# A worker takes no more requests while this many of its own wait to be transferred, so
# that pages spread over the workers instead of queueing inside the first one.
TAKE_WHILE_WAITING = 2


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop leases the request's page (redisjob.Job.take).

    The spider carries the job and the worker's id (crawler/worker.py passes them).
    """

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(spider.job.r, spider, key, serializer)
        self.job, self.worker = spider.job, spider.worker_id

    def _waiting(self) -> int:
        """Requests this worker has taken that are not being transferred yet."""
        crawler = getattr(self.spider, "crawler", None)
        downloader = getattr(getattr(crawler, "engine", None), "downloader", None)
        if downloader is None:
            return 0
        return len(downloader.active) - sum(len(slot.transferring) for slot in downloader.slots.values())

    def push(self, request):
        """Queue a request, ordered by priority, then by its rank among its domain's requests:
        the queue takes turns between domains, so that no worker waits on one domain's
        politeness while another domain's pages sit in the queue."""
        member = lease_key(request).encode("utf-8") + SEPARATOR + self._encode_request(request)
        rank = self.server.hincrby(self.job.domain_ranks, urlsplit(request.url).hostname or "", 1)
        self.server.zadd(self.key, {member: -request.priority * 2 ** 32 + rank})

    def pop(self, timeout=0):
        if self._waiting() >= TAKE_WHILE_WAITING:
            return None  # requests taken here already wait for their domains: leave the rest to others
        try:
            requeued, member = self.job.take(self.worker)
        except redis.RedisError:
            return None  # the Worker's heartbeat reports an outage and gives up if it lasts
        if requeued:
            logger.info("%d page(s) of stopped workers put back in the queue", requeued)
        if member is None:
            return None
        return self._decode_request(member.split(SEPARATOR, 1)[1])


def page_fingerprint(key: str) -> str:
    return hashlib.sha1(canonicalize_url(key).encode("utf-8")).hexdigest()


class PageDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter, keyed by page (redisjob.lease_key) in the job's set."""

    def request_fingerprint(self, request):
        return page_fingerprint(lease_key(request))

    @classmethod
    def from_spider(cls, spider):
        return cls(spider.job.r, key=spider.job.dupefilter)


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


class RemoteIndex:
    """The pipeline's index for a worker: captures and WARC files go to the coordinator as events."""

    def __init__(self, job: Job, worker: str):
        self.job, self.worker = job, worker

    def revisit_of(self, url: str, sha256: str) -> Revisit | None:
        found = self.job.digest(url, sha256)
        return Revisit(*found) if found else None

    def register_warc(self, rel: str) -> None:
        self.job.send("warc", path=rel, closed=False, worker=self.worker)

    def close_warc(self, rel: str) -> None:
        self.job.send("warc", path=rel, closed=True, worker=self.worker)

    def record(self, fetched, page, charset: str) -> str:
        self.job.send("capture", fetched=dataclasses.asdict(fetched), charset=charset, worker=self.worker,
                      page=dataclasses.asdict(page) if page is not None else None)
        return "sent"


class Worker:
    """Extension of a worker's crawl: renews its leases, keeps the engine asking Redis for work,
    and keeps the spider open until the coordinator marks the job finished."""

    POKE_EVERY = 0.2  # s: Scrapy itself looks at an idle scheduler only every 5 s

    def __init__(self, crawler):
        self.crawler = crawler
        self.give_up = crawler.settings.getfloat("PRESSDIFF_REDIS_GIVE_UP", 60.0)
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
        return RedisFrontier(spider.job, LeasedQueue(None, spider, spider.job.queue),
                             PageDupeFilter.from_spider(spider))

    def index(self, spider) -> RemoteIndex:
        return RemoteIndex(spider.job, spider.worker_id)

    def opened(self, spider):
        self.spider = spider
        every = max(0.2, spider.job.lease_ms / 1000 / 4)
        self.loops = [task.LoopingCall(self.heartbeat), task.LoopingCall(self.poke)]
        self.loops[0].start(every)
        self.loops[1].start(self.POKE_EVERY, now=False)

    def heartbeat(self) -> None:
        job, me = self.spider.job, self.spider.worker_id
        try:
            job.flush()
            job.renew(me)
            job.r.set(f"pressdiff:worker:{me}", os.getpid(), ex=max(1, int(job.lease_ms / 1000)))
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
                spider.job.r.delete(f"pressdiff:worker:{spider.worker_id}")
        except redis.RedisError:
            pass
        if spider.job.outbox:
            logger.error("%d capture report(s) could not reach the coordinator; their pages are in this worker's "
                         "WARC files and will be fetched again", len(spider.job.outbox))
