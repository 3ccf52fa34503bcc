"""Indexing WARC files into the archive: resume after a crash, replay with no network, imports.

Each response (or revisit) a file holds that the index does not know yet becomes a capture and,
when it is an article of the story, a version (capture.record), as a live crawl's would.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from warcio.exceptions import ArchiveLoadFailed

from pressdiff.core.errors import InputError
from pressdiff.core.records import CrawlSummary
from pressdiff.core.store import Store
from pressdiff.core.story import Story

from .capture import Fetched, extract_page, record
from .cdxj import update_index
from .reading import first_date, payloads, read_record, records, repair
from .warc import parse_warc_fields


@dataclass
class Exchange:
    """A response (or revisit) record with the metadata record pressdiff wrote beside it."""

    fetched: Fetched
    body: bytes  # the payload decoded for extraction (Content-Encoding undone)


def exchanges(path: Path, rel: str, resolve=None, found_by: str = "replay"):
    """Every response and revisit in a WARC file (pressdiff's or another crawler's), with the
    metadata pressdiff wrote beside it when present.

    A revisit record has no payload: resolve(record_id, target_uri, date) finds the payload it
    refers to in earlier files, as (archived, decoded); records of this file are looked up first.
    """
    seen: dict = {}  # record id and (uri, digest) -> (payload as archived, decoded), for revisits here
    pending: tuple | None = None

    def flush(meta):
        offset, length, rec, raw = pending
        wire, body = payloads(rec, raw)
        h = rec.rec_headers
        if rec.rec_type == "response":
            seen[h.get_header("WARC-Record-ID")] = seen[
                (h.get_header("WARC-Target-URI"), h.get_header("WARC-Payload-Digest"))] = (wire, body)
            return _exchange(pending, wire, body, meta, rel, found_by)
        ref = h.get_header("WARC-Refers-To")
        found = seen.get(ref) or seen.get((h.get_header("WARC-Refers-To-Target-URI"), h.get_header("WARC-Payload-Digest")))
        if found is None and resolve is not None:
            found = resolve(ref, h.get_header("WARC-Refers-To-Target-URI"), h.get_header("WARC-Refers-To-Date"))
        if found is None:
            return None  # the payload is in no file this archive knows
        return _exchange(pending, *found, meta, rel, found_by, refers_to=ref)

    for offset, length, rec, content in records(path):
        kind = rec.rec_type
        if kind in ("response", "revisit"):
            if pending and (ex := flush(None)):
                yield ex
            pending = (offset, length, rec, content)
        elif kind == "metadata" and pending is not None:
            rid = pending[2].rec_headers.get_header("WARC-Record-ID")
            if rec.rec_headers.get_header("WARC-Concurrent-To") == rid:
                if (ex := flush(_metadata(rec, content))):
                    yield ex
                pending = None
    if pending and (ex := flush(None)):
        yield ex


def _metadata(rec, content: bytes) -> dict:
    """pressdiff's fields from a metadata record: warc-fields, or JSON as 0.1 wrote them."""
    if (rec.rec_headers.get_header("Content-Type") or "").startswith("application/warc-fields"):
        return parse_warc_fields(content)
    try:
        meta = json.loads(content)
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _exchange(pending, wire: bytes, body: bytes, meta, rel, found_by: str,
              refers_to: str | None = None) -> Exchange:
    offset, length, rec, _ = pending
    http = rec.http_headers
    target = rec.rec_headers.get_header("WARC-Target-URI")
    meta = meta or {}
    fetched = Fetched(
        url=meta.get("requested_url") or target, final_url=target,
        status=int(http.get_statuscode() or 0) if http else 0,
        content_type=http.get_header("Content-Type") if http else None,
        fetched_at=meta.get("fetched_at") or rec.rec_headers.get_header("WARC-Date"),
        found_by=meta.get("found_by", found_by), via=meta.get("via"), outlet=meta.get("outlet"),
        wayback_url=meta.get("wayback_url"), wayback_time=meta.get("wayback_time"),
        warc={"warc_file": rel, "warc_offset": offset, "warc_length": length,
              "record_id": rec.rec_headers.get_header("WARC-Record-ID"),
              "sha256": hashlib.sha256(wire).hexdigest(),
              "refers_to": refers_to})
    return Exchange(fetched, body)


def index_warc(store: Store, story: Story, run: int, data_dir: Path, rel: str, counts: Counter,
               found_by: str = "replay") -> None:
    """Index every response of one WARC file that the archive does not know yet."""
    def resolve(record_id, uri, date):
        row = store.articles.capture_by_record(record_id) if record_id else None
        if row is None or not row["warc_file"] or not (data_dir / row["warc_file"]).exists():
            return None
        return read_record(data_dir / row["warc_file"], row["warc_offset"])[1:]

    for ex in exchanges(data_dir / rel, rel, resolve, found_by):
        f = ex.fetched
        if not (200 <= f.status < 300):
            continue
        if store.articles.has_record(f.warc["record_id"]):
            counts["known"] += 1
            continue
        page, charset = extract_page(ex.body, f.content_type, f.final_url)
        counts.update([record(store, story, run, f, page, charset), "pages"])


def recover(store: Store, story: Story, run: int, data_dir: Path) -> Counter:
    """After an interrupted run: repair its WARC files and index what they hold but the index lacks."""
    counts = Counter(repaired_bytes=0)
    for rel in store.runs.run_warcs(run):
        path = data_dir / rel
        if not path.exists():
            continue
        counts["repaired_bytes"] += repair(path)
        index_warc(store, story, run, data_dir, rel, counts)
        store.runs.close_warc(rel)
    return counts


def replay(store: Store, story: Story, data_dir: Path, files: list[Path], echo=print) -> CrawlSummary:
    """Rebuild a story's archive from WARC files with no network; returns a crawl-like summary."""
    warc_dir = (data_dir / "warc").resolve()
    warc_dir.mkdir(parents=True, exist_ok=True)
    rels = []
    for f in map(Path, files):
        if not f.is_file():
            raise InputError(f"{f}: no such WARC file")
        target = f.resolve()
        if target.parent != warc_dir:  # WARC files from elsewhere are copied in, never moved
            target = warc_dir / f.name
            if target.exists():
                raise InputError(f"{target} already exists in the workspace; replay it from there")
            shutil.copy2(f, target)
        rels.append(f"warc/{target.name}")
    return index_archives(store, story, data_dir, rels, "replay", echo)


def index_archives(store: Store, story: Story, data_dir: Path, rels: list[str], found_by: str,
                   echo=print) -> CrawlSummary:
    """Index WARC files already in the workspace, oldest first, as one run; then the CDXJ index."""
    store.articles.save_story(story)
    run = store.runs.open_replay_run(story.slug)
    counts: Counter = Counter()
    verb = "replayed" if found_by == "replay" else "indexed"
    for rel in sorted(rels, key=lambda r: first_date(data_dir / r)):
        store.runs.register_warc(rel, run)
        try:
            index_warc(store, story, run, data_dir, rel, counts, found_by)
        except ArchiveLoadFailed as exc:
            raise InputError(f"{rel} is not a readable WARC file ({exc})") from None
        echo(f"pressdiff: {verb} {rel}: {counts.get('pages', 0)} pages so far")
    summary = CrawlSummary.from_counts(counts, warc_files=tuple(rels), run=run)
    store.runs.finish_run(run, summary.to_json())
    update_index(data_dir)
    return summary
