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

from tests import PROJECT_ROOT

from .loopback import RedisServer, Site, article_html
from .processes import MARK, commands_of, left_after, new_mark, pids_of
from .test_crawler import story_file, warcs_valid

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="needs Debian's redis-server (.ci/run installs it)")]
redis = pytest.importorskip("redis")

# A short lease, so that a killed worker's pages come back quickly; an outage ridden out for 40 s.
TIMING = "lease = 2\ngive_up = 40"


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        yield server


def _start(*args, log: Path, mark: str = "") -> subprocess.Popen:
    """A pressdiff command in a session of its own, output to log, its processes marked."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), **{MARK: mark or new_mark()})
    return subprocess.Popen([sys.executable, "-m", "pressdiff", *map(str, args)], env=env,
                            stdout=open(log.with_suffix(".out"), "w"), stderr=open(log, "w"),
                            start_new_session=True)


def _cleanup(proc: subprocess.Popen) -> None:
    """After a test, pass or fail: the command's whole group goes (a test's own tidying, not a kill
    under test: those kill one process id, as a machine does)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _kill_one(pid: int) -> None:
    """kill -9 of exactly one process, as the kernel's out-of-memory killer or `kill PID` does."""
    os.kill(pid, signal.SIGKILL)


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
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 3\n" + TIMING)
        coordinator = _start("crawl", story, "--data", workspace, "--redis", redis_server.url,
                             log=tmp_path / "coordinator.log")
        marks = {n: new_mark() for n in ("w1", "w2", "w3")}
        workers = {n: _start("worker", "--redis", redis_server.url, "--data", workspace, "--id", n, "--once",
                             log=tmp_path / f"{n}.log", mark=marks[n]) for n in ("w1", "w2", "w3")}
        client = redis.Redis(port=redis_server.port)
        try:
            # kill w2 while it holds leased pages, after it has archived some and the crawl is well under way
            w2_files = lambda: sorted((workspace / "warc").glob("faults-*-w2-*.warc.gz"))  # noqa: E731
            _wait(lambda: _captures(workspace) >= 6 and w2_files() and _held(client, "w2"), 60,
                  "w2 to hold pages mid-crawl")
            held = _held(client, "w2")
            (crawling,) = pids_of(marks["w2"], "--serve")  # w2's crawl process, which holds the leases
            _kill_one(crawling)
            assert workers["w2"].wait(timeout=10) == 1  # the worker says how its crawl died, and stops
            assert "killed by SIGKILL (out of memory?)" in (tmp_path / "w2.log").read_text()
            assert left_after(marks["w2"], within=5) == {}
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
                _cleanup(proc)
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
        _cleanup(again)
    assert "damaged bytes" in (tmp_path / "w2-again.log").read_text()
    assert warcs_valid(workspace)
    assert (workspace / "warc" / "index.cdxj").is_file()


def test_coordinator_killed_and_restarted_resumes_the_crawl(tmp_path, workspace, redis_server):
    site, urls = _site(30, delay=0.25)
    with site:
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 2\n" + TIMING)
        workers = [_start("worker", "--redis", redis_server.url, "--data", workspace, "--id", f"w{i}", "--once",
                          log=tmp_path / f"w{i}.log") for i in (1, 2)]
        mark = new_mark()
        first = _start("crawl", story, "--data", workspace, "--redis", redis_server.url,
                       log=tmp_path / "first.log", mark=mark)
        try:
            _wait(lambda: _captures(workspace) >= 6, 60, "captures before the kill")
            (coordinator,) = pids_of(mark, "pressdiff.crawler.distributed.coordinator")
            _kill_one(coordinator)  # workers go on fetching
            assert first.wait(timeout=10) == 1  # the command ends at once, and says why
            assert "the crawl coordinator (pid %d) was killed by SIGKILL (out of memory?)" % coordinator \
                in (tmp_path / "first.log").read_text()
            assert left_after(mark, within=5) == {}
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
                _cleanup(proc)
        log = (tmp_path / "second.log").read_text()
        assert "resuming crawl run 1" in log
        _each_page_indexed_once(workspace, urls)
        assert sum(site.hits[f"/story-{i}.html"] for i in range(30)) == len(urls)  # nothing fetched twice


def test_redis_restarted_without_its_data_mid_crawl_the_crawl_completes(tmp_path, workspace, redis_server):
    site, urls = _site(30, delay=0.25)
    with site:
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 2\n" + TIMING)
        crawl = _start("crawl", story, "--data", workspace, "--redis", redis_server.url, "--workers", "2",
                       log=tmp_path / "crawl.log")
        try:
            _wait(lambda: _captures(workspace) >= 6, 60, "captures before the restart")
            redis_server.restart(pause=1.5)  # every key is lost: queue, leases, dupefilter, events
            assert crawl.wait(timeout=120) == 0, (tmp_path / "crawl.log").read_text()
        finally:
            _cleanup(crawl)
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
    from pressdiff.crawler.distributed.job import Job, Politeness
    from pressdiff.crawler.distributed.protocol import member

    client = redis.Redis(port=redis_server.port)
    job = Job(client, "s:1:abc", lease_seconds=0.3, longest_lease=600)
    for i, url in enumerate(["https://a.test/1", "https://a.test/2"]):
        client.zadd(job.keys.queue, {member(url, b"request-%d" % i): i})
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


def _local_worker(mark: str, n: int, *words: str) -> int:
    """The process of local worker n (its id is HOST-n) whose command line holds words."""
    (pid,) = [pid for pid, cmd in commands_of(mark, "pressdiff.crawler.distributed.worker", *words).items()
              if cmd.split("--id ")[1].split()[0].endswith(f"-{n}")]
    return pid


def _local_workers_story(tmp_path, pages: int):
    site, urls = _site(pages, delay=0.25)
    return site, urls, story_file(tmp_path, urls, crawl="concurrency_per_domain = 3\n" + TIMING)


def test_kill_9_of_local_workers_restarts_them_and_leaves_no_process(tmp_path, workspace, redis_server):
    """`pressdiff crawl --redis --workers 3`: one worker's crawl process, then another worker, killed
    by pid. Each is started again once; the crawl completes; nothing of it is left running."""
    site, urls, story = _local_workers_story(tmp_path, 48)
    mark = new_mark()
    with site:
        crawl = _start("crawl", story, "--data", workspace, "--redis", redis_server.url, "--workers", "3",
                       log=tmp_path / "crawl.log", mark=mark)
        try:
            _wait(lambda: _captures(workspace) >= 6 and len(pids_of(mark, "--serve")) == 3, 90,
                  "three local workers crawling")
            _kill_one(_local_worker(mark, 2, "--serve"))  # a worker's crawl process: its pool must follow
            _wait(lambda: "starting it again" in (tmp_path / "crawl.log").read_text(), 20, "the restart")
            _kill_one(_local_worker(mark, 3, "--once"))  # a worker itself: its crawl process must follow
            assert crawl.wait(timeout=150) == 0, (tmp_path / "crawl.log").read_text()
        finally:
            _cleanup(crawl)
        log = (tmp_path / "crawl.log").read_text()
        assert log.count("starting it again") == 2, log
        assert "was killed by SIGKILL (out of memory?)" in log
        assert left_after(mark, within=5) == {}
        _each_page_indexed_once(workspace, urls)
        assert warcs_valid(workspace)


def test_kill_9_of_the_coordinator_ends_the_command_and_every_local_worker(tmp_path, workspace, redis_server):
    """The coordinator of `pressdiff crawl --redis --workers 3` killed by pid: the command fails at once
    with one line, its workers and their pools die with it, and the same command resumes the crawl."""
    site, urls, story = _local_workers_story(tmp_path, 36)
    mark = new_mark()
    with site:
        crawl = _start("crawl", story, "--data", workspace, "--redis", redis_server.url, "--workers", "3",
                       log=tmp_path / "crawl.log", mark=mark)
        try:
            _wait(lambda: _captures(workspace) >= 6, 90, "captures before the kill")
            (coordinator,) = pids_of(mark, "pressdiff.crawler.distributed.coordinator")
            _kill_one(coordinator)
            started = time.monotonic()
            assert crawl.wait(timeout=10) == 1
            assert time.monotonic() - started < 5
        finally:
            _cleanup(crawl)
        err = (tmp_path / "crawl.log").read_text()
        assert f"pressdiff: error: the crawl coordinator (pid {coordinator}) was killed by SIGKILL (out of memory?)" \
            in err and "Traceback" not in err
        assert left_after(mark, within=5) == {}
        again = _start("crawl", story, "--data", workspace, "--redis", redis_server.url, "--workers", "3",
                       log=tmp_path / "again.log", mark=mark)
        try:
            assert again.wait(timeout=150) == 0, (tmp_path / "again.log").read_text()
        finally:
            _cleanup(again)
        assert "resuming crawl run 1" in (tmp_path / "again.log").read_text()
        assert left_after(mark, within=5) == {}
        _each_page_indexed_once(workspace, urls)
        assert warcs_valid(workspace)


def test_events_round_trip_and_the_coordinator_records_each_in_the_index(tmp_path, redis_server):
    """Coordinator.apply with plain events against a real Redis: no Scrapy, no worker."""
    from pressdiff.archive.capture import Fetched
    from pressdiff.archive.extract import Extracted
    from pressdiff.core.store import Store
    from pressdiff.core.story import parse_story
    from pressdiff.crawler.distributed.coordinator import Coordinator
    from pressdiff.crawler.distributed.job import Job
    from pressdiff.crawler.distributed.protocol import (
        Captured,
        Gone,
        Marked,
        PageTask,
        Planned,
        SourcesTask,
        WarcFile,
        decode_event,
        decode_task,
        encode_event,
        split_member,
    )

    a, b, c = "https://a.test/1", "https://a.test/2", "https://b.test/found"
    story = parse_story(f'slug = "s"\ntitle = "S"\nkeywords = ["memo"]\n[[coverage]]\nurl = "{a}"\n'
                        f'[[coverage]]\nurl = "{b}"\n[discovery]\nsitemaps = ["https://a.test/sitemap.xml"]\n')
    page = Extracted(text="The memo said so.", title="Memo", credit_lines=("Example",), captions=())

    def captured(url: str, record_id: str) -> Captured:
        warc = {"warc_file": "warc/s-w1-00001.warc.gz", "warc_offset": 10, "warc_length": 99,
                "record_id": record_id, "sha256": "ab" * 32, "refers_to": None}
        return Captured(Fetched(url, url, 200, "text/html", "2026-03-02T10:00:00+00:00", "seed", warc), page,
                        "utf-8", "w1")

    events = [Planned(c, "link", a, "B", 1), Marked(b, "failed", "HTTP 500"), WarcFile("warc/x.warc.gz", True, "w1"),
              captured(a, "<urn:uuid:1>")]
    for event in events:  # what a worker sends is what the coordinator reads
        fields = {k.encode(): v.encode() for k, v in encode_event(event).items()}
        assert decode_event(fields) == event
    assert decode_event({}) == Gone()

    client = redis.Redis(port=redis_server.port)
    seen: list[str] = []
    with Store(tmp_path / "ws") as store:
        store.articles.save_story(story)
        run, _ = store.runs.start_run("s", os.getpid())
        job = Job(client, f"s:{run}:t", lease_seconds=30, longest_lease=600)
        coordinator = Coordinator(store, story, run, job, seen.append, give_up=1, stall_notice=1)
        coordinator.seed()
        queued = [decode_task(split_member(job.take("w1")[1])[1]) for _ in range(3)]
        assert queued == [PageTask(a, "seed"), SourcesTask(), PageTask(b, "seed")]
        assert job.outstanding() == (0, 3, 0)

        for event in [*events, captured(a, "<urn:uuid:2>"), Gone()]:  # a's second capture: fetched twice
            coordinator.apply(event)
        assert {r["url"]: r["state"] for r in store.runs.frontier_planned(run)} == {a: "done", b: "failed", c: "pending"}
        assert [r["record_id"] for r in store.articles.captures("s")] == ["<urn:uuid:1>"]  # indexed once
        assert [v.text for v in store.articles.latest("s")] == ["The memo said so."]
        assert store.runs.run_warcs(run) == ["warc/s-w1-00001.warc.gz", "warc/x.warc.gz"]
        assert coordinator.counts == {"discovered": 1, "errors": 1, "new_versions": 1, "pages": 1}
        assert job.outstanding() == (0, 1, 0)  # a and b released; the sources' lease is the worker's to end
        assert job.digest(a, "ab" * 32) == (a, "2026-03-02T10:00:00Z", "<urn:uuid:1>")
        assert any("failed (HTTP 500)" in line for line in seen)


def test_the_queue_takes_turns_between_domains_within_a_priority(redis_server):
    from pressdiff.crawler.distributed.job import Job
    from pressdiff.crawler.distributed.protocol import PageTask, decode_task, split_member

    job = Job(redis.Redis(port=redis_server.port), "t:1:x", lease_seconds=30, longest_lease=600)
    for url in ["https://a.test/1", "https://a.test/2", "https://a.test/3", "https://b.test/1", "https://b.test/2"]:
        job.push_page(PageTask(url, "seed"))
    job.push("https://c.test/urgent", PageTask("https://c.test/urgent", "seed").encode(), 10, "c.test")
    order = [decode_task(split_member(job.take("w")[1])[1]).url for _ in range(6)]
    assert order == ["https://c.test/urgent", "https://a.test/1", "https://b.test/1", "https://a.test/2",
                     "https://b.test/2", "https://a.test/3"]
