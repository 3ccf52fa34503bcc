"""The comparison JSON written entry by entry: a document of any size, never held whole.

The bytes are those `json.dumps(document, ensure_ascii=False, indent=2) + "\\n"` gives (the
format `pressdiff compare --json` has always written), so a story compared in one process or
as stages over partitions has the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from pressdiff.compare.report import SECTIONS


class _Sink:
    def __init__(self, fh):
        self.fh, self.digest = fh, hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.digest.update(data)
        self.fh.write(data)


def write_document(path: Path, story: str, sections: dict[str, Iterable[dict]]) -> str:
    """Write {"story": story, SECTION: [entries...], ...} to path (atomically); its SHA-256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        out = _Sink(fh)
        out.write("{\n  \"story\": " + json.dumps(story, ensure_ascii=False))
        for name in SECTIONS:
            out.write(",\n  " + json.dumps(name) + ": [")
            first = True
            for entry in sections[name]:
                text = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")
                out.write(("\n    " if first else ",\n    ") + text)
                first = False
            out.write("]" if first else "\n  ]")
        out.write("\n}\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return out.digest.hexdigest()
