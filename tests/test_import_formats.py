"""`pressdiff import` of what researchers already have: other tools' records, CSV, arrays, folders, dates.

The news-please and newspaper3k records below have those tools' field names and value shapes
(news-please's NewsArticle.get_dict(); newspaper3k-style dumps as in public news-similarity
benchmarks), with invented text. trafilatura's record is produced by trafilatura itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
import trafilatura

from pressdiff.core.dates import DateError, display, latest_day, parse_date
from pressdiff.core.store import Store
from pressdiff.importer import detect_format
from tests import PROJECT_ROOT

from .conftest import REGISTER_URL

BODY = ("The harbour authority told staff in a memo that \"critical posts about the ferry contract are not "
        "compatible with our values\", according to a copy seen by this newspaper. ")


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('slug = "s"\ntitle = "S"\n', encoding="utf-8")
    return path


def news_please_record(n: int) -> dict:
    # as NewsArticle.get_serializable_dict() writes it (news-please 1.6): str() of each date,
    # so a date it did not find is the string "None", and the deprecated `text` is None
    return {"authors": ["Ada Byrne", "Tom Haldane"], "date_download": "2020-01-02 09:15:00",
            "date_modify": "None", "date_publish": "2020-01-01 15:07:28", "description": "A memo.", "text": None,
            "filename": f"https%3A%2F%2Fnews.example%2F{n}.json", "image_url": None, "language": "en",
            "localpath": None, "maintext": BODY * 3, "source_domain": "news.example",
            "title": f"Memo {n}", "title_page": None, "title_rss": None, "url": f"https://news.example/{n}"}


def newspaper_record(n: int, date: str) -> dict:
    return {"url": f"https://paper.example/{n}", "title": f"Paper {n}", "text": BODY * 2,
            "authors": ["Mira Okafor"], "publish_date": date, "source_url": "https://paper.example",
            "keywords": [], "meta_lang": "en"}


def test_formats_are_told_apart_by_their_field_names():
    assert detect_format(news_please_record(1)) == "news-please"
    assert detect_format(newspaper_record(1, "2020-01-01")) == "newspaper3k"
    assert detect_format({"source": "https://x.example/", "raw_text": "t", "hostname": "x.example"}) == "trafilatura"
    assert detect_format({"url": "https://x.example/", "text": "t"}) == "pressdiff"


def test_a_folder_of_news_please_newspaper3k_trafilatura_csv_and_arrays_imports(cli, story, tmp_path, workspace):
    folder = tmp_path / "collected"
    (folder / "news-please" / "news.example").mkdir(parents=True)
    for n in (1, 2):  # news-please writes one JSON object per file, in folders per site
        (folder / "news-please" / "news.example" / f"{n}.json").write_text(json.dumps(news_please_record(n)))
    # the newspaper3k dumps of a news-similarity benchmark: ctime dates, as in the report that filed #13
    lines = [newspaper_record(n, d) for n, d in ((1, "Wed Jan  1 15:07:28 2020"), (2, "15 Mar, 2017 13:45"),
                                                 (3, "March 13, 2017"), (4, "Mon, 13 Mar 2017 10:00:00 +0000"))]
    (folder / "newspaper.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    html = ("<html><head><title>Port memo</title><meta name='author' content='Jo Bloggs'>"
            "<meta property='og:site_name' content='The Quay Post'>"
            "<meta property='article:published_time' content='2017-03-14'></head><body><article><h1>Port memo</h1>"
            + f"<p>{BODY}</p>" * 4 + "</article></body></html>")
    produced = trafilatura.extract(html, url="https://quay.example/memo", output_format="json", with_metadata=True)
    (folder / "trafilatura.json").write_text(produced)
    (folder / "array.json").write_text(json.dumps([
        {"url": "https://array.example/1", "text": BODY, "published": "2017-03"},
        {"url": "https://array.example/2", "text": BODY, "published": "2017"}]))
    with open(folder / "sheet.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["url", "outlet", "title", "published", "text"])
        w.writerow(["https://sheet.example/1", "Sheet News", "From a spreadsheet", "13/03/2017", BODY])
        w.writerow(["https://sheet.example/2", "", "", "", ""])  # no text: skipped, named by line
    (folder / "notes.txt").write_text("not an import format, and not looked at")

    code, out, err = cli("import", folder, "--story", story, "--data", workspace)
    assert code == 0, err
    assert "10 imported, 0 with warnings, 1 skipped" in out
    assert "formats: news-please 2, newspaper3k 4, pressdiff 3, trafilatura 1" in out
    assert f"skipped {folder / 'sheet.csv'}:3: no article text" in err
    with Store(workspace) as store:
        v = {x.url: x for x in store.articles.versions("s")}
    np1 = v["https://news.example/1"]
    assert np1.author == "Ada Byrne, Tom Haldane" and np1.published == "2020-01-01T15:07:28"
    assert np1.outlet == "news.example" and np1.title == "Memo 1" and np1.meta["fetched_at"] == "2020-01-02 09:15:00"
    assert np1.text.startswith("The harbour authority told staff")
    assert v["https://paper.example/1"].published == "2020-01-01T15:07:28"
    assert v["https://paper.example/2"].published == "2017-03-15T13:45:00"
    assert v["https://paper.example/3"].published == "2017-03-13"
    assert v["https://paper.example/4"].published == "2017-03-13T10:00:00+00:00"
    quay = v["https://quay.example/memo"]
    assert quay.outlet == "The Quay Post" and quay.author == "Jo Bloggs" and quay.published == "2017-03-14"
    assert v["https://array.example/1"].published == "2017-03" and v["https://array.example/2"].published == "2017"
    assert v["https://sheet.example/1"].outlet == "Sheet News" and v["https://sheet.example/1"].published == "2017-03-13"


def test_unusable_dates_and_fields_warn_and_keep_the_article(cli, story, tmp_path, workspace):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    records = [
        {"url": "https://w.example/1", "text": BODY, "published": future},
        {"url": "https://w.example/2", "text": BODY, "published": "1970-01-01"},
        {"url": "https://w.example/3", "text": BODY, "published": "2017-02-30"},
        {"url": "https://w.example/4", "text": BODY, "title": ["not", "text"], "published": "03/04/2017"},
        {"url": "https://w.example/5", "text": BODY, "published": 1489400000},
    ]
    src = tmp_path / "w.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    code, out, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0, err
    assert "5 imported, 5 with warnings, 0 skipped" in out
    assert f"{src}:1: published: '{future}' is in the future; the article is kept undated" in err
    assert f"{src}:2: published: '1970-01-01' is before 1990" in err
    assert f"{src}:3: published: not a date: '2017-02-30'" in err
    assert f"{src}:4: 'title' is not text (list); left out" in err
    assert f"{src}:4: published: '03/04/2017' could be day/month or month/day" in err
    assert f"{src}:5: 'published' is not text (int); left out" in err
    with Store(workspace) as store:
        v = {x.url: x for x in store.articles.versions("s")}
    assert [v[f"https://w.example/{n}"].published for n in (1, 2, 3, 5)] == [None] * 4
    assert v["https://w.example/4"].published == "2017-03-04"


@pytest.mark.parametrize("given, stored, shown, last", [
    ("2017-03", "2017-03", "March 2017", "2017-03-31"),
    ("March 2017", "2017-03", "March 2017", "2017-03-31"),
    ("2016", "2016", "2016", "2016-12-31"),
    ("2017-02", "2017-02", "February 2017", "2017-02-28"),
    ("13 March 2017", "2017-03-13", "2017-03-13", "2017-03-13"),
    ("2017-03-13T09:30:00Z", "2017-03-13T09:30:00+00:00", "2017-03-13", "2017-03-13"),
])
def test_dates_keep_their_precision(given, stored, shown, last):
    iso, _ = parse_date(given)
    assert (iso, display(iso), latest_day(iso)) == (stored, shown, last)


def test_dates_without_a_year_are_refused():
    for bad in ("Tuesday", "13 March", "", "yesterday"):
        with pytest.raises(DateError):
            parse_date(bad)


def test_a_copy_dated_to_the_month_stays_in_the_comparison_and_is_not_the_origin(cli, corpus_dir, tmp_path, workspace):
    """The report behind #13: a blog's whole copy of the Register, dated "2017-03", was dropped."""
    records = [json.loads(f.read_text("utf-8")) for f in sorted(corpus_dir.glob("*.json"))]
    register = next(r for r in records if r["url"] == REGISTER_URL)
    copy = {"url": "https://blog.example/2017/home-office-twitter", "outlet": "A Blog", "title": register["title"],
            "published": "2017-03", "text": register["text"]}
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [*records, copy]) + "\n", encoding="utf-8")
    story = PROJECT_ROOT / "stories" / "home-office-trump.toml"
    code, out, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0 and f"{len(records) + 1} imported, 0 with warnings, 0 skipped" in out, err
    out_json = tmp_path / "c.json"
    assert cli("compare", "home-office-trump", "--json", out_json, "--data", workspace)[0] == 0
    doc = json.loads(out_json.read_text("utf-8"))
    ids = {a["url"]: a["id"] for a in doc["articles"]}
    blog, reg = ids[copy["url"]], ids[REGISTER_URL]
    assert next(a for a in doc["articles"] if a["id"] == blog)["published"] == "2017-03"
    assert any({p["a"], p["b"]} == {blog, reg} and p["relation"] in ("copy", "same-article") for p in doc["pairs"])
    email = next(c for c in doc["clusters"] if "we need to be careful here" in c["canonical"].lower())
    assert email["origin"] == reg and blog in {v["article"] for v in email["variants"]}


def test_news_please_none_dates_are_missing_not_wrong(cli, story, tmp_path, workspace):
    record = dict(news_please_record(7), date_publish="None", date_download="None")
    src = tmp_path / "np.json"
    src.write_text(json.dumps(record))
    code, out, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0 and "1 imported, 0 with warnings, 0 skipped" in out, err


def test_records_of_snapshots_junk_bylines_and_midnight_days_are_read_for_what_they_are(cli, tmp_path, workspace):
    """#23: newspaper3k and news-please records as those tools write them of pages read from
    the Wayback Machine and archive.today: the article is the original page, at its outlet; the
    snapshot is kept as the copy's source; bylines that name no one are dropped with a warning;
    a zone-less midnight is the day it stands for."""
    story = tmp_path / "s.toml"
    story.write_text('slug = "s"\ntitle = "S"\n[[coverage]]\nurl = "https://www.quaypost.example/news/memo"\n'
                     'outlet = "The Quay Post"\n', encoding="utf-8")
    wayback = "https://web.archive.org/web/20200101093000id_/https://www.quaypost.example/news/memo"
    records = [
        dict(newspaper_record(1, "2020-01-01 00:00:00"), url=wayback, source_url="https://web.archive.org",
             authors=["January", "Please Enter Your Name Here", "Social Links For Mira Okafor", "Mira Okafor",
                      "The Quay Post"]),
        dict(newspaper_record(2, "2020-01-01T00:00:00"), url="https://archive.ph/2020.01.02-101500/http:/paper.example/2",
             authors=[f"Staff Writer {n}" for n in range(12)]),
        dict(newspaper_record(3, "2020-01-01 00:00:00+00:00")),  # a zone: a moment someone wrote
        dict(news_please_record(4), url="http://web.archive.org/web/20200103120000/https://news.example/4",
             source_domain="web.archive.org", date_publish="2020-01-03 00:00:00", authors=["Ada Byrne"]),
    ]
    src = tmp_path / "dump.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    code, out, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0, err
    assert "4 imported, 2 with warnings, 0 skipped" in out
    for junk, why in (("January", "a date"), ("Please Enter Your Name Here", "a form's placeholder"),
                      ("Social Links For Mira Okafor", "a share or follow box"), ("The Quay Post", "the outlet's own name")):
        assert f"{src}:1: author: {junk!r} is {why}, not a person's name; left out" in err
    assert f"{src}:2: author: a list of 12 names (a page's staff list, not a byline); left out" in err
    with Store(workspace) as store:
        v = {x.url: x for x in store.articles.versions("s")}
    assert set(v) == {"https://www.quaypost.example/news/memo", "http://paper.example/2", "https://paper.example/3",
                      "https://news.example/4"}
    memo = v["https://www.quaypost.example/news/memo"]
    assert memo.outlet == "The Quay Post" and memo.author == "Mira Okafor" and memo.published == "2020-01-01"
    assert memo.meta["snapshot"] == {"url": wayback, "archive": "Wayback Machine",
                                     "captured_at": "2020-01-01T09:30:00+00:00"}
    assert v["http://paper.example/2"].outlet == "paper.example" and v["http://paper.example/2"].author is None
    assert v["http://paper.example/2"].meta["snapshot"]["archive"] == "archive.today"
    assert v["https://paper.example/3"].published == "2020-01-01T00:00:00+00:00"
    assert v["https://news.example/4"].outlet == "news.example" and v["https://news.example/4"].published == "2020-01-03"


def test_a_list_of_authors_is_repaired_and_cleaned(cli, story, tmp_path, workspace):
    """newspaper3k's author list goes through the mojibake repair and the byline cleaning alike."""
    record = dict(newspaper_record(9, "2020-01-01"), authors=["JosÃ© Ortiz", "January", "Mira Okafor"])
    src = tmp_path / "a.json"
    src.write_text(json.dumps(record))
    code, out, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0 and "'January' is a date" in err, err
    with Store(workspace) as store:
        (version,) = store.articles.versions("s")
    assert version.author == "José Ortiz, Mira Okafor"
