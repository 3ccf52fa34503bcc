"""WARC 1.1 writing with warcio: request, response and metadata records, gzip per record."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers that describe the bytes on the wire, which Scrapy has already decoded.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def warc_date(iso: str) -> str:
    """A WARC-Date (UTC, 'Z', seconds) from an ISO 8601 timestamp."""
    when = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ExchangeBlob:
    """Request, response and metadata records, gzipped one member each, ready to append."""

    data: bytes
    response_offset: int  # of the response record, within data
    response_length: int
    record_id: str
    sha256: str  # of the HTTP payload


def serialize_exchange(*, url: str, method: str, request_headers, status: int, response_headers,
                       body: bytes, fetched_at: str, metadata: dict | None = None) -> ExchangeBlob:
    """Build the WARC records of one HTTP exchange in memory (pure: runs in a worker process)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.1")
    date = warc_date(fetched_at)
    req_http = StatusAndHeaders(f"{method} {_target(url)} HTTP/1.1", list(request_headers), is_http_request=True)
    request = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""), length=0, http_headers=req_http,
        warc_headers_dict={"WARC-Date": date})
    headers = [(k, v) for k, v in response_headers if k.lower() not in _WIRE_HEADERS]
    headers.append(("Content-Length", str(len(body))))
    resp_http = StatusAndHeaders(f"{status} {_reason(status)}", headers, protocol="HTTP/1.1")
    response = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=resp_http,
        warc_headers_dict={"WARC-Date": date})
    response_id = response.rec_headers.get_header("WARC-Record-ID")
    request.rec_headers.add_header("WARC-Concurrent-To", response_id)
    writer.write_record(request)
    offset = buf.tell()
    writer.write_record(response)
    length = buf.tell() - offset
    if metadata:
        meta = writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(json.dumps(metadata, sort_keys=True).encode()),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
        writer.write_record(meta)
    return ExchangeBlob(buf.getvalue(), offset, length, response_id, hashlib.sha256(body).hexdigest())


class WarcArchive:
    """Appends exchanges to rotated .warc.gz files under a workspace's warc/ folder."""

    def __init__(self, data_dir: str | Path, prefix: str, max_file_bytes: int = 1 << 30, info: dict | None = None,
                 on_open=None, on_close=None):
        self.data_dir = Path(data_dir)
        self.dir = self.data_dir / "warc"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_file_bytes = max_file_bytes
        self.info = info or {}
        self.serial = 0
        self.file = None
        self.writer = None
        self.path: Path | None = None
        self.files: list[str] = []
        self.on_open, self.on_close = on_open, on_close

    def _open(self) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
        while True:
            self.serial += 1
            name = f"{self.prefix}-{stamp}-{os.getpid()}-{self.serial:05d}.warc.gz"
            path = self.dir / name
            if not path.exists():
                break
        self.path = path
        if self.on_open:
            self.on_open(self.relative(path))  # known to the index before a byte is written
        self.file = open(path, "xb")
        self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        info = {"software": "pressdiff/0.1 (warcio)", "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                **self.info}
        self.writer.write_record(self.writer.create_warcinfo_record(name, info))
        self.file.flush()
        self.files.append(self.relative(path))

    def relative(self, path: Path) -> str:
        return path.relative_to(self.data_dir).as_posix()

    def append(self, blob: ExchangeBlob) -> dict:
        """Append records serialised elsewhere (a worker process); rotate files past the size limit."""
        if self.file is None or self.file.tell() >= self.max_file_bytes:
            self.close()
            self._open()
        start = self.file.tell()
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
            if self.on_close:
                self.on_close(self.relative(self.path))
            self.file = self.writer = None


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
