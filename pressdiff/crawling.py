"""Start a Scrapy crawl of a story in a child process and relay its progress."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.errors import InputError, WorkError
from core.records import CrawlSummary
from core.store import Store
from core.story import Story
from crawler.processes import start_child


def crawl(data_dir: str | Path, story: Story, proxy: str | None = None, echo=None,
          redis: str | None = None, workers: int = 0) -> CrawlSummary:
    """Crawl a story's coverage into the workspace; returns the crawl summary.

    With redis, the crawl is shared through that Redis server: this process coordinates (and is
    the one writer of the index) while workers fetch; workers > 0 starts that many here.
    """
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
    if redis:
        module, args = "crawler.coordinator", ["--redis", redis, "--workers", str(workers)]
    else:
        module, args = "crawler.run", []
    proc = start_child(module, ["--data", str(data_dir), "--story", story.slug, *args], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
