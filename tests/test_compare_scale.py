"""Compare as stages (pressdiff/scale/): the same answer in one process, in many partitions, on a
local Dask cluster, and on a cluster that loses a worker mid-compare (killed by one pid, as the
kernel's out-of-memory killer does)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.align import generate
from pressdiff.compare.comparison import compare_story
from pressdiff.compare.edits import edited_quotations
from pressdiff.compare.report import to_document
from pressdiff.core.store import Store
from pressdiff.core.store.edits import EDIT
from pressdiff.core.story import parse_story
from tests.processes import MARK, left_after, new_mark

BIN = Path(sys.executable).parent
PRESSDIFF = [sys.executable, "-m", "pressdiff"]


def workspace(data: Path, n: int) -> tuple[str, bytes]:
    """A workspace with n generated articles (bench/align.py's, with their known changes) as
    story 'gen'; returns the slug and what today's single-process compare writes for it."""
    articles, _ = generate(n)
    story = parse_story('slug = "gen"\ntitle = "Generated"\n')
    with Store(data) as store:
        store.articles.save_story(story)
        with store.transaction():
            for a in articles:
                store.articles.save_article("gen", a.url, a.text, outlet=a.outlet, published=a.published,
                                           title=f"Article {a.id}", ingested_by="import")
        stored = store.articles.articles("gen")
    expected = json.dumps(to_document(compare_story("gen", stored)), ensure_ascii=False, indent=2) + "\n"
    return "gen", expected.encode("utf-8")


def compare(data: Path, *flags: str, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*PRESSDIFF, "compare", "gen", "--data", str(data), *flags], capture_output=True,
                          text=True, env=env, timeout=600, **kw)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    data = tmp_path_factory.mktemp("gen")
    slug, expected = workspace(data, 400)
    return data, expected


@pytest.mark.parametrize("flags", [
    ("--workers", "0", "--partition", "1000000"),  # one partition
    ("--workers", "0", "--partition", "23"),  # many
    ("--workers", "2", "--partition", "60"),  # a local Dask cluster
])
def test_same_answer_however_it_runs(generated, tmp_path, flags):
    data, expected = generated
    out = tmp_path / "gen.json"
    mark = new_mark()
    done = compare(data, *flags, "--json", str(out), env=dict(os.environ, **{MARK: mark}))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == expected
    with Store(data) as store:
        assert store.findings.comparison_path("gen").read_bytes() == expected
        assert store.findings.comparison("gen")["story"] == "gen"
    assert not (data / ".compare" / "gen").exists(), "the stages' Parquet is removed when compare ends"
    assert left_after(mark, 10) == {}, "the local cluster dies with the command"


def test_key_index_counts_as_one_dict_across_merges(monkeypatch):
    """The pass's index (compare/keyindex.py) finds what a plain dict of postings finds, before,
    across and after merges of its newest keys into its arrays."""
    import random
    from collections import Counter

    from pressdiff.compare import settings
    from pressdiff.compare.keyindex import KeyIndex

    monkeypatch.setattr(settings, "FLUSH_KEYS", 7)
    rnd = random.Random(3)
    index, plain = KeyIndex(), {}
    merged = 0
    for idx in range(400):
        keys = {rnd.randrange(1 << 42) if rnd.random() < 0.3 else rnd.randrange(60) for _ in range(rnd.randrange(6))}
        index.add(keys, idx)
        merged += not index.recent
        for k in keys:
            plain.setdefault(k, []).append(idx)
        query = {rnd.choice([*plain]) for _ in range(5)} | {rnd.randrange(1 << 42)}
        assert dict(index.counts(query)) == dict(Counter(i for k in query for i in plain.get(k, ())))
    assert merged > 10 and len(index.keys) > 60


def test_same_answer_with_the_index_merged_often(generated, monkeypatch):
    """Keys merged into the index's arrays every few hundred make the same comparison."""
    from pressdiff.compare import settings

    data, expected = generated
    monkeypatch.setattr(settings, "FLUSH_KEYS", 300)
    with Store(data) as store:
        stored = store.articles.articles("gen")
    assert json.dumps(to_document(compare_story("gen", stored)), ensure_ascii=False, indent=2).encode() + b"\n" == expected


def test_staged_compare_is_compare_story_with_its_edits_marked(tmp_path):
    """The stages read the archive's edits after publication; compare_story, given the same
    edits, writes the same document byte for byte, `edited` marks and earlier wordings included."""
    data = tmp_path / "data"
    workspace(data, 60)
    with Store(data) as store:
        stored = store.articles.articles("gen")
        plain = compare_story("gen", stored)
        quoted = [v for c in plain.clusters if len(c.variants) > 1 for v in c.variants if v.quoted][:3]
        with store.transaction():
            for v in quoted:
                store.edits.add("gen", v.article, 2, 1, EDIT, ["quotation changed"], {"quotations": [
                    {"change": "quotation changed", "before": f"An earlier wording of {v.text}", "after": v.text}]},
                    notify=False)
        edited = edited_quotations(store.edits.of_story("gen"))
    expected = json.dumps(to_document(compare_story("gen", stored, edited=edited)), ensure_ascii=False, indent=2) + "\n"
    assert quoted and '"edited"' in expected and '"earlier"' in expected
    out = tmp_path / "gen.json"
    done = compare(data, "--workers", "0", "--partition", "23", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text("utf-8") == expected


def test_story_without_articles_is_input_error(tmp_path):
    with Store(tmp_path) as store:
        store.articles.save_story(parse_story('slug = "gen"\ntitle = "Empty"\n'))
    done = compare(tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "pressdiff: error: story 'gen' has no articles yet: crawl or import some first")


def test_unreachable_cluster_is_input_error(generated):
    data, _ = generated
    done = compare(data, "--dask", f"tcp://127.0.0.1:{free_port()}")
    assert done.returncode == 2
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1:" in done.stderr.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_worker_killed_mid_compare(tmp_path):
    """A real `dask scheduler` and two `dask worker`s on loopback; one worker is killed with
    SIGKILL (its pid alone) while the prepare stage runs: Dask runs its tasks again on the other,
    and the JSON is byte for byte the single-process one."""
    data = tmp_path / "data"
    slug, expected = workspace(data, 1200)
    mark = new_mark()
    env = dict(os.environ, **{MARK: mark}, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], **quiet)]
    try:
        for i in range(2):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny",
                                           "--no-dashboard", "--name", f"w{i}"], **quiet))
        wait_for_workers(address, 2)
        out = tmp_path / "gen.json"
        run = subprocess.Popen([*PRESSDIFF, "compare", slug, "--data", str(data), "--dask", address,
                                "--partition", "40", "--json", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
        lines, killed = [], threading.Event()

        def read():
            for line in run.stderr:
                lines.append(line)
                if "compare: prepare [" in line and not killed.is_set():
                    os.kill(procs[1].pid, signal.SIGKILL)
                    killed.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        # not communicate(): it would read stderr too, racing the reader for the progress lines
        run.wait(timeout=600)
        reader.join(10)
        stdout = run.stdout.read()
        assert killed.is_set(), "".join(lines)
        assert procs[1].wait(5) == -signal.SIGKILL
        assert run.returncode == 0, "".join(lines)
        last = [line for line in lines if "compare: prepare [" in line][-1]
        # 1,200 articles in 30 partitions, all prepared: on workers, the last two in quarters (28 + 8)
        assert "[36/36]" in last, "".join(lines)
        assert out.read_bytes() == expected
        assert "compare gen: 1200 articles" in stdout
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert left_after(mark, 10) == {}


def wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=60)
    time.sleep(0.2)


def test_site_of_a_large_story_is_published_in_part(generated, tmp_path, monkeypatch):
    """Above FULL_SITE_UPTO articles the site shows the most widely carried quotations, their
    articles and the story's totals, and offers every row as Parquet (here with the cap at 100
    articles and 12 quotations, on the 400-article story)."""
    import shutil

    import pyarrow.parquet as pq

    from pressdiff.compare.report import count
    from pressdiff.pipeline import compare as compare_story_cmd
    from pressdiff.publish import story as publish_story
    from pressdiff.publish.build import build_site

    data = tmp_path / "ws"
    shutil.copytree(generated[0], data)
    monkeypatch.setattr(publish_story, "FULL_SITE_UPTO", 100)
    monkeypatch.setattr(publish_story, "TOP_QUOTATIONS", 12)
    with Store(data) as store:
        story = store.articles.get_story("gen")
    compare_story_cmd(data, story, echo=lambda _: None, workers=0)
    with Store(data) as store:
        widest = store.findings.widest_clusters("gen", 12)
        totals = count(store.findings.comparison("gen"))
    public = build_site(data, ["gen"], echo=lambda _: None)
    site = public / "gen"
    assert sorted(p.parent.name for p in (site / "quotes").glob("*/index.html")) == sorted(widest)
    index = (site / "index.html").read_text("utf-8")
    assert "A large story, published in part" in index
    assert f"<strong>{totals['articles']}</strong> articles" in index
    assert not (site / "downloads" / "comparison.json").exists()
    variants = pq.read_table(site / "downloads" / "variants.parquet")
    assert variants.num_rows == totals["variants"]
    assert (f"<strong>{totals['clusters'] - totals['boilerplate']}</strong> quotations and reused passages" in index)
    home = (public / "index.html").read_text("utf-8")
    assert f"<strong>{totals['articles']}</strong> articles" in home


def test_a_stage_started_after_another_runs_only_when_each_of_its_tasks_is_done(tmp_path):
    """Engine.start(after=): the reuse stage is begun while earlier work goes on, and its second
    half reads what every task of its first half wrote. On a cluster of two workers, one task of
    the first stage that writes its file late, and later tasks that list the folder on the idle
    worker: each lists the file (without the dependency, they would run beside the slow one)."""
    from pressdiff.scale.engine import DaskEngine, InProcess

    with DaskEngine(workers=2) as engine:
        first = engine.start(subprocess.check_call, [(["sh", "-c", f"sleep 3 && touch {tmp_path}/written"],)],
                             "first")
        then = engine.start(os.listdir, [(str(tmp_path),)] * 4, "then", after=first)
        assert list(first) == [0]
        assert list(then) == [["written"]] * 4
    # in this process, tasks run as their stage is iterated, in the order the caller iterates
    engine = InProcess()
    ran = []
    first = engine.start(ran.append, [("a",), ("b",)], "first")
    then = engine.start(ran.append, [("c",)], "then", after=first)
    assert ran == []
    list(first), list(then)
    assert ran == ["a", "b", "c"]


def test_a_cancelled_stage_runs_nothing_more(tmp_path):
    """A compare that fails before the document cancels the stages it began: nothing they would
    write appears in the workspace after it is removed."""
    from pressdiff.scale.engine import DaskEngine

    with DaskEngine(workers=1) as engine:
        slow = engine.start(subprocess.check_call, [(["sleep", "3"],)], "slow")
        later = engine.start(subprocess.check_call, [(["touch", str(tmp_path / "late")],)], "later", after=slow)
        later.cancel()
        assert list(slow) == [0]
        time.sleep(1)
    assert not (tmp_path / "late").exists()
