"""One path from page to stored article (archive/capture.py: save_page): a page crawled, the same
WARC record imported, and the same HTML imported as a record give identical articles (outlet,
title, authors, dates, text), on the demo's pages and on real pages from ../shared."""

from __future__ import annotations

import gzip
import io
import itertools
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pressdiff.archive.capture import declared_charset
from pressdiff.archive.extract import decode_html
from pressdiff.archive.reading import read_record
from pressdiff.core.store import Store
from pressdiff.core.story import parse_story
from pressdiff.importer import import_paths

from .conftest import SHARED

FIELDS = ("url", "outlet", "title", "author", "published", "text")
READABILITY = SHARED / "data" / "extraction" / "readability" / "test-pages"
DRAGNET = SHARED / "data" / "extraction" / "dragnet" / "pages.jsonl.gz"
DRAGNET_PAGES = 40  # of 1,381: among them two blog posts whose byline is their section's name ("World News")


def stored(data, slug: str) -> list[tuple]:
    """Every article's newest version, as the fields compared."""
    with Store(data) as store:
        return sorted(tuple(getattr(a, f) for f in FIELDS) for a in store.articles.articles(slug))


def imported(data, story_toml: str, paths) -> list[tuple]:
    story = parse_story(story_toml)
    with Store(data) as store:
        import_paths(store, story, paths, echo=lambda _: None)
    return stored(data, story.slug)


def test_demo_page_crawled_or_imported_is_one_article(demo_build, tmp_path):
    crawl, _, _ = demo_build
    with Store(crawl) as store:
        story = store.articles.get_story("harbour-memo")
        articles = {a.url for a in store.articles.articles(story.slug)}
        records = []
        for c in store.articles.captures(story.slug):
            _, _, body = read_record(crawl / c["warc_file"], c["warc_offset"])
            if c["url"] in articles and body:  # a revisit's payload is its first capture's
                records.append({"url": c["url"], "html": decode_html(body, declared_charset(c["content_type"]))[0]})
    crawled = stored(crawl, story.slug)
    assert len(crawled) == len(articles) >= 5
    warcs = sorted((crawl / "warc").glob("*.warc.gz"))
    assert imported(tmp_path / "warc", story.toml, warcs) == crawled
    (tmp_path / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert imported(tmp_path / "records", story.toml, [tmp_path / "pages.jsonl"]) == crawled


def real_pages() -> dict[str, str]:
    """{url: html} of real news pages: readability's test pages and the first of dragnet's."""
    if not (READABILITY.is_dir() and DRAGNET.is_file()):
        pytest.skip(f"real pages not found at {READABILITY} and {DRAGNET}")
    pages = {}
    for page in sorted(READABILITY.iterdir()):
        try:
            pages[f"https://{page.name}.example/article"] = (page / "source.html").read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    with gzip.open(DRAGNET, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, DRAGNET_PAGES):
            page = json.loads(line)
            pages[f"https://{page['id'].replace('/', '-').lower()}.example/article"] = page["html"]
    return pages


def test_real_page_from_a_warc_or_as_html_is_one_article(tmp_path):
    pages = real_pages()
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in pages.items():
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                                      http_headers=http))
    (tmp_path / "pages.warc.gz").write_bytes(buf.getvalue())
    (tmp_path / "pages.jsonl").write_text("".join(json.dumps({"url": u, "html": h}) + "\n" for u, h in pages.items()),
                                          encoding="utf-8")
    toml = 'slug = "real"\ntitle = "Real pages"\n'
    from_warc = imported(tmp_path / "warc", toml, [tmp_path / "pages.warc.gz"])
    assert len(from_warc) >= 55 and sum(1 for a in from_warc if a[3]) >= 20  # most pages, many with bylines
    assert imported(tmp_path / "records", toml, [tmp_path / "pages.jsonl"]) == from_warc
