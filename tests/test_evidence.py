"""#12: a link between articles needs evidence in proportion to rarity; paraphrases must agree on facts."""

from pressdiff.compare.comparison import compare_story
from pressdiff.core.records import Article

FILLER = ["The council met in the town hall on a wet evening and residents asked about the bus timetable. ",
          "Gulls circled the quay while a cold wind blew the last leaves across the empty market square. "]


def _links(texts: list[str]) -> set[tuple[str, str]]:
    articles = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=FILLER[i] + t, outlet=f"Outlet {i}",
                        published=f"2026-03-0{i + 1}") for i, t in enumerate(texts)]
    comp = compare_story("s", articles)
    out = set()
    for c in comp.clusters:
        for v in c.variants:
            if v.article != c.origin:
                out.add((c.canonical.strip(' ."'), v.text.strip(' ."')))
    return out


def test_short_phrases_of_common_words_do_not_link_articles():
    links = _links(['Asked who would win, she said: "You tell me." The vote is in the presidential race.',
                    'He shrugged. "You tell me," he said, adding he was in the presidential race to win.'])
    assert not any("tell me" in a or "presidential race" in a for a, _ in links)


def test_a_shared_sentence_of_rare_words_links():
    sentence = ("the harbour authority's procurement review found irregularities in the ferry tender "
                "awarded to Greyline Marine last autumn")
    links = _links([f"A report said {sentence}.", f"Separately, {sentence}, the paper reported."])
    assert any("procurement review found irregularities" in a for a, _ in links)


def test_quoted_on_both_sides_a_rare_pair_of_words_links():
    links = _links(['The minister promised "extreme vetting" of applicants.',
                    'Critics mocked the promise of "extreme vetting" at the border.'])
    assert ("extreme vetting", "extreme vetting") in links


def test_a_paraphrase_with_other_numbers_or_names_does_not_link():
    links = _links(["Clinton won 73 percent of the 223 votes cast in the county primary on Tuesday evening.",
                    "Sanders received 69 percent of the votes cast in the county primary on Saturday morning."])
    assert not links


def test_markup_left_by_extraction_links_nothing():
    embed = ('tweet tweet-author="@harbourwatch" tweet-date="March 9, 2026" lang="en" '
             'Watch the latest video at <a href="https://video.example">video.example</a>')
    links = _links([f"The ferry row went on. {embed}. Councillors met.",
                    f"Unions marched on the quay. {embed}. Nobody was hurt."])
    assert not any("tweet-author" in a or "video.example" in a for a, _ in links)


def test_an_embedded_posts_attribution_line_links_nothing_but_the_post_does():
    # what extraction keeps of a post embedded by two outlets (archive/extract.py)
    post = ("We will not be gagged by a memo from the harbour board, and our members will say so.\n\n"
            "— Harbour Union (@harbourunion) March 2, 2026\n\n")
    links = _links([f"The ferry row went on.\n\n{post}Councillors met.", f"Unions marched on the quay.\n\n{post}Nobody was hurt."])
    assert any("not be gagged by a memo" in a for a, _ in links), links
    assert not any("@harbourunion" in a for a, _ in links), links


def test_two_sentences_sharing_only_a_name_and_its_title_do_not_link():
    links = _links(["Zebulon Quartermaine, general manager of the Hollowell Angels, declined an offer on Monday.",
                    "The trade was approved by Zebulon Quartermaine, general manager of the Hollowell Angels, last week."])
    assert not links


def test_a_sentence_reused_with_its_name_and_its_rare_words_links():
    sentence = ("Zebulon Quartermaine, general manager of the Hollowell Angels, said the pitcher's torn "
                "ligament would need surgery before spring training")
    links = _links([f"{sentence}.", f"On Monday {sentence}, the club confirmed."])
    assert any("torn ligament" in a for a, _ in links)


def test_a_possessive_spelt_with_or_without_the_s_is_one_word():
    from pressdiff.compare.text import normalize_word
    assert normalize_word("ISIS's") == normalize_word("ISIS") == "isis"
    assert normalize_word("Jones’s") == "jones" and normalize_word("Trump's") == "trump's"


def test_one_template_filled_with_other_names_or_numbers_does_not_link():
    links = _links(["Vladislav Brennermark stopped Tobias Quillfeather in the sixth round to retain his Vantor heavyweight belt.",
                    "Vladislav Brennermark stopped Osric Delacroixe in the seventh round to retain his Vantor heavyweight belt."])
    assert not links
    links = _links(["Two equities research analysts have rated the stock with a sell rating and one has given it a strong buy.",
                    "Three equities research analysts have rated the stock with a sell rating and one has given it a strong buy."])
    assert not links


def test_the_same_sentence_with_the_same_name_and_number_still_links():
    sentence = "Vladislav Brennermark stopped Tobias Quillfeather in the sixth round to retain his Vantor heavyweight belt"
    links = _links([f"{sentence}.", f"On Saturday {sentence}, the promoter said."])
    assert any("Quillfeather" in a for a, _ in links)


def test_a_sentence_of_everyday_words_reported_of_one_speaker_on_both_sides_links():
    said = ("{} said the driver gave a blood sample for a test, but the results were not yet known. ",
            "The driver gave a blood sample for a test, but the results won't be known for weeks, {} said. ")
    links = _links([said[0].format("Sergeant Odalys Wintermere"), said[1].format("Sergeant Odalys Wintermere")])
    assert any("blood sample" in a for a, _ in links)
    assert not _links([said[0].format("Sergeant Odalys Wintermere"), said[1].format("Mayor Ptolemy Hargreave")])


def test_an_embedded_posts_sentences_are_its_authors_quotations():
    from pressdiff.compare.align import units_of
    text = ("The president answered online.\n\nIran killed a contractor. They will pay a very BIG PRICE! "
            "— Donald J. Trump (@realDonaldTrump) December 31, 2019\n\nThe embassy was calm.")
    units = {u.text: (u.quoted, u.speaker) for u in units_of(Article(id="a", url="u", text=text), [])}
    assert units["They will pay a very BIG PRICE!"] == (True, "Donald J. Trump")
    assert units["The president answered online."] == (False, None)
    assert units["— Donald J. Trump (@realDonaldTrump) December 31, 2019"] == (False, None)
    texts = [text, 'The president said Iran would "pay a very big price" for the attack, Donald Trump wrote.']
    links = _links(texts)
    assert any("pay a very" in a.lower() and "pay a very" in b.lower() for a, b in links), links
    # shown as printed: outside quotation marks (SPEC's `quoted`), and in no cluster of its own
    articles = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=t, outlet=f"O{i}") for i, t in enumerate(texts)]
    variants = [v for c in compare_story("s", articles).clusters for v in c.variants if v.article == "a0"]
    assert variants and all(not v.quoted for v in variants) and len(variants) == 1, variants


def test_a_long_sentence_of_everyday_words_reused_is_no_reporters_formula(monkeypatch):
    from pressdiff.compare import align
    texts = ["He had been dropped off by the bus with a group and was walking to the shop when he fell on the ice.",
             "He had been dropped off by the bus and was walking to the shop when he fell."]
    assert any("walking to the shop" in a for a, _ in _links(texts))
    monkeypatch.setattr(align, "STOCK_MAX_WORDS", 100)  # only the formula rule: everyday words, no link
    assert not _links(texts)


def test_an_attributions_frame_is_who_spoke_not_a_sentence_reused():
    # the same source and cue before two different remarks: the frame is not one utterance
    links = _links(["Zebulon Quartermaine, general manager of the Hollowell Angels, recently confirmed that the "
                    "club had made an eight-year offer to the pitcher.",
                    "Zebulon Quartermaine, general manager of the Hollowell Angels, confirmed to the Gazette that "
                    "the shortstop would miss the rest of the season."])
    assert not any("Quartermaine" in a or "Quartermaine" in b for a, b in links)


def test_three_figures_reported_by_two_outlets_are_one_statement(monkeypatch):
    # the words beside the figures are everyday ones: the figures are the statement (#35)
    from pressdiff.compare import align
    texts = ["The harbour office gave its figures for the year as 14, 31 and 923 on Monday.",
             "Its figures for the year were 14, 31 and 923, a spokesman for the harbour office said."]
    assert any("14, 31 and 923" in a for a, _ in _links(texts))
    monkeypatch.setattr(align, "COUNT_NUMBERS", 100)  # figures never count: a noun phrase, no link
    assert not _links(texts)


def test_a_sum_of_money_with_its_magnitude_is_a_noun_phrase_not_a_sentence_reused():
    links = _links(["The pitcher signed a deal worth between $140 million and $150 million over seven years.",
                    "The shortstop's new contract is worth between $140 million and $150 million, reports said."])
    assert not any("million" in a for a, _ in links), links


def _dated_links(texts: list[str], days: list[str | None]) -> set[tuple[str, str]]:
    articles = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=FILLER[i] + t, outlet=f"Outlet {i}",
                        published=day) for i, (t, day) in enumerate(zip(texts, days))]
    return {(c.canonical.strip(' ."'), v.text.strip(' ."')) for c in compare_story("s", articles).clusters
            for v in c.variants if v.article != c.origin}


def test_two_words_quoted_of_one_speaker_within_the_storys_days_are_one_remark():
    texts = ['Ottoline Pemberwick said on Tuesday that the vote was "very sad" for the town.',
             'The vote was "very sad" for everyone, Ottoline Pemberwick said.']
    assert ("very sad", "very sad") in _dated_links(texts, ["2026-03-01", "2026-03-05"])
    # undated, two everyday words are not enough: three are (settings: SPEAKER_EXACT_WORDS)
    assert not _dated_links(texts, [None, None])


def test_a_sentence_whose_verb_is_no_reporting_verb_stays_one_unit():
    # the tagger reads "has addressed" as a cue: its "content" is the sentence's object, not what
    # anyone said, and the sentence stays one unit of the comparison (relations.reporting_cue)
    from pressdiff.compare.align import units_of
    from pressdiff.compare.relations import find_relations
    sentence = "The Obama administration has addressed the rule change, but has not formally overturned it."
    text = ("The rules were pushed through at the end of the last administration with little debate. "
            + sentence + " Critics want them gone.")
    relations = find_relations(text, [])
    assert any(r.cue is not None and r.cue.text == "has addressed" for r in relations)  # what the tagger reads
    units = [u.text for u in units_of(Article(id="a", url="u", text=text), [], relations)]
    assert sentence in units, units


def test_a_sentence_after_a_reused_one_is_reused_on():
    # a poll's sentences copied in a run: the second shares only everyday words, no evidence of its
    # own (a reporter's formula alone); after the shared one it is copy (align: Aligner._best, continued)
    poll = ("Asked whether the harbour board broke the law, 46 percent of voters in the Quillfeather poll said yes, "
            "compared with 23 percent who said the closed session was improper but not illegal.")
    texts = [f"{poll} Twenty-four percent said she did nothing wrong.", f"{poll} Only 24 percent said she did nothing wrong."]
    assert any("nothing wrong" in a for a, _ in _links(texts))
    alone = ["Twenty-four percent said she did nothing wrong.", "Only 24 percent said she did nothing wrong."]
    assert not any("nothing wrong" in a for a, _ in _links(alone))


def test_a_number_spelt_out_and_in_digits_is_one_number_not_a_template_refilled():
    texts = ["Twenty-four members of the Quillfeather harbour board voted to sell the ferry to Greyline Marine.",
             "On Monday 24 members of the Quillfeather harbour board voted to sell the ferry to Greyline Marine."]
    assert any("Greyline" in a for a, _ in _links(texts))
    texts[1] = texts[1].replace("24", "31")
    assert not any("Greyline" in a for a, _ in _links(texts))  # another figure: a template refilled


def test_a_reported_content_the_tagger_cut_inside_a_word_is_a_unit_of_whole_words():
    # the tagger's tokens split words the comparison reads whole ("That|’s according to …", "cla|sh"):
    # a unit cut there held a word no article has, and the comparison stopped (KeyError in prepare_units)
    from pressdiff.compare.align import lexicon_of, prepare_units, units_of
    from pressdiff.compare.text import word_bounds
    from pressdiff.core.records import Relation, TextSpan
    text = "The clinic closed on Monday. Bolivia’s public defender’s office said thirty people were hurt in the clash."

    def span(s: int, e: int) -> TextSpan:
        return TextSpan(s, e, text[s:e])

    said = text.index(" said") + 1
    content = span(text.index("thirty"), text.index("clash") + 3)
    relation = Relation("indirect", (content,), span(text.index("Bolivia"), text.index("’s office")),
                        span(said, said + 4), "Bolivia")
    article = Article(id="a", url="u", text=text)
    assert "thirty people were hurt in the clash" in [u.text for u in units_of(article, [], [relation])]
    assert len(prepare_units(article, [], lexicon_of([article]), [relation])) == 3
    assert word_bounds(text, text.index("’s office"), text.index("fender")) == (text.index("defender’s"),
                                                                                text.index(" office"))
    assert word_bounds(text, 0, len(text)) == (0, len(text))


def test_a_reported_content_cut_before_the_rest_of_its_sentence_runs_on_to_the_sentence_end():
    # "Pennings said Williams gave a blood sample[, but the results are not yet known]": where the
    # tagger ends the content varies from model to model, and the rest alone is a fragment that
    # matches nothing, while other outlets print the whole sentence (align._run_on)
    from pressdiff.compare.align import units_of
    from pressdiff.core.records import Relation, TextSpan
    text = ("Officer Pennings said Williams gave a blood sample for a test, but the results are not yet known. "
            "Pennings said Williams was released on bail, the patrol added.")

    def span(s: int, e: int) -> TextSpan:
        return TextSpan(s, e, text[s:e])

    def said(at: int, content_end: str, source: str) -> Relation:
        cue = text.index(" said", at) + 1
        return Relation("indirect", (span(cue + 5, text.index(content_end, at)),), span(text.index(source, at), cue - 1),
                        span(cue, cue + 4), "Pennings")

    first = said(0, ", but", "Officer")
    second_at = text.index("Pennings said Williams was")
    second = said(second_at, ", the patrol", "Pennings")
    added = text.index("added")
    patrol = Relation("indirect", (second.content[0],), span(text.index("the patrol"), added - 1),
                      span(added, added + 5), "the patrol")
    units = [u.text for u in units_of(Article(id="a", url="u", text=text), [], [first, second, patrol])]
    assert "Williams gave a blood sample for a test, but the results are not yet known" in units, units
    # the rest of the second sentence says who spoke: the content ends where the tagger ended it
    assert "Williams was released on bail" in units, units


def test_a_name_or_an_ordinal_written_two_ways_is_not_a_template_refilled():
    from pressdiff.compare.align import _written_otherwise
    # as ECB+ topics 23 and 34 print them ("Duncan Rait" / "Duncan Raite", "Mount Sefton" / "Mt
    # Sefton", "the 2nd class" / "the second class", "600m" / "600 metres")
    for a, b in (("rait", "raite"), ("mount", "mt"), ("2nd", "second"), ("600m", "600")):
        assert _written_otherwise([a], [b]) and _written_otherwise([b], [a])
    # other values: another name, a letter changed, another unit, a cardinal for an ordinal; a
    # cardinal against a cardinal is left to _refilled's own reading of numbers ("24" / "twenty four")
    for a, b in (("thompson", "rahman"), ("mark", "mary"), ("200ft", "200m"), ("3", "third"), ("24", "twenty"),
                 ("austria", "australia")):
        assert not _written_otherwise([a], [b])
    texts = ["Rescuers said the climber Duncan Rait fell from the Quillfeather ridge above the glacier on Friday.",
             "Rescuers said the climber Duncan Raite fell from the Quillfeather ridge above the glacier on Friday."]
    assert any("Quillfeather ridge" in a for a, _ in _links(texts))
    texts[1] = texts[1].replace("Duncan Raite", "Robert Buckley")
    assert not any("Quillfeather ridge" in a for a, _ in _links(texts))  # another climber: a template refilled


def test_a_word_counts_in_a_weak_match_by_how_rare_it_is_in_the_story():
    # a story of 24 articles: a word a quarter of them use counts whole, one half of them use half,
    # one all of them use nothing; a run printed word for word counts whole whatever its words
    import math

    from pressdiff.compare.align import Aligner, Lexicon
    df = {"ferry": 6, "tender": 12, "harbour": 24, "quay": 2}
    lx = Lexicon.from_counts(df, {w: 3 * n for w, n in df.items()}, articles=24)
    assert [lx.story_weight(lx.ids[w]) for w in ("quay", "ferry", "harbour")] == [1.0, 1.0, 0.0]
    assert math.isclose(lx.story_weight(lx.ids["tender"]), 0.5)
    aligner = Aligner(lx)
    side = {lx.ids[w]: (1, False) for w in df}
    shared = sorted(side)
    bits = {w: lx.bits(lx.ids[w]) for w in df}
    weak = aligner._sentence_bits(side, side, shared, weak=True)
    assert math.isclose(weak, bits["quay"] + bits["ferry"] + bits["tender"] / 2)
    whole = sum(bits.values())
    assert math.isclose(aligner._sentence_bits(side, side, shared, weak=True, copied=frozenset(shared)), whole)
    assert math.isclose(aligner._sentence_bits(side, side, shared), whole)  # a close match: every word whole
