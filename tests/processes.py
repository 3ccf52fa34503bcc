"""Finding the processes a test started, however they were started: by a mark in their environment.

A forkserver's or a pool process's command line names no workspace, but every process started
with `exec` carries the environment it was given in /proc/PID/environ. A test (or the whole
session, see conftest.py) puts a mark there; whatever is still running with it is left over.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

MARK = "PRESSDIFF_TEST_MARK"


def new_mark() -> str:
    return uuid.uuid4().hex


def marked(value: str, name: str = MARK) -> dict[int, str]:
    """{pid: command line} of every running process (zombies aside) whose environment holds name=value."""
    want = f"{name}={value}".encode()
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if want not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except (OSError, IndexError):
            continue
        if state != b"Z":
            found[int(proc.name)] = cmd
    return found


def left_after(value: str, within: float, name: str = MARK) -> dict[int, str]:
    """The marked processes still running after waiting up to `within` seconds for them to end."""
    end = time.monotonic() + within
    while True:
        found = marked(value, name)
        if not found or time.monotonic() > end:
            return found
        time.sleep(0.1)


def commands_of(value: str, *words: str) -> dict[int, str]:
    """{pid: command line} of the marked processes whose command line holds every one of words."""
    return {pid: cmd for pid, cmd in marked(value).items() if all(w in cmd.split() for w in words)}


def pids_of(value: str, *words: str) -> list[int]:
    """Marked processes whose command line holds every one of words."""
    return sorted(commands_of(value, *words))


def threads_of(pid: int) -> str:
    """What each thread of a process is doing, for a test's failure message: its state, its signal
    masks (pending, blocked, ignored, caught) and the kernel function it waits in."""
    lines = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        try:
            status = (task / "status").read_text()
            wchan = (task / "wchan").read_text()
        except OSError:
            continue
        fields = [line for line in status.splitlines() if line.startswith(("Name", "State", "SigPnd", "ShdPnd",
                                                                            "SigBlk", "SigIgn", "SigCgt"))]
        lines.append(f"thread {task.name}: " + "; ".join(" ".join(f.split()) for f in fields) + f"; waits in {wchan}")
    return "\n".join(lines)
