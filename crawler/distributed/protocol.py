"""The protocol of a crawl shared through Redis, in one place: keys, messages and server scripts.

Who talks to whom:

- The coordinator (coordinator.py, the one writer of the workspace's SQLite index) announces a
  job under JOBS, fills its queue with PageTask and SourcesTask members, and reads the workers'
  events from the job's stream.
- Workers (worker.py, components.py) take queue members under a lease (TAKE), renew the leases
  they hold with their heartbeat (RENEW), push the requests they discover, and send one event
  per outcome: Planned, Marked, WarcFile, Captured.
- The coordinator ends a page's lease (RELEASE) only once its outcome is in the index.
- Every worker of every crawl asks POLITE before a request to a domain starts.

Scripts run atomically on the server and read the server's clock (TIME), whatever the
workers' clocks say. Stored values are described beside each key below.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import ClassVar

from w3lib.url import canonicalize_url

from pressdiff.archive.capture import Fetched
from pressdiff.archive.extract import Extracted

# -- Keys ------------------------------------------------------------------------------

JOBS = "pressdiff:jobs"  # hash: job id -> Announcement (JSON) of every crawl now running
EVENTS_GROUP = "coordinator"  # the consumer group of a job's event stream


def worker_key(worker: str) -> str:
    """String: the process id of worker `worker`'s crawl process, expiring one lease after its
    last heartbeat. While it exists, no other process may use that worker id (its WARC files)."""
    return f"pressdiff:worker:{worker}"


def polite_keys(host: str) -> tuple[str, str]:
    """(slots, next start) of one domain, shared by every crawl: a sorted set of request tokens
    scored by when their slot is freed at the latest (ms), and a string holding the earliest ms
    at which the next request may start (DOWNLOAD_DELAY), expiring then."""
    return f"pressdiff:polite:{host}:slots", f"pressdiff:polite:{host}:next"


class _Key:
    """One key of a job, named under `pressdiff:JOB:`; its docstring says what it stores."""

    def __init__(self, name: str, doc: str):
        self.name, self.__doc__ = name, doc

    def __get__(self, keys, owner=None):
        return self if keys is None else f"pressdiff:{keys.job}:{self.name}"


@dataclass(frozen=True)
class JobKeys:
    """Every key of one job (SLUG:RUN:TAG), under `pressdiff:JOB:`."""

    job: str

    queue = _Key("requests", "Sorted set of queue members (see `member`), scored by priority, then the member's "
                 "rank among its domain's (the queue takes turns between domains); lowest first.")
    dupefilter = _Key("dupefilter", "Set of page fingerprints (sha1 of the canonical page URL) already queued or "
                      "planned.")
    inflight = _Key("inflight", "Sorted set of leased page keys, scored by their lease's deadline (ms, server clock).")
    leases = _Key("leases", "Hash: leased page key -> its queue member, put back in the queue when the lease expires.")
    owners = _Key("owners", "Hash: leased page key -> the worker id holding it.")
    scores = _Key("scores", "Hash: leased page key -> its queue score, kept for when it goes back in the queue.")
    taken = _Key("taken", "Hash: leased page key -> when it was taken (ms): no lease is renewed past LONGEST_LEASE.")
    owned_prefix = _Key("owned:", "Prefix of each worker's set of the page keys it holds leases on (owned()).")
    domain_ranks = _Key("domain-ranks", "Hash: host -> how many members of that domain were ever queued (the next "
                        "one's rank).")
    events = _Key("events", "Stream of events from workers (fields: type, data), read by the EVENTS_GROUP.")
    state = _Key("state", "Hash: status -> running | finished (finished: workers stop when idle; kept an hour).")
    discovered = _Key("discovered", "String: pages claimed by discovery so far, held under the story's max_pages.")
    digests = _Key("digests", 'Hash: "SHA256 URL" -> [target URI, WARC-Date, record id] of a response the archive '
                   "holds, to which a response with the same payload is written as a revisit record.")

    def owned(self, worker: str) -> str:
        """Set of the page keys worker `worker` holds leases on (what its heartbeat renews)."""
        return self.owned_prefix + worker

    def working(self) -> tuple[str, ...]:
        """The keys dropped when the job finishes (all but state)."""
        return (self.queue, self.dupefilter, self.inflight, self.leases, self.owners, self.scores, self.taken,
                self.domain_ranks, self.events, self.discovered, self.digests)


# -- The announcement of a job ----------------------------------------------------------------

@dataclass(frozen=True)
class Announcement:
    """What a worker needs to take part in a crawl (a JOBS entry): the story (its TOML) and the run."""

    job: str
    slug: str
    run: int
    story_toml: str
    lease_seconds: float

    def encode(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def decode(cls, text: str | bytes) -> Announcement:
        return cls(**json.loads(text))


# -- Queue members ------------------------------------------------------------------------

# A member is the page key, a newline, then the payload (no URL holds a newline): the key names
# the lease, so that TAKE leases the page in the same step as it pops the member. The payload
# is a Scrapy request serialised by scrapy-redis (pickle: starts with 0x80) when a worker
# queued it, or a task (JSON: starts with "{") when the coordinator did.
SEPARATOR = b"\n"
SOURCES = "sources"  # the page key of the SourcesTask


def page_key(url: str) -> str:
    """The key that names a page's lease and its dupefilter entry: its URL (never a raw newline)."""
    return url.replace("\n", "%0A")


def page_fingerprint(key: str) -> str:
    """A page's entry in the job's dupefilter: sha1 of its canonical page key."""
    return hashlib.sha1(canonicalize_url(key).encode("utf-8")).hexdigest()


def member(key: str, payload: bytes) -> bytes:
    """A queue member for page_key `key`."""
    return key.encode("utf-8") + SEPARATOR + payload


def split_member(m: bytes) -> tuple[str, bytes]:
    key, _, payload = m.partition(SEPARATOR)
    return key.decode("utf-8"), payload


@dataclass(frozen=True)
class PageTask:
    """Fetch one page of the run's frontier (the coordinator queues every pending page)."""

    url: str
    found_by: str
    via: str | None = None
    outlet: str | None = None
    depth: int = 0

    def encode(self) -> bytes:
        return json.dumps({"task": "page", **dataclasses.asdict(self)}, sort_keys=True).encode("utf-8")

    @classmethod
    def from_row(cls, row) -> PageTask:
        """The task for a frontier row (store.runs)."""
        return cls(row["url"], row["found_by"], row["via"], row["outlet"], row["depth"])


@dataclass(frozen=True)
class SourcesTask:
    """Queue the story's discovery sources (sitemaps, feeds, CDX queries): the worker that takes
    it makes their requests, which need the story's Scrapy spider, and queues them."""

    def encode(self) -> bytes:
        return b'{"task": "sources"}'


def decode_task(payload: bytes) -> PageTask | SourcesTask | None:
    """The coordinator's task in a payload, or None for a Scrapy request a worker queued."""
    if not payload.startswith(b"{"):
        return None
    data = json.loads(payload)
    kind = data.pop("task")
    if kind == "sources":
        return SourcesTask()
    if kind == "page":
        return PageTask(**data)
    raise ValueError(f"unknown task {kind!r} in the crawl's queue")


# -- Events: workers -> coordinator ---------------------------------------------------------

class _Event:
    """An event's fields as JSON-ready data, and back (Captured nests records)."""

    kind: ClassVar[str]

    def data(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict):
        return cls(**data)


@dataclass(frozen=True)
class Planned(_Event):
    """A worker claimed a discovered page (the dupefilter had not seen it) and queued it."""

    kind: ClassVar[str] = "planned"
    url: str
    found_by: str
    via: str | None
    outlet: str | None
    depth: int


@dataclass(frozen=True)
class Marked(_Event):
    """A page ended without a capture: failed (state "failed") or skipped, and why."""

    kind: ClassVar[str] = "marked"
    url: str
    state: str
    note: str


@dataclass(frozen=True)
class WarcFile(_Event):
    """A worker opened (closed=False) or closed one of its WARC files (path relative to DATA)."""

    kind: ClassVar[str] = "warc"
    path: str
    closed: bool
    worker: str


@dataclass(frozen=True)
class Captured(_Event):
    """A page's response is in a worker's WARC file: the capture and its extracted article."""

    kind: ClassVar[str] = "capture"
    fetched: Fetched
    page: Extracted | None
    charset: str
    worker: str

    def data(self) -> dict:
        return {"fetched": dataclasses.asdict(self.fetched), "charset": self.charset, "worker": self.worker,
                "page": dataclasses.asdict(self.page) if self.page is not None else None}

    @classmethod
    def from_data(cls, data: dict) -> Captured:
        page = data["page"]
        if page is not None:  # JSON made its tuples lists
            page = Extracted(**{k: tuple(v) if isinstance(v, list) else v for k, v in page.items()})
        return cls(Fetched(**data["fetched"]), page, data["charset"], data["worker"])


@dataclass(frozen=True)
class Gone:
    """A stream entry delivered to the coordinator but deleted since (nothing to record)."""

    kind: ClassVar[str] = "gone"


Event = Planned | Marked | WarcFile | Captured
EVENTS: dict[str, type] = {e.kind: e for e in (Planned, Marked, WarcFile, Captured)}


def encode_event(event: Event) -> dict[str, str]:
    """The stream entry of an event: its type and its fields as JSON."""
    return {"type": event.kind, "data": json.dumps(event.data(), sort_keys=True)}


def decode_event(fields: dict[bytes, bytes]) -> Event | Gone:
    """The event in a stream entry (Gone for an entry deleted after delivery)."""
    if not fields:
        return Gone()
    kind = fields[b"type"].decode()
    if kind not in EVENTS:
        raise ValueError(f"unknown event {kind!r} in the crawl's stream")
    return EVENTS[kind].from_data(json.loads(fields[b"data"]))


# -- Server scripts (Lua) -------------------------------------------------------------------------

_NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

# TAKE. Put expired leases (at most 100 a call) back in the queue, then pop the lowest-scored
# member and lease its page to the worker: inflight deadline = now + lease, and the member,
# owner, score and time taken recorded under the page key.
# KEYS: queue, inflight, leases, owners, scores, taken; ARGV: lease ms, worker, owned-set prefix
# Returns {number of leases put back, the member or false}.
TAKE = _NOW + """
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

# RENEW. Extend the deadline of every lease the worker still holds to now + lease. A lease
# whose deadline has passed is not extended: it belongs to no one any more, and a worker
# restarted under the same id must not take over what its killed predecessor held. A lease
# older than the longest lease is not extended either: a request its worker lost (an error
# between taking it and reporting it) goes back to the queue even while the worker lives.
# KEYS: inflight, owners, the worker's owned set, taken; ARGV: lease ms, worker, longest lease ms
# Returns how many leases the worker holds.
RENEW = _NOW + """
local held = redis.call('SMEMBERS', KEYS[3])
local kept = 0
for _, key in ipairs(held) do
  local taken = tonumber(redis.call('HGET', KEYS[4], key) or '0')
  local deadline = tonumber(redis.call('ZSCORE', KEYS[1], key) or '0')
  if redis.call('HGET', KEYS[2], key) == ARGV[2] and deadline > now
     and now - taken < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), key)
    kept = kept + 1
  else
    redis.call('SREM', KEYS[3], key)
  end
end
return kept
"""

# RELEASE. The page's outcome is in the index (or a source is done): its lease ends everywhere.
# KEYS: inflight, leases, owners, scores, taken; ARGV: page key, owned-set prefix
RELEASE = """
local owner = redis.call('HGET', KEYS[3], ARGV[1])
if owner then redis.call('SREM', ARGV[2] .. owner, ARGV[1]) end
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1])
"""

# POLITE. Free slots whose hold ran out (a worker died holding them); then a request may start
# when the domain's next-start time has passed and fewer than `limit` slots are held: it takes
# a slot (held at most `hold` ms) and sets the next start `delay` ms ahead.
# KEYS: the domain's slot set, its next-start key; ARGV: limit, delay ms, token, slot hold ms
# Returns 0 when a slot was taken, else how many ms to wait before asking again.
POLITE = _NOW + """
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
