"""The coordinator of a crawl shared through Redis, and the one writer of the workspace's index.

    python -m pressdiff.crawler.distributed.coordinator --data DIR --story SLUG --redis URL [--workers N]

It opens (or resumes) the story's crawl run in SQLite, announces it in Redis, queues its
pending pages and its discovery sources as tasks (when Redis does not hold the job already),
and then records the events workers send (protocol.py): each capture goes into the index
exactly once, and only then does the page's lease end. The crawl is over when nothing is
queued, nothing is in flight and every event is recorded; pages the index still has pending at
that point were lost from Redis (restarted without its data) and are queued again.

`--workers N` also starts N workers on this machine, sharing DIR. A local worker that dies is
started again once (PRESSDIFF_WORKER_RESTARTS); after that the crawl goes on with the others,
and fails (resumable) when no worker is left at all. It runs no Scrapy crawl itself.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import redis

from pressdiff.archive.capture import OUTCOMES, record
from pressdiff.archive.cdxj import update_index
from pressdiff.archive.warc import warc_date
from pressdiff.core.errors import InputError, PressdiffError, WorkError
from pressdiff.core.processes import describe_exit, start_child, watch_parent
from pressdiff.core.records import CrawlSummary
from pressdiff.core.store import Store

from ..config import crawl_settings
from ..frontier import LocalFrontier
from .job import Job, connect, job_id, workers_alive
from .protocol import (
    Captured,
    Event,
    Gone,
    Marked,
    PageTask,
    Planned,
    WarcFile,
    page_fingerprint,
    page_key,
)
from .worker import default_id


class Coordinator:
    """Records a job's events in the index; queues what the index has pending."""

    def __init__(self, store: Store, story, run: int, job: Job, echo, give_up: float, stall_notice: float):
        self.store, self.story, self.run, self.job = store, story, run, job
        self.echo = echo
        self.give_up, self.stall_notice = give_up, stall_notice
        self.counts: Counter = Counter()
        self.last_line, self.small = 0.0, True
        self.local: LocalWorkers | None = None

    # -- queueing ---------------------------------------------------------------------

    def seed(self) -> None:
        """Put the job in Redis: what the run has planned and pending, and the discovery sources."""
        runs, keys = self.store.runs, self.job.keys
        LocalFrontier(self.store, self.run).plan_seeds(self.story)
        rows = runs.frontier_planned(self.run)
        with self.job.r.pipeline() as p:
            for i in range(0, len(rows), 1000):
                p.sadd(keys.dupefilter, *(page_fingerprint(page_key(row["url"])) for row in rows[i:i + 1000]))
            p.set(keys.discovered, sum(row["found_by"] != "seed" for row in rows))
            for d in self.store.articles.payload_digests(self.story.slug):
                self.job.add_digest(d["final_url"], d["sha256"], d["final_url"], warc_date(d["fetched_at"]),
                                    d["record_id"], pipe=p)
            p.execute()
        self.requeue(runs.frontier_pending(self.run))
        self.job.push_sources()  # a worker makes the story's discovery requests, if it has any

    def requeue(self, rows) -> None:
        for row in rows:
            self.job.push_page(PageTask.from_row(row))

    # -- events -----------------------------------------------------------------------

    def apply(self, event: Event | Gone) -> None:
        """Record one worker event in the index (and end the page's lease where it is done)."""
        runs = self.store.runs
        match event:
            case Planned():
                if runs.frontier_add(self.run, event.url, event.found_by, event.via, event.outlet, event.depth):
                    self.counts["discovered"] += 1
            case Marked():
                entry = runs.frontier_entry(self.run, event.url)
                if entry is None or entry["state"] == "pending":
                    runs.frontier_mark(self.run, event.url, event.state, event.note)
                    self.counts["robots" if event.note == "forbidden by robots.txt" else
                                "errors" if event.state == "failed" else "skipped"] += 1
                    self.progress(f"{event.state} ({event.note})", event.url, important=True)
                self.job.release(page_key(event.url))
            case WarcFile():
                runs.register_warc(event.path, self.run)
                if event.closed:
                    runs.close_warc(event.path)
            case Captured():
                self.capture(event)
            case Gone():
                pass

    def capture(self, event: Captured) -> None:
        f = event.fetched
        entry = self.store.runs.frontier_entry(self.run, f.url)
        if entry is not None and entry["state"] != "pending":
            # fetched again after its lease ran out: the index has it already
            self.job.release(page_key(f.url))
            return
        self.store.runs.register_warc(f.warc["warc_file"], self.run)
        outcome = record(self.store, self.story, self.run, f, event.page, event.charset)
        if not f.warc.get("refers_to"):
            self.job.add_digest(f.final_url, f.warc["sha256"], f.final_url, warc_date(f.fetched_at),
                                f.warc["record_id"])
        self.job.release(page_key(f.url))
        self.counts.update([outcome, "pages"])
        if f.wayback_url:
            self.counts["wayback"] += 1
        self.progress(OUTCOMES[outcome] + (" (from the Wayback Machine)" if f.wayback_url else "")
                      + f" [{event.worker}]", f.url)

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
        for _event_id, event in events:
            self.apply(event)
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
            if self.local is not None:
                self.local.supervise()
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
                if time.monotonic() - quiet_since > self.stall_notice and not workers_alive(self.job.r):
                    if self.local is not None and self.local.exhausted():
                        raise WorkError(f"every local worker died ({self.local.last_death}) and no other worker "
                                        "is running; run the same command again to resume the crawl")
                    if not told:
                        self.echo("pressdiff: no worker is running; start one with `pressdiff worker --redis URL "
                                  f"--data DIR` (pages queued: {self.job.outstanding()[0]})")
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


class LocalWorkers:
    """The workers `--workers N` starts on this machine: watched by their exit, not their output.

    One that dies while the crawl runs is started again under its id, up to `restarts` times
    (it waits for its old heartbeat to run out, then repairs its WARC files); after that the
    crawl goes on with the others and says so.
    """

    def __init__(self, redis_url: str, data: Path, count: int, restarts: int, stop_after: float, echo):
        self.redis_url, self.data, self.restarts, self.stop_after = redis_url, data, restarts, stop_after
        self.echo = echo
        host = default_id()
        self.ids = [f"{host}-{i + 1}" for i in range(count)]
        self.procs = {worker: self._start(worker) for worker in self.ids}
        self.started = {worker: 1 for worker in self.ids}
        self.last_death = ""

    def _start(self, worker: str):
        return start_child("pressdiff.crawler.distributed.worker", ["--redis", self.redis_url, "--data", str(self.data),
                                                         "--id", worker, "--once"])

    def supervise(self) -> None:
        """Notice workers that died (any exit before the crawl ends is a death) and restart them once."""
        for worker, proc in list(self.procs.items()):
            code = proc.poll()
            if code is None:
                continue
            self.last_death = describe_exit(f"local worker {worker}", proc.pid, code)
            if self.started[worker] <= self.restarts:
                self.echo(f"pressdiff: {self.last_death}; starting it again (its pages come back to the queue "
                          "when their leases run out)")
                self.started[worker] += 1
                self.procs[worker] = self._start(worker)
            else:
                self.echo(f"pressdiff: {self.last_death} again; the crawl goes on without it")
                del self.procs[worker]

    def exhausted(self) -> bool:
        """Whether every local worker has died for good."""
        return not self.procs

    def stop(self) -> None:
        """After the crawl: workers see the job finished when idle and stop; one that will not is killed."""
        deadline = time.monotonic() + self.stop_after
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - a worker that will not stop is stopped
                proc.kill()
                proc.wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pressdiff.crawler.distributed.coordinator")
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

    local = None
    try:
        client = connect(args.redis)
        with Store(data) as store:
            story = store.articles.get_story(args.story)
            if story is None:
                raise InputError(f"no story '{args.story}' in {data}")
            s = crawl_settings(story)
            run, resumed = store.runs.start_run(story.slug, os.getpid())
            job = Job(client, job_id(story.slug, run, str(data.resolve()), store.runs.started_at(run)),
                      s.getfloat("PRESSDIFF_LEASE"), s.getfloat("PRESSDIFF_LONGEST_LEASE"))
            coordinator = Coordinator(store, story, run, job, echo, give_up=s.getfloat("PRESSDIFF_GIVE_UP"),
                                      stall_notice=s.getfloat("PRESSDIFF_STALL_NOTICE"))
            if job.status() is None:  # a new job, or one Redis lost
                coordinator.seed()
            elif resumed:
                echo(f"pressdiff: resuming crawl run {run}: Redis still holds its queue")
            job.announce(story.toml)
            job.ensure_group()
            if args.workers:
                local = coordinator.local = LocalWorkers(args.redis, data, args.workers,
                                                         s.getint("PRESSDIFF_WORKER_RESTARTS"),
                                                         s.getfloat("PRESSDIFF_WORKER_STOP"), echo)
            coordinator.loop()
            summary = CrawlSummary.from_counts(dict(coordinator.counts), warc_files=tuple(store.runs.run_warcs(run)),
                                               run=run, resumed=resumed)
            store.runs.finish_run(run, summary.to_json())
            job.finish()
    except PressdiffError as exc:
        print(f"pressdiff: error: {exc}", file=sys.stderr)
        return exc.exit_code
    if local is not None:
        local.stop()
    update_index(data)
    print(json.dumps(summary.to_json(), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
