"""The whole demo pipeline, for real: loopback HTTP, Scrapy, WARC, SQLite, compare, mkdocs."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from pressdiff.archive.reading import read_record
from pressdiff.cli import main
from pressdiff.core.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_build):
    return demo_build


def outlets(doc):
    return {a["id"]: a["outlet"] for a in doc["articles"]}


def variant(doc, fragment, outlet):
    names = outlets(doc)
    cluster = next(c for c in doc["clusters"] if fragment.lower() in c["canonical"].lower())
    return cluster, next(v for v in cluster["variants"] if names[v["article"]] == outlet)


def test_demo_prints_what_it_did(demo):
    _, _, out = demo
    assert "demo: first crawl harbour-memo: 5 pages, 5 new versions, 0 unchanged, 0 errors" in out
    assert "demo: second crawl harbour-memo: 5 pages, 1 new versions, 4 unchanged, 0 errors" in out
    assert "demo: compare harbour-memo: 5 articles" in out
    assert "site:" in out and "index.html" in out


def test_demo_comparison_shows_every_kind_of_drift(demo):
    _, doc, _ = demo
    found = {ch for c in doc["clusters"] for v in c["variants"] for ch in v["changes"]}
    assert found >= {"normalized", "elided", "truncated", "inserted", "substituted",
                     "spliced", "promoted", "unquoted", "inherited"}


def test_demo_findings_are_the_ones_written_into_the_pages(demo):
    _, doc, _ = demo
    names = outlets(doc)
    lantern = next(a["id"] for a in doc["articles"] if a["outlet"] == "The Calloway Lantern")
    for fragment in ("a review of a handful", "identifying themselves", "We must be careful here"):
        cluster = next(c for c in doc["clusters"] if fragment.lower() in c["canonical"].lower())
        assert cluster["origin"] == lantern, fragment
    _, v = variant(doc, "a review of a handful", "Northgate Courier")
    assert v["changes"] == ["truncated"] and v["quoted"]
    _, v = variant(doc, "a review of a handful", "Meridian Wire")
    assert {"spliced", "truncated", "normalized"} <= set(v["changes"])
    _, v = variant(doc, "a review of a handful", "Bayside Daily")
    assert "unquoted" in v["changes"] and not v["quoted"]
    _, v = variant(doc, "identifying themselves", "Northgate Courier")
    assert "elided" in v["changes"] and v["relation"] == "altered"
    _, v = variant(doc, "identifying themselves", "Meridian Wire")
    assert {"substituted", "spliced"} <= set(v["changes"])
    _, v = variant(doc, "identifying themselves", "Bayside Daily")
    assert v["changes"] == ["inherited"] and "[the ferry operator]" in v["text"]
    _, v = variant(doc, "We must be careful here", "Bayside Daily")
    assert v["changes"] == ["inserted"]
    _, v = variant(doc, "We must be careful here", "Meridian Wire")
    assert v["changes"] == ["normalized"]
    cluster, v = variant(doc, "offering personal views", "Meridian Wire")
    assert {"promoted", "normalized"} <= set(v["changes"])
    assert names[cluster["origin"]] == "The Calloway Lantern" and not cluster["variants"][0]["quoted"]
    cluster, _ = variant(doc, "We have recently refreshed", "Bayside Daily")
    assert names[cluster["origin"]] == "Northgate Courier"


def test_demo_credits_copies_and_versions(demo):
    data, doc, _ = demo
    names = outlets(doc)
    credits = {(names[c["article"]], c["credits"]) for c in doc["credits"]}
    assert ("Northgate Courier", "The Calloway Lantern") in credits
    assert ("Bayside Daily", "Northgate Courier") in credits
    assert ("Meridian Wire", "The Calloway Lantern") in credits
    assert not any(a == b for a, b in credits)
    copies = [(names[p["a"]], names[p["b"]]) for p in doc["pairs"] if p["relation"] == "copy"]
    assert copies == [("Meridian Wire", "Harbourwatch")]
    versions = {a["outlet"]: a["version"] for a in doc["articles"]}
    assert versions["Bayside Daily"] == 2 and set(versions.values()) == {1, 2}
    with Store(data) as store:
        bayside = next(v for v in store.articles.latest("harbour-memo") if v.outlet == "Bayside Daily")
        history = store.articles.versions("harbour-memo", bayside.key)
    assert [h.version for h in history] == [1, 2]
    assert "guidance was being reviewed" in history[1].text and "being reviewed" not in history[0].text


def test_demo_offsets_index_the_stored_text(demo):
    data, doc, _ = demo
    with Store(data) as store:
        texts = {a.id: a.text for a in store.articles.articles("harbour-memo")}
    for c in doc["clusters"]:
        assert c["variants"][0]["article"] == c["origin"]
        for v in c["variants"]:
            assert texts[v["article"]][v["start"]:v["end"]] == v["text"]


def test_demo_attributions_follow_the_schema_and_index_the_stored_text(demo):
    from .invariants import check_comparison

    data, doc, _ = demo
    with Store(data) as store:
        texts = {a.id: a.text for a in store.articles.articles("harbour-memo")}
    check_comparison(doc, texts)  # the schema, and every attribution span is stored_text[start:end]
    attributed = [v for c in doc["clusters"] for v in c["variants"] if "attribution" in v]
    assert attributed and {v["attribution"]["kind"] for v in attributed} <= {"direct", "mixed", "indirect"}
    # a quotation's variant and its attribution name one speaker, the source as printed
    assert all(v["attribution"]["speaker"] == v["speaker"] for v in attributed if v["quoted"] and v["speaker"])
    assert any(v["attribution"]["source"] and v["attribution"]["cue"] for v in attributed)


def test_demo_extraction_drops_page_furniture(demo):
    data, _, _ = demo
    with Store(data) as store:
        texts = {v.outlet: v.text for v in store.articles.latest("harbour-memo")}
    assert "cookies" not in texts["The Calloway Lantern"]
    assert "Related stories" not in texts["The Calloway Lantern"]
    assert "icon menu" not in texts["Northgate Courier"]
    assert "Typical. Public bodies" not in texts["Meridian Wire"]
    assert "Staff at the Calloway Harbour Authority have been told" in texts["Northgate Courier"]


def test_demo_warc_files_are_valid_and_indexed(demo):
    data, _, _ = demo
    files = sorted((data / "warc").glob("*.warc.gz"))
    assert len(files) == 2  # one per crawl
    warcio = [sys.executable, "-c", "import sys; from warcio.cli import main; sys.exit(main())"]
    for f in files:
        check = subprocess.run(warcio + ["check", "-v", str(f)], capture_output=True, text=True)
        assert check.returncode == 0 and "digest pass" in check.stdout and "fail" not in check.stdout
        index = subprocess.run(warcio + ["index", str(f)], capture_output=True, text=True)
        types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
        assert types[0] == "warcinfo" and types.count("response") + types.count("revisit") == 5 == types.count("request")
    with Store(data) as store:
        rows = store.db.execute("SELECT * FROM capture").fetchall()
    assert len(rows) == 10
    for row in rows:
        with open(data / row["warc_file"], "rb") as fh:
            fh.seek(row["warc_offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type == ("revisit" if row["refers_to"] else "response")
            assert record.rec_headers.get_header("WARC-Record-ID") == row["record_id"]
            assert record.rec_headers.get_header("WARC-Target-URI") == row["final_url"]
        source = next(r for r in rows if r["record_id"] == (row["refers_to"] or row["record_id"]))
        _, wire, _ = read_record(data / source["warc_file"], source["warc_offset"])
        assert hashlib.sha256(wire).hexdigest() == row["sha256"]  # the payload as received, gzip and all
        assert gzip.open(data / row["warc_file"]).read(9) == b"WARC/1.1\r"


def test_demo_site_has_home_quote_and_article_pages(demo):
    data, doc, _ = demo
    public = data / "public"
    home = (public / "harbour-memo" / "index.html").read_text("utf-8")
    assert "Northgate Courier" in home and "Who credits whom" in home
    spliced = next(c for c in doc["clusters"] if "a review of a handful" in c["canonical"])
    quote = (public / "harbour-memo" / "quotes" / spliced["id"] / "index.html").read_text("utf-8")
    assert "<del>" in quote and "spliced" in quote
    article = (public / "harbour-memo" / "articles" / spliced["origin"] / "index.html").read_text("utf-8")
    assert "SHA-256" in article and "urn:uuid:" in article
    assert (public / "harbour-memo" / "downloads" / "comparison.json").is_file()
    assert (public / "harbour-memo" / "downloads" / "harbour-memo.wacz").is_file()  # the captures, to replay
    assert "WACZ of this story" in article
    assert (public / "search" / "search_index.json").is_file()
    story_home = (public / "harbour-memo" / "index.html").read_text("utf-8")
    nav = story_home[story_home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[:nav.index("</nav>")]
    assert "Shared quotations" in nav and spliced["id"] not in nav  # reached through indexes, not the nav
    archive_home = (public / "index.html").read_text("utf-8")
    assert 'href="harbour-memo/"' in archive_home and "Most changed" in archive_home


def test_demo_cite_finds_a_partial_requote(demo):
    data, _, _ = demo
    result = CliRunner().invoke(main, ["cite", "make sure every colleague follows this guidance",
                                       "--format", "json", "--data", str(data)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    best = answer["matches"][0]
    assert best["first"]["outlet"] == "The Calloway Lantern"
    assert best["first"]["archive"]["record_id"].startswith("<urn:uuid:")
    assert {v["outlet"] for v in best["variants"]} >= {"Northgate Courier", "Bayside Daily", "Meridian Wire"}


def test_rerunning_the_demo_records_only_the_changed_page_and_keeps_ids(demo, tmp_path):
    data, doc, _ = demo
    copy = tmp_path / "again"
    shutil.copytree(data, copy)
    result = CliRunner().invoke(main, ["demo", "--data", str(copy)], catch_exceptions=False)
    assert result.exit_code == 0
    # the server starts again from the first edition of the changing page: that revert is a
    # real change and is archived; the four unchanged pages are not stored again
    assert "first crawl harbour-memo: 5 pages, 1 new versions" in result.stdout
    assert "second crawl harbour-memo: 5 pages, 1 new versions" in result.stdout
    again = json.loads((copy / "harbour-memo.comparison.json").read_text("utf-8"))
    assert [c["id"] for c in again["clusters"]] == [c["id"] for c in doc["clusters"]]
