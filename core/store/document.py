"""The comparison JSON (SPEC.md; comparison.schema.json beside this file): its one writer and
its one reader, entry by entry, so that a document of any size is never held whole.

The bytes written are those `json.dumps(document, ensure_ascii=False, indent=2) + "\\n"` gives
(the format `pressdiff compare --json` has always written), so a story compared in one process
or as stages over partitions has the same file. The reader depends on no layout.

Entries are encoded by orjson, whose OPT_INDENT_2 output is json's byte for byte for what entries
hold: strings, integers, and floats rounded to one decimal (a similarity, a share), which both
write positionally. json's own encoder writes an indented document in Python, a tenth of the
speed: at 100,000 articles, minutes of the compare.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

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
                text = _indented(entry).replace("\n", "\n    ")
                out.write(("\n    " if first else ",\n    ") + text)
                first = False
            out.write("]" if first else "\n  ]")
        out.write("\n}\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return out.digest.hexdigest()


def _indented(entry: dict) -> str:
    """json.dumps(entry, ensure_ascii=False, indent=2)'s text, by orjson where it writes the same."""
    try:
        return orjson.dumps(entry, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # a key that is no string, an integer past 64 bits: json's own rules
        return json.dumps(entry, ensure_ascii=False, indent=2)


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
        json_in = _Stream(fh)
        json_in.take("{", required=True)
        while not json_in.take("}"):
            key = json_in.value()
            json_in.take(":", required=True)
            if key not in SECTIONS:
                yield key, json_in.value(), False
                continue
            json_in.take("[", required=True)
            while not json_in.take("]"):
                yield key, json_in.value(), True


class _Stream:
    """JSON text read a value at a time (json's raw_decode) through a buffer that holds the value."""

    def __init__(self, fh, chunk: int = 1 << 16):
        self.fh, self.chunk, self.buf, self.at = fh, chunk, "", 0

    def _more(self) -> bool:
        data = self.fh.read(max(self.chunk, len(self.buf) - self.at))  # a long entry: twice as much
        if data:
            self.buf, self.at = self.buf[self.at:] + data, 0
        return bool(data)

    def take(self, char: str, required: bool = False) -> bool:
        """Whether the next character (white space and commas aside) is char, consumed if it is."""
        while True:
            while self.at < len(self.buf) and self.buf[self.at] in " \t\r\n,":
                self.at += 1
            if self.at < len(self.buf) or not self._more():
                break
        if self.buf[self.at:self.at + 1] == char:
            self.at += 1
            return True
        if required:
            raise ValueError(f"not a comparison document: expected {char!r}")
        return False

    def value(self):
        """The next JSON value, whole."""
        self.take("")
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.at)
            except json.JSONDecodeError:
                if not self._more():
                    raise
                continue
            if end < len(self.buf) or not self._more():  # a number may go on in the next chunk
                self.at = end
                return value


_DECODER = json.JSONDecoder()
