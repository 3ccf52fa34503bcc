"""The coordinator of a crawl shared through Redis, and the one writer of the workspace's index.

    python -m crawler.coordinator --data DIR --story SLUG --redis URL [--workers N]

It opens (or resumes) the story's crawl run in SQLite, announces it in Redis, queues its
pages and discovery sources (when Redis does not hold the job already), and then records
what workers send (crawler/distributed.py): each capture goes into the index exactly once,
and only then does the page's lease end. The crawl is over when nothing is queued, nothing
is in flight and every event is recorded; pages the index still has pending at that point
were lost from Redis (restarted without its data) and are queued again. `--workers N` also
starts N workers on this machine, sharing DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import redis

from core.errors import InputError, PressdiffError, WorkError
from core.records import CrawlSummary
from core.store import Store

from .archive import Fetched, record
from .cdxj import update_index
from .distributed import LeasedQueue, page_fingerprint
from .extract import Extracted
from .frontier import LocalFrontier
from .pipelines import OUTCOMES
from .processes import start_child, watch_parent
from .redisjob import Job, connect, job_id
from .spiders.coverage import CoverageSpider
from .warc import warc_date
from .worker import default_id

LEASE_SECONDS = 60.0
GIVE_UP = 120.0  # s of Redis outage before the coordinator stops (resumable)
STALL_NOTICE = 15.0  # s with work queued and no worker alive before saying so


class Coordinator:
    def __init__(self, store: Store, data: Path, story, run: int, job: Job, echo):
        self.store, self.data, self.story, self.run, self.job = store, data, story, run, job
        self.echo = echo
        self.give_up = float(os.environ.get("PRESSDIFF_REDIS_GIVE_UP", GIVE_UP))  # tests shorten it
        self.counts: dict[str, int] = {}
        self.last_line, self.small = 0.0, True
        # requests are built and serialised as the worker's spider would
        self.spider = CoverageSpider(story=story, run=run)
        self.spider.job, self.spider.worker_id = job, "coordinator"
        self.queue = LeasedQueue(None, self.spider, job.queue)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    # -- queueing ---------------------------------------------------------------------

    def seed(self) -> None:
        """Put the job in Redis: what the run has planned and pending, and the discovery sources."""
        runs = self.store.runs
        LocalFrontier(self.store, self.run).plan_seeds(self.story)
        rows = runs.frontier_planned(self.run)
        with self.job.r.pipeline() as p:
            for i in range(0, len(rows), 1000):
                p.sadd(self.job.dupefilter, *(page_fingerprint(row["url"]) for row in rows[i:i + 1000]))
            p.set(self.job.discovered, sum(row["found_by"] != "seed" for row in rows))
            for d in self.store.archive.payload_digests(self.story.slug):
                self.job.add_digest(d["final_url"], d["sha256"], d["final_url"], warc_date(d["fetched_at"]),
                                    d["record_id"], pipe=p)
            p.execute()
        self.requeue(runs.frontier_pending(self.run))
        for request in self.spider.source_requests():
            self.queue.push(request)

    def requeue(self, rows) -> None:
        for row in rows:
            self.queue.push(self.spider.resume_request(row))

    # -- events -----------------------------------------------------------------------

    def apply(self, kind: str, data: dict) -> None:
        runs = self.store.runs
        if kind == "planned":
            if runs.frontier_add(self.run, data["url"], data["found_by"], data["via"], data["outlet"], data["depth"]):
                self.count("discovered")
        elif kind == "marked":
            entry = runs.frontier_entry(self.run, data["url"])
            if entry is None or entry["state"] == "pending":
                runs.frontier_mark(self.run, data["url"], data["state"], data["note"])
                key = "robots" if data["note"] == "forbidden by robots.txt" else \
                    "errors" if data["state"] == "failed" else "skipped"
                self.count(key)
                self.progress(f"{data['state']} ({data['note']})", data["url"], important=True)
            self.job.release(data["url"])
        elif kind == "warc":
            runs.register_warc(data["path"], self.run)
            if data["closed"]:
                runs.close_warc(data["path"])
        elif kind == "capture":
            self.capture(data)

    def capture(self, data: dict) -> None:
        f = Fetched(**data["fetched"])
        entry = self.store.runs.frontier_entry(self.run, f.url)
        if entry is not None and entry["state"] != "pending":
            self.count("duplicates")  # fetched again after a lease ran out; the index has it
            self.job.release(f.url)
            return
        self.store.runs.register_warc(f.warc["warc_file"], self.run)
        page = data["page"]
        if page is not None:
            page = Extracted(**{k: tuple(v) if isinstance(v, list) else v for k, v in page.items()})
        outcome = record(self.store, self.story, self.run, f, page, data["charset"])
        if not f.warc.get("refers_to"):
            self.job.add_digest(f.final_url, f.warc["sha256"], f.final_url, warc_date(f.fetched_at),
                                f.warc["record_id"])
        self.job.release(f.url)
        self.count(outcome)
        self.count("pages")
        if f.wayback_url:
            self.count("wayback")
        self.progress(OUTCOMES[outcome] + (" (from the Wayback Machine)" if f.wayback_url else "")
                      + f" [{data['worker']}]", f.url)

    def progress(self, what: str, url: str, important: bool = False) -> None:
        """A line per page on small crawls, at most one a second on large ones, every failure."""
        now = time.monotonic()
        if not (important or self.small or now - self.last_line >= 1.0):
            return  # the counts are a query over the frontier: not made for every page of a big crawl
        counts = self.store.runs.frontier_counts(self.run)
        total = sum(counts.values())
        self.small = total <= 200
        self.last_line = now
        self.echo(f"pressdiff: [{total - counts.get('pending', 0)}/{total}] {what}: {url}")

    # -- the loop ---------------------------------------------------------------------

    def drain(self, consumer: str, backlog: bool) -> int:
        events = self.job.receive(consumer, backlog)
        if events is None:
            return 0  # the stream is gone with Redis's data: loop() queues the job again
        for _event_id, kind, data in events:
            if kind != "gone":
                self.apply(kind, data)
        self.job.done_with([e[0] for e in events])
        return len(events)

    def finished(self) -> bool:
        """Nothing queued, nothing in flight, no event unrecorded: done, or pages were lost from Redis."""
        if any(self.job.outstanding()):
            return False
        lost = self.store.runs.frontier_pending(self.run)
        if lost:
            self.echo(f"pressdiff: {len(lost)} pending page(s) were not in Redis (was it restarted without its "
                      "data?); queued again")
            self.requeue(lost)
            return False
        return True

    def loop(self) -> None:
        """Record events until the crawl is over; ride out a Redis outage of up to give_up seconds."""
        consumer, backlog = "coordinator", True  # first what an earlier coordinator read but did not record
        quiet_since, told, lost_since = time.monotonic(), False, None
        while True:
            try:
                got = self.drain(consumer, backlog)
                if lost_since is not None:
                    self.echo(f"pressdiff: Redis is back after {time.monotonic() - lost_since:.1f} s")
                    lost_since = None
                if backlog:
                    backlog = bool(got)
                    continue
                if got:
                    quiet_since = time.monotonic()
                    continue
                if self.job.status() is None:  # Redis lost the job (restarted without its data)
                    self.echo("pressdiff: Redis no longer holds this crawl (restarted without its data?); "
                              "queueing what the index has pending again")
                    self.job.announce(self.story.toml)
                    self.job.ensure_group()
                    self.seed()
                    continue
                if self.finished():
                    return
                if not told and time.monotonic() - quiet_since > STALL_NOTICE and not _workers_alive(self.job):
                    self.echo("pressdiff: no worker is running; start one with "
                              f"`pressdiff worker --redis URL --data DIR` (pages queued: {self.job.outstanding()[0]})")
                    told = True
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                now = time.monotonic()
                if lost_since is None:
                    lost_since = now
                    self.echo(f"pressdiff: lost Redis ({exc}); retrying for {self.give_up:.0f} s")
                elif now - lost_since > self.give_up:
                    raise WorkError(f"Redis has been unreachable for {self.give_up:.0f} s; the crawl run is kept: "
                                    "run the same command again to resume") from None
                time.sleep(1.0)


def _workers_alive(job: Job) -> bool:
    return any(True for _ in job.r.scan_iter("pressdiff:worker:*", count=100))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.coordinator")
    parser.add_argument("--data", required=True)
    parser.add_argument("--story", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--parent", type=int)
    args = parser.parse_args(argv)
    if args.parent:
        watch_parent(args.parent)
    data = Path(args.data)

    def echo(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    lease = float(os.environ.get("PRESSDIFF_LEASE_SECONDS", LEASE_SECONDS))  # tests shorten it
    local = []
    try:
        client = connect(args.redis)
        with Store(data) as store:
            story = store.archive.get_story(args.story)
            if story is None:
                raise InputError(f"no story '{args.story}' in {data}")
            run, resumed = store.runs.start_run(story.slug, os.getpid())
            job = Job(client, job_id(story.slug, run, str(data.resolve()), store.runs.started_at(run)), lease)
            coordinator = Coordinator(store, data, story, run, job, echo)
            if job.status() is None:  # a new job, or one Redis lost
                coordinator.seed()
            elif resumed:
                echo(f"pressdiff: resuming crawl run {run}: Redis still holds its queue")
            job.announce(story.toml)
            job.ensure_group()
            host = default_id()
            for i in range(args.workers):
                local.append(start_child("crawler.worker", ["--redis", args.redis, "--data", str(data),
                                                             "--id", f"{host}-{i + 1}", "--once"]))
            coordinator.loop()
            counts = dict(coordinator.counts)
            summary = CrawlSummary.from_counts(counts, warc_files=tuple(store.runs.run_warcs(run)), run=run,
                                               resumed=resumed)
            store.runs.finish_run(run, summary.to_json())
            job.finish()
    except PressdiffError as exc:
        print(f"pressdiff: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for proc in local:  # they see the job finished when idle, and stop
        try:
            proc.wait(timeout=30)
        except Exception:  # noqa: BLE001 - a worker that will not stop is stopped
            proc.kill()
    update_index(data)
    print(json.dumps(summary.to_json(), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
