"""`mkdocs build --strict` runs, started as soon as their pages are written, one per core."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from pressdiff.core.errors import WorkError
from pressdiff.core.processes import popen


class Builds(contextlib.AbstractContextManager):
    """`mkdocs build --strict` runs, started as soon as their pages are written, one per core."""

    def __init__(self):
        self.workers = max(1, os.cpu_count() or 1)
        self.pending: list[Path] = []
        self.running: list[tuple[Path, subprocess.Popen]] = []
        self.failures: list[str] = []

    def start(self, config: Path) -> None:
        self.pending.append(config)
        self._reap(block=False)

    def _launch(self) -> None:
        while self.pending and len(self.running) < self.workers:
            config = self.pending.pop(0)
            self.running.append((config, popen(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))))

    def _reap(self, block: bool) -> None:
        self._launch()
        while self.running:
            done = [(c, p) for c, p in self.running if p.poll() is not None]
            if not done:
                if not block:
                    return
                done = [self.running[0]]
            for config, proc in done:
                output = proc.communicate()[0]
                self.running.remove((config, proc))
                if proc.returncode != 0:
                    tail = " | ".join(line for line in output.splitlines()[-5:] if line.strip())
                    self.failures.append(f"{config.parent.name}: {tail}")
            self._launch()

    def wait(self) -> None:
        self._reap(block=True)
        if self.failures:
            raise WorkError("mkdocs build failed: " + "; ".join(self.failures))

    def __exit__(self, *exc) -> None:
        """On any failure (or Ctrl-C) before wait(), no build is left running."""
        self.pending.clear()
        for _, proc in self.running:
            proc.kill()
            proc.wait()
        self.running.clear()
