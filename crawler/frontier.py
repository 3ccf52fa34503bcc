"""Where a crawl keeps what it means to fetch: the run's SQLite frontier, or a job shared through Redis.

The spider plans, claims and fails pages through one of these; it never needs to know
whether it is the only crawler of the run or one worker among many.
"""

from __future__ import annotations

from core.store import Store

from .redisjob import Job, lease_key


class LocalFrontier:
    """One process crawls the run: the frontier is the run's table in SQLite."""

    distributed = False

    def __init__(self, store: Store, run: int):
        self.store, self.run = store, run

    def counts(self) -> dict[str, int]:
        return self.store.runs.frontier_counts(self.run)

    def plan_seeds(self, story) -> int:
        with self.store.transaction():
            return sum(self.store.runs.frontier_add(self.run, item.url, "seed", outlet=item.outlet)
                       for item in story.coverage)

    def pending(self):
        return self.store.runs.frontier_pending(self.run)

    def claim(self, request, url, found_by, via, outlet, depth, cap) -> bool:
        return self.store.runs.frontier_add(self.run, url, found_by, via, outlet, depth)

    def mark(self, url: str, state: str, note: str) -> None:
        self.store.runs.frontier_mark(self.run, url, state, note)

    def schedule(self, request) -> list:
        return [request]

    def source_done(self, request) -> None:
        pass


class RedisFrontier:
    """One worker among many: pages are claimed in the job's Redis dupefilter, queued in its
    Redis queue, and reported to the coordinator, which writes the frontier in SQLite.

    A discovered page is pushed to the queue before its discovery source's lease ends, so that
    a worker killed between the two leaves the source to be fetched again, never a page lost.
    """

    distributed = True

    def __init__(self, job: Job, queue, dupefilter):
        self.job, self.queue, self.df = job, queue, dupefilter

    def counts(self) -> dict[str, int]:
        return {}

    def plan_seeds(self, story) -> int:
        return 0  # the coordinator queued them

    def pending(self):
        return []

    def claim(self, request, url, found_by, via, outlet, depth, cap) -> bool:
        if self.job.r.incr(self.job.discovered) > cap:
            self.job.r.decr(self.job.discovered)
            return False
        if self.df.request_seen(request):
            self.job.r.decr(self.job.discovered)
            return False
        self.job.send("planned", url=url, found_by=found_by, via=via, outlet=outlet, depth=depth)
        return True

    def mark(self, url: str, state: str, note: str) -> None:
        self.job.send("marked", url=url, state=state, note=note)

    def schedule(self, request) -> list:
        self.queue.push(request)
        return []

    def source_done(self, request) -> None:
        self.job.release(lease_key(request))
