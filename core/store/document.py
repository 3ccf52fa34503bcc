"""The comparison JSON written entry by entry: a document of any size, never held whole.

The bytes are those `json.dumps(document, ensure_ascii=False, indent=2) + "\\n"` gives (the
format `pressdiff compare --json` has always written), so a story compared in one process or
as stages over partitions has the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
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


def read_entries(path: Path, sections: set[str] | None = None) -> Iterator[tuple[str, dict]]:
    """(section, entry) for every entry of a comparison JSON file, in order, one at a time: a
    document of any size read in the memory of its largest entry. The file must be as
    json.dumps(indent=2) writes it (write_document's, and every compare's since 0.1): each
    section's entries are at an indent of four spaces, and nothing nested is (strings hold no
    raw line breaks in JSON). sections: only these (the others are skipped without parsing)."""
    section, lines = None, []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith('  "') and not line.startswith("   "):  # a section (or "story") opens
                section = json.loads(line[:line.index(":")])
                continue
            if section is None or (sections is not None and section not in sections):
                continue
            if line.startswith("    {") and not lines:
                lines.append(line)
                if line.rstrip().rstrip(",") == "    {}":
                    yield section, {}
                    lines = []
                continue
            if lines:
                lines.append(line)
                if line.startswith("    }"):
                    yield section, json.loads("".join(lines).rstrip().rstrip(","))
                    lines = []
