"""`pressdiff demo`: the whole pipeline on the bundled invented story, offline.

The demo pages live under demo/pages/<host>/ for invented hosts on the reserved .test domain.
A loopback server answers as an HTTP proxy for those hosts, so Scrapy crawls real URLs over
real HTTP without any name ever resolving; demo/pages-v2/ holds the pages that change before
the second crawl.
"""

from __future__ import annotations

import gzip
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pressdiff.core.story import load_story

from . import RESOURCES, pipeline
from .pipeline import default_json_path
from .publish.build import build_site

DEMO_DIR = RESOURCES / "demo"
_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$")
_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".xml": "application/xml", ".json": "application/json"}


class DemoServer(ThreadingHTTPServer):
    """Serves demo/pages (and, from phase 2, demo/pages-v2 on top) to proxy or direct requests."""

    daemon_threads = True

    def __init__(self, roots: list[Path] | None = None, overlay: Path | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.roots = roots or [DEMO_DIR / "pages"]
        self.overlay = overlay if overlay is not None else DEMO_DIR / "pages-v2"
        self.phase = 1
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> DemoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()

    def resolve(self, host: str, path: str) -> Path | None:
        """The file for host+path, never outside the host's folder."""
        if not _HOST_RE.match(host):
            return None
        roots = ([self.overlay] if self.phase >= 2 and self.overlay else []) + list(self.roots)
        rel = unquote(path).lstrip("/")
        for root in roots:
            base = (root / host).resolve()
            candidate = (base / rel).resolve()
            if candidate != base and base not in candidate.parents:
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return candidate
        return None


class _Handler(BaseHTTPRequestHandler):
    server_version = "pressdiff-demo/0.1"

    def do_GET(self):
        self._serve(send_body=True)

    def do_HEAD(self):
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        if parts.scheme:  # proxy form: GET http://host/path HTTP/1.1
            host, path = (parts.hostname or "").lower(), parts.path or "/"
        else:
            host, path = self.headers.get("Host", "").split(":")[0].lower(), parts.path
        file = self.server.resolve(host, path)
        if file is None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", _TYPES.get(file.suffix, "application/octet-stream"))
            if file.suffix == ".html" and "gzip" in self.headers.get("Accept-Encoding", ""):
                # as most news sites do; mtime=0 keeps the bytes the same from one request to the next
                body = gzip.compress(body, mtime=0)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        pass


def run_demo(data_dir: str | Path, echo=print) -> dict:
    """Serve, crawl twice (one page changes in between), compare, build the site."""
    data_dir = Path(data_dir)
    story = load_story(DEMO_DIR / "story.toml")
    progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    say = lambda line: echo("demo: " + line)  # noqa: E731
    with DemoServer() as server:
        say(f"serving {len(story.coverage)} invented outlets' pages at {server.url} (HTTP proxy for *.test)")
        first = pipeline.crawl(data_dir, story, say, proxy=server.url, progress=progress, label="first ")
        server.phase = 2  # one page changes: the second crawl stores a second version of it
        second = pipeline.crawl(data_dir, story, say, proxy=server.url, progress=progress, label="second ")
    json_path = default_json_path(data_dir, story.slug)
    counts = pipeline.compare(data_dir, story, say, json_path)
    public = build_site(data_dir, [story.slug], echo=say)
    say(f"open {public / 'index.html'}")
    return {"first": first, "second": second, "comparison": counts, "site": str(public),
            "json": str(json_path)}
