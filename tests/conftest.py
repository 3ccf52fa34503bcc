"""Shared fixtures: the real data beside the checkout (skipped when absent), workspaces, the CLI,
and a check that no process the suite started outlives it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressdiff.cli import main
from tests import PROJECT_ROOT

from .processes import left_after, new_mark

# Every process the suite starts inherits this mark (a pool's processes and a forkserver too);
# whatever still runs with it when the suite ends was left behind.
SESSION = "PRESSDIFF_TEST_SESSION"
os.environ[SESSION] = new_mark()


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_suite():
    yield
    left = left_after(os.environ[SESSION], within=15, name=SESSION)
    if left:
        pytest.fail(f"{len(left)} process(es) started by the tests outlived them: "
                    + "; ".join(f"{pid} {cmd[:120]}" for pid, cmd in sorted(left.items())), pytrace=False)

SHARED = Path(os.environ.get("PRESSDIFF_SHARED", PROJECT_ROOT.parent / "shared"))


def _article_text(folder: str, field: str, value: str, corpus: str) -> str:
    """The text of the article of ../shared/data/<folder>/articles.jsonl whose field is value; the
    test is skipped where ../shared lacks it."""
    path = SHARED / "data" / folder / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"{corpus} not found under {path.parent}")
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row[field] == value:
            return row["text"]
    pytest.skip(f"{value} not in {corpus}")


def semeval_text(url: str) -> str:
    """The text of one SemEval dev article, by url; the test is skipped where ../shared lacks it."""
    return _article_text("semeval-dev", "url", url, "SemEval dev")


def ecbplus_text(doc: str) -> str:
    """The text of one ECB+ document, by id; the test is skipped where ../shared lacks it."""
    return _article_text("ecbplus", "id", doc, "ECB+")
CORPUS = SHARED / "corpus" / "home-office-trump"
REGISTER_URL = "https://www.theregister.co.uk/2017/03/13/home_office_warns_staff_not_to_tweet_negative_trump_posts/"


@pytest.fixture
def corpus_dir() -> Path:
    """The real coverage of the founding story; the test is skipped where ../shared is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def corpus_jsonl(corpus_dir, tmp_path) -> Path:
    """The real corpus converted to the import format (one article per line)."""
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for f in sorted(corpus_dir.glob("*.json")):
            out.write(json.dumps(json.loads(f.read_text("utf-8")), ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def workspace(tmp_path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def cli():
    """Run the pressdiff CLI in-process; returns (exit code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """`pressdiff demo` run once for the whole session: (workspace, comparison JSON, stdout).

    Tests read it and never change it; a test that needs to change a workspace copies it."""
    data = tmp_path_factory.mktemp("demo") / "ws"
    result = CliRunner().invoke(main, ["demo", "--data", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads((data / "harbour-memo.comparison.json").read_text("utf-8"))
    return data, doc, result.stdout


@pytest.fixture(scope="session")
def founding_build(tmp_path_factory) -> Path:
    """The founding story's real coverage imported, compared and published once for the session:
    its workspace. Tests read it and never change it; skipped where ../shared is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS}")
    tmp = tmp_path_factory.mktemp("founding")
    jsonl = tmp / "corpus.jsonl"
    jsonl.write_text("".join(json.dumps(json.loads(f.read_text("utf-8"))) + "\n"
                             for f in sorted(CORPUS.glob("*.json"))), "utf-8")
    data, story = tmp / "ws", str(PROJECT_ROOT / "stories" / "home-office-trump.toml")
    runner = CliRunner()
    for args in (["import", str(jsonl), "--story", story], ["compare", "home-office-trump"], ["site", "home-office-trump"]):
        result = runner.invoke(main, [*args, "--data", str(data)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return data


@pytest.fixture(scope="session")
def two_story_build(demo_build, tmp_path_factory) -> Path:
    """The demo's workspace with test_site's invented second story (locks) imported, compared and
    published as one archive, once for the session: its workspace. Tests read it and never change it."""
    import shutil

    from .test_site import SECOND

    tmp = tmp_path_factory.mktemp("two-stories")
    data = tmp / "ws"
    shutil.copytree(demo_build[0], data)
    (tmp / "locks.toml").write_text('slug = "locks"\ntitle = "Lock keepers told to stay silent"\n', "utf-8")
    (tmp / "locks.jsonl").write_text("\n".join(json.dumps(r) for r in SECOND) + "\n", "utf-8")
    runner = CliRunner()
    for args in (["import", str(tmp / "locks.jsonl"), "--story", str(tmp / "locks.toml")], ["compare", "locks"],
                 ["site"]):
        result = runner.invoke(main, [*args, "--data", str(data)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return data
