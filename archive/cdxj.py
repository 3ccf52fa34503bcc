"""A CDXJ index of the workspace's WARC files (cdxj-indexer), beside them: warc/index.cdxj.

pywb and other replay tools read it as a collection index: `archive_paths` is the warc/
folder, and each line's filename is relative to it. Each WARC file is indexed once, its lines
cached under warc/.cdxj/: a crawl indexes each exchange as it serialises it (in its pool, with
cdxj-indexer over the exchange's records: `exchange_lines`), and writes the file's cache when
the file is closed (`write_cache`); any file without a current cache (imported, or torn by a
kill) is indexed whole. The merged index is rewritten, sorted, after every crawl, replay and
import: a merge of the caches, no file read again. Metadata records (application/warc-fields)
are left out, as cdxj-indexer does by default, so a replay tool resolves a URL to its response
or revisit record.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

from cdxj_indexer import CDXJIndexer

from .reading import whole_records_end

# A 304 Not Modified answer to a conditional request: the server said the earlier payload stands.
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


class Indexer(CDXJIndexer):
    """cdxj-indexer as it ships, but for two things. py-wacz, once imported (`export --wacz`, the
    site's downloads), appends "warcinfo" to CDXJIndexer's own list of records to index, for every
    user of the class in the process; the index of the same file must not depend on what ran
    before. And a watch's 304 answers (revisit records, profile server-not-modified) are left out:
    pywb replays such a line as an empty 304 response, where a reader wants the page the server
    confirmed, which the index then finds at the earlier capture."""

    DEFAULT_RECORDS = ["response", "revisit", "resource", "metadata"]

    def filter_record(self, record):
        if record.rec_type == "revisit" and record.rec_headers.get_header("WARC-Profile") == NOT_MODIFIED_PROFILE:
            return False
        return super().filter_record(record)


INDEX_NAME = "index.cdxj"
_CACHE = ".cdxj"
WARC_SUFFIXES = (".warc.gz", ".warc")


def warc_files(warc_dir: Path) -> list[Path]:
    """Every WARC file under warc_dir (imported ones sit in subfolders), in name order."""
    return sorted(p for p in warc_dir.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES)
                  and _CACHE not in p.relative_to(warc_dir).parts)


def _cache_path(warc_dir: Path, path: Path) -> Path:
    return warc_dir / _CACHE / (path.relative_to(warc_dir).as_posix().replace("/", "__") + ".cdxj")


def exchange_lines(records: bytes) -> tuple[str, ...]:
    """The CDXJ lines of one exchange's records, as cdxj-indexer makes them for a whole file, with
    offsets from the start of these bytes and no file name yet (`placed` adds both)."""
    out = io.StringIO()
    Indexer(out, io.BytesIO(records), filename="-").process_all()
    return tuple(out.getvalue().splitlines())


def placed(line: str, offset: int, filename: str) -> str:
    """A line of exchange_lines for the exchange written at `offset` in `filename` (relative to warc/)."""
    key, stamp, fields = line.split(" ", 2)
    data = json.loads(fields)
    data["offset"] = str(int(data["offset"]) + offset)
    data["filename"] = filename
    return f"{key} {stamp} {json.dumps(data)}"


def _beside(target: Path) -> Path:
    """A temporary name next to target, this process's own: a worker closing its WARC file and
    the coordinator indexing every file may write the same cache at once; each writes whole and
    renames, and the last rename wins with the same lines."""
    return target.with_name(f"{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def write_cache(warc_dir: Path, path: Path, lines: list[str]) -> None:
    """The cache of a WARC file just closed, from the lines of its exchanges: no need to read it again."""
    cache = _cache_path(warc_dir, path)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = _beside(cache)
    tmp.write_text("".join(line + "\n" for line in sorted(lines)), "utf-8")
    os.replace(tmp, cache)


def index_file(warc_dir: Path, path: Path) -> Path:
    """The sorted CDXJ lines of one WARC file, cached until the file changes."""
    rel = path.relative_to(warc_dir).as_posix()
    cache = _cache_path(warc_dir, path)
    stat = path.stat()
    if cache.exists() and cache.stat().st_mtime_ns >= stat.st_mtime_ns:
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = _beside(cache)
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            Indexer(out, [str(path)], sort=True, dir_root=str(warc_dir)).process_all()
    except Exception:  # noqa: BLE001 - a torn tail (a killed worker's file, until it repairs it)
        _index_whole_records(warc_dir, path, rel, tmp)
    os.replace(tmp, cache)
    return cache


def _index_whole_records(warc_dir: Path, path: Path, rel: str, out_path: Path) -> None:
    """Index what a damaged WARC file holds before its damage, under its own name."""
    end = whole_records_end(path)
    with tempfile.TemporaryDirectory(dir=out_path.parent) as root:
        copy = Path(root) / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read(end))
        with open(out_path, "w", encoding="utf-8") as out:
            Indexer(out, [str(copy)], sort=True, dir_root=root).process_all()
    print(f"pressdiff: warc/{rel} is damaged after byte {end}; indexed up to there (a worker restarted "
          "under its name, or the next crawl, cuts it back)", file=sys.stderr)


def update_index(data_dir: str | Path) -> Path | None:
    """Rewrite warc/index.cdxj from every WARC file of the workspace; returns its path."""
    warc_dir = Path(data_dir) / "warc"
    if not warc_dir.is_dir():
        return None
    caches = [index_file(warc_dir, p) for p in warc_files(warc_dir)]
    target = warc_dir / INDEX_NAME
    tmp = _beside(target)
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(open(c, encoding="utf-8")) for c in caches]
        with open(tmp, "w", encoding="utf-8") as out:
            out.writelines(heapq.merge(*handles))
    os.replace(tmp, target)
    return target
