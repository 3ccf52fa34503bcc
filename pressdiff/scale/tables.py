"""The Parquet tables the compare stages hand each other (pyarrow), one file per partition.

Every file is written whole under a temporary name and renamed into place, so a task that a
dying worker left half done, and that Dask runs again, leaves no torn file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pressdiff.compare.align import ClusterDraft, Member, PreparedUnit
from pressdiff.core.records import Article

_S, _I, _B = pa.string(), pa.int64(), pa.bool_()

ARTICLES = pa.schema([("id", _S), ("url", _S), ("outlet", _S), ("title", _S), ("published", _S), ("author", _S),
                      ("version", _I), ("text", _S), ("credit_lines", pa.list_(_S))])
CREDITS = pa.schema([("article", _S), ("credits", _S), ("phrase", _S), ("start", _I), ("end", _I)])
QUOTES = pa.schema([("article", _S), ("start", _I), ("end", _I), ("text", _S), ("mark", _S), ("closed", _B),
                    ("continued", _B), ("speaker", _S), ("cue", _S), ("mention_start", _I), ("mention_end", _I)])
ATTRIBUTIONS = pa.schema([("storage", _I), ("article", _S), ("start", _I), ("end", _I), ("text", _S),
                          ("speaker", _S), ("cue", _S)])
UNITS = pa.schema([("article", _S), ("start", _I), ("end", _I), ("text", _S), ("quoted", _B), ("speaker", _S),
                   ("markup", _B), ("code", _S), ("starts", pa.list_(pa.int32())), ("ends", pa.list_(pa.int32())),
                   ("caps", pa.binary()), ("breaks", pa.binary()), ("lookup", pa.list_(_I)),
                   ("index", pa.list_(_I)), ("attribution", _S),  # attribution: SPEC's object as JSON, or null
                   ("post", _B)])  # an embedded post's sentence (align.PreparedUnit.post)
SHINGLES = pa.schema([("hash", _I), ("article", _S)])
DRAFTS = pa.schema([("origin", _I), ("canonical", _S), ("members", _S), ("ranks", pa.list_(_I))])
CLUSTERS = pa.schema([("cluster", _S), ("words", pa.list_(_S))])  # SPEC's cluster dict (JSON), cite words
PAIR_COUNTS = pa.schema([("a", _S), ("b", _S), ("n", _I)])


def write(path: Path, rows: list[dict] | dict[str, list], schema: pa.Schema) -> Path:
    """rows: a dict per row, or a list per column (lighter for many rows)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    table = pa.Table.from_pydict(rows, schema=schema) if isinstance(rows, dict) else pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
    return path


def read(path: Path, batch: int = 10_000) -> Iterator[dict]:
    """A table's rows, read `batch` at a time: a partition's units are never all Python objects at once."""
    with pq.ParquetFile(path) as f:
        for b in f.iter_batches(batch_size=batch):
            yield from b.to_pylist()


def carriers(paths: list[Path]) -> list[list[str]]:
    """The articles printing each 5-word run of SHINGLES files, for the runs more than one prints:
    grouped in Arrow, not row by row in Python (a bucket holds hundreds of thousands of runs,
    nearly all printed once)."""
    if not paths:
        return []
    table = pa.concat_tables(pq.read_table(p, schema=SHINGLES) for p in paths)
    counts = table.group_by("hash").aggregate([("hash", "count")])
    table = table.filter(pc.is_in(table["hash"], value_set=counts.filter(pc.greater(counts["hash_count"], 1))["hash"]))
    return table.group_by("hash", use_threads=False).aggregate([("article", "list")])["article_list"].to_pylist()


class Writer(contextlib.AbstractContextManager):
    """A table written as its rows come, `group` at a time, whole (renamed into place) when closed
    without an error; a partition's units need not all be held at once."""

    def __init__(self, path: Path, schema: pa.Schema, group: int = 10_000):
        self.path, self.schema, self.group = Path(path), schema, group
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        self.rows: list[dict] = []

    def add(self, rows: list[dict]) -> None:
        self.rows += rows
        if len(self.rows) >= self.group:
            self._flush()

    def _flush(self) -> None:
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows = []

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self._flush()
        self.writer.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


# -- records <-> rows -------------------------------------------------------------------------

def row(record, **columns) -> dict:
    """A record's fields as a row (columns: the table's others; a field it has no column for is not written)."""
    return {**columns, **vars(record)}


def article(row: dict) -> Article:
    return Article(**{**row, "credit_lines": tuple(row["credit_lines"] or ())})


def _bits(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "little")


def unit_row(u: PreparedUnit) -> dict:
    return {"article": u.article, "start": u.start, "end": u.end, "text": u.text, "quoted": u.quoted,
            "speaker": u.speaker, "markup": u.markup, "code": u.code, "starts": list(u.starts), "ends": list(u.ends),
            "caps": _bits(u.caps), "breaks": _bits(u.breaks), "lookup": sorted(u.lookup), "index": sorted(u.index),
            "attribution": u.attribution, "post": u.post}


def unit(row: dict) -> PreparedUnit:
    # one string per article id and per speaker, however many units name it: the ordered pass
    # keeps every member, and a partition's rows come back as a new string each
    speaker = row["speaker"] and sys.intern(row["speaker"])
    return PreparedUnit(sys.intern(row["article"]), row["start"], row["end"], row["text"], row["quoted"], speaker,
                        row["markup"], row["code"], tuple(row["starts"]), tuple(row["ends"]),
                        int.from_bytes(row["caps"], "little"), int.from_bytes(row["breaks"], "little"),
                        frozenset(row["lookup"]), frozenset(row["index"]), row["attribution"], bool(row["post"]))


_MEMBER = ("article", "start", "end", "quoted", "speaker", "text", "spliced", "weak", "attribution", "post")


def draft_row(c: ClusterDraft) -> dict:
    members = [[getattr(m, f) for f in _MEMBER] for m in c.members]
    origin = next(i for i, m in enumerate(c.members) if m is c.origin)
    return {"origin": origin, "canonical": c.canonical, "members": json.dumps(members, ensure_ascii=False),
            "ranks": list(c.ranks)}


def draft(row: dict) -> ClusterDraft:
    members = tuple(Member(*m) for m in json.loads(row["members"]))
    return ClusterDraft(members[row["origin"]], row["canonical"], members, tuple(row["ranks"]))
