"""Where the compare stages run: in this process, on a local Dask cluster, or on an existing one.

One interface, `Engine.run(fn, items, label)`: apply a task function to every item and yield
the results in the items' order, each as soon as it and every one before it is done, with a
progress line per stage. Task functions are plain top-level functions of pressdiff.scale.tasks
that read their inputs from, and write their outputs to, Parquet files under the workspace:
what they return is small. On Dask a task that a dying worker held is run again elsewhere
(every task writes its files whole, by rename, so a rerun replaces them).

A local cluster (`--workers N`) is a `dask scheduler` and N `dask worker` processes started by
this command and dying with it (core/processes.py). `--dask tcp://HOST:8786` uses a cluster
someone else runs (dask-jobqueue on Slurm or PBS, Kubernetes, a plain `dask scheduler` and
`dask worker`s): its workers must have pressdiff installed and reach the workspace's folder
at the same path (a shared filesystem), where the stages' files are.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.processes import popen

# The local workers' niceness. The ordered pass in this process reads each partition the workers
# prepare, and every later stage waits for it; with a core each for the workers it got a third
# less than a core and ended a minute after them at 100,000 articles, a minute in which one core
# idled. Behind the pass in the CPU's queue, the workers use what it leaves.
WORKER_NICENESS = 5


class Progress:
    """One line per stage on stderr: how many of its tasks are done, at most once a second."""

    def __init__(self, echo: Callable[[str], None] | None, label: str, total: int):
        self.echo, self.label, self.total = echo, label, total
        self.done, self.started, self.last = 0, time.monotonic(), 0.0

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self.echo and (self.done == self.total or now - self.last >= 1.0):
            self.last = now
            self.echo(f"compare: {self.label} [{self.done}/{self.total}] {now - self.started:.1f} s")


class Engine(contextlib.AbstractContextManager):
    """Runs stage tasks; see the module docstring."""

    workers = 1

    def __init__(self, echo: Callable[[str], None] | None = None):
        self.echo = echo

    def run(self, fn: Callable, items: list, label: str) -> Iterator:
        return iter(self.start(fn, items, label))

    def start(self, fn: Callable, items: list, label: str, after: Stage | None = None) -> Stage:
        """A stage's tasks, begun now where the engine runs them beside this process (a Dask
        cluster's workers), each after every task of `after` (a stage started before, whose files
        they read): iterate it for the results, as run yields them. In this process the tasks run
        as it is iterated: iterate `after` first."""
        raise NotImplementedError

    def share(self, value):
        """A large value every task of a stage needs (sent once per worker, not once per task)."""
        return value

    def close(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        self.close()


class Stage:
    """A started stage (Engine.start): iterate it once for its tasks' results, in the items' order."""

    def __init__(self, results: Iterator, futures: list | None = None):
        self.results, self.futures = results, futures or []

    def __iter__(self) -> Iterator:
        return self.results

    def cancel(self) -> None:
        """Stop what has not run (a failed compare's later stages must not write into its workspace)."""
        self.results.close()
        for f in self.futures:
            if f is not None:
                f.cancel()


def _after(fn: Callable, done: list, *item):
    """fn(*item), on Dask once `done` (futures of an earlier stage, resolved to their results) is."""
    return fn(*item)


class InProcess(Engine):
    """Every task in this process, one after another: the default for small stories."""

    def start(self, fn: Callable, items: list, label: str, after: Stage | None = None) -> Stage:
        return Stage(self._tasks(fn, items, label))

    def _tasks(self, fn: Callable, items: list, label: str) -> Iterator:
        progress = Progress(self.echo, label, len(items))
        for item in items:
            result = fn(*item)
            progress.step()
            yield result


class DaskEngine(Engine):
    """Tasks on a Dask cluster: an existing one (address), or one this command starts."""

    def __init__(self, echo=None, address: str | None = None, workers: int = 0, memory_limit: str = "auto"):
        super().__init__(echo)
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - a dependency
            raise WorkError("dask[distributed] is not installed") from None
        self.procs = []
        self.tmp = None
        if address is None:
            address = self._start_local(workers, memory_limit)
        try:
            self.client = Client(address, timeout="30s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise InputError(f"cannot reach a Dask scheduler at {address} ({exc})") from None
        if workers:
            self.client.wait_for_workers(workers, timeout=120)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def _start_local(self, workers: int, memory_limit: str) -> str:
        """A scheduler and `workers` single-threaded worker processes on loopback, dying with us."""
        self.tmp = tempfile.TemporaryDirectory(prefix="pressdiff-dask-")
        info = Path(self.tmp.name) / "scheduler.json"
        env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
        self.procs.append(popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                 "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
                                env=env, stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")))
        deadline = time.monotonic() + 60
        while not info.is_file() or not info.read_text().strip():
            if time.monotonic() > deadline or self.procs[0].poll() is not None:
                self.close()
                raise WorkError("the local Dask scheduler did not start")
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        for _ in range(workers):
            self.procs.append(popen(["nice", "-n", str(WORKER_NICENESS), sys.executable, "-m", "distributed.cli.dask_worker",
                                     address, "--nthreads", "1",
                                     "--no-nanny", "--memory-limit", memory_limit, "--no-dashboard"],
                                    env=env, stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")))
        return address

    def share(self, value):
        # in a list: scatter takes a dict for a mapping of keys to values, not one value
        return self.client.scatter([value], broadcast=True, hash=False)[0]

    def start(self, fn: Callable, items: list, label: str, after: Stage | None = None) -> Stage:
        waits = [f for f in after.futures if f is not None] if after is not None else []
        if waits:  # Dask runs a task when the futures among its arguments are done
            futures = [self.client.submit(_after, fn, waits, *item, pure=False, retries=2) for item in items]
        else:
            futures = [self.client.submit(fn, *item, pure=False, retries=2) for item in items]
        return Stage(self._results(futures, label), futures)

    def _results(self, futures: list, label: str) -> Iterator:
        progress = Progress(self.echo, label, len(futures))
        position = {f.key: i for i, f in enumerate(futures)}
        ready: set[int] = set()
        try:
            from distributed import as_completed

            nxt = 0
            for future in as_completed(futures, loop=self.client.loop):
                ready.add(position[future.key])
                progress.step()
                while nxt in ready:
                    yield futures[nxt].result()  # waits again if its worker died since: Dask recomputes it
                    futures[nxt] = None
                    nxt += 1
            # as_completed reports a task once; one whose result a dying worker held may be
            # reported before it is recomputed: every result is still yielded, in order
            while nxt < len(futures):
                yield futures[nxt].result()
                futures[nxt] = None
                if nxt not in ready:
                    progress.step()
                nxt += 1
        finally:
            for f in futures:
                if f is not None:
                    f.cancel()

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
            self.client = None
        for proc in reversed(self.procs):
            proc.kill()
            proc.wait()
        self.procs = []
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None


def engine_for(articles: int, workers: int | None, address: str | None, echo, local_from: int) -> Engine:
    """The engine a compare runs on: an existing cluster (address), a local one of `workers`
    processes, this process (workers 0), or by size when neither is given: this process below
    `local_from` articles, a local cluster of one worker per core above."""
    if address:
        return DaskEngine(echo, address=address)
    if workers is None:
        workers = 0 if articles < local_from else max(1, os.cpu_count() or 1)
    return InProcess(echo) if workers == 0 else DaskEngine(echo, workers=workers)


def chunks(items: list, size: int) -> list[list]:
    """items in consecutive lists of at most size."""
    return [items[i:i + size] for i in range(0, len(items), size)]
