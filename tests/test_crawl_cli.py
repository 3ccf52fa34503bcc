"""`pressdiff crawl` and `pressdiff run` from the CLI against the demo pages on loopback."""

import json

import pytest

from pressdiff.core.store import Store
from pressdiff.demo import DemoServer
from tests import PROJECT_ROOT

pytestmark = pytest.mark.slow
STORY = PROJECT_ROOT / "demo" / "story.toml"


def test_run_crawls_compares_and_builds_the_site(cli, workspace):
    with DemoServer() as server:
        code, out, err = cli("run", STORY, "--proxy", server.url, "--data", workspace)
    assert code == 0, err
    assert "crawl harbour-memo: 5 pages, 5 new versions" in out
    assert "compare harbour-memo:" in out and "site:" in out
    assert (workspace / "public" / "index.html").is_file()
    doc = json.loads((workspace / "harbour-memo.comparison.json").read_text("utf-8"))
    assert len(doc["articles"]) == 5
    assert "pressdiff: [5/5]" in err  # progress on the terminal


def test_crawl_of_unreachable_pages_reports_errors_and_keeps_the_archive(cli, workspace):
    with DemoServer() as server:
        assert cli("crawl", STORY, "--proxy", server.url, "--data", workspace)[0] == 0
    with Store(workspace) as store:
        before = len(store.articles.versions("harbour-memo"))
    # the proxy is gone: every request fails, nothing archived is lost
    code, out, err = cli("crawl", "harbour-memo", "--proxy", "http://127.0.0.1:9", "--data", workspace)
    assert code == 1
    assert "5 errors" in out and "failed" in err
    with Store(workspace) as store:
        assert len(store.articles.versions("harbour-memo")) == before
