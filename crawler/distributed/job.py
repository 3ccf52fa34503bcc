"""The Redis side of one crawl run (a job), as the coordinator and the workers use it.

The keys, messages and server scripts are defined in protocol.py; this module is the client:
connecting, announcing, queueing, leases, events and revisit digests, and the per-domain
politeness every worker shares.
"""

from __future__ import annotations

import hashlib
import json
import socket
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from pressdiff.core.errors import InputError

from .protocol import (
    EVENTS_GROUP,
    JOBS,
    POLITE,
    RELEASE,
    RENEW,
    SOURCES,
    TAKE,
    Announcement,
    Event,
    Gone,
    JobKeys,
    PageTask,
    SourcesTask,
    decode_event,
    encode_event,
    member,
    page_key,
    polite_keys,
    worker_key,
)


def connect(url: str) -> redis.Redis:
    """A client for url that retries through short outages; InputError naming the URL if unreachable
    now (asked once, without retrying: a wrong address is reported at once)."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, retry=Retry(NoBackoff(), 0)).ping()
        return redis.Redis.from_url(
            url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=15,
            retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=8),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError])
    except ValueError as exc:
        raise InputError(f"--redis {url!r} is not a Redis URL ({exc}); e.g. redis://host:6379/0") from None
    except redis.RedisError as exc:
        raise InputError(f"cannot reach Redis at {url} ({exc})") from None


def lease_key(request) -> str:
    """The page a Scrapy request serves, which names its lease: the page it was asked for
    (a Wayback lookup, a snapshot and a redirect serve the page), or its own URL (a source)."""
    return page_key(request.meta.get("requested") or request.url)


def job_id(slug: str, run: int, workspace: str, started_at: str) -> str:
    """SLUG:RUN:TAG, TAG naming the workspace and the run's start: two workspaces (or a workspace
    made again) sharing a Redis server never meet, and a restarted coordinator finds its job."""
    tag = hashlib.sha1(f"{socket.gethostname()}|{workspace}|{started_at}".encode()).hexdigest()[:10]
    return f"{slug}:{run}:{tag}"


def announced(client: redis.Redis) -> list[Announcement]:
    """The crawls now running, oldest run first."""
    jobs = [Announcement.decode(v) for v in client.hgetall(JOBS).values()]
    return sorted(jobs, key=lambda a: (a.run, a.slug))


def workers_alive(client: redis.Redis) -> bool:
    """Whether any worker's heartbeat is current."""
    return any(True for _ in client.scan_iter(worker_key("*"), count=100))


class Job:
    """One crawl run in Redis: every key it uses is under `pressdiff:JOB_ID:` (protocol.JobKeys)."""

    def __init__(self, client: redis.Redis, job: str, lease_seconds: float, longest_lease: float):
        self.r = client
        self.id = job
        self.keys = JobKeys(job)
        self.slug, run, _ = job.split(":")
        self.run = int(run)
        self.lease_ms = int(lease_seconds * 1000)
        self.longest_ms = max(self.lease_ms * 2, int(longest_lease * 1000))
        self.outbox: list[dict] = []  # events not yet delivered (Redis unreachable)
        self._take = client.register_script(TAKE)
        self._renew = client.register_script(RENEW)
        self._release = client.register_script(RELEASE)

    @classmethod
    def from_announcement(cls, client: redis.Redis, a: Announcement, longest_lease: float) -> Job:
        return cls(client, a.job, a.lease_seconds, longest_lease)

    # -- the job's life ---------------------------------------------------------------

    def announce(self, story_toml: str) -> None:
        a = Announcement(self.id, self.slug, self.run, story_toml, self.lease_ms / 1000)
        with self.r.pipeline() as p:
            p.hset(JOBS, self.id, a.encode())
            p.hsetnx(self.keys.state, "status", "running")
            p.execute()

    def status(self) -> str | None:
        value = self.r.hget(self.keys.state, "status")
        return value.decode() if value else None

    def finish(self) -> None:
        """Mark the job done (workers see it when idle and stop) and drop its working keys."""
        with self.r.pipeline() as p:
            p.hset(self.keys.state, "status", "finished")
            p.expire(self.keys.state, 3600)
            p.hdel(JOBS, self.id)
            p.delete(*self.keys.working())
            p.execute()

    def outstanding(self) -> tuple[int, int, int]:
        """(requests queued, pages in flight, events not yet recorded), read at one moment."""
        with self.r.pipeline() as p:
            p.zcard(self.keys.queue)
            p.zcard(self.keys.inflight)
            p.xlen(self.keys.events)
            return tuple(p.execute())

    # -- the queue --------------------------------------------------------------------

    def push(self, key: str, payload: bytes, priority: int, host: str) -> None:
        """Queue a member, ordered by priority, then by its rank among its domain's members: the
        queue takes turns between domains, so that no worker waits on one domain's politeness
        while another domain's pages sit in the queue."""
        rank = self.r.hincrby(self.keys.domain_ranks, host, 1)
        self.r.zadd(self.keys.queue, {member(key, payload): -priority * 2 ** 32 + rank})

    def push_page(self, task: PageTask) -> None:
        self.push(page_key(task.url), task.encode(), 0, urlsplit(task.url).hostname or "")

    def push_sources(self) -> None:
        self.push(SOURCES, SourcesTask().encode(), 0, "")

    # -- leases -----------------------------------------------------------------------

    def take(self, worker: str) -> tuple[int, bytes | None]:
        """(expired leases put back, the next queue member or None), with a lease on its page."""
        k = self.keys
        requeued, got = self._take(keys=[k.queue, k.inflight, k.leases, k.owners, k.scores, k.taken],
                                   args=[self.lease_ms, worker, k.owned_prefix])
        return requeued, got or None

    def renew(self, worker: str) -> int:
        """Extend the deadlines of the leases this worker holds; returns how many it holds."""
        k = self.keys
        return self._renew(keys=[k.inflight, k.owners, k.owned(worker), k.taken],
                           args=[self.lease_ms, worker, self.longest_ms])

    def release(self, key: str) -> None:
        """The page's outcome is in the index: its lease ends."""
        k = self.keys
        self._release(keys=[k.inflight, k.leases, k.owners, k.scores, k.taken], args=[key, k.owned_prefix])

    def beat(self, worker: str, pid: int) -> None:
        """A worker's heartbeat: its leases renewed and its id kept for one more lease."""
        self.renew(worker)
        self.r.set(worker_key(worker), pid, ex=max(1, int(self.lease_ms / 1000)))

    # -- events: workers -> coordinator -----------------------------------------------

    def send(self, event: Event) -> None:
        """Queue an event for the coordinator and deliver what is queued, in order. While Redis is
        unreachable, events wait here; the worker's heartbeat delivers them when it is back."""
        self.outbox.append(encode_event(event))
        try:
            self.flush()
        except redis.RedisError:
            pass

    def flush(self) -> None:
        while self.outbox:
            self.r.xadd(self.keys.events, self.outbox[0])
            self.outbox.pop(0)

    def ensure_group(self) -> None:
        try:
            self.r.xgroup_create(self.keys.events, EVENTS_GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def receive(self, consumer: str, backlog: bool, count: int = 200,
                block_ms: int = 500) -> list[tuple[bytes, Event | Gone]] | None:
        """Events not yet acknowledged: first those delivered before (backlog), then new ones.
        None when the stream is gone (Redis restarted without its data)."""
        try:
            got = self.r.xreadgroup(EVENTS_GROUP, consumer, {self.keys.events: "0" if backlog else ">"},
                                    count=count, block=None if backlog else block_ms)
        except redis.ResponseError as exc:
            if "NOGROUP" in str(exc):
                return None
            raise
        return [(event_id, decode_event(fields)) for _, entries in got or [] for event_id, fields in entries]

    def done_with(self, event_ids: list) -> None:
        if event_ids:
            with self.r.pipeline() as p:
                p.xack(self.keys.events, EVENTS_GROUP, *event_ids)
                p.xdel(self.keys.events, *event_ids)
                p.execute()

    # -- revisits -------------------------------------------------------------------------

    def add_digest(self, url: str, sha256: str, target_uri: str, warc_date: str, record_id: str, pipe=None) -> None:
        (pipe or self.r).hsetnx(self.keys.digests, f"{sha256} {url}", json.dumps([target_uri, warc_date, record_id]))

    def digest(self, url: str, sha256: str) -> tuple[str, str, str] | None:
        value = self.r.hget(self.keys.digests, f"{sha256} {url}")
        return tuple(json.loads(value)) if value else None


class Politeness:
    """Per-domain limits held in Redis: at most `limit` requests at once to a domain, across every
    worker and crawl, and `delay` seconds between the starts of two requests to it."""

    def __init__(self, client: redis.Redis):
        self.r = client
        self._acquire = client.register_script(POLITE)

    @staticmethod
    def keys(url: str) -> tuple[str, str]:
        return polite_keys((urlsplit(url).hostname or "").lower())

    def acquire(self, url: str, token: str, limit: int, delay: float, hold: float) -> int:
        """0 when this request may start now (it holds a slot until release), else ms to wait."""
        return int(self._acquire(keys=list(self.keys(url)),
                                 args=[max(1, limit), int(delay * 1000), token, int(hold * 1000)]))

    def release(self, url: str, token: str) -> None:
        self.r.zrem(self.keys(url)[0], token)
