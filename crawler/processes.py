"""Child processes that die with the command that started them (crawls, coordinators, workers)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ROOT = str(Path(__file__).resolve().parent.parent)


def die_with_parent(parent: int):
    """For the child, before it runs: be killed when this process dies (Linux PR_SET_PDEATHSIG).

    A `kill -9` of `pressdiff crawl` must not leave its crawl running, orphaned, still fetching
    and holding the story's run; SIGKILL, because a crawl is resumable from any point (its WARC
    tail is repaired) and a graceful stop would wait for pages in flight. Elsewhere, and if the
    parent died before this ran, watch_parent in the child does the same.
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


def watch_parent(parent: int, every: float = 0.5) -> None:
    """Exit at once when the process that started this one is gone (reparented: a new parent id).

    The portable half of die_with_parent's PR_SET_PDEATHSIG: no orphaned crawl keeps fetching
    after `kill -9` of the command that started it. The run stays resumable.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(137)

    threading.Thread(target=watch, name="pressdiff-parent-watch", daemon=True).start()


def start_child(module: str, args: list[str], env: dict | None = None, **popen) -> subprocess.Popen:
    """`python -m module args --parent PID`, with this checkout importable, dying with this process."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    me = os.getpid()
    return subprocess.Popen([sys.executable, "-m", module, *args, "--parent", str(me)], env=env,
                            preexec_fn=die_with_parent(me), **popen)
