"""The crawler against misbehaving loopback servers: every fault a real crawl meets."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from pressdiff.core.store import Store

from .loopback import Site, Wayback, article_html

pytestmark = pytest.mark.slow
WARCIO = [sys.executable, "-c", "import sys; from warcio.cli import main; sys.exit(main())"]


@pytest.fixture
def site():
    with Site() as s:
        s.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n", ctype="text/plain")
        yield s


@pytest.fixture
def archive():
    with Wayback() as w:
        yield w


def story_file(tmp_path, urls, wayback=None, extra="", crawl="", slug="faults"):
    lines = [f'slug = "{slug}"', 'title = "Faults"', 'window = ["2026-03-01", "2026-03-31"]',
             'keywords = ["Harbour Authority"]', extra]
    for u in urls:
        lines += ["[[coverage]]", f'url = "{u}"', 'outlet = "Example News"']
    # a short pause before retries, so that the faults below take no longer than they must
    lines += ["[crawl]", "timeout = 2", "retries = 1", "autothrottle = false", "retry_backoff = 0.05", crawl]
    if wayback:
        lines += [f'wayback_endpoint = "{wayback.base}"', f'wayback_available = "{wayback.base}/wayback/available"']
    path = tmp_path / f"{slug}.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def crawl(cli, story, workspace):
    code, out, err = cli("crawl", story, "--data", workspace)
    return code, out, err


def captures(workspace):
    db = sqlite3.connect(workspace / "pressdiff.db")
    db.row_factory = sqlite3.Row
    return db.execute("SELECT * FROM capture ORDER BY id").fetchall()


def warcs_valid(workspace):
    files = sorted((workspace / "warc").glob("*.warc.gz"))
    for f in files:
        check = subprocess.run(WARCIO + ["check", str(f)], capture_output=True, text=True)
        assert check.returncode == 0, (f, check.stdout, check.stderr)
        index = subprocess.run(WARCIO + ["index", str(f)], capture_output=True, text=True)
        assert index.returncode == 0 and index.stdout.strip(), f
    return files


def test_500_then_200_is_retried_with_backoff(cli, site, tmp_path, workspace):
    calls = {"n": 0}

    def flaky(_h, _p, _q):
        calls["n"] += 1
        if calls["n"] == 1:
            return 500, [("Content-Type", "text/html")], b"oops"
        return 200, [("Content-Type", "text/html; charset=utf-8")], article_html("Harbour memo").encode()

    site.routes["/flaky.html"] = flaky
    code, out, err = crawl(cli, story_file(tmp_path, [site.base + "/flaky.html"]), workspace)
    assert code == 0, err
    assert calls["n"] == 2 and "1 new versions" in out and "0 errors" in out
    assert [c["status"] for c in captures(workspace)] == [200]


def test_slow_page_times_out_and_falls_back_to_the_wayback_raw_capture(cli, site, archive, tmp_path, workspace):
    url = site.base + "/slow.html"
    site.route("/slow.html", body=article_html("Live"), delay=5)
    archive.snapshots[url] = ("20260302101500", article_html("Harbour memo, archived"))
    code, out, err = crawl(cli, story_file(tmp_path, [url], wayback=archive), workspace)
    assert code == 0, err
    assert "1 from the Wayback Machine" in out and "asking the Wayback Machine" in err
    (cap,) = captures(workspace)
    assert cap["url"] == url
    assert cap["final_url"] == f"{archive.base}/web/20260302101500id_/{url}"
    assert cap["wayback_url"] == f"{archive.base}/web/20260302101500/{url}"
    assert cap["wayback_time"].startswith("2026-03-02T10:15:00")
    with Store(workspace) as store:
        (article,) = store.articles.latest("faults")
    assert article.url == url and "Wayback toolbar" not in article.text
    assert article.title == "Harbour memo, archived"
    warcs_valid(workspace)


def test_404_falls_back_to_wayback_and_404_without_snapshot_is_an_error(cli, site, archive, tmp_path, workspace):
    gone, lost = site.base + "/gone.html", site.base + "/lost.html"
    archive.snapshots[gone] = ("20260303080000", article_html("Harbour memo, gone live"))
    code, out, err = crawl(cli, story_file(tmp_path, [gone, lost], wayback=archive), workspace)
    assert code == 0, err
    assert "1 new versions" in out and "1 errors" in out
    assert "HTTP 404; no Wayback snapshot" in err
    assert [c["url"] for c in captures(workspace)] == [gone]


def test_redirect_loop_fails_cleanly(cli, site, tmp_path, workspace):
    site.route("/loop-a", status=302, headers=[("Location", "/loop-b")])
    site.route("/loop-b", status=302, headers=[("Location", "/loop-a")])
    site.route("/fine.html", body=article_html("Harbour memo"))
    story = story_file(tmp_path, [site.base + "/loop-a", site.base + "/fine.html"], crawl="wayback_fallback = false")
    code, out, err = crawl(cli, story, workspace)
    assert code == 0, err
    assert "1 new versions" in out and "1 errors" in out
    assert "redirect" in err.lower() or "failed" in err
    assert site.hits["/loop-a"] <= 12


def test_wrong_charset_is_detected(cli, site, tmp_path, workspace):
    html = article_html("Caf\u00e9 row at the Harbour Authority",
                        extra="<p>The caf\u00e9 owner said the memo was \u201cna\u00efve\u201d \u2014 and left.</p>")
    site.route("/cp1252.html", body=html.encode("cp1252"), ctype="text/html; charset=utf-8")
    site.route("/utf8.html", body=html.replace("caf\u00e9", "bistro").encode("utf-8"), ctype="text/html; charset=iso-8859-1")
    code, out, err = crawl(cli, story_file(tmp_path, [site.base + "/cp1252.html", site.base + "/utf8.html"]), workspace)
    assert code == 0, err
    with Store(workspace) as store:
        texts = {a.url.rsplit("/", 1)[1]: a.text for a in store.articles.articles("faults")}
    assert "The caf\u00e9 owner said the memo was \u201cna\u00efve\u201d \u2014 and left." in texts["cp1252.html"]
    assert "\u201cna\u00efve\u201d" in texts["utf8.html"]
    assert {c["charset"] for c in captures(workspace)} == {"cp1252", "utf-8"}


def test_double_encoded_page_is_repaired_and_its_original_kept(cli, site, tmp_path, workspace):
    """A page that declares UTF-8 and sends text that was UTF-8 read as Windows-1252 and encoded
    again (mojibake: "RaÃºl"): stored repaired, speaker found, the original in the metadata."""
    said = '"We will not sign this contract," said Ra\u00fal M. Grijalva, the Harbour Authority chair.'
    html = article_html("Harbour Authority chair refuses", extra=f"<p>{said}</p>")
    broken = html.encode("utf-8").decode("cp1252").encode("utf-8")
    site.route("/mojibake.html", body=broken, ctype="text/html; charset=utf-8")
    code, out, err = crawl(cli, story_file(tmp_path, [site.base + "/mojibake.html"]), workspace)
    assert code == 0, err
    with Store(workspace) as store:
        (version,) = store.articles.versions("faults")
    assert said in version.text and "Ã" not in version.text
    assert "RaÃºl M. Grijalva" in version.meta["mojibake_original"]
    assert cli("compare", "faults", "--data", workspace)[0] == 0
    with Store(workspace) as store:
        speakers = [q["speaker"] for q in store.findings.comparison("faults")["quotes"]]
    assert "Raúl M. Grijalva" in speakers


def test_huge_body_is_refused_without_harm(cli, site, tmp_path, workspace):
    site.route("/huge.html", body=b"<html><body>" + b"x" * (20 * 1024 * 1024) + b"</body></html>")
    site.route("/fine.html", body=article_html("Harbour memo"))
    story = story_file(tmp_path, [site.base + "/huge.html", site.base + "/fine.html"],
                       crawl="max_bytes = 1048576\nwayback_fallback = false")
    code, out, err = crawl(cli, story, workspace)
    assert code == 0, err
    assert "1 new versions" in out and "1 errors" in out
    assert [c["url"] for c in captures(workspace)] == [site.base + "/fine.html"]


def test_robots_disallow_is_obeyed_by_default_and_overridable(cli, site, tmp_path, workspace):
    site.route("/private/secret.html", body=article_html("Harbour memo, private"))
    url = site.base + "/private/secret.html"
    code, out, err = crawl(cli, story_file(tmp_path, [url]), workspace)
    assert code == 0 and "1 blocked by robots.txt" in out and "forbidden by robots.txt" in err
    assert site.hits["/private/secret.html"] == 0 and site.hits["/robots.txt"] == 1
    code, out, err = crawl(cli, story_file(tmp_path, [url], crawl="obey_robots = false"), workspace)
    assert code == 0 and "robots.txt is NOT obeyed" in err and "1 new versions" in out
    assert site.hits["/private/secret.html"] == 1


def test_non_html_is_skipped_and_logged(cli, site, tmp_path, workspace):
    site.route("/doc.pdf", body=b"%PDF-1.4 harbour", ctype="application/pdf")
    code, out, err = crawl(cli, story_file(tmp_path, [site.base + "/doc.pdf"]), workspace)
    assert "1 skipped" in out and "not HTML: application/pdf" in err
    assert captures(workspace) == []


def test_discovery_by_links_sitemaps_feeds_and_wayback_cdx(cli, site, archive, tmp_path, workspace):
    b = site.base
    site.route("/seed.html", body=article_html("Harbour memo", links=(
        "<a href='/related-harbour-authority-memo.html'>Harbour Authority memo: reaction</a>"
        "<a href='/sport.html'>Football results</a>")))
    site.route("/related-harbour-authority-memo.html", body=article_html("Harbour Authority reaction"))
    site.route("/sport.html", body=article_html("Football"))
    site.route("/harbour-authority-from-sitemap.html", body=article_html("Sitemap story on the Harbour Authority"))
    site.route("/harbour-authority-old.html", body=article_html("Old story"))
    site.route("/harbour-authority-from-feed.html", body=article_html("Feed story"))
    site.route("/harbour-authority-off-topic.html", body=article_html("Off topic", paragraphs=["Only weather news here today."] * 5))
    site.route("/sitemap.xml", ctype="application/xml", body=f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{b}/harbour-authority-from-sitemap.html</loc><news:news><news:publication_date>2026-03-04</news:publication_date>
<news:title>Harbour Authority memo row</news:title></news:news></url>
<url><loc>{b}/harbour-authority-old.html</loc><lastmod>2025-01-01</lastmod></url>
</urlset>""")
    site.route("/feed.xml", ctype="application/rss+xml", body=f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>Example</title><item><title>Harbour Authority memo follow-up</title><link>{b}/harbour-authority-from-feed.html</link>
<pubDate>Thu, 05 Mar 2026 10:00:00 GMT</pubDate></item>
<item><title>Harbour Authority but off topic</title><link>{b}/harbour-authority-off-topic.html</link>
<pubDate>Thu, 05 Mar 2026 11:00:00 GMT</pubDate></item></channel></rss>""")
    archived = b + "/harbour-authority-archived-only.html"
    archive.snapshots[archived] = ("20260306090000", article_html("Archived-only Harbour Authority story"))
    archive.snapshots[b + "/unrelated-weather.html"] = ("20260306090000", article_html("Weather"))
    extra = ("[discovery]\nfollow_links = true\nwayback = true\n"
             f'sitemaps = ["{b}/sitemap.xml"]\nfeeds = ["{b}/feed.xml"]')
    story = story_file(tmp_path, [b + "/seed.html"], wayback=archive, extra="").read_text()
    story = story.replace("[crawl]", extra + "\n[crawl]")
    path = tmp_path / "discover.toml"
    path.write_text(story, "utf-8")
    code, out, err = crawl(cli, path, workspace)
    assert code == 0, err
    with Store(workspace) as store:
        found = {v.url.removeprefix(b): v.found_by for v in store.articles.latest("faults")}
    assert found == {"/seed.html": "seed", "/related-harbour-authority-memo.html": "link",
                     "/harbour-authority-from-sitemap.html": "sitemap", "/harbour-authority-from-feed.html": "feed",
                     "/harbour-authority-archived-only.html": "wayback-cdx"}
    assert site.hits["/sport.html"] == 0 and site.hits["/harbour-authority-old.html"] == 0
    assert site.hits["/harbour-authority-off-topic.html"] == 1  # fetched, archived, then judged off topic
    assert "1 off topic" in out


def test_wayback_pin_fetches_snapshots_near_the_story_date(cli, site, archive, tmp_path, workspace):
    url = site.base + "/pinned.html"
    site.route("/pinned.html", body=article_html("Live edition, Harbour Authority"))
    archive.snapshots[url] = ("20260301120000", article_html("First edition, Harbour Authority"))
    code, out, err = crawl(cli, story_file(tmp_path, [url], wayback=archive, crawl="wayback_pin = true"), workspace)
    assert code == 0, err
    assert site.hits["/pinned.html"] == 0
    with Store(workspace) as store:
        (article,) = store.articles.latest("faults")
    assert article.title == "First edition, Harbour Authority" and article.capture.wayback_url


def test_warc_files_rotate_and_all_validate(cli, site, tmp_path, workspace):
    urls = []
    for i in range(8):
        site.route(f"/p{i}.html", body=article_html(f"Harbour memo part {i}"))
        urls.append(f"{site.base}/p{i}.html")
    code, out, err = crawl(cli, story_file(tmp_path, urls, crawl="max_warc_bytes = 4000"), workspace)
    assert code == 0, err
    files = warcs_valid(workspace)
    assert len(files) >= 3
    with Store(workspace) as store:
        registered = {r[0] for r in store.db.execute("SELECT path FROM warc_file WHERE closed = 1")}
    assert registered == {f"warc/{f.name}" for f in files}
    assert len({c["warc_file"] for c in captures(workspace)}) >= 3
    # the index made exchange by exchange as the crawl wrote them (no file read again) is the
    # index cdxj-indexer makes of the finished files
    import io

    from pressdiff.archive.cdxj import Indexer

    whole = io.StringIO()
    Indexer(whole, [str(f) for f in files], sort=True, dir_root=str(workspace / "warc")).process_all()
    assert (workspace / "warc" / "index.cdxj").read_text("utf-8") == whole.getvalue()
    assert len(list((workspace / "warc" / ".cdxj").glob("*.cdxj"))) == len(files)


def test_versions_command_shows_the_word_diff(cli, site, tmp_path, workspace):
    url = site.base + "/changing.html"
    site.route("/changing.html", body=article_html("Harbour memo"))
    story = story_file(tmp_path, [url])
    assert crawl(cli, story, workspace)[0] == 0
    site.route("/changing.html", body=article_html("Harbour memo", extra="<p>Correction: the memo was sent on Friday.</p>"))
    code, out, _ = crawl(cli, story, workspace)
    assert "1 new versions" in out
    code, out, err = cli("versions", "faults", url, "--data", workspace)
    assert code == 0, err
    assert "v1 " in out and "v2 " in out and "{+Correction: the memo was sent on Friday.+}" in out
    code, _, err = cli("versions", "faults", url, "--diff", "1:9", "--data", workspace)
    assert code == 2 and "must both exist" in err


def test_a_per_outlet_wayback_search_pages_through_the_cdx_index(cli, site, archive, tmp_path, workspace):
    """#14: a big outlet's articles are reached by a URL prefix, a regex and resume keys, not host/*."""
    host = archive.base.split("://", 1)[1]
    for i in range(400):  # the rest of the host, first in the index's order: host/* would stop here
        archive.snapshots[f"{archive.base}/aaa-sport/{i:04d}"] = ("20260305120000", article_html("Sport"))
    story_pages = {7, 18, 29}
    for i in range(30):  # news pages in the window whose address is a number: the URL names nothing
        html = (article_html(f"Harbour Authority memo, page {i}") if i in story_pages else
                article_html(f"Weather, page {i}", paragraphs=["Only weather news here today."] * 5))
        archive.snapshots[f"{archive.base}/news/uk-{39000 + i}"] = ("20260305120000", html)
    archive.snapshots[f"{archive.base}/news/uk-38000"] = ("20250101120000", article_html("Harbour Authority, old"))
    archive.snapshots[f"{archive.base}/news/uk-live-blog"] = ("20260305120000", article_html("Harbour Authority live"))
    extra = ("[[discovery.search]]\n"
             f'prefix = "{host}/news/uk-"\noutlet = "Big Outlet"\n'
             'url_regex = ".*/news/uk-[0-9]+"\npage_size = 10\n')
    story = story_file(tmp_path, [site.base + "/seed.html"], wayback=archive, extra="").read_text()
    path = tmp_path / "search.toml"
    path.write_text(story.replace("[crawl]", extra + "\n[crawl]"), "utf-8")
    code, out, err = crawl(cli, path, workspace)
    assert code == 0, err
    with Store(workspace) as store:
        found = {v.url.removeprefix(archive.base): (v.found_by, v.outlet) for v in store.articles.latest("faults")
                 if v.found_by != "seed"}
        captured = [r for r in store.articles.captures("faults") if r["found_by"] == "wayback-search"]
    assert found == {f"/news/uk-{39000 + i}": ("wayback-search", "Big Outlet") for i in story_pages}
    assert len(captured) == 30  # every candidate fetched from its snapshot, then judged by its text
    pages = [q for q in archive.cdx_queries if q.get("matchType") == ["prefix"]]
    assert len(pages) == 3 and "resumeKey" not in pages[0] and all("resumeKey" in q for q in pages[1:])
    assert all(q["filter"][-1] == "original:.*/news/uk-[0-9]+" for q in pages)
    assert "27 off topic" in out
