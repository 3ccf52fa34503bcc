"""A crawl shared through Redis: real redis-server, real workers, real kills, on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressdiff import PROJECT_ROOT

from .loopback import RedisServer, Site, article_html
from .test_crawler import story_file, warcs_valid

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="needs Debian's redis-server (.ci/run installs it)")]
redis = pytest.importorskip("redis")

LEASE = 2.0  # s: short, so that a killed worker's pages come back quickly
ENV = {"PRESSDIFF_LEASE_SECONDS": str(LEASE), "PRESSDIFF_RETRY_BACKOFF": "0.05", "PRESSDIFF_REDIS_GIVE_UP": "40"}


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        yield server


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), **ENV)


def _start(*args, log: Path) -> subprocess.Popen:
    """A pressdiff command in a session of its own (killed with its children), output to log."""
    return subprocess.Popen([sys.executable, "-m", "pressdiff", *map(str, args)], env=_env(),
                            stdout=open(log.with_suffix(".out"), "w"), stderr=open(log, "w"),
                            start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _db(workspace: Path) -> sqlite3.Connection:
    db = sqlite3.connect(workspace / "pressdiff.db", timeout=10)
    db.row_factory = sqlite3.Row
    return db


def _captures(workspace: Path) -> int:
    try:
        return _db(workspace).execute("SELECT COUNT(*) FROM capture").fetchone()[0]
    except sqlite3.Error:
        return 0


def _wait(check, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _site(pages: int, delay: float) -> tuple[Site, list[str]]:
    site = Site()
    site.route("/robots.txt", body="User-agent: *\n", ctype="text/plain")
    urls = []
    for i in range(pages):
        site.route(f"/story-{i}.html", body=article_html(f"Harbour memo, part {i}"), delay=delay)
        urls.append(f"{site.base}/story-{i}.html")
    return site, urls


def _held(client, worker: str) -> set[str]:
    """The pages a worker holds leases on, in whichever job."""
    return {k.decode() for key in client.scan_iter(f"pressdiff:faults:*:owned:{worker}") for k in client.smembers(key)}


def _each_page_indexed_once(workspace: Path, urls: list[str]) -> None:
    db = _db(workspace)
    counts = {r["url"]: r["n"] for r in db.execute("SELECT url, COUNT(*) AS n FROM capture GROUP BY url")}
    assert counts == {u: 1 for u in urls}
    states = {r["state"] for r in db.execute("SELECT state FROM frontier")}
    assert states == {"done"}
    assert db.execute("SELECT COUNT(*) FROM article").fetchone()[0] == len(urls)
    run = db.execute("SELECT status, summary FROM crawl_run ORDER BY id DESC LIMIT 1").fetchone()
    assert run["status"] == "finished"


def test_kill_9_of_one_of_three_workers_loses_no_page_and_indexes_each_once(tmp_path, workspace, redis_server):
    site, urls = _site(36, delay=0.3)
    with site:
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 3")
        coordinator = _start("crawl", story, "--data", workspace, "--redis", redis_server.url,
                             log=tmp_path / "coordinator.log")
        workers = {n: _start("worker", "--redis", redis_server.url, "--data", workspace, "--id", n, "--once",
                             log=tmp_path / f"{n}.log") for n in ("w1", "w2", "w3")}
        client = redis.Redis(port=redis_server.port)
        try:
            # kill w2 while it holds leased pages, after it has archived some and the crawl is well under way
            w2_files = lambda: sorted((workspace / "warc").glob("faults-*-w2-*.warc.gz"))  # noqa: E731
            _wait(lambda: _captures(workspace) >= 6 and w2_files() and _held(client, "w2"), 60,
                  "w2 to hold pages mid-crawl")
            held = _held(client, "w2")
            _kill(workers["w2"])
            assert held and _captures(workspace) < len(urls)
            # the worst a kill can leave: half a record at the end of its file
            whole = w2_files()[-1].read_bytes()
            with open(w2_files()[-1], "ab") as fh:
                fh.write(whole[len(whole) // 3: len(whole) // 3 + 700])
            assert coordinator.wait(timeout=120) == 0, (tmp_path / "coordinator.log").read_text()
            for n in ("w1", "w3"):
                assert workers[n].wait(timeout=30) == 0, (tmp_path / f"{n}.log").read_text()
        finally:
            for proc in [coordinator, *workers.values()]:
                _kill(proc)
        _each_page_indexed_once(workspace, urls)
        db = _db(workspace)
        files = {r["warc_file"] for r in db.execute("SELECT warc_file FROM capture")}
        assert any("-w1-" in f for f in files) and any("-w3-" in f for f in files)
        # politeness held across the three workers: never more than 3 at once on the site
        assert site.most_active <= 3

    # w2 restarted under its name cuts its torn tail before it takes any page
    again = _start("worker", "--redis", redis_server.url, "--data", workspace, "--id", "w2",
                   log=tmp_path / "w2-again.log")
    try:
        _wait(lambda: "waiting for a crawl" in (tmp_path / "w2-again.log").read_text(), 30, "w2 to start again")
    finally:
        _kill(again)
    assert "damaged bytes" in (tmp_path / "w2-again.log").read_text()
    assert warcs_valid(workspace)
    assert (workspace / "warc" / "index.cdxj").is_file()


def test_coordinator_killed_and_restarted_resumes_the_crawl(tmp_path, workspace, redis_server):
    site, urls = _site(30, delay=0.25)
    with site:
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 2")
        workers = [_start("worker", "--redis", redis_server.url, "--data", workspace, "--id", f"w{i}", "--once",
                          log=tmp_path / f"w{i}.log") for i in (1, 2)]
        first = _start("crawl", story, "--data", workspace, "--redis", redis_server.url,
                       log=tmp_path / "first.log")
        try:
            _wait(lambda: _captures(workspace) >= 6, 60, "captures before the kill")
            _kill(first)  # the command and its coordinator child; workers go on fetching
            done_before = _captures(workspace)
            assert done_before < len(urls)
            time.sleep(1.0)  # workers report captures to a coordinator that is not there
            second = _start("crawl", story, "--data", workspace, "--redis", redis_server.url,
                            log=tmp_path / "second.log")
            assert second.wait(timeout=120) == 0, (tmp_path / "second.log").read_text()
            for w in workers:
                assert w.wait(timeout=30) == 0
        finally:
            for proc in [first, *workers]:
                _kill(proc)
        log = (tmp_path / "second.log").read_text()
        assert "resuming crawl run 1" in log
        _each_page_indexed_once(workspace, urls)
        assert sum(site.hits[f"/story-{i}.html"] for i in range(30)) == len(urls)  # nothing fetched twice


def test_redis_restarted_without_its_data_mid_crawl_the_crawl_completes(tmp_path, workspace, redis_server):
    site, urls = _site(30, delay=0.25)
    with site:
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 2")
        crawl = _start("crawl", story, "--data", workspace, "--redis", redis_server.url, "--workers", "2",
                       log=tmp_path / "crawl.log")
        try:
            _wait(lambda: _captures(workspace) >= 6, 60, "captures before the restart")
            redis_server.restart(pause=1.5)  # every key is lost: queue, leases, dupefilter, events
            assert crawl.wait(timeout=120) == 0, (tmp_path / "crawl.log").read_text()
        finally:
            _kill(crawl)
        log = (tmp_path / "crawl.log").read_text()
        assert "Redis no longer holds this crawl" in log
        _each_page_indexed_once(workspace, urls)
        assert warcs_valid(workspace)


def test_bad_redis_url_and_unreachable_server_are_one_line_errors(cli, tmp_path, workspace):
    story = story_file(tmp_path, ["http://127.0.0.1:9/a.html"])
    code, _, err = cli("crawl", story, "--data", workspace, "--redis", "http://nope")
    assert code == 2 and "not a Redis URL" in err and "Traceback" not in err
    code, _, err = cli("crawl", story, "--data", workspace, "--redis", "redis://127.0.0.1:9/0")
    assert code == 2 and "cannot reach Redis at redis://127.0.0.1:9/0" in err
    code, _, err = cli("crawl", story, "--data", workspace, "--workers", "2")
    assert code == 2 and "--workers needs --redis" in err


def test_leases_expire_unless_renewed_and_end_only_when_released(redis_server):
    from crawler.redisjob import SEPARATOR, Job, Politeness

    client = redis.Redis(port=redis_server.port)
    job = Job(client, "s:1:abc", lease_seconds=0.3)
    for i, url in enumerate(["https://a.test/1", "https://a.test/2"]):
        client.zadd(job.queue, {url.encode() + SEPARATOR + b"request-%d" % i: i})
    _, first = job.take("w1")
    _, second = job.take("w2")
    assert first.endswith(b"request-0") and second.endswith(b"request-1")
    assert job.take("w3") == (0, None)
    for _ in range(4):  # w1 stays alive past its lease; w2 is silent
        time.sleep(0.15)
        assert job.renew("w1") == 1
    requeued, again = job.take("w3")  # w2's page comes back, w1's does not
    assert requeued == 1 and again == second
    job.release("https://a.test/1")
    job.release("https://a.test/2")
    assert job.outstanding() == (0, 0, 0) and job.renew("w1") == 0

    polite = Politeness(client)
    assert polite.acquire("https://b.test/x", "t1", limit=1, delay=0, hold=5) == 0
    assert polite.acquire("https://b.test/y", "t2", limit=1, delay=0, hold=5) > 0  # the one slot is held
    assert polite.acquire("https://c.test/y", "t3", limit=1, delay=0.5, hold=5) == 0  # another domain
    polite.release("https://b.test/x", "t1")
    assert polite.acquire("https://b.test/y", "t2", limit=1, delay=0, hold=5) == 0
    assert 0 < polite.acquire("https://c.test/z", "t4", limit=5, delay=0.5, hold=5) <= 500  # the delay holds
