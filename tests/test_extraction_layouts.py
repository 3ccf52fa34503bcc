"""Layouts that cut or hide an article from trafilatura, on pages written here (archive/extract.py):
a body split into containers of one class by promotions, a print header before the article, the
pointer and share lines a page prints between paragraphs, posts embedded from social networks, a
lede left as bare text, boxes of related headlines, tables, the closing furniture after an
article (an author's bio, related posts, tags), prose trafilatura drops from a post's own
container, and the furniture after the article from outside its container."""

from __future__ import annotations

import trafilatura
from trafilatura.utils import load_html

from pressdiff.archive import extract as extraction
from pressdiff.archive.extract import (
    _bare_lede,
    _fuller_article,
    article_container,
    clean_text,
    dropped_prose,
    extract,
    without_closing_furniture,
    without_outside_tail,
)

SENTENCES = [
    "The harbour authority told its ferry staff on Monday that posts about the contractor would be reviewed.",
    "Union officials said the memo had arrived without warning and that members were worried about it.",
    "A spokesperson for the authority said the guidance applied to every account that named the port.",
    "The contractor, Greyline Marine, declined to say whether it had asked for the guidance to be issued.",
    "Councillors on the harbour board said they would ask for the memo to be withdrawn at their next meeting.",
    "Passengers who use the morning crossing said they had noticed fewer sailings since the contract began.",
    "The authority's annual report shows that complaints about the crossing doubled over the last year.",
    "Staff who spoke on condition of anonymity said managers had warned them about a colleague's post.",
    "The memo said that breaches of the guidance could be treated as a matter for disciplinary procedures.",
    "A lawyer for the union said the guidance went further than any social media policy she had seen before.",
    "The authority said it would publish a revised version of the guidance after talks with the union.",
    "Greyline Marine's chief executive is due to appear before the harbour board in the spring to answer questions.",
]


def _paragraphs(items) -> str:
    return "".join(f"<p>{s}</p>" for s in items)


def _page(body: str, head: str = "") -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Harbour staff warned over posts</title>"
            f"<meta property='article:published_time' content='2026-03-02T09:00:00+00:00'>{head}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/news/'>News</a></nav><h1>Harbour staff warned over posts</h1>"
            f"{body}<footer>Copyright 2026 Example News</footer></body></html>")


def _grid(items) -> str:
    """One cell of a body laid out in grids (as Wired's pages are): the text, an ad rail beside it,
    a full-width advertisement and a newsletter form after it."""
    return (f"<div class='grid grid-layout'><div class='grid--item body body__container article__body'>"
            f"{_paragraphs(items)}</div><div class='grid--item aside'><div class='sticky'><div class='ad ad--rail'>"
            "</div><div class='recirc-most-popular'></div></div></div></div><div class='row full-bleed-ad'><div "
            "class='ad ad--mid'><span class='ad-label'>Advertisement</span></div></div><div class='newsletter'><h4>"
            "Get our newsletter</h4><form><input name='email'></form></div>")


def test_a_body_split_by_promotions_is_extracted_whole():
    # trafilatura alone keeps the first cell's five paragraphs
    body = ("<main><article class='article main-content'><header><p class='byline'>By A. Reporter</p></header>"
            f"{_grid(SENTENCES[:5])}{_grid(SENTENCES[5:9])}{_grid(SENTENCES[9:])}</article></main>")
    text = extract(_page(body)).text
    assert all(s in text for s in SENTENCES), text
    assert text.index(SENTENCES[5]) < text.index(SENTENCES[9]) and "newsletter" not in text


def test_a_few_short_paragraphs_in_same_class_containers_are_not_the_body():
    # the second container of the class is a footer of short lines: not the rest of the article
    body = (f"<div class='text'>{_paragraphs(SENTENCES)}</div><aside>"
            "<div class='text'><p>Example News, 1 Quay Street.</p><p>Call us on 0100 000 000.</p></div></aside>")
    text = extract(_page(body)).text
    assert all(s in text for s in SENTENCES) and "Quay Street" not in text


def test_a_text_far_shorter_than_the_article_element_is_replaced_by_it():
    notice = "This copy is for your personal, non-commercial use only. To order copies visit our reprints desk."
    page = _page(f"<div class='print-header'><p>{notice}</p></div><article class='article'>"
                 f"<div class='article__body'>{_paragraphs(SENTENCES)}</div></article>")
    tree = load_html(page)
    text = _fuller_article(tree, notice, "https://example.org/a")  # what trafilatura took, on Barron's pages
    assert all(s in text for s in SENTENCES) and "non-commercial" not in text
    whole = "\n".join(SENTENCES[:6])  # half the article's words: not far shorter, kept as it is
    assert _fuller_article(tree, whole, "https://example.org/a") == whole


def test_pointer_teaser_and_prompt_lines_are_dropped():
    text, _, _ = clean_text(
        "Three staff were suspended on Monday.\nAlso on example.com Ferry fares to rise again\n"
        "Ferry passengers stranded after HARBOUR CHAOS on the quayside [PICTURES]\n"
        "The union said it would appeal against the \"gagging order [ON STAFF]\" and the memo.\n"
        "Accounts must not criticise [US President] Donald Trump, the memo said, or the contractor [GREYLINE]\n"
        "Harbour Daily Newsletter\n"
        "There's more where that came from. Sign up for the Harbour Daily to get our newsletter in your inbox.\n"
        "Like this story? Share it with a friend!")
    assert text.split("\n\n") == [
        "Three staff were suspended on Monday.",
        "The union said it would appeal against the \"gagging order [ON STAFF]\" and the memo.",
        "Accounts must not criticise [US President] Donald Trump, the memo said, or the contractor [GREYLINE]"]


def _tweet(text: str, who: str = "Harbour Union (@harbourunion)") -> str:
    """A post as Twitter's embed code prints it, in the widget a CMS wraps it in."""
    return (f"<div class='article-widget article-tweet'><div class='widget__inner'><blockquote class='twitter-tweet'>"
            f"<p lang='en' dir='ltr'>{text} <a href='https://t.co/x1'>pic.twitter.com/x1</a></p>&mdash; {who} "
            "<a href='https://twitter.com/harbourunion/status/1'>March 2, 2026</a></blockquote>"
            "<script async src='https://platform.twitter.com/widgets.js'></script></div></div>")


def test_an_embedded_post_is_kept_where_it_stands():
    post = "We will not be gagged by a memo from the harbour board.<br>Our members have a right to speak about their work"
    body = (f"<article><div class='body'>{_paragraphs(SENTENCES[:4])}{_tweet(post)}{_paragraphs(SENTENCES[4:])}"
            "</div></article><aside>" + _paragraphs(["Most read this week on Example News"])
            + _tweet("Sunny on the quay today, come and see the boats", "Example Weather (@exweather)") + "</aside>")
    lines = extract(_page(body)).text.split("\n\n")
    at = lines.index(SENTENCES[3])
    assert lines[at + 1:at + 5] == ["We will not be gagged by a memo from the harbour board.", "Our members have a right to speak about their work "
                                    "pic.twitter.com/x1", "— Harbour Union (@harbourunion) March 2, 2026",
                                    SENTENCES[4]], lines
    assert not any("Sunny on the quay" in line for line in lines)  # beside the article, not in it
    # two posts in a row: the second goes after the first
    second = _tweet("Solidarity with the harbour staff this morning", "Ferry Crews (@ferrycrews)")
    body = f"<article><div class='body'>{_paragraphs(SENTENCES[:4])}{_tweet(post)}{second}{_paragraphs(SENTENCES[4:])}</div></article>"
    lines = extract(_page(body)).text.split("\n\n")
    at = lines.index("— Harbour Union (@harbourunion) March 2, 2026")
    assert lines[at + 1:at + 4] == ["Solidarity with the harbour staff this morning pic.twitter.com/x1",
                                    "— Ferry Crews (@ferrycrews) March 2, 2026", SENTENCES[4]], lines
    # a post the article quotes ("… harbour board," the union tweeted) is still the post
    quoted = "“We will not be gagged by a memo from the harbour board,” the union tweeted on Monday."
    body = f"<article><div class='body'>{_paragraphs([quoted, *SENTENCES[:4]])}{_tweet(post)}</div></article>"
    assert "— Harbour Union (@harbourunion) March 2, 2026" in extract(_page(body)).text


def test_a_lede_left_as_bare_text_in_the_body_is_restored():
    lede = ("The harbour authority has told its staff not to post about the ferry contractor, according to an "
            "email seen by <em><a href='https://x.example/'>Harbour Watch</a></em>. A copy went to subscribers.")
    plain = lede.replace("<em><a href='https://x.example/'>", "").replace("</a></em>", "")
    description = plain[:90] + "..."
    # the lede is text in the body's own element, before a <br> (MacRumors' pages): what trafilatura
    # took from such a page begins after it
    body = (f"<div class='article'><div class='content'>{lede} <br> <br><img src='/i.jpg'><center><em>The quay"
            "</em></center> <br>" + " <br> <br>".join(SENTENCES) + "</div></div>")
    without = "\n".join(SENTENCES)
    assert _bare_lede(load_html(_page(body)), without, description) == f"{plain}\n{without}"
    # a standfirst in an element of its own is not the body's lede (the benchmark's gold leaves it out)
    body = f"<div class='standfirst'><span>{lede}</span></div><div class='content'>{_paragraphs(SENTENCES)}</div>"
    assert _bare_lede(load_html(_page(body)), without, description) == without
    # nor is a description the text already begins with, or one too short to tell
    assert _bare_lede(load_html(_page(body)), f"{plain}\n{without}", description) == f"{plain}\n{without}"
    assert _bare_lede(load_html(_page(body)), without, "Harbour staff warned") == without


def test_a_box_of_related_headlines_is_dropped_but_a_list_in_the_article_is_kept():
    related = ["Ferry fares to rise again in the spring", "Photos: the harbour through the years",
               "Greyline Marine wins second port contract"]
    box = "<ul>" + "".join(f"<li><a href='/news/{i}'><u>{h}</u></a></li>" for i, h in enumerate(related)) + "</ul>"
    points = ["<a href='/memo'>The memo</a> covers every account", "Posts are reviewed weekly by managers",
              "Breaches may lead to disciplinary action"]
    listed = "<ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul>"
    body = f"<article><div class='body'>{_paragraphs(SENTENCES[:6])}{box}{listed}{_paragraphs(SENTENCES[6:])}</div></article>"
    text = extract(_page(body)).text
    assert all(s in text for s in SENTENCES) and "- The memo covers every account" in text, text
    assert not any(h in text for h in related), text


def test_a_list_of_teaser_cards_is_dropped_but_a_list_of_headed_points_without_links_is_kept():
    # each item a card for another page: its own heading, a teaser and a "Read more" link
    teasers = [("Ferry fares to rise again in the spring",
                "Operators blame the price of fuel and say that the rise will be the last this year"),
               ("Greyline Marine wins second port contract",
                "The council approved the deal on Friday after a long debate about the costs")]
    cards = "<ul>" + "".join(f"<li><h3>{h}</h3><p class='text'>{t}... <a href='/news/{i}'>Read more...</a></p>"
                             f"<p class='date'>2012-11-0{i + 1}</p></li>" for i, (h, t) in enumerate(teasers)) + "</ul>"
    points = "<ul>" + "".join(f"<li><h4>{h}</h4>{t}</li>" for h, t in (("Accounts", "Every account that names the port"),
                                                                      ("Reviews", "Posts are reviewed every week"))) + "</ul>"
    body = f"<article><div class='body'>{_paragraphs(SENTENCES[:6])}{points}{_paragraphs(SENTENCES[6:])}{cards}</div></article>"
    text = extract(_page(body)).text
    assert all(s in text for s in SENTENCES) and "Every account that names the port" in text, text
    assert not any(t in text for _, t in teasers), text


def test_a_table_in_the_article_is_text():
    rows = [("Crossing", "Sailings", "Cancelled"), ("Morning", "31", "9"), ("Evening", "31", "2")]
    table = ("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in rows[0]) + "</tr></thead><tbody>"
             + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:]) + "</tbody></table>")
    body = f"<article><div class='body'>{_paragraphs(SENTENCES[:6])}{table}{_paragraphs(SENTENCES[6:])}</div></article>"
    lines = extract(_page(body)).text.split("\n\n")
    at = lines.index(SENTENCES[5])
    assert lines[at + 1:at + 5] == ["| Crossing | Sailings | Cancelled |", "| Morning | 31 | 9 |", "| Evening | 31 | 2 |",
                                    SENTENCES[6]], lines


def test_cards_for_other_pages_are_dropped_but_a_card_for_this_page_is_not():
    # headline cards between the paragraphs (Billboard's), which trafilatura keeps as paragraphs
    heads = ["Ferry fares to rise again in the spring", "Greyline Marine wins second port contract"]
    cards = "".join(f"<a href='/news/{i}'><h3>{h}</h3></a>" for i, h in enumerate(heads))
    own = "<a href='https://example.org/news/harbour-staff?ref=more'><h3>Harbour staff warned over posts again</h3></a>"
    body = f"<article><div class='body'>{_paragraphs(SENTENCES[:6])}{cards}{own}{_paragraphs(SENTENCES[6:])}</div></article>"
    text = extract(_page(body), url="https://example.org/news/harbour-staff").text
    assert all(s in text for s in SENTENCES) and not any(h in text for h in heads), text
    assert "Harbour staff warned over posts again" in text  # a card for this very page is not another's


def test_a_linked_phrase_inside_a_sentence_keeps_its_words():
    # CBS Sports wraps links in <span class="link">, which trafilatura's precision mode deletes as furniture
    said = ("The union said the memo was <span class='link'><a href='/memo'>\u201cnothing less than a gagging "
            "order\u201d</a></span> and would be <span style='border-bottom: 1px dotted'>challenged</span> at once.")
    body = f"<article><div class='body'>{_paragraphs(SENTENCES[:3])}<p>{said}</p>{_paragraphs(SENTENCES[3:])}</div></article>"
    text = extract(_page(body)).text
    assert ("The union said the memo was \u201cnothing less than a gagging order\u201d and would be challenged at once."
            in text), text


def test_the_words_after_an_empty_element_in_a_sentence_are_kept():
    # a stock ticker's empty widget inside a sentence: trafilatura's precision mode deletes it with
    # the rest of the sentence
    first = ("The harbour authority <span data-widget='ticker' data-symbol='HBR'></span> told its ferry staff on "
             "Monday that posts about the contractor would be reviewed.")
    page = _page(f"<article><p>{first}</p>{_paragraphs(SENTENCES[1:])}</article>")
    text = extract(page, url="https://example.org/news/harbour-staff").text
    assert SENTENCES[0] in text
    assert all(s in text for s in SENTENCES[1:])


def test_closing_furniture_after_the_article_is_cut_but_a_label_inside_it_is_not():
    bio = ("<h3>About the author</h3><p>Jo Reporter</p><p>Jo Reporter covers ports and shipping for Example News "
           "and lives on the coast with two cats and a boat that rarely leaves its mooring.</p>")
    related = ("<h3>Related posts:</h3><ul><li><a href='/news/1'>Ferry fares to rise again in the spring</a></li>"
               "<li><a href='/news/2'>Greyline Marine wins second port contract</a></li></ul>"
               "<p>Tags: harbour, ferries, Greyline Marine</p>")
    body = f"<article><div class='body'>{_paragraphs(SENTENCES)}{bio}{related}</div></article>"
    text = extract(_page(body)).text
    assert all(s in text for s in SENTENCES), text
    assert text.endswith(SENTENCES[-1]), text
    # a label inside the article, followed by more of its prose, leaves the text whole
    inside = "\n".join([SENTENCES[0], "Related articles:", SENTENCES[1] + " " + SENTENCES[2], SENTENCES[3]])
    assert without_closing_furniture(inside) == inside
    # a long bio after an author's heading is no bio line but more text
    long_bio = "\n".join([SENTENCES[0], "About the author", " ".join(SENTENCES[1:])])
    assert without_closing_furniture(long_bio) == long_bio


_STYLE = "font-family: Georgia, serif; line-height: 20px; text-align: justify;"


def _blog_post(sentences) -> str:
    """A post as Blogger prints it (Dragnet's T120, in words of its own): its paragraphs <span>s in
    styled <div>s and between <br>s, after an image; an archive list in the sidebar."""
    first, second, third = (" ".join(sentences[i:i + 4]) for i in range(0, 12, 4))
    archive = "".join(f"<li><a href='/2026/0{i}/'>2026 ({i})</a></li>" for i in range(1, 8))
    return (f"<div class='sidebar'><h2>Blog archive</h2><ul>{archive}</ul></div>"
            "<div class='post hentry'><h3 class='post-title entry-title'>Harbour staff warned over posts</h3>"
            "<div class='post-body'><br>"
            "<div class='separator' style='clear: both;'><a href='/i.jpg'><img src='/s.jpg'></a></div>"
            f"<div style='margin-bottom: 15px; {_STYLE}'><div style='color: #393939;'><span style='{_STYLE}'><br>"
            f"</span></div><span style='{_STYLE}'><span>{first}</span></span></div>\n"
            f"<span style='{_STYLE}'><br></span>\n<span style='{_STYLE}'>{second}</span><br>\n"
            f"<div style='margin-bottom: 15px; {_STYLE}'><span style='{_STYLE}'>{third}</span></div></div>"
            "<div class='post-footer'>Posted by <a href='/profile'>Jo</a> at 9:00 AM</div></div>")


def test_prose_trafilatura_drops_from_a_posts_container_is_put_back_in_its_place(monkeypatch):
    page = _page(_blog_post(SENTENCES))
    alone = trafilatura.extract(page) or ""
    assert SENTENCES[0] not in alone and SENTENCES[4] in alone  # the failure: the first paragraph lost
    text = extract(page).text
    assert all(s in text for s in SENTENCES), text
    assert text.index(SENTENCES[3]) < text.index(SENTENCES[4]), text  # in the page's order
    assert "Blog archive" not in text and "Posted by" not in text
    # the rule is what restores it: without it the text is trafilatura's part
    monkeypatch.setattr(extraction, "dropped_prose", lambda tree, text, title=None, **_: text)
    assert SENTENCES[0] not in extract(page).text


def test_only_prose_of_the_container_before_its_last_kept_run_is_put_back():
    caption = "The ferry terminal at dawn, where staff said the memo was pinned up on Monday morning."
    teaser = "Read what the union said about the guidance when it was first issued to staff in ..."
    linked = ("See <a href='/a'>the memo in full</a> and <a href='/b'>the union's reply to the harbour "
              "authority</a> today.")
    comment = "I work on the morning crossing and nobody told us anything about this memo at all."
    footer = "This entry was posted on Monday, March 2nd, 2026 and is filed under Ports, Unions, Ferries."
    elsewhere = "Example News is an independent publisher of news about ports, ferries and the sea."
    body = (f"<div class='about'><p>{elsewhere}</p></div><div class='entry'><p>{SENTENCES[0]}</p>"
            f"<div>{SENTENCES[1]}</div>"  # dropped between two kept paragraphs: put back
            f"<p>{SENTENCES[2]}</p><p>{teaser}</p><p>{linked}</p>"
            f"<div class='pic'><img src='/t.jpg'><span class='caption'>{caption}</span></div>"
            f"<div class='comment-box'><p>{comment}</p></div>"
            f"<p>{SENTENCES[3]}</p><p>{footer}</p></div>")
    tree = load_html(_page(body))
    kept = "\n".join(SENTENCES[i] for i in (0, 2, 3))
    text = dropped_prose(tree, kept, "Harbour staff warned over posts")
    assert text == "\n".join(SENTENCES[:4]), text
    # a text the page does not hold is left as it is
    assert dropped_prose(tree, "Nothing on this page.", None) == "Nothing on this page."


WELCOME = "Welcome to Harbour Watch, where we bring you the second and third level of analysis of the port's news."
BOOK = "Our book on the harbour's history is out now in paperback and for e-readers, and makes a fine gift."


def test_lines_after_the_article_from_outside_its_container_are_cut():
    # the shape of Dragnet's R547 (a Blogger post, then a text widget of the same column that
    # trafilatura read on into) and R632 (a comments area's "No comments yet.")
    page = ("<div class='main section'><div class='widget Blog'><div class='post'><h3>Harbour staff warned</h3>"
            f"<div class='post-body'><div>{_paragraphs(SENTENCES[:8])}</div></div></div>"
            "<div class='comments'><p>No comments yet.</p></div></div>"
            f"<div class='widget Text'><div class='widget-content'><center><span>{WELCOME}</span><br><br>"
            f"<b>Did you know?</b><br>{BOOK}</center></div></div></div>")
    tree = load_html(_page(page))
    text = "\n".join([*SENTENCES[:8], "No comments yet.", WELCOME, "Did you know?", BOOK])
    assert without_outside_tail(text, article_container(tree, text)) == "\n".join(SENTENCES[:8])
    # a line of the article after them keeps them: only the end of the text is read
    inside = "\n".join([*SENTENCES[:5], WELCOME, SENTENCES[5]])
    assert without_outside_tail(inside, article_container(tree, inside)) == inside
    # more than OUTSIDE_MAX_SHARE of the text outside the container: the container is in doubt
    most = "\n".join([*SENTENCES[:2], WELCOME, BOOK])
    assert without_outside_tail(most, article_container(tree, most)) == most
    # ... and under it, however much of the rest it is (here over a third)
    third = "\n".join([*SENTENCES[:4], WELCOME, BOOK])
    assert without_outside_tail(third, article_container(tree, third)) == "\n".join(SENTENCES[:4])


def test_the_last_part_of_a_body_split_into_containers_of_one_class_is_kept():
    # a promotion between two parts of the body, each in a column of its own: the last part is
    # outside the container's parent, but in an element of the container's tag and class
    page = (f"<div class='story'><div class='col'><div class='story-part'>{_paragraphs(SENTENCES[:5])}</div></div>"
            "<div class='promo'><p>Subscribe to Example News.</p></div>"
            f"<div class='col'><div class='story-part'>{_paragraphs(SENTENCES[5:6])}</div></div></div>")
    tree = load_html(_page(page))
    text = "\n".join(SENTENCES[:6])
    found = article_container(tree, text)
    assert found[0].get("class") == "story-part" and SENTENCES[5] not in " ".join(found[0].getparent().itertext())
    assert without_outside_tail(text, found) == text
