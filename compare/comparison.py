"""One story's comparison: quotes, credits, clusters and reuse, from articles alone.

The stages, in the one order every compare runs them: compare_story below runs them over
articles held in memory, and pressdiff/scale/plan.py runs the same functions over partitions
on an engine (its tasks call them), so the two give the same document byte for byte.

    1. analyse   per article: the credits its text and its credit lines give
    2. rank      the articles in origin preference (rank_key), with the lexicon of their words
    3. prepare   per article: quotations, attribution relations, units for the ordered pass
    4. align     the ordered pass over every unit, earliest article first (align.Aligner)
    5. finish    per cluster: its variants' drift and its origin's basis
    6. mark      per cluster: publisher boilerplate named, variants edited after publication marked
    7. reuse     pairs of articles sharing 5-word runs (reuse.py)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from pressdiff.core.dates import latest_day
from pressdiff.core.records import Article, Attribution, Cluster, Comparison, Credit, Quote

from .align import (
    Aligner,
    ClusterDraft,
    Lexicon,
    PreparedUnit,
    finish_cluster,
    lexicon_of,
    prepare_units,
    publication_days,
    unique_id,
)
from .boilerplate import Passage, find_boilerplate, marked, passage_of
from .credits import credit_line_credits, find_credits, known_outlets
from .edits import mark_edited
from .origin import Dating, datings, with_basis
from .quotes import find_quotes
from .relations import attributions, find_relations, quoted_speakers
from .reuse import article_pairs
from .text import Vocabulary, fold


def analyse(a: Article, known: dict[str, str]) -> tuple[list[Credit], list[Credit]]:
    """Stage 1, per article: the credits its text gives, and those its credit lines give."""
    return (find_credits(a.id, a.text, own_outlet=a.outlet, known=known),
            credit_line_credits(a.id, a.credit_lines, a.outlet, known))


def credited_counts(credits) -> dict[str, int]:
    """How often each outlet (folded) is credited by the story's articles."""
    return dict(Counter(fold(c.credits) for c in credits))


def rank_key(a, credited: dict[str, int]) -> tuple:
    """Stage 2: an article's place in origin preference: earliest published first; on equal or
    unknown dates, the most credited outlet; then by URL. A date known only to the month or year
    counts as the last day it allows: an article is put before another only when it must have
    come first. a has the id, url, outlet and published of an Article."""
    date = latest_day(a.published) or "9999-99-99"  # "March 2017" counts as its last day
    return (date, -credited.get(fold(a.outlet or ""), 0), a.url, a.id)


def origin_rank(articles: list[Article], credits) -> dict[str, int]:
    """Preference for origin (rank_key), as each article's position: 0 first."""
    credited = credited_counts(credits)
    return {a.id: i for i, a in enumerate(sorted(articles, key=lambda a: rank_key(a, credited)))}


def prepare(a: Article, lexicon: Lexicon) -> tuple[list[Quote], list[Attribution], list[PreparedUnit]]:
    """Stage 3, per article: its quotations (speakers as entities), its attribution relations
    (relations.py: the indirect ones listed, each unit given the one that holds it), and its units
    for the pass (indirect speech among them)."""
    quotes = find_quotes(a.id, a.text)
    relations = find_relations(a.text, quotes)
    quotes = quoted_speakers(a.text, quotes, relations)
    return quotes, attributions(a.id, a.text, relations), prepare_units(a, quotes, lexicon, relations)


def finish(draft: ClusterDraft, facts: dict[str, Dating], vocab: Vocabulary) -> Cluster:
    """Stage 5, per cluster the pass left: each variant classified (drift), the origin's basis."""
    return with_basis(finish_cluster(draft, vocab), facts)


def boilerplate(passages: Iterable[Passage], lexicon: Lexicon, articles: int, outlet: dict[str, str | None],
                texts_of: Callable) -> dict[str, tuple[str, ...]]:
    """Stage 6, over every cluster as the rule reads it (boilerplate.passage_of, passage_of_doc):
    {id: evidence} of those that are publisher boilerplate."""
    shared = [p for p in passages if len({c.article for c in p.carriages}) > 1]
    return find_boilerplate(shared, lexicon.df_of, articles, lexicon.tokens, outlet, texts_of)


def mark(cluster: Cluster, found: dict[str, tuple[str, ...]], edited: dict[str, list[dict]]) -> Cluster:
    """Stage 6, per cluster: named boilerplate with its evidence (found: boilerplate's), and its
    variants edited after publication marked (edited: compare.edits.edited_quotations')."""
    if cluster.id in found:
        cluster = marked(cluster, found[cluster.id])
    return mark_edited(cluster, edited)


def compare_story(story: str, articles: list[Article], outlets=(), brute: bool = False,
                  edited: dict[str, list[dict]] | None = None) -> Comparison:
    """Run every comparison stage over a story's articles (newest version of each), in memory.

    edited: the quotations its articles edited after publication (compare.edits.edited_quotations),
    as the staged compare reads them from the archive. brute=True verifies every cluster for
    every unit (no index, no evidence rule): the recall baseline of bench/align.py, quadratic,
    for small corpora only."""
    known = known_outlets(sorted({*outlets, *(a.outlet for a in articles if a.outlet)}))
    analysed = [analyse(a, known) for a in articles]
    credits = [c for text, _ in analysed for c in text] + [c for _, lines in analysed for c in lines]
    rank = origin_rank(articles, credits)
    ordered = sorted(articles, key=lambda a: rank[a.id])
    lexicon = lexicon_of(articles)
    prepared = {a.id: prepare(a, lexicon) for a in ordered}
    aligner = Aligner(lexicon, brute=brute, days=publication_days(articles))
    for a in ordered:
        aligner.add_units(prepared[a.id][2])
    facts, vocab, seen = datings(articles, credits), Vocabulary(), set()
    clusters = [replace(c, id=unique_id(c.id, seen)) for c in
                (finish(d, facts, vocab) for d in sorted(aligner.drafts_done(rank), key=lambda c: c.sort_key))]
    texts = {a.id: a.text for a in articles}
    found = boilerplate(map(passage_of, clusters), lexicon, len(articles), {a.id: a.outlet for a in articles},
                        lambda ids: {i: texts[i] for i in ids})
    clusters = [mark(c, found, edited or {}) for c in clusters]
    return Comparison(story=story, articles=tuple(ordered), clusters=tuple(clusters),
                      credits=tuple(credits), quotes=tuple(q for a in ordered for q in prepared[a.id][0]),
                      pairs=tuple(article_pairs(articles, rank)),
                      attributions=tuple(x for a in articles for x in prepared[a.id][1]))
