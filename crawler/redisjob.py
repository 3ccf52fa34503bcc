"""A crawl shared through Redis: its keys, leases, events and the per-domain politeness of all workers.

One crawl run is one job. The coordinator (crawler/coordinator.py), the only writer of the
SQLite index, announces it under `pressdiff:jobs`; workers (crawler/worker.py) take requests
from its queue, which scrapy-redis's scheduler fills and drains (crawler/distributed.py).

Two things scrapy-redis leaves out are done here, as Lua scripts so that each step is atomic
on the server and timed by the server's clock, whatever the workers' clocks say:

- Leases. Taking a request moves its page to an in-flight set with a deadline; the worker's
  heartbeat keeps extending the deadlines of what it holds; the coordinator removes a lease
  only once the page's outcome is in the index. A killed worker stops extending its leases,
  and the next worker to take a request puts the expired ones back in the queue.
- Politeness. A domain's concurrent requests and the pause between them hold across every
  worker of every crawl, through a slot set and a next-start time per domain.
"""

from __future__ import annotations

import hashlib
import json
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from core.errors import InputError

LONGEST_LEASE = 600.0  # s a page may stay leased by a live worker before it is fetched again
JOBS = "pressdiff:jobs"  # job id -> announcement (JSON)
EVENTS_GROUP = "coordinator"
# Member of the request queue: the page key, a newline, then the serialised request (no URL
# holds a newline). The key names the lease, so that the server can take both in one step.
SEPARATOR = b"\n"

_NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

# KEYS: queue, inflight, leases, owners, scores, taken; ARGV: lease ms, worker, owned-set prefix
_TAKE = _NOW + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, key in ipairs(expired) do
  local member = redis.call('HGET', KEYS[3], key)
  if member then redis.call('ZADD', KEYS[1], tonumber(redis.call('HGET', KEYS[5], key) or '0'), member) end
  local owner = redis.call('HGET', KEYS[4], key)
  if owner then redis.call('SREM', ARGV[3] .. owner, key) end
  redis.call('ZREM', KEYS[2], key)
  redis.call('HDEL', KEYS[3], key)
  redis.call('HDEL', KEYS[4], key)
  redis.call('HDEL', KEYS[5], key)
  redis.call('HDEL', KEYS[6], key)
end
local got = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #got == 0 then return {#expired, false} end
local member, score = got[1], got[2]
redis.call('ZREM', KEYS[1], member)
local cut = string.find(member, '\\n', 1, true)
local key = string.sub(member, 1, cut - 1)
local old = redis.call('HGET', KEYS[4], key)
if old and old ~= ARGV[2] then redis.call('SREM', ARGV[3] .. old, key) end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), key)
redis.call('HSET', KEYS[3], key, member)
redis.call('HSET', KEYS[4], key, ARGV[2])
redis.call('HSET', KEYS[5], key, score)
redis.call('HSET', KEYS[6], key, now)
redis.call('SADD', ARGV[3] .. ARGV[2], key)
return {#expired, member}
"""

# KEYS: inflight, owners, owned set, taken; ARGV: lease ms, worker, longest lease ms
# A lease older than the longest is no longer extended: a request its worker lost (an error
# between taking it and reporting it) goes back to the queue even while the worker lives.
_RENEW = _NOW + """
local held = redis.call('SMEMBERS', KEYS[3])
local kept = 0
for _, key in ipairs(held) do
  local taken = tonumber(redis.call('HGET', KEYS[4], key) or '0')
  if redis.call('HGET', KEYS[2], key) == ARGV[2] and redis.call('ZSCORE', KEYS[1], key)
     and now - taken < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), key)
    kept = kept + 1
  else
    redis.call('SREM', KEYS[3], key)
  end
end
return kept
"""

# KEYS: inflight, leases, owners, scores, taken; ARGV: page key, owned-set prefix
_RELEASE = """
local owner = redis.call('HGET', KEYS[3], ARGV[1])
if owner then redis.call('SREM', ARGV[2] .. owner, ARGV[1]) end
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1])
"""

# KEYS: the domain's slot set, its next-start key; ARGV: limit, delay ms, token, slot hold ms
# Returns 0 when a slot was taken, else how many ms to wait before asking again.
_POLITE = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 20 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[2])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return 0
"""


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
    return (request.meta.get("requested") or request.url).replace("\n", "%0A")


@dataclass(frozen=True)
class Announcement:
    """What a worker needs to take part in a crawl: the story (its TOML) and the run."""

    job: str
    slug: str
    run: int
    story_toml: str
    lease_seconds: float

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Announcement:
        return cls(**json.loads(text))


def job_id(slug: str, run: int, workspace: str, started_at: str) -> str:
    """SLUG:RUN:TAG, TAG naming the workspace and the run's start: two workspaces (or a workspace
    made again) sharing a Redis server never meet, and a restarted coordinator finds its job."""
    tag = hashlib.sha1(f"{socket.gethostname()}|{workspace}|{started_at}".encode()).hexdigest()[:10]
    return f"{slug}:{run}:{tag}"


class Job:
    """The Redis side of one crawl run: every key it uses is under `pressdiff:JOB_ID:`."""

    def __init__(self, client: redis.Redis, job: str, lease_seconds: float = 60.0):
        self.r = client
        self.id = job
        self.slug, run, _ = job.split(":")
        self.run = int(run)
        p = f"pressdiff:{self.id}:"
        self.prefix = p
        self.queue, self.dupefilter = p + "requests", p + "dupefilter"
        self.inflight, self.leases, self.owners, self.scores = p + "inflight", p + "leases", p + "owners", p + "scores"
        self.taken, self.domain_ranks = p + "taken", p + "domain-ranks"
        self.owned_prefix = p + "owned:"
        self.events, self.state, self.discovered = p + "events", p + "state", p + "discovered"
        self.digests = p + "digests"  # payloads the story's archive holds, for revisit records
        self.lease_ms = int(lease_seconds * 1000)
        self.longest_ms = max(self.lease_ms * 2, int(LONGEST_LEASE * 1000))
        self.outbox: list[dict] = []  # events not yet delivered (Redis unreachable)
        self._take = client.register_script(_TAKE)
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)

    @classmethod
    def from_announcement(cls, client: redis.Redis, a: Announcement) -> Job:
        return cls(client, a.job, a.lease_seconds)

    # -- the job's life ---------------------------------------------------------------

    def announce(self, story_toml: str) -> None:
        a = Announcement(self.id, self.slug, self.run, story_toml, self.lease_ms / 1000)
        with self.r.pipeline() as p:
            p.hset(JOBS, self.id, a.to_json())
            p.hsetnx(self.state, "status", "running")
            p.execute()

    def status(self) -> str | None:
        value = self.r.hget(self.state, "status")
        return value.decode() if value else None

    def finish(self) -> None:
        """Mark the job done (workers see it when idle and stop) and drop its working keys."""
        with self.r.pipeline() as p:
            p.hset(self.state, "status", "finished")
            p.expire(self.state, 3600)
            p.hdel(JOBS, self.id)
            p.delete(self.queue, self.dupefilter, self.inflight, self.leases, self.owners, self.scores,
                     self.taken, self.domain_ranks, self.events, self.discovered, self.digests)
            p.execute()

    def outstanding(self) -> tuple[int, int, int]:
        """(requests queued, pages in flight, events not yet recorded), read at one moment."""
        with self.r.pipeline() as p:
            p.zcard(self.queue)
            p.zcard(self.inflight)
            p.xlen(self.events)
            return tuple(p.execute())

    # -- leases -----------------------------------------------------------------------

    def take(self, worker: str) -> tuple[int, bytes | None]:
        """(expired leases put back, the next queue member or None), with a lease on its page."""
        requeued, member = self._take(keys=[self.queue, self.inflight, self.leases, self.owners, self.scores,
                                            self.taken], args=[self.lease_ms, worker, self.owned_prefix])
        return requeued, member or None

    def renew(self, worker: str) -> int:
        """Extend the deadlines of the leases this worker holds; returns how many it holds."""
        return self._renew(keys=[self.inflight, self.owners, self.owned_prefix + worker, self.taken],
                           args=[self.lease_ms, worker, self.longest_ms])

    def release(self, key: str) -> None:
        """The page's outcome is in the index: its lease ends."""
        self._release(keys=[self.inflight, self.leases, self.owners, self.scores, self.taken],
                      args=[key, self.owned_prefix])

    # -- events: workers -> coordinator -----------------------------------------------

    def send(self, kind: str, **data) -> None:
        """Queue an event for the coordinator and deliver what is queued, in order. While Redis is
        unreachable, events wait here; the worker's heartbeat delivers them when it is back."""
        self.outbox.append({"type": kind, "data": json.dumps(data, sort_keys=True)})
        try:
            self.flush()
        except redis.RedisError:
            pass

    def flush(self) -> None:
        while self.outbox:
            self.r.xadd(self.events, self.outbox[0])
            self.outbox.pop(0)

    def ensure_group(self) -> None:
        try:
            self.r.xgroup_create(self.events, EVENTS_GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def receive(self, consumer: str, backlog: bool, count: int = 200, block_ms: int = 500) -> list:
        """Events not yet acknowledged: first those delivered before (backlog), then new ones.
        None when the stream is gone (Redis restarted without its data)."""
        try:
            got = self.r.xreadgroup(EVENTS_GROUP, consumer, {self.events: "0" if backlog else ">"},
                                    count=count, block=None if backlog else block_ms)
        except redis.ResponseError as exc:
            if "NOGROUP" in str(exc):
                return None
            raise
        out = []
        for _, entries in got or []:
            for event_id, fields in entries:
                if fields:
                    out.append((event_id, fields[b"type"].decode(), json.loads(fields[b"data"])))
                else:  # delivered but deleted meanwhile
                    out.append((event_id, "gone", {}))
        return out

    def done_with(self, event_ids: list) -> None:
        if event_ids:
            with self.r.pipeline() as p:
                p.xack(self.events, EVENTS_GROUP, *event_ids)
                p.xdel(self.events, *event_ids)
                p.execute()

    # -- revisits -------------------------------------------------------------------------

    def add_digest(self, url: str, sha256: str, target_uri: str, warc_date: str, record_id: str, pipe=None) -> None:
        (pipe or self.r).hsetnx(self.digests, f"{sha256} {url}", json.dumps([target_uri, warc_date, record_id]))

    def digest(self, url: str, sha256: str) -> tuple[str, str, str] | None:
        value = self.r.hget(self.digests, f"{sha256} {url}")
        return tuple(json.loads(value)) if value else None


def announced(client: redis.Redis) -> list[Announcement]:
    """The crawls now running, oldest run first."""
    jobs = [Announcement.from_json(v) for v in client.hgetall(JOBS).values()]
    return sorted(jobs, key=lambda a: (a.run, a.slug))


class Politeness:
    """Per-domain limits held in Redis: at most `limit` requests at once to a domain, across every
    worker and crawl, and `delay` seconds between the starts of two requests to it."""

    def __init__(self, client: redis.Redis):
        self.r = client
        self._acquire = client.register_script(_POLITE)

    @staticmethod
    def keys(url: str) -> tuple[str, str]:
        host = (urlsplit(url).hostname or "").lower()
        return f"pressdiff:polite:{host}:slots", f"pressdiff:polite:{host}:next"

    def acquire(self, url: str, token: str, limit: int, delay: float, hold: float) -> int:
        """0 when this request may start now (it holds a slot until release), else ms to wait."""
        return int(self._acquire(keys=list(self.keys(url)),
                                 args=[max(1, limit), int(delay * 1000), token, int(hold * 1000)]))

    def release(self, url: str, token: str) -> None:
        self.r.zrem(self.keys(url)[0], token)
