"""#37: knowing when extraction returned the wrong block of a page (archive/extract.py right_block),
and what extraction costs as a page grows. Pages written here: behaviour, not accuracy (the
accuracy is bench/extraction.py's, on real pages)."""

from __future__ import annotations

import gzip
import json
import random
import time
from collections import Counter

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from pressdiff.archive import extract as extraction
from pressdiff.archive.extract import _Page, decode_html, extract, right_block, wrong_signs

from .conftest import SHARED
from .test_extraction_layouts import SENTENCES, _page, _paragraphs

URL = "https://example.org/news/harbour-staff"


def _tree(body: str):
    return load_html(_page(body))


def test_a_copyright_line_or_a_bio_is_the_wrong_block_and_the_article_replaces_it():
    tree = _tree(f"<article><div class='body'>{_paragraphs(SENTENCES)}</div></article>"
                 "<aside><p>Jo Reporter is a senior writer who covers ports.</p></aside>")
    for wrong in ("(c) 2026 Example News | powered by WordPress",
                  "Jo Reporter is a senior writer who covers ports and shipping for Example News."):
        assert wrong_signs(wrong, _Page(tree)) >= {"notice"}
        text = right_block(tree, wrong, URL)
        assert all(s in text for s in SENTENCES), text


def test_a_text_with_no_sign_is_kept_and_no_other_candidate_is_extracted(monkeypatch):
    tree = _tree(f"<article><div class='body'>{_paragraphs(SENTENCES)}</div></article>")
    text = "Harbour staff were warned.\n" + "\n".join(SENTENCES)
    monkeypatch.setattr(extraction, "_candidates", lambda *a: pytest.fail("candidates extracted for a sound text"))
    assert wrong_signs(text, _Page(tree)) == set()
    assert right_block(tree, text, URL) is text


def test_the_signs_of_a_wrong_block():
    links = "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(12))
    tree = _tree(f"<nav><ul>{links}</ul></nav><div class='body'>{_paragraphs(SENTENCES)}</div>")
    page = _Page(tree)
    assert "links" in wrong_signs("\n".join(f"Section number {i} of the site" for i in range(12)), page)
    layout = f"|  |  | Example News | {SENTENCES[0]} {SENTENCES[1]} |\n|  | Home | News |"
    assert "table" in wrong_signs(layout, page)  # an old layout's table: prose in a cell
    assert "table" not in wrong_signs("| Crossing | Sailings |\n| Morning ferry from the quay | 31 |", page)
    assert "numbers" in wrong_signs("Results 12 4 31 9 2026 31 2 7 harbour 14", page)
    assert "short" in wrong_signs(SENTENCES[0], page)  # a twelfth of the page's prose
    assert "off title" in wrong_signs("Weather on the coast will be fine and dry until the weekend arrives.", page)
    # lines that are not prose, added to the article, make it long; the article alone is not
    assert "long" in wrong_signs("\n".join(SENTENCES + [f"- Teaser {i} for another story here" for i in range(60)]), page)
    assert "long" not in wrong_signs("\n".join(SENTENCES), page)


def test_a_comment_thread_is_not_the_page_largest_block_of_prose():
    comments = "".join(f"<p>{s} I agree with this.</p>" for s in SENTENCES * 3)
    tree = _tree(f"<div class='body'>{_paragraphs(SENTENCES[:4])}</div><div id='comments'>{comments}</div>")
    assert _Page(tree).prose[0] == sum(len(s.split()) for s in SENTENCES[:4])


def _nested_tables(size: int) -> str:
    cell = ("<table><tr><td>" * 8 + "<p>The harbour authority said on Monday that ferry sailings would resume.</p>"
            "<a href='/x'>Related story</a>" + "</td></tr></table>" * 8)
    return ("<html><head><title>Harbour ferries resume after the storm</title></head><body>"
            + cell * (size // len(cell)) + "</body></html>")


def _best_time(page: str, runs: int = 2) -> float:
    spent = []
    for _ in range(runs):  # the best of a few: a busy moment of the machine is not the page's cost
        start = time.perf_counter()
        extract(page, url=URL)
        spent.append(time.perf_counter() - start)
    return min(spent)


def test_the_cost_of_a_page_grows_with_its_size_never_faster():
    # five times the page, at most twice five times the time (a quadratic step would take 25 times)
    small, large = _best_time(_nested_tables(10_000)), _best_time(_nested_tables(50_000))
    assert large < 10 * small, (small, large)


def test_a_5_mb_page_of_nested_tables_is_read_only_up_to_the_cap():
    # what the cut costs is the next test's (the whole extraction against a tenth of the page);
    # a bare clock against the parse's time failed a CI run on a busy machine (0.27 s against 0.16 s)
    tree = load_html(_nested_tables(5_000_000))
    assert sum(1 for _ in tree.iter()) > 10 * extraction.MAX_ELEMENTS
    extraction._cap(tree)
    assert sum(1 for _ in tree.iter()) == extraction.MAX_ELEMENTS
    assert "ferry sailings would resume" in tree.findtext(".//p")


def test_the_extraction_of_a_5_mb_page_of_nested_tables_costs_at_most_linearly_more_than_a_tenth_of_it():
    # ten times the page, at most twice ten times the time (a quadratic step would take a hundred
    # times); both are past the cap, so what grows is reading the page, which is linear
    tenth, whole = _best_time(_nested_tables(500_000)), _best_time(_nested_tables(5_000_000), runs=1)
    assert whole < 20 * tenth, (tenth, whole)


def test_an_article_before_the_cap_is_extracted_whatever_follows_it(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_ELEMENTS", 300)
    links = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(2000))
    found = extract(_page(f"<article>{_paragraphs(SENTENCES)}</article><ul>{links}</ul>"), url=URL)
    assert all(s in found.text for s in SENTENCES) and "Section 1999" not in found.text


def test_prose_between_line_breaks_is_a_block_of_prose_and_a_fragment_of_it_is_short():
    runs = "<br><br>".join(f"<span>{s}</span>" if i % 2 else s for i, s in enumerate(SENTENCES))
    tree = _tree(f"<div class='post'>{runs}</div><div class='side'>Weather<br>Sport</div>")
    page = _Page(tree)
    assert page.prose[0] == sum(len(s.split()) for s in SENTENCES)  # inline elements' words count too
    assert "short" in wrong_signs(SENTENCES[0], page)
    assert "short" not in wrong_signs("\n".join(SENTENCES), page)


def test_an_empty_candidate_never_replaces_a_text(monkeypatch):
    tree = _tree(f"<article><div class='body'>{_paragraphs(SENTENCES)}</div></article>")
    wrong = "(c) 2026 Example News | powered by WordPress"
    monkeypatch.setattr(extraction, "_candidates", lambda *a: iter(["", " \n "]))
    assert right_block(tree, wrong, URL) == wrong  # its signs are many, but nothing is not the article


def test_the_metadata_read_once_is_what_trafilatura_finds_on_real_pages():
    # extraction reads a page's metadata once, without the categories, tags and licence it does not
    # keep: the fields it keeps are trafilatura's own on trafilatura's 24 real news pages
    base = SHARED / "data" / "extraction" / "trafilatura"
    if not (base / "evaldata-news-subset.json").is_file():
        pytest.skip(f"trafilatura's pages are not under {base}")
    fields = ("title", "author", "date", "sitename", "description", "language")
    found = 0
    for url, page in json.loads((base / "evaldata-news-subset.json").read_text("utf-8")).items():
        html, _ = decode_html((base / "html" / page["file"]).read_bytes())
        ours = extraction._metadata(load_html(html), url)
        theirs = extract_metadata(load_html(html), url, extraction._extractor(True).date_params)
        assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields], url
        found += bool(ours.author) + bool(ours.date)
    assert found > 24  # the pages have bylines and dates to find


def test_of_candidates_with_as_many_signs_the_one_the_others_agree_with_is_kept(monkeypatch):
    # an article laid out in three blocks of prose between line breaks: every whole text of it is
    # "long" against the largest block, so the sign is the page's, not the text's
    blocks = "".join(f"<div class='part'>{a}<br><br>{b}</div>" for a, b in zip(SENTENCES[::2], SENTENCES[1::2]))
    tree = _tree(blocks)
    page = _Page(tree)
    part, whole = "\n".join(SENTENCES[:4]), "\n".join(SENTENCES)
    assert wrong_signs(part, page) == wrong_signs(whole, page) == {"long"}
    # readability's block and the recall mode's (with a line more) agree with each other, and the
    # text is a part of both: the fuller block wins, where the old rule kept the text
    monkeypatch.setattr(extraction, "_candidates", lambda *a: iter([whole, whole + "\nShare this story"]))
    assert right_block(tree, part, URL) == whole
    # the text holds one candidate and shares little with the other: the candidates agree with it
    # more than with each other, and the text is kept
    other = "\n".join(s.replace("harbour", "city") for s in SENTENCES[4:]) + "\nMore from the city desk"
    assert wrong_signs(other, page) == {"long"}
    monkeypatch.setattr(extraction, "_candidates", lambda *a: iter([part, other]))
    assert right_block(tree, whole, URL) == whole


def _dragnet_page(page_id: str) -> dict:
    path = SHARED / "data" / "extraction" / "dragnet" / "pages.jsonl.gz"
    if not path.is_file():
        pytest.skip(f"the Dragnet pages are not under {path.parent}")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return next(row for line in lines if (row := json.loads(line))["id"] == page_id)


def _shingle_recall(text: str, gold: str) -> float:
    """The share of the gold's 4-word shingles a text holds (bench/extraction.py's recall)."""
    found, wanted = extraction.shingles(text), extraction.shingles(gold)
    return (found & wanted).total() / wanted.total()


def test_a_sign_every_extractor_shows_on_a_real_page_keeps_the_block_they_agree_on():
    # Dragnet's R257 (development half): an article in several blocks of prose, so pressdiff's text
    # (a part of it), readability's block and trafilatura's recall mode all show "long"; the latter
    # two agree, and their block holds the whole article, where the text held about half of it
    row = _dragnet_page("dragnet/R257")
    tree = load_html(row["html"])
    found = extract(row["html"])
    assert _shingle_recall(found.text, row["gold"]) > 0.95
    assert {"long"} <= wrong_signs(found.text, _Page(tree))


def test_a_blog_comment_thread_kept_in_the_text_ends_it_at_its_heading():
    article = [SENTENCES[0], SENTENCES[1], "Posted by Jo Reporter on March 20, 2007 | Permalink"]
    thread = ["Comments", "This is exactly what happened at our port too.", "Posted by: atmos | Mar 20, 2007 10:19:46 PM",
              "Thanks for writing it up.", "Posted by: Jon at March 20, 2007 11:21 PM"]
    assert extraction.without_comment_thread("\n".join(article + thread)) == "\n".join(article)


def test_a_comments_heading_without_signed_comments_after_it_is_kept():
    # the article's own signature before the heading, and one signed line after it, are not a thread
    text = "\n".join([SENTENCES[0], "Posted by Jo Reporter on March 20, 2007", "Comments", SENTENCES[1],
                      "Posted by: atmos | Mar 20, 2007 10:19:46 PM"])
    assert extraction.without_comment_thread(text) == text
    assert extraction.without_comment_thread("Comments\n" + text) == "Comments\n" + text  # a first line is no heading


def test_a_thread_without_heading_ends_the_text_at_the_post_own_signature():
    article = [SENTENCES[0], SENTENCES[1], "Posted by Jo Reporter on March 20, 2007 | Permalink"]
    thread = ["This is exactly what happened at our port too.", "Posted by: atmos | Mar 20, 2007 10:19:46 PM",
              "Thanks for writing it up.", "Posted by: Jon | Mar 20, 2007 11:21:02 PM"]
    assert extraction.without_comment_thread("\n".join(article + thread)) == "\n".join(article)


def test_signatures_of_one_writer_or_a_byline_on_top_are_not_a_thread():
    # a live blog's updates, each signed by its writer; and a post whose byline opens it
    updates = [SENTENCES[0], SENTENCES[1], "Posted by Jo Reporter at 10:02 AM, March 20", SENTENCES[2],
               "Posted by Jo Reporter at 11:15 AM, March 20", SENTENCES[3], "Posted by Jo Reporter at 12:40 PM, March 20"]
    assert extraction.without_comment_thread("\n".join(updates)) == "\n".join(updates)
    bylined = ["Harbour staff warned", "Posted by Jo Reporter on March 20, 2007", SENTENCES[0], "Great post.",
               "Posted by: atmos | Mar 20, 2007 10:19:46 PM", "Agreed.", "Posted by: Jon | Mar 20, 2007 11:21:02 PM"]
    assert extraction.without_comment_thread("\n".join(bylined)) == "\n".join(bylined)


def test_a_blog_page_whose_comment_thread_trafilatura_keeps_is_extracted_without_it():
    thread = ("<h3>Comments</h3><p>This is exactly what happened at our port too, and nobody told the crews until "
              "the week after.</p><p class='posted'>Posted by: atmos | Mar 20, 2007 10:19:46 PM</p><p>Thanks for "
              "writing it up, the union should publish the memo so that passengers can read it as well.</p>"
              "<p class='posted'>Posted by: Jon | Mar 20, 2007 11:21:10 PM</p>")
    text = extract(_page(f"<div class='entry'>{_paragraphs(SENTENCES[:6])}<p class='posted'>Posted by Jo Reporter "
                         f"on March 20, 2007 | <a href='/p'>Permalink</a></p>{thread}</div>"), url=URL).text
    assert SENTENCES[5] in text and "Permalink" in text
    assert "atmos" not in text and "nobody told the crews" not in text


def test_a_candidate_with_the_fewest_signs_is_kept_without_reading_agreement(monkeypatch):
    # agreement only parts texts with as few signs: with one text fewer than the others, no
    # shingles are made and no overlap is measured
    tree = _tree(f"<article><div class='body'>{_paragraphs(SENTENCES)}</div></article>")
    wrong = "(c) 2026 Example News | powered by WordPress"
    monkeypatch.setattr(extraction, "_candidates", lambda *a: iter(["\n".join(SENTENCES), wrong]))
    monkeypatch.setattr(extraction, "shingles", lambda text: pytest.fail("agreement read for a text of the fewest signs"))
    assert right_block(tree, wrong, URL) == "\n".join(SENTENCES)


def test_equal_candidates_are_measured_once(monkeypatch):
    # the recall mode's text is often the text again: its signs, shingles and overlap are not read twice
    blocks = "".join(f"<div class='part'>{a}<br><br>{b}</div>" for a, b in zip(SENTENCES[::2], SENTENCES[1::2]))
    tree = _tree(blocks)
    part, whole = "\n".join(SENTENCES[:4]), "\n".join(SENTENCES)
    read, made, measured = [], [], []
    monkeypatch.setattr(extraction, "wrong_signs", lambda t, page, f=extraction.wrong_signs: read.append(t) or f(t, page))
    monkeypatch.setattr(extraction, "shingles", lambda t, f=extraction.shingles: made.append(t) or f(t))
    monkeypatch.setattr(extraction, "_overlap", lambda a, b, f=extraction._overlap: measured.append(1) or f(a, b))
    monkeypatch.setattr(extraction, "_candidates", lambda *a: iter([whole, part]))
    assert right_block(tree, part, URL) == part  # as many signs; part and whole agree as whole and part do
    assert sorted(read) == sorted([part, whole]) and sorted(made) == sorted([part, whole]) and len(measured) == 1


def test_shingles_and_their_overlap_are_the_benchmark_multisets():
    # the shingles bench/extraction.py scores with (runs of SHINGLE words as a multiset) and Dice's
    # coefficient of two multisets, against their definitions on generated texts
    rng = random.Random(3)
    vocabulary = ["harbour", "staff", "were", "warned", "the", "ferry", "a", "2026", "quay", "é"]
    texts = ["", "one", "one two", "one two three", "one two three four"]
    texts += [" ".join(rng.choice(vocabulary) for _ in range(rng.randrange(60))) for _ in range(200)]
    # runs repeated a different number of times in each of two texts (the overlap reads their counts),
    # and texts of which one repeats a run and the other holds each once (it does not)
    texts += ["the ferry left the quay " * 3 + "staff were warned", "the ferry left the quay " * 2, "staff were warned today",
              "the ferry left the quay " * 4, "one two three four five six"]
    for text in texts:
        words = extraction._WORD.findall(text)
        expected = Counter(tuple(words[i:i + extraction.SHINGLE]) for i in range(max(1, len(words) - extraction.SHINGLE + 1))
                           if words[i:i + extraction.SHINGLE])
        assert extraction.shingles(text) == expected
    for a, b in zip(texts, texts[1:]):
        sa, sb = extraction.shingles(a), extraction.shingles(b)
        total = sa.total() + sb.total()
        assert extraction._overlap(sa, sb) == (2 * (sa & sb).total() / total if total else 0.0) == extraction._overlap(sb, sa)


def test_a_link_list_is_read_until_its_first_item_not_in_the_text(monkeypatch):
    headlines = [f"Harbour story number {i} of the week" for i in range(6)]
    links = "".join(f"<li><a href='/s{i}'>{h}</a></li>" for i, h in enumerate(headlines))
    tree = _tree(f"<div class='body'>{_paragraphs(SENTENCES)}</div><ul>{links}</ul>")
    read = []
    monkeypatch.setattr(extraction, "_headline_link", lambda li, f=extraction._headline_link: read.append(li) or f(li))
    text = "\n".join([*SENTENCES, *(f"- {h}" for h in headlines)])
    assert extraction._headline_lists(tree, text) == "\n".join(SENTENCES)  # all in the text: dropped
    assert len(read) == 6
    read.clear()
    text = "\n".join([*SENTENCES, f"- {headlines[0]}", f"- {headlines[2]}"])
    assert extraction._headline_lists(tree, text) == text  # the second is not: kept, and no more read
    assert len(read) == 2


def test_paragraphs_inside_nested_comment_holders_are_not_prose_and_a_paragraph_named_comment_alone_is():
    # a thread of comments inside comments: none of its paragraphs counts, whatever the nesting;
    # a paragraph whose own class names comments, outside any holder, is prose as before
    thread = "".join(f"<div class='comment'><p>{s} Agreed.</p><div class='comment reply'><p>{s} No.</p>"
                     f"<div class='text'>{s}<br>{s}</div></div></div>" for s in SENTENCES)
    tree = _tree(f"<div class='body'>{_paragraphs(SENTENCES[:3])}<p class='commentary'>{SENTENCES[3]}</p></div>"
                 f"<section id='comments'>{thread}</section>")
    page = _Page(tree)
    assert page.prose[0] == sum(len(s.split()) for s in SENTENCES[:4])
    assert "agreed" not in " ".join(page.prose[1]) and len(page.prose[1]) == 4


def _blog(title: str, banner: str, heading: str, body: str) -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{title}</title></head><body><h1>{banner}</h1><div class='side'><h2>About</h2><p>Harbour "
            f"Notes is a blog about ferries, kept by a crew member since 2004.</p></div><h3>{heading}</h3>"
            f"{body}</body></html>")


def test_a_blog_name_in_the_title_is_not_the_headline():
    # "Harbour Notes: Memo withdrawn" where the banner <h1> links to the blog's home and the rest is
    # the post's heading: the headline's words are the post's alone, so the sidebar that names the
    # blog does not pass the title check and the post, which never names it, is not "off title"
    page = _Page(load_html(_blog("Harbour Notes: Memo withdrawn quietly", "<a href='/'>Harbour Notes</a>",
                                 "Memo withdrawn quietly", _paragraphs(SENTENCES))))
    assert page.title_words == {"memo", "withd", "quiet"}
    assert "off title" in wrong_signs("Harbour Notes is a blog about ferries, kept since 2004.", page)
    # the same <title> with no banner, or a banner whose rest is no heading of the page: the whole <title>
    for banner, heading in (("Harbour Notes", "Memo withdrawn quietly"), ("<a href='/'>Harbour Notes</a>", "Posts")):
        assert _Page(load_html(_blog("Harbour Notes: Memo withdrawn quietly", banner, heading, ""))).title_words == {
            "harbo", "notes", "memo", "withd", "quiet"}


def test_a_headline_linked_to_its_post_is_kept_as_the_headline():
    # an <h1> holding a link to the post itself (WordPress): the <title> without it would be the
    # site's name, which is no heading of the page, so the headline is the whole <title>
    page = _Page(load_html(_blog("Memo withdrawn quietly | Harbour Notes", "<a href='/memo'>Memo withdrawn quietly</a>",
                                 "Comments", "")))
    assert {"memo", "withd", "quiet"} <= page.title_words


def test_a_short_text_opening_with_the_author_name_is_a_bio():
    tree = _tree(f"<article><div class='body'>{_paragraphs(SENTENCES)}</div></article>"
                 "<aside><p>Jo Reporter has covered the port for ten years and lives by the quay.</p></aside>")
    bio = "Jo Reporter has covered the port for ten years and lives by the quay."
    assert "notice" in wrong_signs(bio, _Page(tree, "Jo Reporter; Sam Editor"))
    assert "notice" not in wrong_signs(bio, _Page(tree))  # no author known: a sentence like any other
    assert "notice" not in wrong_signs(SENTENCES[0], _Page(tree, "Harbour Authority"))  # the name, not a bio's verb
    text = right_block(tree, bio, URL, "Jo Reporter")
    assert all(s in text for s in SENTENCES), text


def test_an_author_bio_taken_for_a_real_comic_strip_page_gives_way_to_its_text():
    # Dragnet's R753 (development half): trafilatura's precision mode returns the cartoonist's bio
    # ("N.C. Winters is always drawing. …"), which begins with the author's name as the page's
    # metadata gives it; the recall mode's block holds the post
    row = _dragnet_page("dragnet/R753")
    found = extract(row["html"])
    assert not found.text.startswith("N.C. Winters is always drawing")
    assert _shingle_recall(found.text, row["gold"]) > 0.5


def test_a_sign_free_readability_block_is_kept_without_reading_the_recall_mode(monkeypatch):
    # the text is a bio (a sign); readability's block, the first candidate, shows none: it is kept,
    # and the recall mode's candidate, which may show none either, is never extracted
    tree = _tree(f"<article><div class='body'>{_paragraphs(SENTENCES)}</div></article>")
    article = "\n".join(SENTENCES)
    seen = []

    def candidates(*_):
        for t in (article, article + "\nMore from the harbour desk: ferries, ports and the quay"):
            seen.append(t)
            yield t
    monkeypatch.setattr(extraction, "_candidates", candidates)
    assert right_block(tree, "(c) 2026 Example News | powered by WordPress", URL) == article
    assert seen == [article]
    # a readability block with a sign of its own leaves the choice to the fewest signs, as before
    seen.clear()
    monkeypatch.setattr(extraction, "_candidates", lambda *a: iter(["Weather on the coast stays dry", article]))
    assert right_block(tree, "(c) 2026 Example News | powered by WordPress", URL) == article


def test_a_real_blog_post_whose_readability_block_is_sign_free_is_that_block():
    # Dragnet's 147 (development half): a 29-word post among a long sidebar of book lists; the
    # precision text shows a sign, readability's block (the post) none, and the recall mode's (the
    # sidebar with the post) would have won on agreement
    row = _dragnet_page("dragnet/147")
    found = extract(row["html"])
    assert _shingle_recall(found.text, row["gold"]) > 0.8 and len(found.text.split()) < 60


def test_a_text_under_three_quarters_of_the_largest_prose_block_is_short():
    page = _Page(_tree(f"<div class='body'>{_paragraphs(SENTENCES)}</div>"))
    words = [len(s.split()) for s in SENTENCES]
    # eight of the twelve paragraphs: under three quarters of the block's words (a half was the bound before)
    assert 0.5 * sum(words) < sum(words[:8]) < 0.75 * sum(words) < sum(words[:10])
    assert "short" in wrong_signs("\n".join(SENTENCES[:8]), page)
    assert "short" not in wrong_signs("\n".join(SENTENCES[:10]), page)


def test_a_real_post_whose_text_is_a_part_of_its_prose_takes_the_fuller_block():
    # Dragnet's R978 (development half): the precision mode keeps 37 of the post's 57 words, under
    # three quarters of its largest block of prose; the recall mode's block holds the whole post
    row = _dragnet_page("dragnet/R978")
    assert _shingle_recall(extract(row["html"]).text, row["gold"]) > 0.9


def test_a_real_posts_closing_furniture_is_cut():
    # Dragnet's R277 (development half): a recipe post followed by "Tags: Chicken, …", the site's
    # cookbook promotion and a list of its most viewed posts, none of them in the gold
    row = _dragnet_page("dragnet/R277")
    text = extract(row["html"]).text
    assert "views" not in text and not any(line.startswith("Tags:") for line in text.split("\n\n"))
    assert _shingle_recall(text, row["gold"]) > 0.9


def test_prose_dropped_from_real_posts_containers_is_put_back(monkeypatch):
    # Dragnet's development half, two sites: a Blogger post whose paragraphs in <span>s between
    # <br>s trafilatura drops but for two (T120), and a post whose lede stands in a bare <div>
    # among its <p>s (196): with the rule each text holds all its prose (the gold adds headline and
    # byline), without it under three quarters
    rows = [_dragnet_page(page_id) for page_id in ("dragnet/T120", "dragnet/196")]
    for row in rows:
        assert _shingle_recall(extract(row["html"]).text, row["gold"]) > 0.85, row["id"]
    monkeypatch.setattr(extraction, "dropped_prose", lambda tree, text, title=None, **_: text)
    for row in rows:
        assert _shingle_recall(extract(row["html"]).text, row["gold"]) < 0.75, row["id"]


def _shingle_precision(text: str, gold: str) -> float:
    """The share of a text's 4-word shingles the gold holds (bench/extraction.py's precision)."""
    found, wanted = extraction.shingles(text), extraction.shingles(gold)
    return (found & wanted).total() / found.total()


def test_real_pages_lose_the_furniture_read_after_their_articles_container(monkeypatch):
    # Dragnet's development half, three sites: a Blogger post followed by a text widget of its
    # column (R547), a story followed by a newsletter offer (T41), a post followed by its comments
    # area's note (R632); none of them in the gold, and none in the article's container. T41's offer
    # is also hidden (a <div style="display:none;">), which _HIDDEN removes first: the tail rule alone here
    monkeypatch.setattr(extraction, "_HIDDEN", lambda tree: [])
    rows = [_dragnet_page(page_id) for page_id in ("dragnet/R547", "dragnet/T41", "dragnet/R632")]
    texts = [extract(row["html"]).text for row in rows]
    monkeypatch.setattr(extraction, "without_outside_tail", lambda text, container: text)
    for row, text in zip(rows, texts):
        before = extract(row["html"]).text
        assert before.startswith(text) and len(before) > len(text), row["id"]
        assert _shingle_precision(text, row["gold"]) > _shingle_precision(before, row["gold"]), row["id"]
        assert _shingle_recall(text, row["gold"]) == _shingle_recall(before, row["gold"]), row["id"]


def test_what_a_real_page_hides_from_its_readers_is_not_its_text(monkeypatch):
    # Dragnet's development half, two sites: a Blogger page whose template holds a second copy of
    # the post and its sidebar under "skip to main | skip to sidebar" in a <div style="display:none">
    # (R32), and a gallery whose slides after the first, with their photo credits, are hidden
    # (R513); neither the gold holds
    rows = {row["id"]: row for row in (_dragnet_page("dragnet/R32"), _dragnet_page("dragnet/R513"))}
    texts = {pid: extract(row["html"]).text for pid, row in rows.items()}
    monkeypatch.setattr(extraction, "_HIDDEN", lambda tree: [])
    before = {pid: extract(row["html"]).text for pid, row in rows.items()}
    assert "skip to sidebar" in before["dragnet/R32"] and "skip to sidebar" not in texts["dragnet/R32"]
    assert "(@ckloop/Twitter)" in before["dragnet/R513"] and "(@ckloop/Twitter)" not in texts["dragnet/R513"]
    for pid, row in rows.items():
        assert _shingle_precision(texts[pid], row["gold"]) > _shingle_precision(before[pid], row["gold"]), pid
        assert _shingle_recall(texts[pid], row["gold"]) >= _shingle_recall(before[pid], row["gold"]), pid


def test_a_hidden_element_leaves_the_text_but_not_the_metadata():
    # the words after a hidden element are the sentence's; a hidden byline is still the page's author
    # (the metadata is read before hidden elements are removed)
    body = (f"<article><p class='byline' style='display: none'>By Jo Reporter</p>{_paragraphs(SENTENCES[:3])}"
            "<p style='visibility: hidden'>The harbour guide lists the ferries, the quays and the timetables.</p>"
            f"{_paragraphs(SENTENCES[3:6])}<p>{SENTENCES[6]} <span style='DISPLAY:NONE'>Share on Facebook</span>"
            "and that was all.</p></article>")
    found = extract(_page(body), url=URL)
    assert "Share on Facebook" not in found.text and "harbour guide" not in found.text
    assert f"{SENTENCES[6]} and that was all." in found.text
    assert found.author == "Jo Reporter"


def test_real_pages_lose_an_outside_tail_of_up_to_half_their_words(monkeypatch):
    # Dragnet's development half, three sites, whose furniture after the article's container is 38
    # to 39% of the text (over the 0.3 of rules 13 and 14): a video page's view and comment counters
    # (R859), a comic's bio, comment form and newsletter offer (R753), a post's "You can follow any
    # responses to this entry through the RSS 2.0 feed" (R490); none of it in the gold
    rows = [_dragnet_page(page_id) for page_id in ("dragnet/R859", "dragnet/R753", "dragnet/R490")]
    texts = [extract(row["html"]).text for row in rows]
    share = extraction.OUTSIDE_MAX_SHARE
    monkeypatch.setattr(extraction, "OUTSIDE_MAX_SHARE", 0.3)
    for row, text in zip(rows, texts):
        before = extract(row["html"]).text
        assert before.startswith(text) and len(before) > len(text), row["id"]
        assert 0.3 < 1 - len(text.split()) / len(before.split()) <= share, row["id"]
        assert _shingle_precision(text, row["gold"]) > _shingle_precision(before, row["gold"]), row["id"]
        assert _shingle_recall(text, row["gold"]) == _shingle_recall(before, row["gold"]), row["id"]


def test_the_benchs_candidates_are_read_as_extract_reads_the_page():
    # bench/extraction.py --candidates reads each block the choice could take through the steps
    # extract() takes before and after it (first_reading, after_choice): its "chosen" is extract()'s
    # text, on real pages of three sites (Dragnet's development half: a post, a gallery whose every
    # candidate shows "long", a blog whose candidates tie on two signs each)
    from bench.extraction import CANDIDATES, candidate_texts

    for page_id in ("dragnet/R490", "dragnet/R208", "dragnet/R260"):
        row = _dragnet_page(page_id)
        found = candidate_texts(row["html"], row.get("url"))
        assert found["texts"]["chosen"] == extract(row["html"], url=row.get("url")).text, page_id
        assert set(CANDIDATES) - {"article"} <= set(found["texts"]) and set(found["signs"]) <= set(CANDIDATES)
    assert "long" in found["signs"]["precision"] and "long" in found["signs"]["recall"]  # R260
