"""WARC 1.1 writing with warcio: request, response (or revisit) and metadata records, gzip per record."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .cdxj import NOT_MODIFIED_PROFILE, placed, write_cache

# Twisted's HTTP client removes chunked framing before Scrapy sees a body, so the payload is
# recorded de-chunked: the header that describes the framing must go, and Content-Length must
# state the bytes recorded. Content-Encoding stays: the payload is kept compressed, as received.
_FRAMING_HEADERS = {"transfer-encoding", "content-length"}
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def warc_date(iso: str) -> str:
    """A WARC-Date (UTC, 'Z', seconds) from an ISO 8601 timestamp."""
    when = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes (SHA-1, base 32): what a revisit record must repeat."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_fields(fields: dict) -> bytes:
    """An application/warc-fields block: 'Name: value' lines, CRLF-terminated; empty values left out."""
    # one line per field, whatever the value held
    return "".join(f"{name}: {' '.join(str(value).split())}\r\n" for name, value in fields.items()
                   if value is not None and value != "").encode("utf-8")


def parse_warc_fields(block: bytes) -> dict:
    """The fields of an application/warc-fields block (the inverse of warc_fields)."""
    out = {}
    for line in block.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class Revisit:
    """The earlier response whose payload a new capture repeats byte for byte."""

    target_uri: str
    date: str  # its WARC-Date
    record_id: str
    profile: str = REVISIT_PROFILE  # or NOT_MODIFIED_PROFILE, for a 304 answer


@dataclass(frozen=True)
class ExchangeBlob:
    """Request, response (or revisit) and metadata records, gzipped one member each, ready to append."""

    data: bytes
    response_offset: int  # of the response or revisit record, within data
    response_length: int
    record_id: str
    sha256: str  # of the HTTP payload, as received
    cdxj: tuple[str, ...] = ()  # its CDXJ lines, offsets within data (cdxj.exchange_lines)


def serialize_exchange(*, url: str, method: str, request_headers, status: int, response_headers,
                       body: bytes, fetched_at: str, metadata: dict | None = None,
                       revisit: Revisit | None = None) -> ExchangeBlob:
    """Build the WARC records of one HTTP exchange in memory (pure: runs in a worker process).

    body is the payload as received (still compressed when the server sent Content-Encoding).
    With revisit, the payload repeats that earlier response's: a revisit record (profile
    identical-payload-digest) keeps the headers only; for a 304 answer to a conditional request,
    the profile is server-not-modified and the record has no payload digest (there is no
    payload). The metadata record (pressdiff's own fields: story, run, how the page was found)
    is WARC-Concurrent-To the response and typed application/warc-fields, which replay tools
    leave out of their indexes.
    """
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.1")
    date = warc_date(fetched_at)
    req_http = StatusAndHeaders(f"{method} {_target(url)} HTTP/1.1", list(request_headers), is_http_request=True)
    request = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""), length=0, http_headers=req_http,
        warc_headers_dict={"WARC-Date": date})
    headers = [(k, v) for k, v in response_headers if k.lower() not in _FRAMING_HEADERS]
    headers.append(("Content-Length", str(len(body))))
    resp_http = StatusAndHeaders(f"{status} {_reason(status)}", headers, protocol="HTTP/1.1")
    if revisit is None:
        response = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=resp_http,
            warc_headers_dict={"WARC-Date": date})
    elif revisit.profile == NOT_MODIFIED_PROFILE:
        response = writer.create_warc_record(url, "revisit", http_headers=resp_http,
                                             warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": revisit.record_id})
        for name, value in (("WARC-Profile", NOT_MODIFIED_PROFILE), ("WARC-Refers-To-Target-URI", revisit.target_uri),
                            ("WARC-Refers-To-Date", revisit.date)):
            response.rec_headers.add_header(name, value)
    else:
        response = writer.create_revisit_record(
            url, payload_digest(body), revisit.target_uri, revisit.date, http_headers=resp_http,
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": revisit.record_id})
    response_id = response.rec_headers.get_header("WARC-Record-ID")
    request.rec_headers.add_header("WARC-Concurrent-To", response_id)
    writer.write_record(request)
    offset = buf.tell()
    writer.write_record(response)
    length = buf.tell() - offset
    if metadata:
        meta = writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(warc_fields(metadata)), warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
        writer.write_record(meta)
    return ExchangeBlob(buf.getvalue(), offset, length, response_id, hashlib.sha256(body).hexdigest())


ASIDE_STALE_SECONDS = 60


def sweep_asides(warc_dir: Path, stale: float = ASIDE_STALE_SECONDS) -> int:
    """Remove the asides (.NAME.PID.tmp, WarcArchive._open) of WARC files whose opener was killed
    between writing the aside and linking it; returns how many. An opener holds its aside for the
    moment between two system calls, so one older than `stale` seconds is an orphan, whichever process
    or host made it."""
    now, removed = time.time(), 0
    for aside in warc_dir.glob(".*.warc.gz.*.tmp"):
        try:
            if now - aside.stat().st_mtime > stale:
                aside.unlink()
                removed += 1
        except FileNotFoundError:  # another process swept it first
            pass
    return removed


class WarcArchive:
    """Appends exchanges to rotated .warc.gz files under a workspace's warc/ folder."""

    def __init__(self, data_dir: str | Path, prefix: str, max_file_bytes: int = 1 << 30, info: dict | None = None,
                 tag: str | None = None, on_open=None, on_close=None):
        self.data_dir = Path(data_dir)
        self.dir = self.data_dir / "warc"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.tag = tag or str(os.getpid())  # a worker's id, which names its files (worker_files)
        self.max_file_bytes = max_file_bytes
        self.info = info or {}
        self.serial = 0
        self.file = None
        self.path: Path | None = None
        self.files: list[str] = []
        self.on_open, self.on_close = on_open, on_close
        self.cdxj: list[str] | None = None  # the open file's index lines, while every exchange brought its own
        sweep_asides(self.dir)

    def _open(self) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
        while True:
            self.serial += 1
            name = f"{self.prefix}-{stamp}-{self.tag}-{self.serial:05d}.warc.gz"
            path = self.dir / name
            if not path.exists():
                break
        self.path = path
        if self.on_open:
            self.on_open(self.relative(path))  # known to the index before a byte is written
        info = {"software": "pressdiff/0.1 (warcio)", "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                **self.info}
        head = io.BytesIO()
        writer = WARCWriter(head, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(name, info))
        # the file comes into being with its warcinfo record whole (written aside, then linked under
        # its name, which fails as "x" would if it exists): a process killed while opening it leaves
        # no empty or torn WARC file, which no repair could make a WARC again
        aside = self.dir / f".{name}.{os.getpid()}.tmp"
        aside.write_bytes(head.getvalue())
        try:
            os.link(aside, path)
        finally:
            aside.unlink()
        self.file = open(path, "ab")
        self.cdxj = []
        self.files.append(self.relative(path))

    def relative(self, path: Path) -> str:
        return path.relative_to(self.data_dir).as_posix()

    def append(self, blob: ExchangeBlob) -> dict:
        """Append records serialised elsewhere (a worker process); rotate files past the size limit."""
        if self.file is None or self.file.tell() >= self.max_file_bytes:
            self.close()
            self._open()
        start = self.file.tell()
        if self.cdxj is not None and blob.cdxj:
            name = self.path.relative_to(self.dir).as_posix()
            self.cdxj.extend(placed(line, start, name) for line in blob.cdxj)
        else:
            self.cdxj = None  # an exchange without its lines: the file is indexed whole later
        self.file.write(blob.data)
        # one write and flush per exchange: a kill can still tear the last exchange, which
        # replay.repair cuts back to its last whole record when the run resumes
        self.file.flush()
        return {"warc_file": self.relative(self.path), "warc_offset": start + blob.response_offset,
                "warc_length": blob.response_length, "record_id": blob.record_id, "sha256": blob.sha256}

    def close(self) -> None:
        if self.file is not None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            if self.cdxj is not None:
                write_cache(self.dir, self.path, self.cdxj)
            if self.on_close:
                self.on_close(self.relative(self.path))
            self.file = None


def worker_files(warc_dir: Path, worker: str) -> list[Path]:
    """The WARC files a worker wrote (WarcArchive with tag=worker), in the order it wrote them."""
    pattern = re.compile(rf".+-\d{{14}}-{re.escape(worker)}-\d{{5}}\.warc\.gz")
    return sorted(p for p in warc_dir.glob("*.warc.gz") if pattern.fullmatch(p.name))


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
