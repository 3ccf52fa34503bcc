"""The crawler's network-free functions, called directly: discovery parsing, Wayback answers,
WARC serialisation and repair. The end-to-end crawls of test_crawler.py reach them only through
Scrapy subprocesses; these tests pin each convention down in milliseconds."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pressdiff.archive.reading import repair
from pressdiff.archive.replay import exchanges
from pressdiff.archive.warc import WarcArchive, serialize_exchange, warc_date
from pressdiff.core.story import parse_story
from pressdiff.crawler import discovery, wayback

STORY = parse_story('slug = "s"\ntitle = "S"\nwindow = ["2026-03-01", "2026-03-10"]\nkeywords = ["ferry"]\n')


def test_sitemap_keeps_pages_in_the_window_that_name_the_story_and_reads_news_dates():
    body = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>/news/ferry-contract-row</loc><news:news><news:publication_date>2026-03-03</news:publication_date>
   <news:title>Ferry contract row</news:title></news:news></url>
 <url><loc>https://x.test/news/ferry-later</loc><lastmod>2026-05-01</lastmod></url>
 <url><loc>https://x.test/sport/results</loc><lastmod>2026-03-03</lastmod></url>
 <url><loc>https://x.test/news/undated-ferry-piece</loc></url>
</urlset>"""
    found = discovery.sitemap(body, "https://x.test/sitemap.xml", STORY)
    assert [c.url for c in found] == ["https://x.test/news/ferry-contract-row", "https://x.test/news/undated-ferry-piece"]
    assert found[0].title == "Ferry contract row" and found[0].found_by == "sitemap"


def test_sitemap_index_gzip_and_hostile_xml():
    index = gzip.compress(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>https://x.test/s1.xml</loc></sitemap></sitemapindex>")
    (nested,) = discovery.sitemap(index, "https://x.test/index.xml", STORY)
    assert nested.sitemap and nested.url == "https://x.test/s1.xml"
    entity = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
              b'<urlset><url><loc>https://x.test/ferry/&e;</loc></url></urlset>')
    assert all("root:" not in c.url for c in discovery.sitemap(entity, "https://x.test/s.xml", STORY))
    assert discovery.sitemap(b"not xml at all", "https://x.test/s.xml", STORY) == []


def test_feed_entries_by_window_and_keyword():
    rss = b"""<rss version="2.0"><channel><title>t</title>
<item><title>Ferry staff gagged</title><link>https://x.test/a</link><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>
<item><title>Ferry again, too late</title><link>https://x.test/b</link><pubDate>Fri, 01 May 2026 10:00:00 GMT</pubDate></item>
<item><title>Football</title><link>https://x.test/c</link><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""
    assert [(c.url, c.found_by) for c in discovery.feed(rss, "https://x.test/rss", STORY)] == [("https://x.test/a", "feed")]


def test_keywords_window_and_link_matching():
    assert discovery.link_matches("https://x.test/2026/ferry-row", "", STORY)
    assert discovery.link_matches("https://x.test/a", "The FERRY contract", STORY)
    assert not discovery.link_matches("https://x.test/a", "weather", STORY)
    assert STORY.in_window(None) and STORY.in_window(dt.date(2026, 3, 11))  # a day's slack
    assert not STORY.in_window(dt.date(2026, 3, 12))
    both = parse_story('slug = "s"\ntitle = "S"\nkeywords = ["ferry", "memo"]\n')
    assert both.carries_keywords("The ferry memo") and not both.carries_keywords("ferry")


def test_wayback_availability_and_cdx_answers():
    ok = json.dumps({"archived_snapshots": {"closest": {"available": True, "status": "200",
                                                          "timestamp": "20260302093000", "url": "x"}}}).encode()
    snap = wayback.parse_availability(ok, "https://x.test/a")
    assert snap.raw_url("https://web.archive.org") == "https://web.archive.org/web/20260302093000id_/https://x.test/a"
    assert snap.captured_at == "2026-03-02T09:30:00+00:00"
    for bad in (b"", b"{}", b'{"archived_snapshots": {"closest": {"available": true, "status": "404", '
                              b'"timestamp": "20260302093000"}}}', b"[1, 2]"):
        assert wayback.parse_availability(bad, "https://x.test/a") is None
    cdx = json.dumps([["urlkey", "timestamp", "original"], ["k", "20260303000000", "https://x.test/b"], ["short"]])
    assert [(s.original, s.timestamp) for s in wayback.parse_cdx(cdx.encode())] == [("https://x.test/b", "20260303000000")]
    assert wayback.parse_cdx(b"garbage") == [] and wayback.parse_cdx(b"[]") == []
    url = wayback.cdx_url("https://web.archive.org", "https://x.test/a", STORY.window, 50)
    assert "url=x.test%2F%2A" in url and "from=20260301" in url and "to=20260310" in url and "limit=50" in url


def exchange(n: int) -> dict:
    return dict(url=f"http://x.test/{n}", method="GET", request_headers=[("User-Agent", "t")], status=200,
                response_headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
                body=f"<p>page {n}</p>".encode(), fetched_at="2026-03-03T10:00:00+00:00",
                metadata={"story": "s", "found_by": "seed", "requested_url": f"http://x.test/{n}"})


def test_serialised_exchange_is_three_linked_records_that_warcio_reads():
    blob = serialize_exchange(**exchange(1))
    records = list(ArchiveIterator(io.BytesIO(blob.data)))
    assert [r.rec_type for r in records] == ["request", "response", "metadata"]
    response_id = records[1].rec_headers.get_header("WARC-Record-ID")
    assert blob.record_id == response_id
    assert records[0].rec_headers.get_header("WARC-Concurrent-To") == response_id
    assert records[2].rec_headers.get_header("WARC-Concurrent-To") == response_id
    assert records[1].http_headers.get_header("Transfer-Encoding") is None  # the body is stored de-chunked
    assert records[1].rec_headers.get_header("WARC-Date") == warc_date("2026-03-03T10:00:00+00:00") == "2026-03-03T10:00:00Z"
    assert blob.data[blob.response_offset:blob.response_offset + 2] == b"\x1f\x8b"  # a gzip member of its own


def test_repair_cuts_a_torn_tail_back_to_the_last_whole_record_and_exchanges_survive(tmp_path):
    archive = WarcArchive(tmp_path, prefix="s")
    for n in range(3):
        archive.append(serialize_exchange(**exchange(n)))
    archive.close()
    (rel,) = archive.files
    path = tmp_path / rel
    whole = path.stat().st_size
    torn = serialize_exchange(**exchange(9)).data
    with open(path, "ab") as fh:
        fh.write(torn[:100])  # kill -9 in the middle of writing the first record of an exchange
    assert repair(path) == 100 and path.stat().st_size == whole
    assert repair(path) == 0  # idempotent
    got = [e.fetched.url for e in exchanges(path, rel)]
    assert got == [f"http://x.test/{n}" for n in range(3)]


# opens WARC files one after another as fast as it can (each with its warcinfo record), until killed
_OPENER = """
import sys
from pressdiff.archive.warc import WarcArchive
archive = WarcArchive(sys.argv[1], prefix="k", tag="w")
print("ready", flush=True)
while True:
    archive._open()
    archive.file.close()
"""


def test_a_process_killed_while_opening_warc_files_leaves_each_whole(tmp_path):
    """A worker killed by pid (SIGKILL) at any moment of opening a WARC file leaves no empty or torn
    file under a WARC's name: each file it made holds its whole warcinfo record."""
    import random
    import subprocess
    import sys
    import time

    rng = random.Random(7)
    for kill in range(6):
        child = subprocess.Popen([sys.executable, "-c", _OPENER, str(tmp_path / f"ws{kill}")], stdout=subprocess.PIPE)
        try:
            assert child.stdout.readline() == b"ready\n"
            time.sleep(rng.uniform(0.05, 0.3))
        finally:
            child.kill()
            child.wait()
        files = sorted((tmp_path / f"ws{kill}" / "warc").glob("*.warc.gz"))
        assert files
        for f in files:
            with f.open("rb") as fh:
                assert [r.rec_type for r in ArchiveIterator(fh)] == ["warcinfo"], f.name



def test_the_aside_of_a_warc_file_whose_opener_was_killed_is_swept_by_the_next_archive(tmp_path):
    """A kill between writing a WARC file's aside and linking it leaves .NAME.PID.tmp; the next archive
    of the workspace removes such asides once they are older than an opener ever holds one."""
    import os
    import time

    from pressdiff.archive.warc import ASIDE_STALE_SECONDS, sweep_asides

    warc = tmp_path / "warc"
    warc.mkdir()
    orphan = warc / ".k-20260101000000-w-00001.warc.gz.4242.tmp"
    fresh = warc / ".k-20260101000000-w-00002.warc.gz.4243.tmp"
    other = warc / ".notes.tmp"  # not an aside of a WARC file
    for f in (orphan, fresh, other):
        f.write_bytes(b"x")
    old = time.time() - ASIDE_STALE_SECONDS - 5
    os.utime(orphan, (old, old))
    os.utime(other, (old, old))
    WarcArchive(tmp_path, prefix="s")
    assert not orphan.exists()
    assert fresh.exists() and other.exists()  # an opener may be between its two calls; not ours
    assert sweep_asides(warc, stale=0) == 1 and not fresh.exists()


def test_sitemap_index_follows_only_dated_sitemaps_that_meet_the_window():
    # invented outlet layout: one sitemap per month and per day, as big outlets publish them
    children = ["sitemap-2026-01.xml", "sitemap-2026-03.xml", "sitemaps/2026/03/09.xml", "sitemaps/2026/03/20.xml",
                "sitemaps/20260305.xml", "sitemap-sections.xml", "sitemap-201603.xml"]
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(f"<sitemap><loc>https://x.test/{c}</loc></sitemap>" for c in children)
             + "<sitemap><loc>https://x.test/sitemap-2026-03-b.xml</loc><lastmod>2026-02-01</lastmod></sitemap>"
             + "</sitemapindex>").encode()
    followed = [c.url.removeprefix("https://x.test/") for c in discovery.sitemap(index, "https://x.test/i.xml", STORY)]
    # undated ones are followed (nothing says they are outside); 201603 is no month; a stale one is not
    assert followed == ["sitemap-2026-03.xml", "sitemaps/2026/03/09.xml", "sitemaps/20260305.xml",
                        "sitemap-sections.xml", "sitemap-201603.xml"]
    assert discovery.path_period("https://x.test/news/2026/02/29/ferry") is None  # no such day
    assert discovery.path_period("https://x.test/2026-02/ferry") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_sitemap_page_without_a_date_is_dated_by_its_path():
    body = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://x.test/2026/03/04/ferry-memo</loc></url>"
            "<url><loc>https://x.test/2025/11/02/ferry-fares</loc></url>"
            "<url><loc>https://x.test/news/ferry-undated</loc></url></urlset>").encode()
    found = [c.url for c in discovery.sitemap(body, "https://x.test/s.xml", STORY)]
    assert found == ["https://x.test/2026/03/04/ferry-memo", "https://x.test/news/ferry-undated"]


def test_a_warc_files_cache_written_by_two_processes_at_once_survives(demo_build, tmp_path):
    """A worker closing its WARC file writes the file's CDXJ cache while the coordinator indexes
    every file: each must write under its own temporary name (they once shared one, and the
    coordinator's rename failed at the end of a crawl)."""
    import os
    import shutil
    import threading

    from pressdiff.archive.cdxj import _cache_path, index_file, write_cache

    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    source = next((demo_build[0] / "warc").glob("*.warc.gz"))
    path = Path(shutil.copy(source, warc_dir / source.name))
    lines = index_file(warc_dir, path).read_text("utf-8").splitlines()
    errors = []

    def run(job):
        try:
            for _ in range(30):
                job()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    def stale_then_index():
        os.utime(_cache_path(warc_dir, path), ns=(0, 0))  # older than the WARC file: index it again
        index_file(warc_dir, path)

    threads = [threading.Thread(target=run, args=(job,)) for job in
               (stale_then_index, lambda: write_cache(warc_dir, path, lines))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _cache_path(warc_dir, path).read_text("utf-8").splitlines() == sorted(lines)
    assert not list(_cache_path(warc_dir, path).parent.glob("*.tmp"))
