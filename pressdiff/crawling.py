"""Start a Scrapy crawl of a story in a child process and relay its progress."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from core.errors import InputError, WorkError
from core.records import CrawlSummary
from core.store import Store
from core.story import Story

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def crawl(data_dir: str | Path, story: Story, proxy: str | None = None, echo=None) -> CrawlSummary:
    """Crawl a story's coverage into the workspace; returns the crawl summary."""
    with Store(data_dir) as store:
        store.archive.save_story(story)
    d = story.discovery
    if not (story.coverage or d.sitemaps or d.feeds):
        return CrawlSummary()
    env = dict(os.environ)
    if proxy:  # this proxy, and no other proxy setting from the environment, for every request
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
            env.pop(name, None)
        env["http_proxy"] = env["https_proxy"] = proxy
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "crawler.run", "--data", str(data_dir), "--story", story.slug,
           "--parent", str(os.getpid())]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_die_with_parent(os.getpid()))
    last_error = None
    for line in proc.stderr:
        line = line.rstrip("\n")
        if line.startswith("pressdiff: error: "):
            last_error = line.removeprefix("pressdiff: error: ")
            continue
        (echo or _stderr)(line)
    out = proc.stdout.read()
    code = proc.wait()
    if code == 2:
        raise InputError(last_error or f"the crawl of '{story.slug}' was refused")
    if code != 0:
        raise WorkError(last_error or f"the crawl of '{story.slug}' failed (exit status {code}); "
                        "rerun it: an interrupted crawl resumes where it stopped")
    try:
        return CrawlSummary.from_json(json.loads(out.strip().splitlines()[-1]))
    except (ValueError, IndexError, TypeError):
        raise WorkError(f"the crawl of '{story.slug}' ended without a summary") from None


def _die_with_parent(parent: int):
    """For the child, before it runs: be killed when this process dies (Linux PR_SET_PDEATHSIG).

    A `kill -9` of `pressdiff crawl` must not leave its crawl running, orphaned, still fetching
    and holding the story's run; SIGKILL, because a crawl is resumable from any point (its WARC
    tail is repaired) and a graceful stop would wait for pages in flight. Elsewhere, and if the
    parent died before this ran, crawler/run.py's watch on its parent does the same.
    """
    try:  # loaded here, before the fork: the child may only make the one call
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        prctl = None

    def preexec() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
