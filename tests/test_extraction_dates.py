"""Publication dates (archive/extract.py): htmldate's extensive search sends the date strings it
cannot read itself to dateparser, which reads them in the page's declared language and English
only, in every locale when the page declares none, and is not called at all when the page's
metadata gives the date. Pages written here; the dates in their bodies are ones htmldate's own
patterns do not read."""

from __future__ import annotations

import htmldate.extractors
import pytest
from dateparser import DateDataParser

from pressdiff.archive import extract as extraction
from pressdiff.archive.extract import extract

BODY = ("<p>The harbour authority told its ferry staff on Monday that posts about the contractor would be "
        "reviewed, and union officials said the memo had arrived without warning.</p>"
        "<p>A spokesperson for the authority said the guidance applied to every account that named the port "
        "and that a revised version would follow talks with the union.</p>"
        "<p>Councillors on the harbour board said they would ask for the memo to be withdrawn at their next "
        "meeting, which is due to be held in the spring.</p>")


def _page(dateline: str, lang: str | None = None, head: str = "") -> str:
    html = f"<html lang='{lang}'>" if lang else "<html>"
    return (f"<!DOCTYPE html>{html}<head><meta charset='utf-8'><title>Harbour staff warned over posts</title>{head}"
            f"</head><body><h1>Harbour staff warned over posts</h1><div class='entry'><span>{dateline}</span>{BODY}"
            "</div></body></html>")


@pytest.fixture
def dateparser_calls(monkeypatch):
    """The languages dateparser was given at each of its calls (None: every locale), htmldate's cache
    of strings it has read, and pressdiff's of dateparser's readings, emptied first."""
    htmldate.extractors.try_date_expr.cache_clear()
    extraction._date_parser.cache_clear()
    calls = []
    parse = DateDataParser.get_date_data

    def spy(self, date_string, *args, **kwargs):
        calls.append(None if self.languages is None else tuple(self.languages))
        return parse(self, date_string, *args, **kwargs)

    monkeypatch.setattr(DateDataParser, "get_date_data", spy)
    return calls


def test_a_date_only_dateparser_reads_is_read_in_the_declared_language_and_english(dateparser_calls):
    page = extract(_page("Nov. 6, 2012", lang="en-US"))
    assert page.published == "2012-11-06"
    assert dateparser_calls and set(dateparser_calls) == {("en",)}


def test_a_page_in_another_language_has_its_dates_read_in_it(dateparser_calls):
    page = extract(_page("6 listopada 2012", lang="pl"))
    assert page.published == "2012-11-06"
    assert dateparser_calls and set(dateparser_calls) == {("pl", "en")}


def test_a_page_that_declares_no_language_is_read_in_every_locale(dateparser_calls):
    page = extract(_page("6 listopada 2012"))
    assert page.published == "2012-11-06"
    assert dateparser_calls and set(dateparser_calls) == {None}


def test_a_language_dateparser_does_not_know_is_read_in_every_locale(dateparser_calls):
    page = extract(_page("Nov. 6, 2012", lang="x-klingon"))
    assert page.published == "2012-11-06"
    assert dateparser_calls and set(dateparser_calls) == {None}


def test_a_date_in_the_metadata_does_not_call_dateparser(dateparser_calls):
    head = "<meta property='article:published_time' content='2012-11-05T09:00:00+00:00'>"
    page = extract(_page("Nov. 6, 2012", lang="en", head=head))
    assert page.published == "2012-11-05"
    assert dateparser_calls == []


def test_a_string_one_language_could_not_read_is_read_again_in_another(dateparser_calls):
    # htmldate keeps what it read of each string, whatever the page's language
    assert extract(_page("6 listopada 2012", lang="en")).published != "2012-11-06"
    assert extract(_page("6 listopada 2012", lang="pl")).published == "2012-11-06"
    assert dateparser_calls == [("en",), ("pl", "en")]


def test_a_release_that_renames_htmldates_parser_factory_leaves_its_own_reading(dateparser_calls, monkeypatch):
    # htmldate as a release that calls its factory by another name: pressdiff, imported afresh,
    # still imports, leaves htmldate's parser alone and its dates are read in every locale
    import importlib.util
    import sys

    import pressdiff.archive.extract as installed

    factory = installed._htmldate_parser  # htmldate's own, which the installed module replaced
    monkeypatch.delattr(htmldate.extractors, "get_external_parser")
    monkeypatch.setattr(htmldate.extractors, "get_date_parser", factory, raising=False)
    monkeypatch.setattr(htmldate.extractors, "_external_date",
                        lambda string: htmldate.extractors.get_date_parser().get_date_data(string)["date_obj"])
    spec = importlib.util.spec_from_file_location("pressdiff_extract_renamed", installed.__file__)
    fresh = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, fresh)
    spec.loader.exec_module(fresh)

    assert not fresh.LANGUAGE_HOOK
    assert not hasattr(htmldate.extractors, "get_external_parser")  # not put back under the old name
    assert htmldate.extractors.get_date_parser is factory
    page = fresh.extract(_page("6 listopada 2012", lang="pl"))
    assert page.published == "2012-11-06"
    assert dateparser_calls and set(dateparser_calls) == {None}


def test_a_string_dateparser_read_for_a_page_is_not_read_again_for_another_with_the_same_languages(dateparser_calls):
    # a footer no locale reads, on every page of an outlet that declares no language: read once,
    # though htmldate forgets its strings when a page in another language comes between
    footer = "<p>©2012 Harbour News, Inc. All rights reserved</p>"
    first = extract(_page("6 listopada 2012" + footer))
    calls = len(dateparser_calls)
    assert extract(_page("Nov. 6, 2012", lang="en")).published == "2012-11-06"  # htmldate's memory emptied
    assert len(dateparser_calls) > calls
    calls = len(dateparser_calls)
    again = extract(_page("6 listopada 2012" + footer))
    assert again.published == first.published == "2012-11-06"
    assert len(dateparser_calls) == calls  # every string of the page read before in every locale
