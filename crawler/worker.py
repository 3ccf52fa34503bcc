"""A crawl worker: `python -m crawler.worker --redis URL --data DIR [--id ID] [--once]`.

It waits for a crawl announced in Redis (crawler/coordinator.py), then crawls it in a child
process (Twisted's reactor cannot be restarted) until the coordinator marks it finished, and
waits for the next one; with --once it stops after one crawl. It writes WARC files of its
own, named with its id, under DIR/warc/, and sends each capture to the coordinator through
Redis: it never opens the workspace's index. A worker restarted with the same id first cuts
its WARC files back to their last whole record (a kill can tear the last one).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import socket
import sys
import time
from pathlib import Path

import redis

from core.errors import InputError, PressdiffError, WorkError
from core.story import parse_story

from .processes import start_child, watch_parent
from .redisjob import Announcement, Job, announced, connect
from .replay import repair
from .warc import worker_files

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)*")
WAIT_EVERY = 1.0  # s between looks for a crawl to join
GIVE_UP = 120.0  # s of Redis outage before a waiting worker stops


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
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": job.queue,
        "SCHEDULER_DUPEFILTER_KEY": job.dupefilter,
        "DUPEFILTER_CLASS": "crawler.distributed.PageDupeFilter",
        "REDIS_URL": redis_url,
        "PRESSDIFF_REDIS": redis_url,
        "PRESSDIFF_WORKER": worker,
    }, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"), **{"crawler.extensions.Workspace": None,
                                                          "crawler.distributed.Worker": 0})
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"), **{"crawler.distributed.RedisPoliteness": 950})
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    if "PRESSDIFF_REDIS_GIVE_UP" in os.environ:  # tests shorten how long an outage is waited out
        settings.set("PRESSDIFF_REDIS_GIVE_UP", float(os.environ["PRESSDIFF_REDIS_GIVE_UP"]), priority="cmdline")


def serve(redis_url: str, data: Path, worker: str, a: Announcement) -> int:
    """Crawl one announced job in this process (the child); returns the exit status."""
    from scrapy.crawler import CrawlerProcess

    from .run import crawl_settings, log_to_terminal
    from .spiders.coverage import CoverageSpider

    client = connect(redis_url)
    job = Job.from_announcement(client, a)
    story = parse_story(a.story_toml, f"<story {a.slug} announced in Redis>")
    settings = crawl_settings(story, data, a.run)
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


def run_worker(redis_url: str, data: Path, worker: str, once: bool = False, echo=None) -> int:
    """Join announced crawls one after another; returns when --once is done (or never)."""
    echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
    client = connect(redis_url)
    # Another worker of this name may be alive, or it was killed and its leases have not run
    # out yet: either way, its files are not to be touched until its heartbeat has stopped.
    told = False
    while client.exists(f"pressdiff:worker:{worker}"):
        if not told:
            echo(f"pressdiff: worker {worker}: a worker of this name was alive a moment ago; waiting for its "
                 "heartbeat to stop (if it is still running, give this one another --id)")
            told = True
        time.sleep(WAIT_EVERY / 2)
    (data / "warc").mkdir(parents=True, exist_ok=True)
    cut = sum(repair(p) for p in worker_files(data / "warc", worker))
    if cut:
        echo(f"pressdiff: worker {worker}: cut {cut} damaged bytes off the end of its WARC files")
    waiting = False
    lost_since = None
    while True:
        try:
            jobs = announced(client)
            lost_since = None
        except redis.ConnectionError as exc:
            lost_since = lost_since or time.monotonic()
            if time.monotonic() - lost_since > GIVE_UP:
                raise WorkError(f"Redis at {redis_url} has been unreachable for {GIVE_UP:.0f} s ({exc})") from None
            time.sleep(WAIT_EVERY)
            continue
        if not jobs:
            if not waiting:
                echo(f"pressdiff: worker {worker}: waiting for a crawl to join on {redis_url}")
                waiting = True
            time.sleep(WAIT_EVERY)
            continue
        waiting = False
        a = jobs[0]
        echo(f"pressdiff: worker {worker}: joining the crawl of {a.slug} (run {a.run})")
        code = start_child("crawler.worker", ["--redis", redis_url, "--data", str(data), "--id", worker,
                                              "--serve", a.to_json()]).wait()
        if code != 0:
            echo(f"pressdiff: worker {worker}: the crawl of {a.slug} stopped (exit status {code})")
        if once:
            return code
        time.sleep(WAIT_EVERY)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.worker")
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
            return serve(args.redis, Path(args.data), worker, Announcement.from_json(args.serve))
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
