"""The Look-up page (lookup/) in a real headless Chromium: over HTTP and from disk, by keyboard,
against `pressdiff cite`'s answers, with hostile and hopeless queries."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from pressdiff.cli import main
from pressdiff.compare.cite import bibtex, csl_item, normalize, score
from pressdiff.core.store import Store
from pressdiff.lookup import citation_item, cite, formatted
from pressdiff.publish.lookup_index import fnv1a, varints

from .loopback import Site
from .test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.slow
STORY = "harbour-memo"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def demo(demo_build):
    data, doc, _ = demo_build
    with Site() as server:
        server.serve_directory(data / "public")
        yield data, doc, server.base


def open_lookup(browser, url, width=1280):
    """A page whose own errors are collected: the Look-up page's, not Material's own on file://
    (its search worker and sitemap requests, which Chromium refuses there)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)) if "search_index" not in str(e) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "lookup" in m.text else None)
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "file://", "data:"))
            else errors.append(f"request off the machine: {r.url}"))
    page.goto(url)
    return page, errors


def answer(page, count=1):
    page.wait_for_selector(f"html[data-lookup-done='{count}']", timeout=20000)
    return page.evaluate("pressdiffLookup.last.result")


def cli_top(data, query, story=None):
    with Store(data) as store:
        matches = cite(store, query, [story] if story else None)["matches"]
    return matches[0] if matches else None


PRINTED = """els => els.map(e => { const c = e.cloneNode(true); c.querySelectorAll('del').forEach(d => d.remove());
                                 return c.textContent; })"""  # a wording as its outlet printed it: marked drops out


def garbled(text: str, rnd: random.Random) -> str:
    """A remembered version: a word dropped, one misspelt (a letter doubled), lower case, no punctuation."""
    words = normalize(text).split()
    words = words[:14]
    del words[rnd.randrange(1, len(words) - 1)]
    long = [i for i, w in enumerate(words) if len(w) > 5]
    if long:
        i = rnd.choice(long)
        words[i] = words[i][:3] + words[i][2] + words[i][3:]
    return " ".join(words)


def test_typed_query_by_keyboard_over_http_answers_as_cite(demo, browser):
    data, doc, base = demo
    cluster = next(c for c in doc["clusters"] if "careful here" in c["canonical"])
    query = garbled(cluster["canonical"], random.Random(1))
    page, errors = open_lookup(browser, f"{base}/{STORY}/lookup/")
    for _ in range(60):  # keyboard only: Tab until the query box has the focus
        if page.evaluate("document.activeElement && document.activeElement.id") == "pd-lookup-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pd-lookup-q"
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    result = answer(page)
    top = cli_top(data, query, STORY)
    assert result["matches"][0]["cluster"] == top["cluster"] == cluster["id"]
    assert result["matches"][0]["score"] == top["score"]
    assert page.get_attribute("#pd-lookup-status", "aria-live") == "polite"
    assert page.evaluate("typeof mermaid") == "undefined"  # lookup_hooks: no diagrams, no 3 MB of Mermaid
    status = page.inner_text("#pd-lookup-status")
    assert status.startswith("1 match") or "matches" in status
    assert "first carried by The Calloway Lantern" in status
    assert "?q=" in page.url  # the address, with the query, can be shared
    first = page.locator(".pd-lookup-match").first
    assert "First carried by" in first.inner_text() and "speaker: the memo" in first.inner_text()
    # every outlet's wording, as the comparison has it, with its changes named
    shown = first.locator(".pd-lookup-variants blockquote").evaluate_all(PRINTED)
    assert shown == [v["text"] for v in cluster["variants"]]
    tags = first.locator(".pd-lookup-variants li").nth(2).locator(".pd-tag").all_inner_texts()
    assert tags == (cluster["variants"][2]["changes"] or [cluster["variants"][2]["relation"]])
    assert first.locator("ins, del").count() >= 1  # the changes are marked in the words
    # Cite this, opened and copied by keyboard
    first.locator("summary", has_text="Cite this").focus()
    page.keyboard.press("Enter")
    codes = first.locator(".pd-lookup-code").all_inner_texts()
    assert len(codes) == 3 and first.locator("button.pd-lookup-copy").count() == 3
    with Store(data) as store:
        match = cite(store, query, [STORY])["matches"][0]
    item = citation_item(match)
    assert codes[1] == bibtex(item)  # the same BibTeX as `pressdiff cite --format bibtex`
    assert json.loads(codes[2]) == [item]  # and CSL-JSON
    f = match["first"]  # plain text: the first carrier's APA reference, as its article page gives it
    assert codes[0] == formatted(csl_item(key="", title=f["title"], outlet=f["outlet"], author=f["author"],
                                          published=f["published"], url=f["url"], archive=f["archive"]), "apa")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    first.locator("button.pd-lookup-copy").nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('button.pd-lookup-copy')[1].textContent.startsWith('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == bibtex(item)
    assert errors == []
    page.close()


def test_address_query_from_disk_answers_and_links_to_files(demo, browser):
    data, doc, _ = demo
    cluster = next(c for c in doc["clusters"] if "handful" in c["canonical"])
    query = garbled(cluster["canonical"], random.Random(2))
    path = data / "public" / STORY / "lookup" / "index.html"
    page, errors = open_lookup(browser, f"{path.as_uri()}?q={quote(query)}")
    result = answer(page)
    assert result["matches"][0]["cluster"] == cli_top(data, query, STORY)["cluster"] == cluster["id"]
    assert page.input_value("#pd-lookup-q") == query  # the query, read from the address, is in the box
    link = page.locator(".pd-lookup-links a", has_text="Quotation page").first.get_attribute("href")
    assert link.endswith("index.html") and (path.parent / link).resolve().is_file()  # opens from disk
    archived = page.locator(".pd-lookup-links a", has_text="Archived capture").first.get_attribute("href")
    assert (path.parent / archived.split("#")[0]).resolve().is_file()
    assert "urn:uuid:" in page.inner_text(".pd-lookup-archive")
    assert errors == []
    page.close()


def test_home_site_looks_up_every_story(demo, browser):
    data, doc, base = demo
    cluster = doc["clusters"][0]
    query = garbled(cluster["canonical"], random.Random(3))
    page, errors = open_lookup(browser, f"{base}/lookup/?q={quote(query)}")
    result = answer(page)
    assert result["matches"][0]["cluster"] == cli_top(data, query)["cluster"]
    href = page.locator(".pd-lookup-links a", has_text="Quotation page").first.get_attribute("href")
    assert href.startswith(f"../{STORY}/")
    page.click(".pd-lookup-links a >> text=Quotation page")
    page.wait_for_load_state()
    assert f"/{STORY}/" in page.url and page.locator("blockquote").count() >= 1
    assert errors == []
    page.close()


@pytest.fixture(scope="module")
def two_stories(two_story_build):
    """The demo workspace and test_site's invented second story, one site."""
    data = two_story_build
    with Site() as server:
        server.serve_directory(data / "public")
        yield data, server.base


def test_home_site_of_two_stories_ranks_them_together_as_cite(two_stories, browser):
    data, base = two_stories
    queries = ["no keeper may speak to the press about flood gates", "we must be careful here every colleague follows",
               "this gag is unprecedented in forty years"]
    page, errors = open_lookup(browser, f"{base}/lookup/")
    page.wait_for_function("window.pressdiffLookup && pressdiffLookup.ready")
    got = page.evaluate("""qs => pressdiffLookup.ready.then(ix => Promise.all(qs.map(q =>
        pressdiffLookup.search(ix, q).then(r => r.matches.map(m => [m.story, m.cluster, m.score])))))""", queries)
    with Store(data) as store:
        expected = [[[m["story"], m["cluster"], m["score"]] for m in cite(store, q)["matches"]] for q in queries]
    assert got == expected
    assert {m[0] for ms in got for m in ms} == {"locks", STORY}
    assert errors == []
    page.close()


def test_a_query_that_matches_nothing_says_so(demo, browser):
    _, _, base = demo
    page, errors = open_lookup(browser, f"{base}/{STORY}/lookup/?q={quote('zebra quantum marmalade xylophone')}")
    result = answer(page)
    assert result["matches"] == []
    assert page.inner_text("#pd-lookup-status").startswith("No match")
    assert page.locator(".pd-lookup-match").count() == 0
    assert errors == []
    page.close()


HOSTILE = ('<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> we must be careful here '
           '"><svg onload=window.pwned=3> every colleague follows')


def test_hostile_and_overlong_queries_stay_text(demo, browser):
    data, _, base = demo
    page, errors = open_lookup(browser, f"{base}/{STORY}/lookup/?q={quote(HOSTILE)}")
    result = answer(page)
    expected = cli_top(data, HOSTILE, STORY)
    assert (result["matches"][0]["cluster"] if result["matches"] else None) == (expected and expected["cluster"])
    assert page.evaluate("window.pwned") is None
    assert page.locator("#pd-lookup-results img, #pd-lookup-results svg, #pd-lookup-status img").count() == 0
    assert "<img src=x" in page.inner_text("#pd-lookup-status")  # shown as the characters typed
    # 5,000 characters: cite's limit is said, as the command line says it, and nothing runs
    long = ("<script>window.pwned=4</script> careful colleague " * 100)[:4999] + "!"
    page.fill("#pd-lookup-q", long)
    page.press("#pd-lookup-q", "Enter")
    answer(page, 2)
    assert page.inner_text("#pd-lookup-status") == "The query is 5000 characters long; give at most 2000."
    assert page.evaluate("window.pwned") is None
    page.goto(f"{base}/{STORY}/lookup/?q={quote(long)}")
    answer(page)
    assert "5000 characters" in page.inner_text("#pd-lookup-status")
    assert page.evaluate("window.pwned") is None
    assert errors == []
    page.close()


def test_phone_width_fits_without_sideways_scrolling(demo, browser):
    data, doc, base = demo
    query = garbled(doc["clusters"][0]["canonical"], random.Random(4))
    page, errors = open_lookup(browser, f"{base}/{STORY}/lookup/?q={quote(query)}", width=360)
    answer(page)
    page.locator("summary", has_text="Cite this").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    page.close()


def test_search_box_offers_the_lookup_for_a_long_query(demo, browser):
    _, _, base = demo
    page, errors = open_lookup(browser, f"{base}/{STORY}/")
    page.click(".md-search__input", timeout=5000)
    page.keyboard.type("colleague", delay=10)
    assert page.locator("#pd-lookup-offer:visible").count() == 0  # one word: keyword search is right
    page.keyboard.type(" follows this guidance which reflects", delay=10)
    offer = page.locator("#pd-lookup-offer a")
    offer.wait_for(state="visible", timeout=5000)
    assert offer.inner_text() == "Look up a quotation"
    offer.click()
    page.wait_for_selector("html[data-lookup-done]", timeout=20000)
    assert page.url.startswith(f"{base}/{STORY}/lookup/?q=")
    assert page.input_value("#pd-lookup-q") == "colleague follows this guidance which reflects"
    assert errors == []
    page.close()


def test_browser_normalises_and_scores_as_python(demo, browser):
    """Every wording of the demo and awkward invented words: the page's normalize and score are cite's.
    (The page knows the American spellings whose British form some wording holds: of a query's other
    words, no wording holds either spelling.)"""
    _, doc, base = demo
    page, _ = open_lookup(browser, f"{base}/{STORY}/lookup/")
    page.wait_for_function("window.pressdiffLookup && pressdiffLookup.ready")
    page.evaluate("pressdiffLookup.ready.then(() => 1)")
    texts = [v["text"] for c in doc["clusters"] for v in c["variants"]]
    texts += ["Ça m’a coûté 1½ euros — naïve café", "STRASSE Straße ΣΟΦΟΣ", "we organized the programme, analyzing it",
              "she’s realizing, they'd analyze", "snake_case and numbers 2017-03-13", "seize the prize; capsized"]
    got = page.evaluate("ts => ts.map(t => pressdiffLookup.normalize(t))", texts)
    assert got == [normalize(t) for t in texts]
    words = sorted({w for t in got for w in t.split()})  # parts are found by the same hash of a word
    assert page.evaluate("ws => ws.map(w => pressdiffLookup.fnv1a(w))", words) == [fnv1a(w) for w in words]
    numbers = [0, 31, 32, 1023, 1024, 2**31 + 5, 10**12]
    assert page.evaluate("s => pressdiffLookup.varints(s)", varints(numbers)) == numbers
    rnd = random.Random(5)
    pairs = [(normalize(garbled(a, rnd)), normalize(b)) for a in texts[:20] for b in rnd.sample(texts, 4)]
    pairs += [(normalize(a), normalize(b)) for a, b in zip(texts, texts[1:])]
    scores = page.evaluate("ps => ps.map(p => pressdiffLookup.score(p[0], p[1]))", pairs)
    for (q, t), s in zip(pairs, scores):
        assert s == pytest.approx(score(q, t), abs=1e-6), (q, t)
    page.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """bench/cite.py's generated archive at 300 articles (900 clusters), its site built."""
    from bench.cite import build, query_for

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    data = tmp_path_factory.mktemp("generated") / "ws"
    rnd = random.Random(11)
    with Store(data) as store:
        clusters, _ = build(store, 300, rnd)
    queries = [query_for(c, rnd) for c in rnd.sample(clusters, 40)]
    result = CliRunner().invoke(main, ["site", "--data", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return data, queries


def test_lookup_top_answer_is_cites_on_generated_queries(generated, browser):
    data, queries = generated
    page, errors = open_lookup(browser, (data / "public" / "bench-cite" / "lookup" / "index.html").as_uri())
    page.wait_for_function("window.pressdiffLookup && pressdiffLookup.ready")
    tops = page.evaluate("""qs => pressdiffLookup.ready.then(ix => Promise.all(qs.map(q =>
        pressdiffLookup.search(ix, q).then(r => r.matches.length ? [r.matches[0].cluster, r.matches[0].score] : null))))""",
                         queries)
    with Store(data) as store:
        expected = [[m[0]["cluster"], m[0]["score"]] if m else None
                    for m in (cite(store, q)["matches"] for q in queries)]
    assert tops == expected
    assert errors == []
    page.close()


def test_story_without_dates_makes_no_first_claim(tmp_path, browser):
    records = [{"url": f"https://undated{i}.example/news", "outlet": f"Undated {i}", "title": f"Ferry staff {i}",
                "text": 'The memo said: "No member of staff may comment on the ferry contract without written '
                        f'approval from the press office." Reporter {i} added context.'} for i in range(3)]
    src = tmp_path / "undated.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    story = tmp_path / "undated.toml"
    story.write_text('slug = "undated"\ntitle = "Undated coverage"\n', "utf-8")
    data = tmp_path / "ws"
    runner = CliRunner()
    for args in (["import", str(src), "--story", str(story)], ["compare", "undated"], ["site"]):
        result = runner.invoke(main, [*args, "--data", str(data)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    query = "no member of staff may comment on the ferry contract without approval"
    path = data / "public" / "undated" / "lookup" / "index.html"
    page, errors = open_lookup(browser, f"{path.as_uri()}?q={quote(query)}")
    result = answer(page)
    assert result["matches"][0]["cluster"] == cli_top(data, query)["cluster"]
    text = page.inner_text("#pd-lookup-results") + page.inner_text("#pd-lookup-status")
    assert "first carried" not in text.lower() and "earliest" not in text.lower()
    assert "Order unknown (no dates order the articles); listed first: Undated" in text
    assert "date unknown" in text
    assert errors == []
    page.close()


@pytest.fixture(scope="module")
def founding(founding_build):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    data = founding_build
    with Store(data) as store:
        doc = store.findings.comparison("home-office-trump")
    return data, doc


def test_founding_story_garbled_email_phrase_finds_the_register_first(founding, browser):
    data, doc = founding
    outlet = {a["id"]: a["outlet"] for a in doc["articles"]}
    others = {"RT", "International Business Times UK", "Operation Black Vote"}
    # the leaked email's sentences: The Register carries them first and the three others copy them
    email = [c for c in doc["clusters"] if outlet[c["origin"]] == "The Register"
             and others <= {outlet[v["article"]] for v in c["variants"]} and len(c["canonical"].split()) >= 10]
    assert email
    cluster = max(email, key=lambda c: (sum(bool(v["changes"]) for v in c["variants"]), c["id"]))
    query = garbled(cluster["canonical"], random.Random(6))
    path = data / "public" / "home-office-trump" / "lookup" / "index.html"
    page, errors = open_lookup(browser, f"{path.as_uri()}?q={quote(query)}")
    result = answer(page)
    top = cli_top(data, query)
    assert result["matches"][0]["cluster"] == top["cluster"] == cluster["id"]
    first = page.locator(".pd-lookup-match").first
    assert "First carried by The Register" in first.inner_text()
    rows = first.locator(".pd-lookup-variants li")
    listed = {}
    for k in range(rows.count()):
        who = rows.nth(k).locator(".pd-lookup-who").inner_text()
        listed[next(o for o in others | {"The Register"} if who.startswith(o))] = rows.nth(k)
    assert others <= set(listed)
    for v in cluster["variants"]:
        row = listed[outlet[v["article"]]]
        assert row.locator("blockquote").evaluate_all(PRINTED) == [v["text"]]
        assert row.locator(".pd-tag").all_inner_texts() == (v["changes"] or [v["relation"]])
    assert errors == []
    page.close()
