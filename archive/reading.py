"""Reading WARC files back: whole records, payloads as archived and decoded, repair.

A killed writer can leave half a record at the end of a file; everything here reads the whole
records before the damage and no further, and `repair` cuts the damage off.
"""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed


def _whole(fh, offset: int, length: int) -> bool:
    """Whether the gzip member at offset is complete (a truncated one still decompresses partly)."""
    fh.seek(offset)
    data = fh.read(length)
    if data[:2] != b"\x1f\x8b":
        return True  # an uncompressed WARC: the record length check below is all there is
    z = zlib.decompressobj(wbits=31)
    try:
        z.decompress(data)
    except zlib.error:
        return False
    return z.eof


def payloads(rec, raw: bytes) -> tuple[bytes, bytes]:
    """A record's HTTP payload as archived (de-chunked) and decoded (Content-Encoding undone).

    warcio's content_stream does both at once; the digest of a capture is of the first, and
    extraction reads the second. Undecodable bytes are passed on as they are.
    """
    http = rec.http_headers
    if not http or rec.rec_type not in ("response", "revisit"):
        return raw, raw
    wire = raw
    if (http.get_header("Transfer-Encoding") or "").lower() == "chunked":
        wire = ChunkedDataReader(io.BytesIO(raw)).read()
    encoding = (http.get_header("Content-Encoding") or "").lower()
    if encoding in BufferedReader.get_supported_decompressors():
        try:
            return wire, BufferedReader(io.BytesIO(wire), decomp_type=encoding).read()
        except Exception:  # noqa: BLE001 - a payload that does not decode is kept as received
            return wire, wire
    return wire, wire


def records(path: Path):
    """Yield (offset, length, record, raw payload) for every whole record; raises at the first damaged one."""
    with open(path, "rb") as fh, open(path, "rb") as check:
        it = ArchiveIterator(fh, check_digests=False)
        for rec in it:
            content = rec.raw_stream.read()
            offset, length = it.get_record_offset(), it.get_record_length()
            declared = rec.rec_headers.get_header("Content-Length")
            if (not rec.rec_headers.get_header("WARC-Record-ID") or declared is None
                    or int(declared) != rec.length or not _whole(check, offset, length)):
                raise ArchiveLoadFailed(f"{path}: damaged record at offset {offset}")
            yield offset, length, rec, content


def read_record(path: Path, offset: int) -> tuple[object, bytes, bytes]:
    """The record at offset in a WARC file: (record, payload as archived, payload decoded)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        rec = next(iter(ArchiveIterator(fh, check_digests=False)))
        wire, decoded = payloads(rec, rec.raw_stream.read())
        return rec, wire, decoded


def whole_records_end(path: Path) -> int:
    """Where a WARC file's last whole record ends (its size, unless a kill tore its tail)."""
    end = 0
    try:
        for offset, length, _, _ in records(path):
            end = offset + length
    except Exception:  # noqa: BLE001 - whatever the damage, keep what came before it
        pass
    return end


def repair(path: Path) -> int:
    """Cut a WARC file back to its last whole record (a crawl killed mid-write); returns bytes cut."""
    end = whole_records_end(path)
    size = path.stat().st_size
    if end < size:
        with open(path, "r+b") as fh:
            fh.truncate(end)
            fh.flush()
            os.fsync(fh.fileno())
    return size - end


def first_date(path: Path) -> str:
    try:
        for _, _, rec, _ in records(path):
            if rec.rec_type == "response":
                return rec.rec_headers.get_header("WARC-Date") or ""
    except Exception:  # noqa: BLE001 - unreadable files sort last and fail when indexed
        pass
    return "~"
