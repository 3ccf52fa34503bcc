"""A crawl worker: `python -m pressdiff.crawler.distributed.worker --redis URL --data DIR [--id ID] [--once]`.

It waits for a crawl announced in Redis (coordinator.py), then crawls it in a child process
(Twisted's reactor cannot be restarted) until the coordinator marks it finished, and waits for
the next one; with --once it stops after one crawl. It writes WARC files of its own, named
with its id, under DIR/warc/, and sends each capture to the coordinator through Redis: it never
opens the workspace's index. Before each crawl it joins, it waits until no other process holds
its id (the heartbeat of a killed one runs out after a lease) and cuts its WARC files back to
their last whole record (a kill can tear the last one).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import socket
import sys
import time
import warnings
from pathlib import Path

import redis

from pressdiff.archive.reading import repair
from pressdiff.archive.warc import worker_files
from pressdiff.core.errors import InputError, PressdiffError, WorkError
from pressdiff.core.processes import describe_exit, start_child, watch_parent
from pressdiff.core.story import parse_story

from .. import settings as defaults
from .job import Job, announced, connect
from .protocol import Announcement, worker_key

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)*")


def default_id() -> str:
    """This machine's name, made safe for a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", socket.gethostname()).strip("-.") or "worker"


def check_id(worker: str) -> str:
    if not ID_RE.fullmatch(worker) or len(worker) > 64:
        raise InputError(f"--id {worker!r}: use letters, digits, '.', '_' and single '-' (at most 64)")
    return worker


def distributed_settings(settings, redis_url: str, job: Job, worker: str) -> None:
    """Turn a crawl's Scrapy settings into a worker's: scrapy-redis scheduler, leases, politeness."""
    settings.setdict({
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_PERSIST": True,  # the queue outlives a worker; the coordinator ends the job
        "SCHEDULER_QUEUE_CLASS": "pressdiff.crawler.distributed.components.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": job.keys.queue,
        "SCHEDULER_DUPEFILTER_KEY": job.keys.dupefilter,
        "DUPEFILTER_CLASS": "pressdiff.crawler.distributed.components.PageDupeFilter",
        "REDIS_URL": redis_url,
        "PRESSDIFF_REDIS": redis_url,
        "PRESSDIFF_WORKER": worker,
        "EXTENSIONS": dict(settings.getdict("EXTENSIONS"), **{"pressdiff.crawler.extensions.Workspace": None,
                                                              "pressdiff.crawler.distributed.components.Worker": 0}),
        "DOWNLOADER_MIDDLEWARES": dict(settings.getdict("DOWNLOADER_MIDDLEWARES"),
                                       **{"pressdiff.crawler.distributed.components.RedisPoliteness": 950}),
    }, priority="cmdline")


def serve(redis_url: str, data: Path, worker: str, a: Announcement) -> int:
    """Crawl one announced job in this process (the child); returns the exit status."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.exceptions import ScrapyDeprecationWarning

    from ..config import crawl_settings
    from ..run import log_to_terminal
    from ..spiders.coverage import CoverageSpider

    # scrapy-redis 0.9 still calls APIs Scrapy 2.13 deprecated: not the user's concern
    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")
    story = parse_story(a.story_toml, f"<story {a.slug} announced in Redis>")
    settings = crawl_settings(story, data, a.run)
    job = Job.from_announcement(connect(redis_url), a, settings.getfloat("PRESSDIFF_LONGEST_LEASE"))
    distributed_settings(settings, redis_url, job, worker)
    log_to_terminal()
    logging.getLogger("pressdiff.progress").setLevel(logging.WARNING)  # the coordinator reports each page
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CoverageSpider)
    process.crawl(crawler, story=story, run=a.run, job=job, worker_id=worker)
    process.start()
    stats = crawler.stats.get_stats()
    print(f"pressdiff: worker {worker}: {stats.get('pressdiff/pages', 0)} pages of {a.slug} archived "
          f"({stats.get('finish_reason')})", file=sys.stderr, flush=True)
    return 0 if stats.get("finish_reason") == "finished" else 1


def claim_id(client: redis.Redis, data: Path, worker: str, echo, every: float) -> None:
    """Wait until no process holds this worker id, then cut its WARC files back to whole records.

    Another worker of this name may be alive, or one was killed and its leases have not run out
    yet: either way, its files are not to be touched until its heartbeat has stopped.
    """
    told = False
    while client.exists(worker_key(worker)):
        if not told:
            echo(f"pressdiff: worker {worker}: a worker of this name was alive a moment ago; waiting for its "
                 "heartbeat to stop (if it is still running, give this one another --id)")
            told = True
        time.sleep(every / 2)
    (data / "warc").mkdir(parents=True, exist_ok=True)
    cut = sum(repair(p) for p in worker_files(data / "warc", worker))
    if cut:
        echo(f"pressdiff: worker {worker}: cut {cut} damaged bytes off the end of its WARC files")


def run_worker(redis_url: str, data: Path, worker: str, once: bool = False, echo=None,
               give_up: float = defaults.PRESSDIFF_GIVE_UP, every: float = defaults.PRESSDIFF_WORKER_WAIT) -> int:
    """Join announced crawls one after another; returns when --once is done (or never).

    A crawl process that dies (killed, out of memory) is an error with --once; otherwise the
    worker joins the same crawl again, if it still runs, once the dead one's heartbeat is gone.
    """
    echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
    client = connect(redis_url)
    claim_id(client, data, worker, echo, every)
    waiting, lost_since, fresh = False, None, True
    while True:
        try:
            jobs = announced(client)
            lost_since = None
        except redis.ConnectionError as exc:
            lost_since = lost_since or time.monotonic()
            if time.monotonic() - lost_since > give_up:
                raise WorkError(f"Redis at {redis_url} has been unreachable for {give_up:.0f} s ({exc})") from None
            time.sleep(every)
            continue
        if not jobs:
            if not waiting:
                echo(f"pressdiff: worker {worker}: waiting for a crawl to join on {redis_url}")
                waiting = True
            time.sleep(every)
            continue
        waiting = False
        a = jobs[0]
        if not fresh:
            claim_id(client, data, worker, echo, every)
        fresh = False
        echo(f"pressdiff: worker {worker}: joining the crawl of {a.slug} (run {a.run})")
        child = start_child("pressdiff.crawler.distributed.worker", ["--redis", redis_url, "--data", str(data), "--id", worker,
                                                           "--serve", a.encode()])
        code = child.wait()
        if code < 0:
            message = describe_exit(f"worker {worker}: its crawl process", child.pid, code)
            if once:
                raise WorkError(message)
            echo(f"pressdiff: {message}")
        elif code != 0:
            echo(f"pressdiff: worker {worker}: the crawl of {a.slug} stopped (exit status {code})")
        if once:
            return code
        time.sleep(every)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pressdiff.crawler.distributed.worker")
    parser.add_argument("--redis", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--id", default=None)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the child: one announced job, as JSON
    parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parent:
        watch_parent(args.parent)
    try:
        worker = check_id(args.id or default_id())
        if args.serve:
            return serve(args.redis, Path(args.data), worker, Announcement.decode(args.serve))
        return run_worker(args.redis, Path(args.data), worker, once=args.once)
    except PressdiffError as exc:
        print(f"pressdiff: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except json.JSONDecodeError as exc:
        print(f"pressdiff: error: a malformed crawl announcement in Redis ({exc})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
