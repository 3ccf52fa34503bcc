"""The published site: hostile scraped text renders as plain text."""

import json
import re

import pytest

from pressdiff.compare.report import count
from pressdiff.core.store import Store
from pressdiff.publish.story import glance

HOSTILE_TITLE = "Ferry row <script>alert('t')</script> **bold** {{ config }}"
HOSTILE_TEXT = ("The board met on Monday. <img src=x onerror=alert(1)> "
                '"We must be careful here and follow this guidance <b>now</b> {% raw %}," the memo said.\n\n'
                "# Not a heading\n\n[click](javascript:alert(2)) | a | table |")


@pytest.mark.slow
def test_hostile_title_and_text_render_as_plain_text(cli, tmp_path, workspace):
    story = tmp_path / "s.toml"
    story.write_text('slug = "hostile"\ntitle = "Hostile <i>story</i>"\npublish_full_text = true\n', "utf-8")
    src = tmp_path / "in.jsonl"
    rows = [{"url": "https://evil.example/a", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT,
             "outlet": "Evil <b>Outlet</b>", "published": "2026-01-01"},
            {"url": "https://other.example/b", "title": "Copy", "published": "2026-01-02",
             "text": 'Later: "We must be careful here and follow this guidance <b>now</b>," it said.'}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    assert cli("import", src, "--story", story, "--data", workspace)[0] == 0
    assert cli("compare", "hostile", "--data", workspace)[0] == 0
    code, out, err = cli("site", "hostile", "--data", workspace)
    assert code == 0, err
    public = workspace / "public"
    html = "\n".join(p.read_text("utf-8") for p in public.rglob("*.html"))
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Outlet" not in html and "<b>now" not in html
    assert 'href="javascript:' not in html
    with Store(workspace) as store:
        key = next(a.id for a in store.articles.articles("hostile") if a.url == "https://evil.example/a")
    page = (public / "hostile" / "articles" / key / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert" in page
    assert "{{ config }}" in page.replace("&#123;", "{").replace("&#125;", "}")
    assert "<h1 id=\"not-a-heading\"" not in page


# -- a site of many stories: single-article quotations, drift, rebuilds, links ------------

SECOND = [  # an invented second story: one statement every outlet carries, and quotes only one carries
    {"url": "https://tide.example/1", "outlet": "Tide Times", "title": "Lock keepers told to stay silent",
     "published": "2026-04", "author": "Ana Reyes",
     "text": 'A notice told lock keepers that "no keeper may speak to the press about the flood gates without '
             'approval". The union said: "This gag is unprecedented in forty years of our history."'},
    {"url": "https://river.example/2", "outlet": "River Post", "title": "Keepers gagged over flood gates",
     "published": "2026-04-03",
     "text": 'Keepers were told that "no keeper may speak to the press about the flood gates without approval", '
             'according to the Tide Times. A keeper said: "We only want the town to be safe this winter."'},
]


def _two_story_workspace(cli, tmp_path, workspace, demo_build):
    import shutil

    shutil.copytree(demo_build[0], workspace)
    story = tmp_path / "locks.toml"
    story.write_text('slug = "locks"\ntitle = "Lock keepers told to stay silent"\n', "utf-8")
    src = tmp_path / "locks.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in SECOND) + "\n", "utf-8")
    assert cli("import", src, "--story", story, "--data", workspace)[0] == 0
    assert cli("compare", "locks", "--data", workspace)[0] == 0
    return workspace


@pytest.mark.slow
def test_an_archive_of_two_stories_and_its_single_article_quotations(cli, tmp_path, workspace, demo_build):
    data = _two_story_workspace(cli, tmp_path, workspace, demo_build)
    code, out, err = cli("site", "--data", data)
    assert code == 0, err
    assert "for 2 stories" in out
    public = data / "public"
    home = (public / "index.html").read_text("utf-8")
    for text in ('href="harbour-memo/"', 'href="locks/"', "Tide Times, River Post".split(", ")[0], "April 2026",
                 "Most changed"):
        assert text in home, text
    assert "pressdiff: pressdiff archive" not in home
    with Store(data) as store:
        doc = store.findings.comparison("locks")
    single = [c for c in doc["clusters"] if len({v["article"] for v in c["variants"]}) == 1]
    shared = [c for c in doc["clusters"] if len({v["article"] for v in c["variants"]}) > 1]
    assert single and shared
    for c in single:  # no page of its own: a section with an anchor on its article's page
        assert not (public / "locks" / "quotes" / c["id"]).exists()
        page = (public / "locks" / "articles" / c["origin"] / "index.html").read_text("utf-8")
        assert f'id="{c["id"]}"' in page and "Cite this quotation" in page
        assert f"/locks/articles/{c['origin']}/#{c['id']}" in page  # the permalink
    for c in shared:
        assert (public / "locks" / "quotes" / c["id"] / "index.html").is_file()
    story_page = (public / "locks" / "index.html").read_text("utf-8")
    assert "pd-matrix-cell" in story_page and "pd-timeline" in story_page and "pd-credit" in story_page
    assert "0 whole-article copies" in story_page and "1 credit" in story_page
    t = glance(count(doc))  # the one count the home page, the story page and `compare` share
    assert f"<strong>{t['shared']}</strong> of them carried" in story_page and f"(of {t['clusters']})" in home
    assert re.search(rf"<strong>{t['altered']}</strong>\s+of <strong>{t['variants']}</strong> wordings", story_page)
    # cite names the page where the site shows a quotation: the article's anchor for a single one
    code, out, _ = cli("cite", single[0]["canonical"], "--format", "json", "--data", data)
    match = json.loads(out)["matches"][0]
    assert match["page"] == f"locks/articles/{single[0]['origin']}/#{single[0]['id']}"
    search = json.loads((public / "search" / "search_index.json").read_text("utf-8"))
    locations = {d["location"] for d in search["docs"]}
    assert any(loc.startswith("locks/articles/") and "#q" in loc for loc in locations)  # single quotations
    assert any(loc.startswith("harbour-memo/quotes/") for loc in locations)  # across stories


@pytest.mark.slow
def test_rebuild_builds_only_the_story_that_changed(cli, tmp_path, workspace, demo_build):
    data = _two_story_workspace(cli, tmp_path, workspace, demo_build)
    assert cli("site", "--data", data)[0] == 0
    demo_page = data / "public" / "harbour-memo" / "index.html"
    locks_page = data / "public" / "locks" / "index.html"
    before = demo_page.stat().st_ino, locks_page.read_text("utf-8")
    extra = tmp_path / "more.jsonl"
    extra.write_text(json.dumps({"url": "https://canal.example/3", "outlet": "Canal Weekly", "published": "2026-04-09",
                                 "text": 'It said "no keeper may speak to the press about the flood gates".'}) + "\n")
    assert cli("import", extra, "--story", "locks", "--data", data)[0] == 0
    assert cli("compare", "locks", "--data", data)[0] == 0
    code, out, _ = cli("site", "--data", data)
    assert code == 0 and "(1 unchanged, not rebuilt)" in out
    assert demo_page.stat().st_ino == before[0]  # moved over from the last build, not written again
    assert "Canal Weekly" in locks_page.read_text("utf-8") and before[1] != locks_page.read_text("utf-8")


@pytest.mark.slow
def test_every_link_of_the_site_leads_somewhere(cli, tmp_path, workspace, demo_build, monkeypatch):
    import re
    from html.parser import HTMLParser
    from urllib.parse import unquote, urldefrag, urljoin, urlsplit

    import pressdiff.publish.build

    monkeypatch.setattr(pressdiff.publish.build, "PAGES_PER_PART", 5)  # the demo story in two MkDocs runs
    data = _two_story_workspace(cli, tmp_path, workspace, demo_build)
    assert cli("site", "--data", data, "--site-url", "https://example.org/archive/")[0] == 0
    public = data / "public"

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if a.get("id"):
                self.ids.add(a["id"])
            if tag in ("a", "link") and a.get("href"):
                self.hrefs.append(a["href"])

    pages = {}
    for path in public.rglob("*.html"):
        if path.name == "404.html":  # served for any address: MkDocs gives it root-absolute links
            continue
        parser = Links()
        parser.feed(path.read_text("utf-8"))
        pages[path] = parser
    broken = []
    for path, parser in pages.items():
        base = "file://" + str(path)
        for href in parser.hrefs:
            if urlsplit(href).scheme in ("http", "https", "mailto", "javascript") or href.startswith("//"):
                continue
            target, anchor = urldefrag(urljoin(base, href))
            file = __import__("pathlib").Path(unquote(urlsplit(target).path))
            if file.is_dir():
                file = file / "index.html"
            if not file.exists():
                broken.append((str(path.relative_to(public)), href))
            elif anchor and file.suffix == ".html" and file in pages and anchor not in pages[file].ids:
                broken.append((str(path.relative_to(public)), href))
    assert broken == [], broken[:20]
    assert not any("pd-fragment-" in p.read_text("utf-8") for p in pages)  # every HTML block put back
    sitemap = (public / "harbour-memo" / "sitemap.xml").read_text("utf-8")
    assert len(re.findall("<loc>", sitemap)) == len(list((public / "harbour-memo").rglob("index.html")))


@pytest.mark.slow
def test_a_missing_warc_file_costs_the_wacz_not_the_site(cli, tmp_path, workspace, demo_build):
    import shutil

    shutil.copytree(demo_build[0], workspace)
    shutil.rmtree(workspace / "public")
    next((workspace / "warc").glob("*.warc.gz")).unlink()
    code, out, err = cli("site", "--data", workspace)
    assert code == 0, err
    assert "is missing, so the site offers no WACZ" in out
    assert not (workspace / "public" / "harbour-memo" / "downloads" / "harbour-memo.wacz").exists()
    assert (workspace / "public" / "harbour-memo" / "index.html").is_file()
