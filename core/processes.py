"""Processes that die with the command that started them, however it dies.

A user's `kill PID`, the kernel's out-of-memory killer or a crash ends ONE process, not its
group: nothing that process started may stay running, keep fetching or hold a pipe open. Three
kinds of children, one rule each:

- a child command (`python -m MODULE ...`, a crawl, a coordinator, a worker): `start_child`,
  killed by the kernel when its parent dies (PR_SET_PDEATHSIG), and watching its parent itself;
- another program run as a subprocess (`mkdocs build`): `popen`, the same kernel rule;
- a pool of worker processes (extraction, citeproc): `process_pool`. Its processes are children
  of multiprocessing's forkserver, not of the pool's owner, so the kernel rule cannot reach
  them: each watches its owner (a pidfd, or polling /proc) and exits when the owner is gone.
  The forkserver and the resource tracker then exit on their own: they stop when the last
  process holding their pipes is gone.

A parent never learns that a child died from a pipe's end of file (an orphan may hold the
pipe): it waits for the child's exit, and `describe_exit` says how it ended.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import select
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
KILLED = 137  # the exit status of a process that stops because its owner is gone (128 + SIGKILL)


def die_with_parent(parent: int):
    """For the child, before it runs: be killed when this process dies (Linux PR_SET_PDEATHSIG).

    SIGKILL, because everything pressdiff runs is resumable from any point (a crawl's WARC tail
    is repaired, a build is redone) and a graceful stop would wait for work in flight.
    Elsewhere, and if the parent died before this ran, watch_parent in the child does the same.
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


def _proc_stat(pid: int) -> list[bytes] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_start(pid: int) -> int | None:
    """When a process started (clock ticks since boot, from /proc), or None where /proc is absent."""
    fields = _proc_stat(pid)
    try:
        return int(fields[19]) if fields else None
    except (IndexError, ValueError):
        return None


def alive(pid: int, started: int | None = None) -> bool:
    """Whether a process runs: not gone, not a zombie, and not another process given the same id
    later (when started, its start time as process_start read it, is known)."""
    if os.path.isdir("/proc"):
        fields = _proc_stat(pid)
        if not fields or fields[0] == b"Z":
            return False
        return started is None or process_start(pid) == started
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_process(pid: int, started: int | None = None, every: float = 0.5) -> None:
    """Exit this process at once (status 137) when process pid is gone.

    A pidfd wakes the watch the moment the process ends (Linux 5.3+); elsewhere /proc is polled
    every `every` seconds. The watch is a daemon thread: it costs nothing while it waits.
    """
    fd = None
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(KILLED)
    except (AttributeError, OSError):
        pass  # no pidfd here: poll
    if not alive(pid, started):
        os._exit(KILLED)

    def watch() -> None:
        if fd is not None:
            select.select([fd], [], [])  # readable once the process has ended
        else:
            while alive(pid, started):
                time.sleep(every)
        os._exit(KILLED)

    threading.Thread(target=watch, name=f"pressdiff-watch-{pid}", daemon=True).start()


def watch_parent(parent: int) -> None:
    """Exit at once when the process that started this one is gone (the portable half of
    die_with_parent's PR_SET_PDEATHSIG)."""
    if os.getppid() != parent:
        os._exit(KILLED)
    watch_process(parent)


def process_pool(workers: int, context: str | None = None, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """A ProcessPoolExecutor whose processes exit when this process dies, however it dies.

    context "forkserver" gives processes that inherit none of this process's threads or sockets
    (a Twisted reactor's); preload names modules the forkserver imports once for all of them.
    """
    ctx = multiprocessing.get_context(context)
    if preload and context == "forkserver":
        ctx.set_forkserver_preload(list(preload))
    me = os.getpid()
    # every pool process lives only as long as the pool's owner
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=watch_process,
                               initargs=(me, process_start(me)))


def popen(cmd: list[str], **kwargs) -> subprocess.Popen:
    """subprocess.Popen for a program that must die with this process (mkdocs build)."""
    return subprocess.Popen(cmd, preexec_fn=die_with_parent(os.getpid()), **kwargs)


# When a process that owns a pool is killed, multiprocessing's resource tracker frees the pool's
# semaphores and warns about them on the terminal: the kill was the news, not the clean-up. The
# tracker takes its warning filters from the command line of the process that starts it.
_QUIET_TRACKER = ["-W", "ignore:resource_tracker:UserWarning"]


def start_child(module: str, args: list[str], env: dict | None = None, **kwargs) -> subprocess.Popen:
    """`python -m module args --parent PID` with this interpreter, dying with this process."""
    return popen([sys.executable, *_QUIET_TRACKER, "-m", module, *args, "--parent", str(os.getpid())],
                 env=env, **kwargs)


def describe_exit(what: str, pid: int, returncode: int) -> str:
    """How a child ended, for a one-line error: "the crawl process (pid 812) was killed by SIGKILL
    (out of memory?)" or "... exited with status 3"."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        oom = " (out of memory?)" if -returncode == signal.SIGKILL else ""
        return f"{what} (pid {pid}) was killed by {name}{oom}"
    if returncode == KILLED:
        return f"{what} (pid {pid}) stopped with status {KILLED} (killed, or the process it served was)"
    return f"{what} (pid {pid}) exited with status {returncode}"
