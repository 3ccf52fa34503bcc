"""The built demo site in a real headless Chromium, served from a loopback HTTP server."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pressdiff.cli import main

from .loopback import Site

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags a sandboxed, offline machine needs: no background traffic to Google's hosts.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def served(demo_build):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    data, doc, _ = demo_build
    with Site() as server:
        server.serve_directory(data / "public")
        yield server.base, doc


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url, shots, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith("http://127.0.0.1") or r.url.startswith("data:")
            else errors.append(f"request off the machine: {r.url}"))
    page.goto(url, wait_until="networkidle")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    return page, errors


def test_home_quote_and_article_pages_render(served, browser, tmp_path):
    base, doc = served
    page, errors = open_page(browser, f"{base}/harbour-memo/", tmp_path, "story")
    assert "Harbour Authority memo" in page.inner_text("h1")
    assert page.locator("table").count() >= 2
    assert "The Calloway Lantern published it first" in page.inner_text("article")
    # Material draws Mermaid into a closed shadow root: check that the diagram took up space,
    # with the bundled Mermaid (no CDN request could succeed here, and none failed).
    page.wait_for_function("document.querySelector('.mermaid') && "
                           "document.querySelector('.mermaid').getBoundingClientRect().height > 100", timeout=15000)
    assert page.evaluate("typeof mermaid") == "object"
    assert errors == []

    spliced = next(c for c in doc["clusters"] if "a review of a handful" in c["canonical"])
    page, errors = open_page(browser, f"{base}/harbour-memo/quotes/{spliced['id']}/", tmp_path, "quote")
    assert page.locator(".pd-diff del").count() >= 1
    assert page.locator(".pd-tag", has_text="spliced").count() >= 1
    assert page.locator("h3", has_text="Northgate Courier").count() == 1
    page.locator("summary", has_text="Cite this quotation").click()
    assert page.locator(".pd-cite .md-code__button").count() == 3  # permalink, BibTeX, CSL-JSON: copyable
    assert "@article{harbour-memo-" in page.inner_text(".pd-cite")
    assert errors == []

    page, errors = open_page(browser, f"{base}/harbour-memo/articles/{spliced['origin']}/", tmp_path, "article")
    text = page.inner_text("article")
    assert "SHA-256" in text and "urn:uuid:" in text and "Excerpt" in text
    assert errors == []
    assert all((tmp_path / f"{n}.png").stat().st_size > 10_000 for n in ("story", "quote", "article"))


def test_search_finds_a_quote_offline(served, browser, tmp_path):
    base, _ = served
    page, errors = open_page(browser, f"{base}/", tmp_path, "search")
    page.click(".md-search__input", timeout=5000)
    page.keyboard.type("colleague", delay=20)  # Material searches on key events, as a reader types
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    results = page.inner_text(".md-search-result")
    assert "careful here" in results.lower() or "colleague" in results.lower()
    page.screenshot(path=str(tmp_path / "search-results.png"))
    assert errors == []


def test_dark_palette_toggle(served, browser, tmp_path):
    base, _ = served
    page, errors = open_page(browser, f"{base}/methodology/", tmp_path, "light")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_timeout(300)
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    page.screenshot(path=str(tmp_path / "dark.png"))
    assert errors == []


@pytest.fixture(scope="module")
def real_site(founding_build):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    data, runner = founding_build, CliRunner()
    doc = json.loads(runner.invoke(main, ["cite", "ensure all our staff are following this guidance", "--format",
                                          "json", "--data", str(data)]).stdout)
    with Site() as server:
        server.serve_directory(data / "public")
        yield server.base, doc["matches"][0]["cluster"], data


def test_real_story_site_renders_in_the_browser(real_site, browser, tmp_path):
    base, cluster, _ = real_site
    page, errors = open_page(browser, f"{base}/home-office-trump/", tmp_path, "real-story")
    # two of its articles carry no date: the page names the earliest date, not a first publisher
    assert "The earliest date is 2017-03-13: The Register" in page.inner_text("article")
    assert "2 articles carry no date and could be earlier" in page.inner_text("article")
    assert page.locator("td", has_text="International Business Times UK").count() >= 1
    assert errors == []
    page, errors = open_page(browser, f"{base}/home-office-trump/quotes/{cluster}/", tmp_path, "real-quote")
    assert "Civil Service Code" in page.inner_text("article blockquote")
    assert page.locator("h3", has_text="RT").count() == 1
    page.locator("summary", has_text="Cite this").click()
    assert "Hall, K. (2017, March 13)" in page.inner_text("article")
    assert errors == []


def test_the_real_storys_speakers_page_names_each_speaker_once(real_site, browser, tmp_path):
    """#34, on the founding story's real coverage: one row per speaker of its comparison, spellings
    grouped ("the Home Office" and "Home Office" where outlets print both), each leading to its section."""
    from pressdiff.core.store import Store
    from pressdiff.publish.speakers import speaker_key

    base, _, data = real_site
    with Store(data) as store:
        doc = store.findings.comparison("home-office-trump")
    names = {c["speaker"] for c in doc["clusters"] if not c.get("boilerplate")}
    names |= {v["speaker"] for c in doc["clusters"] if not c.get("boilerplate") for v in c["variants"]}
    keys = {speaker_key(n) for n in names} - {""}
    page, errors = open_page(browser, f"{base}/home-office-trump/speakers/", tmp_path, "real-speakers")
    rows = page.locator("article .md-typeset__table tbody tr")
    assert rows.count() == len(keys) > 0
    assert sorted(speaker_key(t) for t in rows.locator("td:first-child").all_inner_texts()) == sorted(keys)
    links = rows.locator("td:first-child a")
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        target, anchor = href.split("#")
        page2, errors2 = open_page(browser, f"{base}/home-office-trump/speakers/{target}", tmp_path, f"real-speaker-{i}")
        assert page2.locator(f"article h2[id='{anchor}']").count() == 1 and errors2 == []
        page2.close()
    assert errors == []


@pytest.fixture(scope="module")
def archive(two_story_build):
    """The demo workspace plus a second invented story, built as one archive and served."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    data = two_story_build
    from pressdiff.core.store import Store

    with Store(data) as store:
        doc = store.findings.comparison("locks")
    with Site() as server:
        server.serve_directory(data / "public")
        yield server.base, doc


def test_archive_home_lists_every_story(archive, browser, tmp_path):
    base, _ = archive
    page, errors = open_page(browser, f"{base}/", tmp_path, "archive-home")
    headings = page.locator("article h2").all_inner_texts()
    assert any("Harbour Authority memo" in h for h in headings) and any("Lock keepers" in h for h in headings)
    assert "April 2026" in page.inner_text("article")  # a month-precision date, as given
    page.locator("article h2 a", has_text="Lock keepers").click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/").endswith("/locks")
    assert errors == []


def test_a_single_article_quotation_has_its_anchor_and_cite_block(archive, browser, tmp_path):
    base, doc = archive
    single = next(c for c in doc["clusters"] if len({v["article"] for v in c["variants"]}) == 1)
    page, errors = open_page(browser, f"{base}/locks/articles/{single['origin']}/#{single['id']}", tmp_path, "single")
    heading = page.locator(f"[id='{single['id']}']")
    assert heading.count() == 1 and heading.is_visible()
    assert page.evaluate(f"document.getElementById('{single['id']}').getBoundingClientRect().top") < 300  # scrolled to
    block = page.locator(f"[id='{single['id']}'] ~ details.pd-cite").first
    block.locator("summary").click()
    assert f"/locks/articles/{single['origin']}/#{single['id']}" in block.inner_text()
    assert "APA" in block.inner_text()
    assert errors == []


def test_drift_matrix_cells_lead_to_their_quotation(served, browser, tmp_path):
    base, doc = served
    page, errors = open_page(browser, f"{base}/harbour-memo/", tmp_path, "matrix")
    cells = page.locator("svg.pd-matrix rect.pd-matrix-cell")
    assert cells.count() >= 10
    assert page.locator("svg.pd-matrix rect.pd-matrix-cell[data-class='origin']").count() >= 1
    assert page.locator("svg.pd-timeline circle.pd-dot").count() == len(doc["articles"])
    assert page.locator("svg.pd-timeline path.pd-credit").count() >= 1
    box = page.locator("svg.pd-matrix").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    cells.first.click()
    page.wait_for_load_state("networkidle")
    assert "/harbour-memo/quotes/q" in page.url and page.locator(".pd-diff").count() >= 2
    assert errors == []


CLAIMS = ("published it first", "first carried by", "first carried it", "(origin)")


@pytest.fixture(scope="module")
def claims(tmp_path_factory):
    """Two invented stories of the same three articles: one without dates, one dated."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    tmp = tmp_path_factory.mktemp("claims")
    said = ('"The ferry timetable was changed without asking a single passenger on the Calloway crossing," '
            'the union said in a statement.')
    runner = CliRunner()
    for slug, dates in (("undated", [None] * 3), ("dated", ["2026-03-02", "2026-03-03", "2026-03-04"])):
        records = [{"url": f"https://outlet{i}.example/{slug}", "outlet": f"Outlet {i}", "title": f"Ferry row {i}",
                    "text": f"Report number {i} on the ferry. {said}", **({"published": d} if d else {})}
                   for i, d in enumerate(dates, 1)]
        (tmp / f"{slug}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        (tmp / f"{slug}.toml").write_text(f'slug = "{slug}"\ntitle = "Ferry row, {slug}"\n', "utf-8")
        for args in (["import", str(tmp / f"{slug}.jsonl"), "--story", str(tmp / f"{slug}.toml")], ["compare", slug]):
            result = runner.invoke(main, [*args, "--data", str(tmp / "ws")], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["site", "--data", str(tmp / "ws")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from pressdiff.core.store import Store

    with Store(tmp / "ws") as store:
        shared = {s: next(c["id"] for c in store.findings.comparison(s)["clusters"] if len(c["variants"]) > 1)
                  for s in ("undated", "dated")}
    with Site() as server:
        server.serve_directory(tmp / "ws" / "public")
        yield server.base, shared


def test_a_story_without_dates_claims_no_first_and_a_dated_one_does(claims, browser, tmp_path):
    base, shared = claims
    for slug, claimed in (("undated", False), ("dated", True)):
        texts = []
        for path in ("", f"quotes/{shared[slug]}/", "drift/"):
            page, errors = open_page(browser, f"{base}/{slug}/{path}", tmp_path, f"{slug}-{path.count('/')}")
            assert errors == []
            texts.append(page.inner_text("body").lower())
        found = [c for c in CLAIMS if any(c in t for t in texts)]
        assert bool(found) is claimed, (slug, found)
    undated, _ = open_page(browser, f"{base}/undated/", tmp_path, "undated-story")
    assert "order unknown" in undated.inner_text("body").lower()
    assert "3 articles without a date" in undated.inner_text("body")
    assert undated.locator("svg.pd-matrix rect.pd-matrix-cell[data-class='listed']").count() == 1


@pytest.mark.parametrize("width", [1400, 390])
def test_the_drift_matrix_reads_on_a_desktop_and_on_a_phone(served, browser, tmp_path, width):
    """#23: cells of 16 px or more (the figure scrolls sideways on a phone), every outlet's name
    whole and inside the figure, quotation labels longer than the old 45 characters with the
    whole text in their tooltip, the links kept. Screenshots at 1,400 and 390 px wide."""
    base, doc = served
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base}/harbour-memo/", wait_until="networkidle")
    figure = page.locator(".pd-figure", has=page.locator("svg.pd-matrix")).first
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"matrix-{width}.png"), full_page=False)
    svg = page.locator("svg.pd-matrix").first
    frame = svg.bounding_box()
    cells = page.locator("svg.pd-matrix rect.pd-matrix-cell")
    sizes = [cells.nth(i).bounding_box() for i in range(min(cells.count(), 20))]
    assert sizes and all(b["width"] >= 16 and b["height"] >= 16 for b in sizes), sizes
    outlets = sorted({a["outlet"] for a in doc["articles"] if a["outlet"]})
    names = page.locator("svg.pd-matrix text.pd-matrix-outlet")
    shown = [names.nth(i).text_content() for i in range(names.count())]
    assert sorted(shown) == outlets  # whole names, none cut
    for i in range(names.count()):
        b = names.nth(i).bounding_box()
        assert b["x"] >= frame["x"] - 1 and b["x"] + b["width"] <= frame["x"] + frame["width"] + 1, shown[i]
        assert b["y"] >= frame["y"] - 1, shown[i]
    labels = page.locator("svg.pd-matrix text.pd-matrix-quote")
    texts = [labels.nth(i).evaluate("t => t.firstChild.textContent") for i in range(labels.count())]
    tips = [labels.nth(i).locator("title").text_content() for i in range(labels.count())]
    assert max(len(t) for t in texts) > 45
    assert all(t.rstrip("…") in " ".join(tip.split()) for t, tip in zip(texts, tips))
    assert page.locator("svg.pd-matrix a[href*='quotes/']").count() == labels.count()
    if width == 390:  # the figure is wider than the phone: it scrolls, the page does not
        assert figure.evaluate("f => f.scrollWidth > f.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()


def test_the_speakers_page_shows_who_said_what_and_how_each_outlet_printed_it(served, browser, tmp_path):
    """#34: the story's Speakers page, reached from the story's page and the navigation: every
    speaker of the comparison once (spellings grouped), the most remarks first; a speaker's page
    shows each remark with every outlet's wording in Material's tables, each linking to the
    wording on its quotation's page."""
    from pressdiff.publish.speakers import speaker_key
    from pressdiff.publish.views import KINDS

    base, doc = served
    remarks: dict[str, set[str]] = {}
    for c in doc["clusters"]:
        for name in (c["speaker"], *(v["speaker"] for v in c["variants"])):
            if speaker_key(name):
                remarks.setdefault(speaker_key(name), set()).add(c["id"])
    page, errors = open_page(browser, f"{base}/harbour-memo/", tmp_path, "speakers-story")
    assert page.locator("nav a[href$='speakers/']").count() >= 1  # in the navigation
    page.locator("article a", has_text="Speakers").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/harbour-memo/speakers/")
    page.screenshot(path=str(tmp_path / "speakers.png"), full_page=True)
    rows = page.locator("article .md-typeset__table tbody tr")
    assert rows.count() == len(remarks)
    top = min(remarks, key=lambda k: (-len(remarks[k]), k))
    first = rows.first.locator("td").all_inner_texts()
    assert speaker_key(first[0]) == top and int(first[1]) == len(remarks[top])
    assert page.locator("article .admonition.info").count() == 1  # how speakers are found
    rows.first.locator("a").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(tmp_path / "speaker.png"), full_page=True)
    assert "/harbour-memo/speakers/" in page.url and "#" in page.url
    slug = page.url.split("#", 1)[1]
    heading = page.locator(f"article h2[id='{slug}']")
    assert heading.is_visible() and speaker_key(heading.inner_text().rstrip("¶")) == top
    # the speaker's remarks: the headings after theirs, up to the next speaker's
    ids = page.evaluate("[...document.querySelectorAll('article h2, article h3')].map(h => [h.tagName, h.id])")
    at = ids.index(["H2", slug])
    mine = [i for tag, i in ids[at + 1:next((k for k in range(at + 1, len(ids)) if ids[k][0] == "H2"), len(ids))]]
    assert sorted(i.removeprefix(slug + "-") for i in mine) == sorted(remarks[top])
    by_id = {c["id"]: c for c in doc["clusters"]}
    outlets = {a["id"]: a["outlet"] for a in doc["articles"]}
    for i in mine:
        c = by_id[i.removeprefix(slug + "-")]
        table = page.locator(f"article h3[id='{i}'] ~ .md-typeset__scrollwrap .md-typeset__table").first
        cells = [r.locator("td").all_inner_texts() for r in table.locator("tbody tr").all()]
        assert [r[0] for r in cells] == [outlets[v["article"]] for v in c["variants"]]
        assert [r[1] for r in cells] == [v["relation"] for v in c["variants"]]
        assert [r[3] for r in cells] == [KINDS[v["attribution"]["kind"]][0] if v.get("attribution") else
                                         "quoted" if v["quoted"] else "unquoted" for v in c["variants"]]
    assert page.locator("article .admonition.quote").count() >= len(remarks[top])
    link = page.locator(f"article h3[id='{mine[0]}'] ~ .md-typeset__scrollwrap tbody tr td:last-child a").nth(1)
    link.click()
    page.wait_for_load_state("networkidle")
    assert "/harbour-memo/quotes/q" in page.url and "#a" in page.url
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").count() == 1 and page.locator(f"[id='{anchor}']").is_visible()
    assert errors == []
    assert all((tmp_path / f"{n}.png").stat().st_size > 10_000 for n in ("speakers", "speaker"))


def test_a_quotation_page_says_who_said_it_with_source_and_cue_marked(served, browser, tmp_path):
    """#34: each wording the comparison attributes says who said it and in which outlet, with the
    source and the cue as printed, marked in the wording's context."""
    base, doc = served
    outlets = {a["id"]: a["outlet"] for a in doc["articles"]}
    c = next(c for c in doc["clusters"] if len(c["variants"]) > 1
             and any((v.get("attribution") or {}).get("source") for v in c["variants"]))
    page, errors = open_page(browser, f"{base}/harbour-memo/quotes/{c['id']}/", tmp_path, "who-said-it")
    for v in c["variants"]:
        a = v.get("attribution")
        section = page.locator(f"[id='{v['article']}-{v['start']}'] ~ p.pd-said").first
        if not a or not (a.get("source") or a.get("cue")):
            continue
        said = section.inner_text()
        assert outlets[v["article"]] in said and (a.get("speaker") or v["speaker"] or "not named") in said
        context = page.locator(f"[id='{v['article']}-{v['start']}'] ~ p.pd-context").first
        for role in ("source", "cue"):
            if a.get(role):
                assert context.locator(f"mark.pd-{role}").first.inner_text() == a[role]["text"]
                assert section.locator(f"mark.pd-{role}").first.inner_text() == a[role]["text"]
        colour = context.locator("mark.pd-source, mark.pd-cue").first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # styled by pressdiff.css
    assert page.locator("p.pd-said").count() >= 1
    assert errors == []
