"""The real-corpus tier: import -> compare -> site -> cite over real text nobody here wrote.

Corpora from ../shared (each test skips where it is absent): the founding story's coverage,
PolNeAR dev + train (924 articles, seven US outlets) as one story, and the 181 scrapinghub
pages served on loopback as a proxy for their own hosts and crawled with `pressdiff run`.
Each asserts exit status 0 and the invariants of tests/invariants.py.
"""

from __future__ import annotations

import csv
import gzip
import json
import unicodedata

import pytest

from pressdiff.core.store import Store

from .conftest import SHARED
from .invariants import check_cite, check_comparison
from .loopback import Site

pytestmark = [pytest.mark.slow, pytest.mark.real]
POLNEAR = SHARED / "data" / "attribution" / "polnear"
SCRAPINGHUB = SHARED / "data" / "extraction" / "scrapinghub"


def need(path):
    if not path.exists():
        pytest.skip(f"real data not found at {path}")


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")


def pipeline(cli, tmp_path, workspace, slug, queries, site=True):
    """compare -> site -> cite on an imported or crawled workspace; returns the comparison JSON."""
    code, out, err = cli("compare", slug, "--data", workspace, "--json", tmp_path / "c.json")
    assert code == 0, err
    document = json.loads((tmp_path / "c.json").read_text("utf-8"))
    with Store(workspace) as store:
        stored = {a.id: a.text for a in store.articles.articles(slug)}
    check_comparison(document, stored)
    if site:
        code, out, err = cli("site", slug, "--data", workspace)
        assert code == 0, err
        assert (workspace / "public" / slug / "index.html").is_file() or (workspace / "public" / "index.html").is_file()
    if not queries:  # a wording the corpus itself carries, so the project copies none of its text
        shared = [c for c in document["clusters"] if len({v["article"] for v in c["variants"]}) > 1]
        queries = [max(shared or document["clusters"], key=lambda c: (len(c["canonical"]), c["id"]))["canonical"][:300]]
    for query in queries:
        code, out, err = cli("cite", query, "--data", workspace, "--format", "json")
        assert code == 0, err
        result = json.loads(out)
        check_cite(result)
        assert result["matches"]
    return document, stored


def test_founding_story_passes_import_compare_site_cite(cli, corpus_jsonl, workspace, tmp_path):
    from tests import PROJECT_ROOT

    story = PROJECT_ROOT / "stories" / "home-office-trump.toml"
    code, out, err = cli("import", corpus_jsonl, "--story", story, "--data", workspace)
    assert code == 0, err
    document, stored = pipeline(cli, tmp_path, workspace, "home-office-trump",
                                ["ensure all our staff are following this guidance"])
    given = {json.loads(line)["url"]: unicodedata.normalize("NFC", json.loads(line)["text"])
             for line in corpus_jsonl.read_text("utf-8").splitlines()}
    # offsets index the text as given (after NFC), which is what the archive stores
    assert sorted(stored.values()) == sorted(given.values())


def test_polnear_924_articles_as_one_story_pass_the_whole_pipeline(cli, workspace, tmp_path):
    need(POLNEAR / "train")
    records = [{"url": f"https://polnear.example/{split}/{p.stem}", "outlet": p.stem.split("_")[0],
                "title": p.stem, "text": p.read_text("utf-8")}
               for split in ("dev", "train") for p in sorted((POLNEAR / split / "text").glob("*.txt"))]
    assert len(records) == 924
    write_jsonl(tmp_path / "in.jsonl", records)
    (tmp_path / "story.toml").write_text('slug = "polnear"\ntitle = "PolNeAR articles"\n', "utf-8")
    code, out, err = cli("import", tmp_path / "in.jsonl", "--story", tmp_path / "story.toml", "--data", workspace)
    assert code == 0 and "924 imported, 0 with warnings, 0 skipped" in out, err
    document, _ = pipeline(cli, tmp_path, workspace, "polnear",
                           ["make America great again", "the presidential race"])
    assert len(document["articles"]) == 924
    # #23: HuffPost's standing editor's note is publisher boilerplate, and no quotation is
    named = [c for c in document["clusters"] if c["boilerplate"]]
    note = [c for c in named if "serial liar, rampant xenophobe" in c["canonical"]]
    assert note and len({v["article"] for v in note[0]["variants"]}) >= 15 and "one publisher" in note[0]["boilerplate"]
    assert not any(v["quoted"] for c in named for v in c["variants"]) and len(named) <= 20
    assert {v["relation"] for c in named for v in c["variants"]} == {"boilerplate"}
    # rerunning the same input gives the same ids
    code, _, err = cli("compare", "polnear", "--data", workspace, "--json", tmp_path / "again.json")
    assert code == 0, err
    again = json.loads((tmp_path / "again.json").read_text("utf-8"))
    assert [c["id"] for c in again["clusters"]] == [c["id"] for c in document["clusters"]]


def test_scrapinghub_pages_crawled_on_loopback_pass_the_whole_pipeline(cli, workspace, tmp_path):
    need(SCRAPINGHUB / "index.csv")
    rows = list(csv.DictReader((SCRAPINGHUB / "index.csv").open(encoding="utf-8")))
    assert len(rows) == 181
    for row in rows:  # plain HTTP: a loopback proxy cannot answer an https CONNECT tunnel
        row["url"] = "http://" + row["url"].split("://", 1)[1]
    with Site() as server:
        # the loopback server answers as an HTTP proxy for the pages' own hosts: real hosts and
        # paths, real outlets, and no request leaves the machine (robots.txt and the rest: 404)
        for row in rows:
            body = gzip.decompress((SCRAPINGHUB / row["html_file"]).read_bytes())
            server.route(row["url"].split("#")[0], body=body, ctype="text/html")  # no fragment on the wire
        coverage = "".join(f'\n[[coverage]]\nurl = {json.dumps(r["url"])}\n' for r in rows)
        (tmp_path / "story.toml").write_text(
            'slug = "scrapinghub"\ntitle = "181 real pages"\n[crawl]\nconcurrency_per_domain = 4\n'
            'autothrottle = false\nwayback_fallback = false\nretries = 0\n' + coverage, "utf-8")
        code, out, err = cli("run", tmp_path / "story.toml", "--proxy", server.base, "--data", workspace)
    assert code == 0, err
    assert "crawl scrapinghub: 181 pages" in out and " 0 errors" in out, out + "\n".join(l for l in err.splitlines() if "new version" not in l)[-3000:]
    assert (workspace / "public" / "index.html").is_file()
    with Store(workspace) as store:
        captured = {c["url"] for c in store.articles.captures("scrapinghub")}
        articles = store.articles.articles("scrapinghub")
    assert {r["url"] for r in rows} <= captured  # every page archived
    assert len(articles) == 181 and " 0 without text" in out
    pipeline(cli, tmp_path, workspace, "scrapinghub", [], site=False)  # `run` built the site
