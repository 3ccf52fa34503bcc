"""Drift classification: invented examples of every change type, and properties on generated text."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pressdiff.compare.comparison import compare_story
from pressdiff.compare.drift import classify_variant
from pressdiff.compare.text import Vocabulary, tokenize, words
from pressdiff.core.records import Article

ORIGIN = "We must be careful here and make sure every colleague follows this guidance"


def drift(variant, origin=ORIGIN, **kw):
    kw.setdefault("origin_quoted", True)
    kw.setdefault("variant_quoted", True)
    return classify_variant(words(tokenize(origin)), words(tokenize(variant)), Vocabulary(),
                    origin_text=origin, variant_text=variant, **kw)


def test_identical_is_verbatim():
    d = drift(ORIGIN)
    assert d.relation == "verbatim" and d.changes == () and d.similarity == 100.0


def test_case_and_spelling_only_is_normalized():
    assert drift("We must be careful here and make sure every colleague follows this Guidance").changes == ("normalized",)
    assert drift("about the organization", origin="about the organisation").changes == ("normalized",)


def test_spelling_variants_from_the_maintained_list_are_normalized():
    origin = "We apologise for the delay and favour a review of the travelled routes by the defence ministry"
    variant = "We apologize for the delay and favor a review of the traveled routes by the defense ministry"
    assert drift(variant, origin=origin).changes == ("normalized",)
    # words the list holds beyond the ones written by hand before (breame)
    assert drift("the pyjamas were mouldy", origin="the pajamas were moldy").changes == ("normalized",)
    # a British word of its own meaning is not a spelling variant
    assert drift("a draft of the bill", origin="a draught of the bill").relation != "verbatim"
    assert "normalized" not in drift("a draft of the bill", origin="a draught of the bill").changes


def test_each_change_type():
    assert "elided" in drift("We must be careful here and make sure every colleague follows [...] guidance").changes
    assert "elided" in drift("We must be careful and make sure every colleague follows this guidance").changes
    assert "truncated" in drift("make sure every colleague follows this guidance").changes
    assert "inserted" in drift("We must be careful here and make sure every colleague [at the port] follows this guidance").changes
    assert "substituted" in drift("We must be careful here and make sure every employee follows this guidance").changes
    assert "unquoted" in drift(ORIGIN, variant_quoted=False).changes
    assert "promoted" in drift(ORIGIN, origin_quoted=False).changes


def _article(i, text, date):
    return Article(id=f"a{i}", url=f"https://o{i}.example/x", text=text, outlet=f"Outlet {i}", published=date)


def test_splice_promotion_and_inheritance_across_articles():
    origin = _article(1, 'The memo said "a review of staff profiles shows several are not compliant with our guidance." '
                         'Staff are "sharing or endorsing critical posts about, for example, [the operator] Greyline Marine," it said. '
                         'Staff should refrain from offering personal views about the organisation.', "2026-03-01")
    later = _article(2, 'Staff were told to avoid "offering personal views about the organization." '
                        '"A review of staff profiles shows several are not compliant, sharing or endorsing critical posts '
                        'about, for example, Greyline Marine," the memo said.', "2026-03-02")
    copier = _article(3, 'Employees were "sharing or endorsing critical posts about, for example, [the operator] Greyline Marine," '
                         'the memo said.', "2026-03-03")
    comp = compare_story("s", [copier, later, origin])
    by_canon = {c.canonical[:20]: c for c in comp.clusters}
    review = next(c for k, c in by_canon.items() if k.startswith("a review"))
    posts = next(c for k, c in by_canon.items() if k.startswith("sharing or endorsing"))
    views = next(c for k, c in by_canon.items() if k.startswith("offering"))
    assert review.origin == posts.origin == views.origin == "a1"
    later_review = next(v for v in review.variants if v.article == "a2")
    assert "spliced" in later_review.changes and "truncated" in later_review.changes
    assert "promoted" in next(v for v in views.variants if v.article == "a2").changes
    assert "inherited" in next(v for v in posts.variants if v.article == "a3").changes
    assert "inherited" not in next(v for v in posts.variants if v.article == "a2").changes


WORD = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=9)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORD, min_size=6, max_size=30))
def test_a_text_aligned_with_itself_is_verbatim(ws):
    text = " ".join(ws)
    d = drift(text, origin=text)
    assert d.relation == "verbatim" and d.similarity == 100.0


@settings(max_examples=80, deadline=None)
@given(st.lists(WORD, min_size=8, max_size=30, unique=True), st.data())
def test_deleting_k_words_is_elided_inside_or_truncated_at_the_edges(ws, data):
    k = data.draw(st.integers(1, len(ws) // 3))
    start = data.draw(st.integers(0, len(ws) - k))
    variant = ws[:start] + ws[start + k:]
    d = drift(" ".join(variant), origin=" ".join(ws))
    at_edge = start == 0 or start + k == len(ws)
    assert d.changes == (("truncated",) if at_edge else ("elided",))


def test_whole_copies_and_second_captures_of_an_article():
    from pressdiff.compare.reuse import article_pairs

    body = " ".join(f"Sentence number {i} of the harbour story tells readers about the ferry contract." for i in range(30))
    original = Article(id="a1", url="https://lantern.example/story", text=body, outlet="Lantern")
    amp = Article(id="a2", url="https://lantern.example/amp/story", text=body + " Share this.", outlet="Lantern")
    blog = Article(id="a3", url="https://blog.example/repost", text="Worth reading: " + body, outlet="Blog")
    other = Article(id="a4", url="https://other.example/x", text="Nothing in common with any of them at all, truly.",
                    outlet="Other")
    pairs = {(p.a, p.b): p for p in article_pairs([original, amp, blog, other], {"a1": 0, "a2": 1, "a3": 2, "a4": 3})}
    assert pairs[("a1", "a2")].relation == "same-article" and pairs[("a1", "a2")].share > 95
    assert pairs[("a1", "a3")].relation == "copy"
    assert not any("a4" in key for key in pairs)


def test_hyphens_and_apostrophes_as_printed_are_one_form_for_matching():
    """#23: a hyphenated compound and the spaced one, and the apostrophes outlets type (backtick,
    reversed comma, prime, modifier letter), match as one form; the text shown stays as printed."""
    origin = "He's sure these are kitchen-table issues for every family on the island"
    for printed in ("He`s", "He‛s", "He′s", "Heʼs", "He’s"):
        variant = origin.replace("He's", printed).replace("kitchen-table", "kitchen table")
        d = drift(variant, origin=origin)
        assert d.changes == ("normalized",), (printed, d)
        assert "".join(new for _, _, new in d.diff) == variant  # the words as printed
    texts = ['The mayor said: "He`s sure these are kitchen-table issues for every family on the island."',
             'The mayor said: "He\'s sure these are kitchen table issues for every family on the island."']
    comparison = compare_story("s", [_article(i, t, f"2026-03-0{i}") for i, t in enumerate(texts, 1)])
    shared = [c for c in comparison.clusters if len(c.variants) == 2]
    assert len(shared) == 1 and shared[0].variants[1].changes == ("normalized",)


CAPTION = "The contract was signed in secret and the ferry workers of Calloway were never asked"
RALLY = f'The union leader told the rally: "{CAPTION}." Hundreds attended.'
LATER = f'Union leaders said "{CAPTION.lower()}", reports say.'


def test_a_quotation_joins_the_quoted_rendering_not_a_caption_of_the_same_words():
    """#23: an article's photo caption (an unquoted line) and its own quotation of the same words;
    another outlet's quotation joins the quotation, so nothing is "promoted" from the caption."""
    comparison = compare_story("s", [_article(1, f"{CAPTION}\n\n{RALLY}", "2026-03-01"),
                                     _article(2, LATER, "2026-03-02")])
    shared = [c for c in comparison.clusters if len({v.article for v in c.variants}) > 1]
    assert len(shared) == 1
    origin, later = shared[0].variants
    assert origin.quoted and later.quoted and "promoted" not in later.changes


def test_a_caption_is_the_origin_only_where_no_quoted_rendering_exists():
    comparison = compare_story("s", [_article(1, f"{CAPTION}\n\nHundreds attended.", "2026-03-01"),
                                     _article(2, LATER, "2026-03-02")])
    shared = [c for c in comparison.clusters if len({v.article for v in c.variants}) > 1]
    assert len(shared) == 1 and "promoted" in shared[0].variants[1].changes
