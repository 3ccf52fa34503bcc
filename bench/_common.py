"""Helpers shared by the benchmarks: a loopback article site in its own process, RSS sampling."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process, Queue

WORDS = ("harbour authority memo staff ferry contract council union crossing passengers guidance "
         "social media posts review profiles colleague conduct spokesperson quayside tender sailing "
         "crew safety weather berth operator greyline marine northgate calloway board minutes").split()


def size_of(path) -> int:
    """Bytes of the files under a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def story_toml(title: str, urls: list[str], **crawl) -> str:
    """A benchmark story of these coverage URLs: autothrottle and retries off, and the [crawl] keys given."""
    lines = ['slug = "bench"', f'title = "{title}"']
    for u in urls:
        lines += ["[[coverage]]", f'url = "{u}"']
    lines += ["[crawl]", "autothrottle = false", *(f"{k} = {v}" for k, v in crawl.items()), "retries = 0"]
    return "\n".join(lines) + "\n"


def vocabulary(rnd: random.Random, size: int) -> tuple[list[str], list[float]]:
    """Invented words with Zipf weights: a few very common, most rare, as in real text."""
    syllables = ["ka", "lo", "mer", "tin", "sa", "ve", "dor", "an", "pli", "gru", "te", "os", "ri", "bel", "nu", "qua"]
    words = sorted({"".join(rnd.choice(syllables) for _ in range(rnd.randint(1, 4))) for _ in range(size * 2)})[:size]
    rnd.shuffle(words)
    return words, [1.0 / (rank + 1) for rank in range(len(words))]


def furniture(rnd: random.Random, size: int) -> str:
    """About `size` bytes of a news page's furniture: menus and teaser links with tracking ids and
    an inline script's configuration, compressing (gzip) about as real pages' HTML does."""
    parts, total = [], 0
    while total < size:
        words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 8)))
        part = (f"<li class='nav-item c-{rnd.getrandbits(32):08x}'><a href='/{rnd.choice(WORDS)}/{rnd.getrandbits(40):x}"
                f"?ref=nav&amp;pos={rnd.randrange(100)}' data-track='{rnd.getrandbits(16):04x}'>{words}</a></li>")
        parts.append(part)
        total += len(part)
    return "<div class='furniture'><ul>" + "".join(parts) + "</ul></div>"


def article_page(i: int, extra_bytes: int = 0) -> bytes:
    """A realistic ~6 KB article page: navigation, byline, 8 paragraphs, related links, footer;
    with extra_bytes, that much more furniture (real news pages are mostly furniture)."""
    rnd = random.Random(i)
    paras = []
    for _ in range(8):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(35, 60))]
        paras.append("<p>" + " ".join(words).capitalize() + ".</p>")
    related = "".join(f"<li><a href='/p/{rnd.randrange(100000)}.html'>Related story {k}</a></li>" for k in range(6))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {i} about the harbour</title>"
            f"<meta property='article:published_time' content='2026-03-0{1 + i % 9}T09:00:00+00:00'></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header>"
            f"<article><h1>Story {i} about the harbour</h1><p class='byline'>By Staff Reporter</p>{''.join(paras)}"
            f"</article><aside><ul>{related}</ul></aside>{furniture(rnd, extra_bytes) if extra_bytes else ''}"
            "<footer>© 2026 Bench News</footer></body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.server.latency:
            time.sleep(self.server.latency)
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow: /private/\n", "text/plain"
        elif self.path.startswith("/p/"):
            body, ctype = article_page(int(self.path[3:].split(".")[0]), self.server.extra_bytes), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        # validators, as news sites send them: the page's digest, and a fixed modification time
        tag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", "Mon, 02 Mar 2026 09:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(queue: Queue, latency: float, host: str = "127.0.0.1", extra_bytes: int = 0) -> None:
    server = ThreadingHTTPServer((host, 0), _Handler)
    server.daemon_threads = True
    server.latency, server.extra_bytes = latency, extra_bytes
    queue.put(server.server_address[1])
    server.serve_forever()


class PageServer:
    """The article site, in a separate process so that it never shares the crawler's GIL."""

    def __init__(self, latency: float = 0.0, host: str = "127.0.0.1", extra_bytes: int = 0):
        self.latency = latency  # seconds before each answer, like a real server far away
        self.host = host  # any 127.x.y.z: one "outlet" per address
        self.extra_bytes = extra_bytes  # furniture added to each page (article_page)

    def __enter__(self):
        q: Queue = Queue()
        self.proc = Process(target=_serve, args=(q, self.latency, self.host, self.extra_bytes), daemon=True)
        self.proc.start()
        self.base = f"http://{self.host}:{q.get(timeout=10)}"
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.join()


_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """{pid: (resident bytes, CPU seconds so far)} of a process and all its descendants. Each
    process's own CPU (utime, stime): a child's is counted under its own pid, not again when its
    parent reaps it."""
    children: dict[int, list[int]] = {}
    info = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
            cpu = (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
        info[int(name)] = (pages * _PAGE, cpu)
    found, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in info:
            found[pid] = info[pid]
        stack.extend(children.get(pid, []))
    return found


@dataclass
class Measured:
    """One command's run: wall seconds, peak resident memory of its process tree (summed over
    its processes at each sample), CPU seconds of the tree and of the command's own process,
    and the completed process."""

    seconds: float
    peak_rss: int
    cpu: float
    own_cpu: float
    proc: subprocess.CompletedProcess


def run_measured(cmd: list[str], env=None) -> Measured:
    """Run a command, sampling its process tree every 50 ms (pool processes and a forkserver that
    outlive the command's own process included: their last sample counts)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = 0
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            tree = _tree(proc.pid)
            peak = max(peak, sum(rss for rss, _ in tree.values()))
            for pid, (_, seconds) in tree.items():
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    elapsed = time.monotonic() - start
    done.set()
    t.join()
    return Measured(elapsed, peak, sum(cpu.values()), cpu.get(proc.pid, 0.0),
                    subprocess.CompletedProcess(cmd, proc.returncode, out, err))
