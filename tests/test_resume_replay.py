"""Interrupted crawls resume exactly; WARC files alone rebuild the archive."""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressdiff.core.store import Store
from pressdiff.demo import DemoServer
from tests import PROJECT_ROOT

from .loopback import Site, article_html
from .processes import MARK, left_after, new_mark, pids_of
from .test_crawler import story_file, warcs_valid

pytestmark = pytest.mark.slow
PAGES = 30


def _count(db_path: Path) -> int:
    try:
        db = sqlite3.connect(db_path, timeout=5)
        return db.execute("SELECT COUNT(*) FROM capture").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_resume_after_kill_9_loses_no_capture_and_duplicates_none(cli, tmp_path, workspace):
    """The crawl process killed by pid (what the kernel's out-of-memory killer picks: the biggest):
    the command says so at once and fails, nothing of the crawl is left, the rerun resumes."""
    with Site() as site:
        site.route("/robots.txt", body="User-agent: *\n", ctype="text/plain")
        urls = []
        for i in range(PAGES):
            site.route(f"/story-{i}.html", body=article_html(f"Harbour memo, part {i}"), delay=0.25)
            urls.append(f"{site.base}/story-{i}.html")
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 2")
        mark = new_mark()
        proc = _pressdiff("crawl", story, "--data", workspace, mark=mark, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _count(workspace / "pressdiff.db") < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        (crawling,) = pids_of(mark, "pressdiff.crawler.run")
        os.kill(crawling, signal.SIGKILL)  # the crawl process alone, mid-crawl
        assert proc.wait(timeout=10) == 1
        err = proc.stderr.read()
        assert f"pressdiff: error: the crawl process (pid {crawling}) was killed by SIGKILL (out of memory?)" in err
        assert left_after(mark, within=5) == {}
        done_before = _count(workspace / "pressdiff.db")
        assert 8 <= done_before < PAGES

        # Make the crash as bad as it gets: the last capture reached its WARC file but not the
        # index, and the WARC file ends in half a record.
        db = sqlite3.connect(workspace / "pressdiff.db")
        last = db.execute("SELECT id, url, run, warc_file FROM capture ORDER BY id DESC LIMIT 1").fetchone()
        with db:
            db.execute("DELETE FROM article_version WHERE capture_id = ?", (last[0],))
            db.execute("DELETE FROM article WHERE id NOT IN (SELECT article_id FROM article_version)")
            db.execute("DELETE FROM capture WHERE id = ?", (last[0],))
            db.execute("UPDATE frontier SET state = 'pending', note = NULL WHERE run = ? AND url = ?", (last[2], last[1]))
        db.close()
        torn = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + os.urandom(5000))[:300]
        assert len(torn) == 300
        with open(workspace / last[3], "ab") as fh:
            fh.write(torn)
        hits_before = dict(site.hits)

        code, out, err = cli("crawl", story, "--data", workspace)
        assert code == 0, err
        # the capture taken out of the index, and any the kill caught between its WARC record and
        # the index (a race the kill may or may not win): each recovered, none fetched again below
        recovered_n = re.search(r"(\d+) recovered from its WARC files", err)
        assert "resuming interrupted crawl run" in err and recovered_n and int(recovered_n.group(1)) >= 1
        assert "300 damaged bytes cut" in err

    with Store(workspace) as store:
        rows = store.articles.captures("faults")
        runs = {r["run"] for r in rows}
        counts = store.runs.frontier_counts(next(iter(runs)))
    assert len(runs) == 1
    assert sorted(r["url"] for r in rows) == sorted(urls)  # every page once: none lost, none twice
    assert counts == {"done": PAGES}
    recovered = last[1].removeprefix(site.base)
    assert site.hits[recovered] == hits_before[recovered] == 1  # indexed from the WARC, not fetched again
    warcs_valid(workspace)
    with Store(workspace) as store:
        assert len(store.articles.articles("faults")) == PAGES


def test_replay_rebuilds_the_same_articles_with_no_network(cli, tmp_path, workspace):
    story = PROJECT_ROOT / "demo" / "story.toml"
    with DemoServer() as server:
        assert cli("crawl", story, "--proxy", server.url, "--data", workspace)[0] == 0
        server.phase = 2
        assert cli("crawl", story, "--proxy", server.url, "--data", workspace)[0] == 0

    def snapshot():
        with Store(workspace) as store:
            return sorted((v.url, v.version, v.text, v.title, v.published, v.outlet, v.capture.sha256,
                           v.capture.record_id) for v in store.articles.versions("harbour-memo"))

    before = snapshot()
    assert len(before) == 6
    for name in ("pressdiff.db", "pressdiff.db-wal", "pressdiff.db-shm"):
        (workspace / name).unlink(missing_ok=True)
    files = sorted((workspace / "warc").glob("*.warc.gz"))
    code, out, err = cli("crawl", story, "--replay", *files, "--data", workspace)
    assert code == 0, err
    assert out.startswith("replay harbour-memo: 10 pages, 6 new versions, 4 unchanged")
    assert snapshot() == before


def test_replay_copies_outside_files_in_and_rejects_missing_ones(cli, tmp_path, workspace):
    story = PROJECT_ROOT / "demo" / "story.toml"
    first = tmp_path / "first"
    with DemoServer() as server:
        assert cli("crawl", story, "--proxy", server.url, "--data", first)[0] == 0
    (src,) = sorted((first / "warc").glob("*.warc.gz"))
    code, out, err = cli("crawl", story, "--replay", src, "--data", workspace)
    assert code == 0, err
    assert (workspace / "warc" / src.name).read_bytes() == src.read_bytes()
    code, _, err = cli("crawl", story, "--replay", tmp_path / "nope.warc.gz", "--data", workspace)
    assert code == 2 and "no such WARC file" in err


def _pressdiff(*args, mark: str, **popen) -> subprocess.Popen:
    """A pressdiff command, its processes marked (tests/processes.py)."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), **{MARK: mark})
    return subprocess.Popen([sys.executable, "-m", "pressdiff", *map(str, args)], env=env, text=True,
                            **{"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **popen})


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the crawl's processes")
def test_the_crawl_dies_with_the_command_and_resumes_at_once(cli, tmp_path, workspace):
    """kill -9 of `pressdiff crawl` alone (not its process group): its crawl, the extraction pool, the
    pool's forkserver and resource tracker must all follow."""
    with Site() as site:
        site.route("/robots.txt", body="User-agent: *\n", ctype="text/plain")
        urls = []
        for i in range(24):  # 24 x 0.3 s at one page at a time: an orphan could not finish in the 5 s below
            site.route(f"/slow-{i}.html", body=article_html(f"Harbour memo, part {i}"), delay=0.3)
            urls.append(f"{site.base}/slow-{i}.html")
        story = story_file(tmp_path, urls, crawl="concurrency_per_domain = 1")
        mark = new_mark()
        proc = _pressdiff("crawl", story, "--data", workspace, mark=mark)
        deadline = time.monotonic() + 60
        while _count(workspace / "pressdiff.db") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pids_of(mark, "pressdiff.crawler.run"), "the crawl process was not found"
        assert pids_of(mark, "-c"), "the extraction pool was not found"  # forkserver, tracker: python -c ...
        proc.kill()  # the command only: everything it started must follow
        proc.wait()
        assert left_after(mark, within=5) == {}
        done = _count(workspace / "pressdiff.db")
        time.sleep(1)
        assert _count(workspace / "pressdiff.db") == done  # nothing fetched after the kill
        code, out, err = cli("crawl", story, "--data", workspace)  # right away: not "already running"
        assert code == 0, err
        assert "resuming interrupted crawl run" in err
    with Store(workspace) as store:
        assert sorted(r["url"] for r in store.articles.captures("faults")) == sorted(urls)
