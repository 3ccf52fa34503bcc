"""#25: when an outlet's extraction breaks (a layout change), the crawl and the import say so:
"extraction may be broken for OUTLET", never silently. On loopback: real Scrapy, real SQLite."""

from __future__ import annotations

import json

from pressdiff.archive.health import COLLAPSED, MENUS, diagnose
from pressdiff.core.store import Store

from .loopback import PARAGRAPHS, Site, article_html
from .test_crawler import story_file

LONG = [p + " " + p for p in PARAGRAPHS] * 3  # an article of some 400 words


def words(n: int) -> str:
    return " ".join(f"word{i}" for i in range(n))


def test_diagnose_collapse_runs_and_menus():
    earlier = [words(400)] * 6
    assert diagnose(words(380), earlier) is None
    assert diagnose(words(30), earlier) is None  # one short page is news: a brief, a video caption
    assert diagnose(words(30), [words(30), words(25)] + earlier)[0] == COLLAPSED  # a run of them is a layout
    assert diagnose(words(60), earlier, previous=words(400))[0] == COLLAPSED  # the same article lost 85%
    assert diagnose(words(350), earlier, previous=words(400)) is None  # an edit trims
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Contact us"] * 10) + "\n" + words(40)
    assert diagnose(menu, earlier)[0] == MENUS
    assert diagnose(words(30), earlier[:2]) is None  # too few earlier captures to judge


def _broken(title: str) -> str:
    """The same outlet after a redesign: the article moved into markup trafilatura reads as
    navigation, and the page's teaser is all it finds."""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><ul>{''.join(f'<li><a href=/s{i}>Section {i}</a></li>' for i in range(30))}</ul></nav>"
            f"<main><p>Harbour Authority: {title}. Read the full story in our app.</p></main>"
            f"<footer>Copyright 2026 Example News</footer></body></html>")


def test_a_recrawl_after_a_redesign_warns_that_extraction_may_be_broken(cli, tmp_path, workspace):
    with Site() as site:
        urls = [f"{site.base}/news/{i}.html" for i in range(5)]
        for i in range(5):
            site.route(f"/news/{i}.html", body=article_html(f"Harbour memo {i}", paragraphs=LONG))
        story = story_file(tmp_path, urls)
        code, out, err = cli("crawl", story, "--data", workspace)
        assert code == 0 and "5 new versions" in out and "extraction may be broken" not in err, out + err
        for i in range(5):
            site.route(f"/news/{i}.html", body=_broken(f"Harbour memo {i}"))
        code, out, err = cli("crawl", story, "--data", workspace)
    assert code == 0, err
    alerts = [line for line in err.splitlines() if "extraction may be broken for Example News" in line]
    assert len(alerts) == 5 and all(line.startswith("pressdiff: warning: ") for line in alerts), err
    assert "against" in alerts[0] and "previous version" in alerts[0]
    with Store(workspace) as store:
        assert len(store.articles.alerts("faults")) == 5
        assert len(store.articles.versions("faults")) == 10  # stored all the same: nothing is dropped


def test_an_import_of_an_outlets_collapsed_texts_warns(cli, tmp_path, workspace):
    body = "\n\n".join(LONG)
    records = [{"url": f"https://quay.example/{i}", "outlet": "Quay Post", "text": body.replace("memo", f"memo {i}")}
               for i in range(6)]
    records += [{"url": f"https://quay.example/new/{i}", "outlet": "Quay Post",
                 "text": "Subscribe to read the Harbour Authority story."} for i in range(3)]
    src = tmp_path / "dump.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "s.toml").write_text('slug = "quay"\ntitle = "Quay"\n', encoding="utf-8")
    code, out, err = cli("import", src, "--story", tmp_path / "s.toml", "--data", workspace)
    assert code == 0 and "9 imported" in out, out + err
    alerts = [line for line in err.splitlines() if "extraction may be broken for Quay Post" in line]
    assert len(alerts) == 1 and "https://quay.example/new/2" in alerts[0], err  # the third of a run


def test_lines_in_most_of_an_outlet_pages_are_its_template_and_are_dropped():
    from pressdiff.archive.health import TEMPLATE_MIN_PAGES, template_lines, without_template

    story = [f"Story {i}: the harbour board met on day {i} to discuss the ferry contract and its memo." for i in range(6)]
    welcome = "Welcome to the Harbour Gazette, where we bring you the week's shipping news."
    texts = [f"{welcome}\n\n{p}\n\nPost written by Ann Reporter." for p in story[:4]]
    texts.append(f"{story[4]}\n\nPost written by Ann Reporter.")
    template = template_lines(texts)
    assert template == {"welcome to the harbour gazette where we bring you the week s shipping news",
                        "post written by ann reporter"}
    page = f"{welcome}\n\n{story[5]}\n\n{story[0]}\n\nPost written by Ann Reporter!"
    # a paragraph one earlier page also had is the story, not the template
    assert without_template(page, template) == f"{story[5]}\n\n{story[0]}"
    assert template_lines(texts[:TEMPLATE_MIN_PAGES - 1]) == frozenset()  # too few pages to tell


STANDING = "Welcome to the Harbour Gazette, where we bring you the week's shipping news every morning."
QUOTED = "“We will not close the quay,” the harbour master said at every meeting this year."


def test_pages_are_stored_without_their_outlets_template_once_its_pages_show_it(workspace):
    from pressdiff.archive.capture import save_page
    from pressdiff.archive.extract import extract
    from pressdiff.archive.health import TEMPLATE_KEY, TEMPLATE_MIN_PAGES
    from pressdiff.core.story import parse_story

    story = parse_story('slug = "quay"\ntitle = "Quay"\n')
    pages = {}
    for i in range(6):  # each page its own article, with the outlet's standing welcome and a quotation
        paragraphs = [STANDING, *(f"{p} So said note {i}." for p in LONG), QUOTED]
        pages[f"https://quay.example/news/{i}"] = extract(article_html(f"Harbour memo {i}", paragraphs=paragraphs))
    with Store(workspace) as store:
        store.articles.save_story(story)

        def save_all() -> list:
            return [save_page(store, story, url, page, run=None, ingested_by="crawl", found_by="seed",
                              given={"outlet": "Quay Post"}) for url, page in pages.items()]

        assert all(saved.created for saved in save_all())
        versions = store.articles.versions("quay")
        # the first pages stored had too few others to show a template; the later ones lose its line
        assert [STANDING in v.text for v in versions] == [True] * TEMPLATE_MIN_PAGES + [False] * 3
        for v in versions:
            assert QUOTED in v.text  # a quotation is the article's, however often it stands
            assert v.meta.get(TEMPLATE_KEY, [STANDING]) == [STANDING]
            assert "Harbour Authority" in v.text  # the article stays
        # the same pages again: none is rewritten, nor given a new version, whatever the template says now
        assert not any(saved.created for saved in save_all())
        assert len(store.articles.versions("quay")) == 6


def test_the_template_keeps_what_the_previous_version_held_and_never_empties_a_text():
    from pressdiff.archive.health import drop_template, line_key

    template = frozenset({line_key(STANDING), line_key("Post written by Ann Reporter.")})
    text = f"{STANDING}\n\nThe harbour board met on Monday.\n\nPost written by Ann Reporter."
    assert drop_template(text, template) == ("The harbour board met on Monday.",
                                             (STANDING, "Post written by Ann Reporter."))
    assert drop_template(text, template, previous=f"{STANDING}\n\nAn earlier lede.")[0] == (
        f"{STANDING}\n\nThe harbour board met on Monday.")
    assert drop_template(f"{STANDING}\n\nPost written by Ann Reporter.", template) == (
        f"{STANDING}\n\nPost written by Ann Reporter.", ())  # all template: not a text the template can judge
    assert drop_template(text, frozenset()) == (text, ())
