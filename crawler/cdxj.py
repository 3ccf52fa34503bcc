"""A CDXJ index of the workspace's WARC files (cdxj-indexer), beside them: warc/index.cdxj.

pywb and other replay tools read it as a collection index: `archive_paths` is the warc/
folder, and each line's filename is relative to it. Each WARC file is indexed once (its lines
cached under warc/.cdxj/); the merged index is rewritten, sorted, after every crawl, replay and
import. Metadata records (application/warc-fields) are left out, as cdxj-indexer does by default,
so a replay tool resolves a URL to its response or revisit record.
"""

from __future__ import annotations

import heapq
import os
import sys
import tempfile
from pathlib import Path

from cdxj_indexer import CDXJIndexer

INDEX_NAME = "index.cdxj"
_CACHE = ".cdxj"
WARC_SUFFIXES = (".warc.gz", ".warc")


def warc_files(warc_dir: Path) -> list[Path]:
    """Every WARC file under warc_dir (imported ones sit in subfolders), in name order."""
    found = [p for p in warc_dir.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES)
             and _CACHE not in p.relative_to(warc_dir).parts]
    return sorted(found)


def index_file(warc_dir: Path, path: Path) -> Path:
    """The sorted CDXJ lines of one WARC file, cached until the file changes."""
    rel = path.relative_to(warc_dir).as_posix()
    cache = warc_dir / _CACHE / (rel.replace("/", "__") + ".cdxj")
    stat = path.stat()
    if cache.exists() and cache.stat().st_mtime_ns >= stat.st_mtime_ns:
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            CDXJIndexer(out, [str(path)], sort=True, dir_root=str(warc_dir)).process_all()
    except Exception:  # noqa: BLE001 - a torn tail (a killed worker's file, until it repairs it)
        _index_whole_records(warc_dir, path, rel, tmp)
    os.replace(tmp, cache)
    return cache


def _index_whole_records(warc_dir: Path, path: Path, rel: str, out_path: Path) -> None:
    """Index what a damaged WARC file holds before its damage, under its own name."""
    from .replay import whole_records_end

    end = whole_records_end(path)
    with tempfile.TemporaryDirectory(dir=out_path.parent) as root:
        copy = Path(root) / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read(end))
        with open(out_path, "w", encoding="utf-8") as out:
            CDXJIndexer(out, [str(copy)], sort=True, dir_root=root).process_all()
    print(f"pressdiff: warc/{rel} is damaged after byte {end}; indexed up to there (a worker restarted "
          "under its name, or the next crawl, cuts it back)", file=sys.stderr)


def update_index(data_dir: str | Path) -> Path | None:
    """Rewrite warc/index.cdxj from every WARC file of the workspace; returns its path."""
    warc_dir = Path(data_dir) / "warc"
    if not warc_dir.is_dir():
        return None
    caches = [index_file(warc_dir, p) for p in warc_files(warc_dir)]
    target = warc_dir / INDEX_NAME
    tmp = target.with_suffix(".tmp")
    handles = [open(c, encoding="utf-8") for c in caches]
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            out.writelines(heapq.merge(*handles))
    finally:
        for h in handles:
            h.close()
    os.replace(tmp, target)
    return target
