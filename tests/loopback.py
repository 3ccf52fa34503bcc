"""Loopback HTTP servers for crawler tests: a misbehaving news site and a Wayback Machine stand-in.

The stand-in answers like the real services (shapes documented in crawler/wayback.py):
- GET /wayback/available?url=U&timestamp=T ->
  {"archived_snapshots": {"closest": {"available": true, "status": "200", "timestamp": TS,
   "url": "http://HOST/web/TS/U"}}}  or {"archived_snapshots": {}}
- GET /cdx/search/cdx?url=HOST/*&output=json&from=..&to=..&filter=..&collapse=urlkey&limit=N ->
  [["urlkey","timestamp","original","mimetype","statuscode","digest","length"], [...], ...]
- GET /web/TSid_/U -> the archived bytes, no banner; /web/TS/U (no id_) -> the bytes wrapped
  in a toolbar, which a crawler must never archive.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PARAGRAPHS = [
    "The Calloway Harbour Authority told its staff in a memo not to criticise the ferry contract online.",
    '"We must be careful here and make sure every colleague follows this guidance," the memo said.',
    "Unions said they would raise the memo with managers at their next meeting on the quayside.",
    "The contract was awarded to Greyline Marine in January after a long and contested tender process.",
]


def article_html(title: str, extra: str = "", date: str = "2026-03-02", paragraphs=PARAGRAPHS, links="") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{date}T09:00:00+00:00'></head>"
            f"<body><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav><article><h1>{title}</h1>"
            f"<p class='byline'>By A. Reporter, {date}</p>{body}{extra}</article>"
            f"<aside>{links}</aside><footer>Copyright 2026 Example News</footer></body></html>")


class Site(ThreadingHTTPServer):
    """A loopback server whose routes are functions of (handler, path, query) -> (status, headers, body)."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1"):
        super().__init__((host, 0), _Handler)
        self.host = host
        self.routes: dict = {}
        self.hits: Counter = Counter()
        self.active = self.most_active = 0  # requests being answered now, and at most so far
        self.not_modified = 0  # 304 answers of versioned pages
        self.posts: list = []  # (path, body) of every POST (a webhook stand-in)
        self.post_answers: list = []  # statuses to answer POSTs with, in turn (then 200)
        self.post_gate = None  # a threading.Event every POST waits for, when set to one
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.server_address[1]}"

    def route(self, path, status=200, body=b"", ctype="text/html; charset=utf-8", headers=(), delay=0.0):
        """A fixed answer for a path."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def answer(_h, _path, _query):
            if delay:
                time.sleep(delay)
            return status, [("Content-Type", ctype), *headers], data

        self.routes[path] = answer

    def versioned(self, path, page) -> None:
        """A page that changes between requests, answering conditional requests as a news site's
        server does: its ETag is the body's digest, Last-Modified the time its body last changed;
        a matching If-None-Match (or, without one, an If-Modified-Since not older) gets 304.
        page: a zero-argument function returning the current HTML."""
        import hashlib
        from email.utils import formatdate, parsedate_to_datetime

        seen: dict = {}

        def answer(h, _path, _query):
            body = page().encode("utf-8")
            tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if seen.get("tag") != tag:
                seen.update(tag=tag, since=int(time.time()))
            headers = [("ETag", tag), ("Last-Modified", formatdate(seen["since"], usegmt=True))]
            match, since = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
            fresh = match == tag if match else bool(since) and parsedate_to_datetime(since).timestamp() >= seen["since"]
            if fresh:
                self.not_modified += 1
                return 304, headers, b""
            return 200, [("Content-Type", "text/html; charset=utf-8"), *headers], body

        self.routes[path] = answer

    def serve_directory(self, root) -> None:
        """Every other path: a file under root (a built site), index.html for a folder."""
        import mimetypes
        from pathlib import Path

        base = Path(root).resolve()

        def answer(_h, path, _query):
            target = (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(base) or not target.is_file():
                return 404, [("Content-Type", "text/html")], b"not found"
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return 200, [("Content-Type", ctype)], target.read_bytes()

        self.routes["/*"] = answer

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        parts = urlsplit(self.path)
        path = parts.path
        self.server.hits[path] += 1
        # a request in proxy form (GET http://host/path) may have a route of its own full URL
        handler = self.server.routes.get(self.path) if parts.scheme else None
        handler = handler or self.server.routes.get(path)
        if handler is None:
            for prefix, fn in self.server.routes.items():
                if prefix.endswith("*") and path.startswith(prefix[:-1]):
                    handler = fn
                    break
        with self.server.lock:
            self.server.active += 1
            self.server.most_active = max(self.server.most_active, self.server.active)
        try:
            if handler is None:
                status, headers, body = 404, [("Content-Type", "text/html")], b"<h1>Not found</h1>"
            else:
                status, headers, body = handler(self, path, parse_qs(parts.query))
        finally:
            with self.server.lock:
                self.server.active -= 1
        try:
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on a slow or huge answer: that is the point of the test

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.post_gate is not None:
            self.server.post_gate.wait(30)
        with self.server.lock:
            self.server.posts.append((self.path, body))
            status = self.server.post_answers.pop(0) if self.server.post_answers else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Wayback(Site):
    """A Wayback Machine stand-in holding snapshots {original URL: (timestamp, html)}."""

    def __init__(self):
        super().__init__()
        self.snapshots: dict[str, tuple[str, str]] = {}
        self.cdx_queries: list[dict] = []
        self.routes["/wayback/available"] = self._available
        self.routes["/cdx/search/cdx"] = self._cdx
        self.routes["/web/*"] = self._web

    def _available(self, _h, _path, query):
        url = query.get("url", [""])[0]
        snap = self.snapshots.get(url)
        if not snap:
            return 200, [("Content-Type", "application/json")], b'{"archived_snapshots": {}}'
        ts = snap[0]
        data = {"url": url, "archived_snapshots": {"closest": {
            "status": "200", "available": True, "url": f"http://web.archive.org/web/{ts}/{url}", "timestamp": ts}}}
        return 200, [("Content-Type", "application/json")], json.dumps(data).encode()

    def _cdx(self, _h, _path, query):
        """As the real CDX server answers: url with a trailing * or matchType=prefix, from/to,
        filter=field:regex (statuscode, mimetype, original), limit, and with showResumeKey an
        empty row then [resume key] when rows remain; resumeKey continues after that row."""
        self.cdx_queries.append(query)
        url = query.get("url", [""])[0]
        prefix = url.endswith("*") or query.get("matchType", [""])[0] == "prefix"
        pattern = url.rstrip("*").split("://", 1)[-1].removeprefix("www.")
        since, until = query.get("from", ["0"])[0], query.get("to", ["99999999"])[0] + "999999"
        fields = {"statuscode": 4, "mimetype": 3, "original": 2}
        filters = [(fields[f.split(":", 1)[0]], re.compile(f.split(":", 1)[1]))
                   for f in query.get("filter", []) if f.split(":", 1)[0] in fields]
        found = []
        for original, (ts, html) in sorted(self.snapshots.items()):
            host_path = original.split("://", 1)[1].removeprefix("www.")
            if not (host_path.startswith(pattern) if prefix else host_path == pattern):
                continue
            row = [host_path, ts, original, "text/html", "200", "SHA1DIGEST", str(len(html))]
            if since <= ts <= until and all(rx.fullmatch(row[i]) for i, rx in filters):  # the whole field
                found.append(row)
        start = 0
        if query.get("resumeKey"):
            key = query["resumeKey"][0]
            start = next((i + 1 for i, r in enumerate(found) if f"{r[0]} {r[1]}" == key), len(found))
        limit = int(query.get("limit", [str(len(found) or 1)])[0])
        page = found[start:start + limit]
        rows = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"], *page]
        if query.get("showResumeKey", [""])[0] == "true" and start + limit < len(found):
            rows += [[], [f"{page[-1][0]} {page[-1][1]}"]]
        return 200, [("Content-Type", "application/json")], json.dumps(rows).encode()

    def _web(self, _h, path, _query):
        rest = path[len("/web/"):]
        stamp, _, original = rest.partition("/")
        raw = stamp.endswith("id_")
        ts = stamp[:-3] if raw else stamp
        for url, (snap_ts, html) in self.snapshots.items():
            if url == original or url.split("://", 1)[1] == original.split("://", 1)[-1]:
                if snap_ts != ts:
                    return 302, [("Location", f"/web/{snap_ts}{'id_' if raw else ''}/{url}")], b""
                body = html if raw else f"<div id='wm-ipp'>Wayback toolbar</div>{html}"
                return 200, [("Content-Type", "text/html; charset=utf-8")], body.encode()
        return 404, [("Content-Type", "text/html")], b"not archived"


class RedisServer:
    """Debian's redis-server on a free loopback port, with its data in a temporary folder.

    `persist=False` keeps nothing on disk, so a restart loses every key (the harshest case);
    restart() stops it and starts it again on the same port.
    """

    def __init__(self, folder, persist: bool = False):
        import shutil
        import socket

        self.binary = shutil.which("redis-server")
        self.folder = folder
        self.persist = persist
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        import subprocess

        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
                "--save", "", "--appendonly", "yes" if self.persist else "no", "--protected-mode", "no"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self, pause: float = 0.0) -> None:
        self.stop()
        time.sleep(pause)
        self.start()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
