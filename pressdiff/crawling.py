"""Start a Scrapy crawl of a story in a child process and relay its progress."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.processes import describe_exit, start_child
from pressdiff.core.records import CrawlSummary
from pressdiff.core.store import Store
from pressdiff.core.story import Story


def crawl(data_dir: str | Path, story: Story, proxy: str | None = None, echo=None,
          redis: str | None = None, workers: int = 0, watch: bool = False) -> CrawlSummary:
    """Crawl a story's coverage into the workspace; returns the crawl summary.

    With redis, the crawl is shared through that Redis server: this process coordinates (and is
    the one writer of the index) while workers fetch; workers > 0 starts that many here. watch:
    a watch's pass (every crawled article again, with conditional requests; one machine only).
    """
    with Store(data_dir) as store:
        store.articles.save_story(story)
    d = story.discovery
    if not (story.coverage or d.sitemaps or d.feeds or watch):
        return CrawlSummary()
    env = dict(os.environ)
    if proxy:  # this proxy, and no other proxy setting from the environment, for every request
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
            env.pop(name, None)
        env["http_proxy"] = env["https_proxy"] = proxy
    if redis:
        module, args = "pressdiff.crawler.distributed.coordinator", ["--redis", redis, "--workers", str(workers)]
    else:
        module, args = "pressdiff.crawler.run", ["--watch"] if watch else []
    what = "the crawl coordinator" if redis else "the crawl process"
    proc = start_child(module, ["--data", str(data_dir), "--story", story.slug, *args], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    code, out, last_error = relay(proc, echo or _stderr)
    if code == 2:
        raise InputError(last_error or f"the crawl of '{story.slug}' was refused")
    if code != 0:
        raise WorkError(last_error or f"{describe_exit(what, proc.pid, code)}; run the same command again: "
                        "the crawl resumes where it stopped")
    try:
        return CrawlSummary.from_json(json.loads(out.strip().splitlines()[-1]))
    except (ValueError, IndexError, TypeError):
        raise WorkError(f"the crawl of '{story.slug}' ended without a summary") from None


# Once the child has exited, how long its pipes are still read: output it wrote before exiting
# arrives at once; a pipe held open longer is held by a process the child left behind.
DRAIN_SECONDS = 2.0


def relay(proc: subprocess.Popen, echo) -> tuple[int, str, str | None]:
    """Echo a child's stderr as it comes while waiting for it to exit; (exit status, stdout, its last
    line if that is a "pressdiff: error:" line). The end is the child's exit, not its pipes' end of
    file. An error line followed by more output (a local worker's, which the crawl survived) is
    echoed as it stands; the last one, if the child fails, is the command's error."""
    out: list[str] = []
    held: list[str] = []  # the latest error line, until another line follows it

    def read_err() -> None:
        for line in proc.stderr:
            line = line.rstrip("\n")
            if held:
                echo(held.pop())
            if line.startswith("pressdiff: error: "):
                held.append(line)
            else:
                echo(line)

    readers = [threading.Thread(target=read_err, daemon=True),
               threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)]
    for t in readers:
        t.start()
    code = proc.wait()
    for t in readers:
        t.join(DRAIN_SECONDS)
    last = held.pop().removeprefix("pressdiff: error: ") if held else None
    if last is not None and code == 0:
        echo(f"pressdiff: error: {last}")
        last = None
    return code, "".join(out), last


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
