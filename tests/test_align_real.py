"""The founding story's real drift, found by compare on the real corpus (skipped without ../shared)."""

from __future__ import annotations

import json

import pytest

from pressdiff.compare.comparison import compare_story
from pressdiff.core.records import Article


@pytest.fixture(scope="module")
def real():
    from .conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS}")
    articles = []
    for f in sorted(CORPUS.glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        articles.append(Article(id=f.stem, url=d["url"], text=d["text"], outlet=d["outlet"], title=d["title"],
                                published=d["published"]))
    return compare_story("home-office-trump", articles)


def cluster(comp, fragment):
    return next(c for c in comp.clusters if fragment.lower() in c.canonical.lower())


def variant(c, article):
    return next(v for v in c.variants if v.article == article)


def test_register_is_the_origin_of_every_email_quotation(real):
    for fragment in ("a quick look through just a couple", "stating that they work for the Home Office",
                     "We need to be careful here"):
        c = cluster(real, fragment)
        assert c.origin == "theregister" and c.variants[0].article == "theregister"
        assert {v.article for v in c.variants} >= {"theregister", "rt", "obv", "ibtimes"} - (
            {"ibtimes"} if fragment.startswith("a quick") else set())


def test_rt_and_obv_drop_ddat_and_splice_the_two_email_quotations(real):
    first = cluster(real, "a quick look through just a couple")
    second = cluster(real, "stating that they work for the Home Office")
    assert "DDaT" in first.canonical
    for outlet in ("rt", "obv"):
        a, b = variant(first, outlet), variant(second, outlet)
        assert "DDaT" not in a.text and "elided" in a.changes
        assert "spliced" in a.changes and "spliced" in b.changes
        assert a.quoted and b.quoted and a.end <= b.start  # two parts of one quotation, in order


def test_rt_americanises_and_promotes_the_registers_paraphrase(real):
    c = cluster(real, "giving personal opinions about the organisation")
    assert not c.variants[0].quoted  # the Register wrote it as its own words
    rt = variant(c, "rt")
    assert rt.quoted and "organization" in rt.text
    assert {"promoted", "normalized"} <= set(rt.changes)


def test_ibtimes_inherits_the_registers_bracket_and_moves_words_inside_the_quotation(real):
    c = cluster(real, "stating that they work for the Home Office")
    ib = variant(c, "ibtimes")
    assert "[US President]" in ib.text and "inherited" in ib.changes
    assert ib.text.startswith("Accounts are") and "inserted" in ib.changes
    assert "inherited" not in variant(c, "rt").changes  # RT dropped the bracket: not evidence of copying


def test_obv_replaces_words_with_an_elision_mark(real):
    obv = variant(cluster(real, "stating that they work for the Home Office"), "obv")
    assert "[...]" in obv.text and "elided" in obv.changes
    assert ("delete", "posting HO work", "") in obv.diff or any(
        op in ("delete", "replace") and "posting" in old for op, old, _ in obv.diff)


def test_variant_offsets_index_the_article_text(real):
    texts = {a.id: a.text for a in real.articles}
    for c in real.clusters:
        for v in c.variants:
            assert texts[v.article][v.start:v.end] == v.text
