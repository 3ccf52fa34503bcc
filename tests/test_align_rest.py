"""#35 (second pass): a long unquoted unit shares more than its first reused part, and a lead glued
to a headline whose time differs is still the lead another outlet prints."""

from pressdiff.compare.comparison import compare_story
from pressdiff.core.records import Article

FILLER = ["The council met in the town hall on a wet evening and residents asked about the bus timetable. ",
          "Gulls circled the quay while a cold wind blew the last leaves across the empty market square. ",
          "A choir sang carols outside the library as shoppers hurried home through the drizzle. "]


def _linked(texts: list[str]) -> set[tuple[str, str]]:
    """(article, article) pairs some cluster links, earliest article first."""
    articles = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=FILLER[i] + t, outlet=f"Outlet {i}",
                        published=f"2026-03-0{i + 1}") for i, t in enumerate(texts)]
    out = set()
    for c in compare_story("s", articles).clusters:
        ids = sorted({v.article for v in c.variants})
        out |= {(x, y) for i, x in enumerate(ids) for y in ids[i + 1:]}
    return out


FARES = "the harbour board approved a fourteen percent rise in ferry fares for island commuters"
CROSSINGS = "Greyline Marine will run two extra crossings every weekend from next spring"


def test_the_rest_of_a_sentence_narrowed_to_one_reused_part_can_still_be_reused():
    # a0 prints both parts as one sentence; a1 reuses the first, a2 the second
    linked = _linked([f"On Tuesday {FARES} and {CROSSINGS} under the new contract.",
                      f"Residents were told that {FARES}.",
                      f"{CROSSINGS}, a spokesman confirmed."])
    assert ("a0", "a1") in linked
    assert ("a0", "a2") in linked


LEAD = ("The harbour board approved a fourteen percent rise in ferry fares for island commuters on "
        "Tuesday night after a long and angry public meeting at the quay.")


def test_a_lead_glued_to_headlines_of_other_times_links():
    linked = _linked([f"FERRY FARES RISE Mar. 8 5:46 PM EST {LEAD}",
                      f"Ferry fares rise March 8, 2013 5:47 PM {LEAD}"])
    assert ("a0", "a1") in linked


def test_one_template_refilled_before_a_long_run_of_its_frame_still_does_not_link():
    # the run after the refilled number is the frame of the sentence, not a sentence of its own
    linked = _linked(["Two equities research analysts have rated the stock with a sell rating and one has given "
                      "it a strong buy rating for the coming year.",
                      "Three equities research analysts have rated the stock with a sell rating and one has given "
                      "it a strong buy rating for the coming year."])
    assert ("a0", "a1") not in linked


def test_a_sentence_holding_only_a_term_in_quotation_marks_is_a_unit_and_one_holding_a_remark_is_not():
    # third pass: "set the security zone to "High"": a marked term of a few words leaves the sentence
    # the reporter's, reused by other outlets as any other (settings.TERM_QUOTE_WORDS); fourth pass:
    # so does a longer quotation where the sentence's own words are REPORTER_WORDS_SHARE times its
    # quoted words or more; a quoted remark the sentence is built round makes it its speaker's, and
    # only the quotation is a unit
    from pressdiff.compare.align import units_of
    from pressdiff.compare.quotes import find_quotes
    from pressdiff.compare.settings import REPORTER_WORDS_SHARE, TERM_QUOTE_WORDS

    own = len("The vendor advised users to set the security zone to until a patch is released".split())
    term = " ".join(["very"] * (TERM_QUOTE_WORDS - 1) + ["high"])
    short = " ".join(["very"] * TERM_QUOTE_WORDS + ["high"])
    remark = " ".join(["very"] * (own // REPORTER_WORDS_SHARE) + ["high"])
    assert len(short.split()) * REPORTER_WORDS_SHARE <= own < len(remark.split()) * REPORTER_WORDS_SHARE
    for quoted, is_unit in ((term, True), (short, True), (remark, False)):
        text = f'The vendor advised users to set the security zone to "{quoted}" until a patch is released.'
        units = units_of(Article(id="a", url="u", text=text), find_quotes("a", text))
        assert (text in [u.text for u in units if not u.quoted]) is is_unit
        assert quoted in [u.text for u in units if u.quoted]


def test_a_reused_sentence_holding_a_marked_term_links():
    linked = _linked(['The harbour board advised all island commuters to buy their ferry passes before the '
                      '"peak" fares of the summer timetable begin in June.',
                      'The harbour board advised island commuters to buy their ferry passes before the "peak" '
                      'fares of the summer timetable begin in June.'])
    assert ("a0", "a1") in linked


def test_the_rest_of_a_sentence_after_a_reported_content_opens_at_its_first_word():
    # the demo's ", according to a memo first reported by the Calloway Lantern." was a unit, comma and all
    from pressdiff.compare.align import units_of
    from pressdiff.compare.relations import find_relations

    text = ("The port authority told its staff to stop criticising the ferry operator online, "
            "according to a memo first reported by the Calloway Lantern.")
    units = units_of(Article(id="a", url="u", text=text), [], find_relations(text))
    assert units and all(u.text[:1].isalnum() for u in units)


def test_the_rest_of_a_later_carriers_sentence_links_whichever_outlet_printed_first():
    # issue #35, cluster order: a sentence one outlet prints whole ("… fares … and … crossings …"), another
    # cuts to its first part and a third to its second part; whichever of the three was published first,
    # the whole sentence links to both cuts. Before, a later whole sentence joined the earlier cut's cluster
    # and its other part was dropped, so the third outlet's cut linked only when the whole came first.
    from itertools import permutations

    texts = {"cut1": f"Residents were told that {FARES}.",
             "whole": f"On Tuesday {FARES} and {CROSSINGS} under the new contract.",
             "cut2": f"{CROSSINGS}, a spokesman confirmed."}
    for order in permutations(texts):
        articles = [Article(id=name, url=f"https://{name}.example/", text=FILLER[i] + texts[name],
                            outlet=f"Outlet {name}", published=f"2026-03-0{i + 1}") for i, name in enumerate(order)]
        linked = {frozenset(v.article for v in c.variants) for c in compare_story("s", articles).clusters}
        assert frozenset(("whole", "cut1")) in linked, order
        assert frozenset(("whole", "cut2")) in linked, order
