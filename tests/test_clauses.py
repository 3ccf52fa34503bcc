"""#12: quotations that share one clause, fragments of a longer quotation, reordered clauses and
renderings with other words or spellings are linked (invented texts of the issue's shapes)."""

from pressdiff.compare.align import clauses
from pressdiff.compare.comparison import compare_story
from pressdiff.compare.text import tokenize, words
from pressdiff.core.records import Article


def _story(texts: list[str]):
    articles = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=t, outlet=f"Outlet {i}",
                        published=f"2026-03-0{i + 1}") for i, t in enumerate(texts)]
    return compare_story("s", articles)


def _cluster_with(comparison, words_: str):
    return next(c for c in comparison.clusters if words_ in c.canonical.lower())


def test_clauses_split_at_clause_marks_and_ellipses():
    text = "We regret it, truly; we do … sometimes we lose our way. Then we find it"
    toks = words(tokenize(text))
    got = [" ".join(t.raw for t in toks[a:b]) for a, b in clauses(toks, text)]
    assert got == ["We regret it", "truly", "we do", "sometimes we lose our way", "Then we find it"]


def test_quotations_sharing_one_clause_are_one_cluster_through_that_clause():
    comparison = _story([
        'The chair said: "We regret the poor decision taken on Monday by the harbour board … sometimes '
        'even we lose our way." She left without questions.',
        '"It happens to all of us. We regret the poor decision that was taken on Monday by the harbour '
        'board," the chair told reporters on the quay.',
        'The chair said: "We regret the bad decision taken Monday by the harbour board." Ferries ran late.'])
    cluster = _cluster_with(comparison, "we regret the poor decision")
    by_article = {v.article: v for v in cluster.variants}
    assert set(by_article) == {"a0", "a1", "a2"}
    assert "substituted" in by_article["a2"].changes and by_article["a2"].relation == "altered"
    assert "it happens to all of us" not in by_article["a1"].text.lower()  # only the shared clause
    assert "inserted" in by_article["a1"].changes or "substituted" in by_article["a1"].changes


def test_a_fragment_is_a_truncated_member_of_the_whole_quotation():
    comparison = _story([
        '"Small firms are the engine of growth. Yet they are taxed, audited and ignored," the minister '
        'told the chamber of commerce.',
        'The minister called small firms "the engine of growth" in a speech to business leaders.'])
    cluster = _cluster_with(comparison, "small firms are the engine of growth")
    fragment = next(v for v in cluster.variants if v.article == "a1")
    assert fragment.text.strip(' ."').lower() == "the engine of growth" and "truncated" in fragment.changes


def test_synonyms_and_spellings_are_substitutions_and_normalisations_not_misses():
    comparison = _story([
        'The union said: "We apologise to members whose complaints were ignored, mocked and pushed aside '
        'by the harbour board in favour of the ferry operator."',
        'The union said: "We apologize to members whose complaints were overlooked, mocked and shoved aside '
        'by the harbour board in favor of the ferry operator."'])
    cluster = _cluster_with(comparison, "whose complaints were ignored")
    other = next(v for v in cluster.variants if v.article == "a1")
    assert other.relation == "altered" and "substituted" in other.changes


RENDERINGS = [
    'The coach Luis Ortega said: "I regret the bad decision of this morning."',
    'Luis Ortega told the radio: "I regret the poor decision this morning."',
    'Ortega said: "It can happen to anyone. I regret the bad decision taken this morning."',
    'The coach called the penalty "an insult to the nation, which gave us life."',
    'Ortega said the penalty was "an offence against the nation that gave us life."',
]


def _dated(texts: list[str], days: list[str | None]):
    articles = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=t, outlet=f"Outlet {i}", published=d)
                for i, (t, d) in enumerate(zip(texts, days))]
    return compare_story("s", articles)


def _linked(comparison) -> set[frozenset]:
    return {frozenset(v.article for v in c.variants) for c in comparison.clusters if len({v.article for v in c.variants}) > 1}


def test_renderings_of_one_remark_on_the_same_day_link_as_paraphrases():
    """#23: four outlets' translations of one speech share only everyday words; the same speaker,
    the same day, agreeing lemmas, numbers and names make them one remark."""
    comparison = _dated(RENDERINGS, ["2026-03-01"] * 4 + ["2026-03-02"])
    assert _linked(comparison) == {frozenset({"a0", "a1", "a2"}), frozenset({"a3", "a4"})}
    regret = _cluster_with(comparison, "i regret the bad decision")
    poor = next(v for v in regret.variants if v.article == "a1")
    assert poor.relation == "paraphrase" and "substituted" in poor.changes
    assert ("replace", "bad", "poor") in [(op, a.strip(), b.strip()) for op, a, b in poor.diff]


def test_renderings_need_the_storys_days_agreeing_numbers_and_speakers():
    assert _linked(_dated(RENDERINGS[:2], [None, None])) == set()  # undated: nothing says same time
    # #35: renderings are printed over a story's days, not within one
    assert _linked(_dated(RENDERINGS[:2], ["2026-03-01", "2026-03-04"])) == {frozenset({"a0", "a1"})}
    assert _linked(_dated(RENDERINGS[:2], ["2026-03-01", "2026-03-20"])) == set()  # weeks apart
    assert _linked(_dated(RENDERINGS[:2], ["2026-03", "2026-03"])) == set()  # known only to the month
    numbers = ['Ortega said: "I regret the 2 bad decisions of this morning."',
               'Ortega told the radio: "I regret the 3 poor decisions this morning."']
    assert _linked(_dated(numbers, ["2026-03-01"] * 2)) == set()
    speakers = ['Luis Ortega said: "I regret the bad decision of this morning."',
                'Maria Salas said: "I regret the poor decision this morning."']
    assert _linked(_dated(speakers, ["2026-03-01"] * 2)) == set()


def test_a_reporters_formula_links_no_unquoted_sentences():
    """#23: "did not immediately respond to requests for comment" is printed by every outlet
    without anyone copying anyone; the same words quoted, or a sentence sharing a rare word, link."""
    formula = [f"{lead} The ministry did not immediately respond to requests for comment on Tuesday."
               for lead in ("Ferry workers struck at dawn.", "Passengers queued for hours at the terminal.")]
    assert _linked(_dated(formula, ["2026-03-01", "2026-03-02"])) == set()
    reused = [f"Day {i}. The harbour board signed the Greyline ferry contract without a tender, minutes show."
              for i in (1, 2)]
    assert _linked(_dated(reused, ["2026-03-01", "2026-03-02"])) == {frozenset({"a0", "a1"})}


def test_a_short_rendering_is_compared_with_the_part_of_a_longer_carrier_it_renders():
    """#35: one outlet prints the sentence before the remark too; a third outlet's short rendering
    agrees with the remark's own words, not with all of the longer carrier's."""
    texts = ['The minister said: "Our harbour crews worked through the night and the storm wall held. '
             'We will rebuild the northern pier before the summer season opens."',
             'The minister said: "We shall rebuild the northern pier before the summer season begins."']
    assert _linked(_dated(texts, ["2026-03-01", "2026-03-02"])) == {frozenset({"a0", "a1"})}


def test_one_confident_speaker_links_a_short_exact_quotation_and_none_blocks():
    """#35: speaker evidence is evidence. "I like peace", word for word and credited to Trump on
    both sides, is one remark with no rare word; two named people apart block a loose link; a
    speaker that names nobody (none, a date read as a speaker) neither links nor blocks."""
    same = ['Donald Trump said: "I like peace." He spoke at the resort.',
            'Reporters heard it. "I like peace," Trump said.']
    assert _linked(_dated(same, [None, None])) == {frozenset({"a0", "a1"})}
    nobody = ['The crowd chanted: "I like peace." It went on.', 'Later, "I like peace," the crowd chanted.']
    assert _linked(_dated(nobody, [None, None])) == set()
    loose = ['Luis Ortega said: "I regret the bad decision of this morning."',
             'Maria Salas said: "I regret the poor decision this morning."']
    assert _linked(_dated(loose, ["2026-03-01"] * 2)) == set()
    misread = ['Luis Ortega said: "I regret the bad decision of this morning."',
               'March 2, 2026 said: "I regret the poor decision this morning."']
    assert _linked(_dated(misread, ["2026-03-01"] * 2)) == {frozenset({"a0", "a1"})}


def test_words_common_in_the_archive_make_no_stock_sentence_one_remark():
    """#35: rarity counts across the archive. "probation" is rare in English, but in coverage of
    drink-driving arrests most articles use it: two reporters' sentences sharing only such words
    are a stock sentence, while the same two sentences in a small archive still link."""
    stock = "He was on probation for a previous DUI arrest, officers said."
    pair = [f"Day {i}. The driver of the red van was stopped at dawn. {stock}" for i in (1, 2)]
    assert _linked(_dated(pair, ["2026-03-01", "2026-03-02"])) == {frozenset({"a0", "a1"})}
    others = [f"Another driver, number {i}, faces a DUI charge and probation after a crash on route {i}."
              for i in range(3, 10)]
    assert _linked(_dated(pair + others, ["2026-03-01"] * 9)) & {frozenset({"a0", "a1"})} == set()
