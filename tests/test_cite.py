"""`pressdiff cite` on the real corpus and on imported invented text: exact, partial, re-punctuated,
re-spelled and misremembered queries; every output format; clear failures."""

from __future__ import annotations

import json

import pytest

from tests import PROJECT_ROOT

STORY = PROJECT_ROOT / "stories" / "home-office-trump.toml"


@pytest.fixture
def real(cli, corpus_jsonl, workspace):
    assert cli("import", corpus_jsonl, "--story", STORY, "--data", workspace)[0] == 0
    assert cli("compare", "home-office-trump", "--data", workspace)[0] == 0
    return workspace


def ask(cli, workspace, query, fmt="json"):
    code, out, err = cli("cite", query, "--format", fmt, "--data", workspace)
    return code, (json.loads(out) if fmt == "json" and out.strip() else out), err


@pytest.mark.parametrize("query", [
    "We need to be careful here and ensure all our staff are following this guidance which reflects the Civil Service Code",
    "following this guidance which reflects the Civil Service Code",                 # partial
    "we need to be careful here -- ensure all our staff are following this guidance!",  # re-punctuated
    "ensure all staff follow the guidance, which reflects the civil service code",    # misremembered
])
def test_civil_service_code_sentence_is_found_with_the_register_first(cli, real, query):
    code, answer, err = ask(cli, real, query)
    assert code == 0, err
    best = answer["matches"][0]
    assert best["first"]["outlet"] == "The Register"
    assert best["first"]["archive"]["warc"] is None  # imported: no capture
    outlets = {v["outlet"] for v in best["variants"]}
    assert outlets >= {"RT", "International Business Times UK", "Operation Black Vote"}
    assert all("changes" in v and "relation" in v for v in best["variants"])


def test_each_variant_gives_its_speaker_and_the_mention_as_printed(cli, real):
    from .invariants import check_cite

    code, answer, _ = ask(cli, real, "We need to be careful here and ensure all our staff are following this guidance")
    check_cite(answer)
    by = {v["outlet"]: v for v in answer["matches"][0]["variants"]}
    register, rt = by["The Register"], by["RT"]
    assert register["speaker"] == "the missive" and register["mention"]["text"] == "it"  # "… it said"
    assert rt["speaker"] == "the email" and rt["mention"]["text"] == "the email"
    assert all(v["mention"] is None or v["mention"]["end"] > v["mention"]["start"] for v in by.values())


def test_americanised_query_finds_the_british_original_and_its_changes(cli, real):
    code, answer, _ = ask(cli, real, "giving personal opinions about the organization")
    best = answer["matches"][0]
    assert best["first"]["outlet"] == "The Register"
    rt = next(v for v in best["variants"] if v["outlet"] == "RT")
    assert "promoted" in rt["changes"] and "normalized" in rt["changes"]


def test_splice_query_lists_each_outlets_changes(cli, real):
    code, answer, _ = ask(cli, real, "whilst tweeting or retweeting negative posts about, for example, Donald Trump")
    best = answer["matches"][0]
    by = {v["outlet"]: v for v in best["variants"]}
    assert "inherited" in by["International Business Times UK"]["changes"]
    assert "spliced" in by["RT"]["changes"] and "elided" in by["Operation Black Vote"]["changes"]


def test_no_match_says_so_and_suggests(cli, real):
    code, answer, _ = ask(cli, real, "the quarterly football results were disappointing for the home side")
    assert code == 1 and answer["matches"] == []
    assert "suggestions" in answer
    code, text, _ = cli("cite", "the quarterly football results were disappointing", "--data", real)
    assert code == 1 and "No quotation or sentence in the archive matches" in text


@pytest.mark.parametrize("query, words", [("   ", "empty"), ("x" * 2001, "at most 2000"), ("!!! ...", "no words")])
def test_empty_or_huge_query_is_rejected_with_status_2(cli, real, query, words):
    code, _, err = cli("cite", query, "--data", real)
    assert code == 2 and words in err


def test_citation_formats(cli, real):
    q = "ensure all our staff are following this guidance"
    code, bib, _ = ask(cli, real, q, "bibtex")
    assert code == 0 and bib.startswith("@article{home-office-trump-q") and "journal = {The Register}" in bib
    assert "author = {Hall, Kat}" in bib and "year = {2017}" in bib
    code, csl, _ = ask(cli, real, q, "csl-json")
    item = json.loads(csl)[0]
    assert item["type"] == "article-newspaper" and item["issued"] == {"date-parts": [[2017, 3, 13]]}
    code, apa, _ = ask(cli, real, q, "apa")
    assert apa.startswith("Hall, K. (2017, March 13). UK Home Office warns tech staff")
    code, chicago, _ = ask(cli, real, q, "chicago")
    assert chicago.startswith("Hall, K") and "2017" in chicago


def test_text_format_names_first_carrier_and_provenance(cli, real):
    code, text, _ = cli("cite", "a quick look through just a couple of known personal twitter accounts", "--data", real)
    assert code == 0
    # the Register's date is shared by others: what makes it first is that they credit it
    assert "first carried by The Register, whom the others credit (2017-03-13)" in text
    assert "no archived capture" in text
    assert "RT (2017-03-15; altered:" in text


def test_lookup_is_confined_to_a_story(cli, real):
    code, answer, _ = cli("cite", "ensure all our staff are following", "--story", "no-such", "--format", "json",
                          "--data", real)
    assert code == 1 and json.loads(answer)["matches"] == []


def test_citations_keep_the_precision_of_a_date():
    from pressdiff.compare.cite import bibtex, csl_item

    for published, parts, date in (("2017-03", [2017, 3], "2017-03"), ("2017", [2017], "2017"),
                                   ("2017-03-13T10:00:00+00:00", [2017, 3, 13], "2017-03-13")):
        item = csl_item(key="k", title="T", outlet="O", author=None, published=published, url="https://o.example/")
        assert item["issued"] == {"date-parts": [parts]}
        assert f"date = {{{date}}}" in bibtex(item)


def test_the_match_that_covers_more_of_the_query_ranks_first(cli, tmp_path, workspace):
    """#12: a two-word quotation must not outrank the 21-word sentence the query paraphrases."""
    story = tmp_path / "s.toml"
    story.write_text('slug = "cover"\ntitle = "Coverage"\n', "utf-8")
    rows = [
        {"url": "https://a.example/1", "published": "2026-03-01", "text":
         'The memo said: "A quick look through just a couple of the known personal Twitter accounts of '
         'operations staff shows that some are not compliant." It asked for care.'},
        {"url": "https://b.example/2", "published": "2026-03-02", "text":
         'Managers found some accounts were "not compliant", the union said on Tuesday.'},
        {"url": "https://c.example/3", "published": "2026-03-03", "text":
         'A spokesman said the findings were "not compliant with the code" and would be reviewed.'},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    assert cli("import", src, "--story", story, "--data", workspace)[0] == 0
    assert cli("compare", "cover", "--data", workspace)[0] == 0
    query = "a quick look at a couple of known personal Twitter accounts of staff showed some were not compliant"
    code, out, _ = cli("cite", query, "--format", "json", "--data", workspace)
    matches = json.loads(out)["matches"]
    assert code == 0 and "a quick look through" in matches[0]["canonical"].lower()
    assert all(m["score"] < matches[0]["score"] for m in matches[1:])
    # a short query still finds the short quotation first: a fragment of the memo's sentence, it
    # is a (truncated) member of that sentence's cluster
    code, out, _ = cli("cite", "not compliant", "--format", "json", "--data", workspace)
    first = json.loads(out)["matches"][0]
    assert "a quick look" in first["canonical"].lower()
    fragment = next(v for v in first["variants"] if v["text"].strip(' ".,').lower() == "not compliant")
    assert fragment["url"] == "https://b.example/2" and "truncated" in fragment["changes"]
