"""Where a crawl keeps what it means to fetch: the run's SQLite frontier.

The spider plans, claims and fails pages through a Frontier; it never needs to know whether
it is the only crawler of the run (LocalFrontier) or one worker among many
(crawler/distributed/components.py: RedisFrontier). Both declare the interface below.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from pressdiff.core.store import Store


class Frontier(ABC):
    """What the spider asks of a run's frontier (scrapy-redis's queue.Base is the model)."""

    distributed: bool  # True: the coordinator plans the seeds and hands out pending pages

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Pages of the run by state (a resumed run starts part done); {} where the coordinator counts."""

    @abstractmethod
    def claim(self, request, url, found_by, via, outlet, depth, cap) -> bool:
        """Add a discovered page to the run unless it is known or the run's cap is reached."""

    @abstractmethod
    def mark(self, url: str, state: str, note: str) -> None:
        """Record what became of a page (done, failed, skipped) and why."""

    @abstractmethod
    def schedule(self, request) -> list:
        """The requests the spider yields to its own engine for a page it claimed."""

    @abstractmethod
    def source_done(self, request) -> None:
        """A discovery source (sitemap, feed, CDX page) was read and its pages claimed."""


class LocalFrontier(Frontier):
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
