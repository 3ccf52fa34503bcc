"""citeproc-py's rendering of each reference, kept between builds in the workspace."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from pressdiff.core.processes import process_pool
from pressdiff.lookup import formatted

from .files import read_json


class CiteCache(contextlib.AbstractContextManager):
    """citeproc-py's rendering of each reference, kept between builds (it costs ~10 ms a reference).

    What is not cached yet is rendered by worker processes, one per core.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, str] = read_json(path) if path else {}
        self.added = False

    def render_all(self, items: list[dict], style: str) -> list[str]:
        keys = [hashlib.sha256(json.dumps([style, item], sort_keys=True).encode()).hexdigest() for item in items]
        missing = {k: item for k, item in zip(keys, items) if k not in self.entries}
        if missing:
            workers = min(len(missing) // 50 + 1, os.cpu_count() or 1)
            if workers > 1:
                with process_pool(workers) as pool:
                    done = list(pool.map(formatted, missing.values(), [style] * len(missing), chunksize=25))
            else:
                done = [formatted(item, style) for item in missing.values()]
            self.entries.update(zip(missing, done))
            self.added = True
        return [self.entries[k] for k in keys]

    def __exit__(self, *exc) -> None:
        if exc[0] is None and self.added and self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, ensure_ascii=False), "utf-8")
            tmp.replace(self.path)
