"""One story's comparison: quotes, credits, clusters and reuse, from articles alone."""

from __future__ import annotations

from pressdiff.core.dates import latest_day
from pressdiff.core.records import Article, Comparison

from .align import align, lexicon_of
from .attribution import find_attributions
from .boilerplate import find_boilerplate, marked, passage_of_cluster
from .credits import credit_line_credits, find_credits, known_outlets
from .origin import datings, with_basis
from .quotes import find_quotes
from .reuse import article_pairs
from .text import fold


def credited_counts(credits) -> dict[str, int]:
    """How often each outlet (folded) is credited by the story's articles."""
    credited: dict[str, int] = {}
    for c in credits:
        credited[fold(c.credits)] = credited.get(fold(c.credits), 0) + 1
    return credited


def rank_key(a, credited: dict[str, int]) -> tuple:
    """An article's place in origin preference: earliest published first; on equal or unknown
    dates, the most credited outlet; then by URL. A date known only to the month or year
    counts as the last day it allows: an article is put before another only when it must have
    come first. a has the id, url, outlet and published of an Article."""
    date = latest_day(a.published) or "9999-99-99"  # "March 2017" counts as its last day
    return (date, -credited.get(fold(a.outlet or ""), 0), a.url, a.id)


def origin_rank(articles: list[Article], credits) -> dict[str, int]:
    """Preference for origin (rank_key), as each article's position: 0 first."""
    credited = credited_counts(credits)
    return {a.id: i for i, a in enumerate(sorted(articles, key=lambda a: rank_key(a, credited)))}


def compare_story(story: str, articles: list[Article], outlets=(), brute: bool = False) -> Comparison:
    """Run every comparison stage over a story's articles (newest version of each).

    brute=True verifies every cluster for every unit (no index, no evidence rule): the recall
    baseline of bench/align.py, quadratic, for small corpora only."""
    names = sorted({*outlets, *(a.outlet for a in articles if a.outlet)})
    quotes = {a.id: find_quotes(a.id, a.text) for a in articles}
    known = known_outlets(names)
    credits = [c for a in articles for c in find_credits(a.id, a.text, own_outlet=a.outlet, known=known)]
    credits += [c for a in articles for c in credit_line_credits(a.id, a.credit_lines, a.outlet, known)]
    attributions = [x for a in articles for x in find_attributions(a.id, a.text, quotes[a.id])]
    rank = origin_rank(articles, credits)
    ordered = sorted(articles, key=lambda a: rank[a.id])
    facts = datings(articles, credits)
    lexicon = lexicon_of(articles)
    clusters = [with_basis(c, facts) for c in align(articles, quotes, rank, brute=brute, lexicon=lexicon)]
    texts = {a.id: a.text for a in articles}
    found = find_boilerplate([passage_of_cluster(c) for c in clusters if len({v.article for v in c.variants}) > 1],
                             lexicon.df_of, len(articles), lexicon.tokens, {a.id: a.outlet for a in articles},
                             lambda ids: {i: texts[i] for i in ids})
    clusters = [marked(c, found[c.id]) if c.id in found else c for c in clusters]
    return Comparison(story=story, articles=tuple(ordered), clusters=tuple(clusters),
                      credits=tuple(credits), quotes=tuple(q for a in ordered for q in quotes[a.id]),
                      pairs=tuple(article_pairs(articles, rank)), attributions=tuple(attributions))
