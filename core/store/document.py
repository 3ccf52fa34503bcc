"""The comparison JSON (SPEC.md; pressdiff/schemas/comparison.schema.json): its one writer and
its one reader, entry by entry, so that a document of any size is never held whole.

The bytes written are those `json.dumps(document, ensure_ascii=False, indent=2) + "\\n"` gives
(the format `pressdiff compare --json` has always written), so a story compared in one process
or as stages over partitions has the same file. The reader depends on no layout.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

# The document's sections in order, each list's entries made by compare/report.py's *_doc.
SECTIONS = ("articles", "clusters", "credits", "pairs", "quotes", "attributions")


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
    document of any size read in the memory of its largest entry, however it is laid out (any
    indentation or none). sections: only these are yielded (the others are parsed and dropped)."""
    for key, value, entry in _walk(path):
        if entry and (sections is None or key in sections):
            yield key, value


def read_document(path: Path) -> dict:
    """A whole comparison JSON (a small story's), as read_entries reads it."""
    doc: dict = {"story": None, **{name: [] for name in SECTIONS}}
    for key, value, entry in _walk(path):
        if entry:
            doc[key].append(value)
        else:
            doc[key] = value
    return doc


def _walk(path: Path) -> Iterator[tuple[str, object, bool]]:
    """(key, value, False) for each top-level field ("story"), (section, entry, True) for each entry."""
    with open(path, encoding="utf-8") as fh:
        tokens = _Tokens(fh)
        tokens.expect("{")
        while (key := tokens.key()) is not None:
            if key not in SECTIONS:
                yield key, tokens.value(), False
                continue
            tokens.expect("[")
            while (entry := tokens.item()) is not _END:
                yield key, entry, True


_END = object()


class _Tokens:
    """A JSON object's keys and its arrays' items, decoded one at a time from a text stream."""

    def __init__(self, fh, chunk: int = 1 << 16):
        self.fh, self.chunk, self.buf, self.at = fh, chunk, "", 0
        self.decoder = json.JSONDecoder()

    def _skip(self) -> str:
        """The next character that is not white space or a comma (end of file: "")."""
        while True:
            while self.at < len(self.buf) and self.buf[self.at] in " \t\r\n,":
                self.at += 1
            if self.at < len(self.buf) or not self._more():
                return self.buf[self.at:self.at + 1]

    def _more(self) -> bool:
        data = self.fh.read(max(self.chunk, len(self.buf) - self.at))  # a long entry: double
        self.buf, self.at = self.buf[self.at:] + data, 0
        return bool(data)

    def expect(self, char: str) -> None:
        if self._skip() != char:
            raise ValueError(f"not a comparison document: expected {char!r}")
        self.at += 1

    def value(self):
        """The next JSON value, read whole."""
        self._skip()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.at)
            except json.JSONDecodeError:
                if not self._more():
                    raise
                continue
            if end == len(self.buf) and self._more():  # a number may go on in the next chunk
                continue
            self.at = end
            return value

    def key(self) -> str | None:
        """The next key of the object (None at its end)."""
        if self._skip() == "}":
            self.at += 1
            return None
        key = self.value()
        self.expect(":")
        return key

    def item(self):
        """The next item of the array (_END at its end)."""
        if self._skip() == "]":
            self.at += 1
            return _END
        return self.value()
