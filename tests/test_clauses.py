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
