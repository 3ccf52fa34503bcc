"""Article-level reuse: how much of one article's text is another's (whole copies, re-captures)."""

from __future__ import annotations

from .records import Article, PairSimilarity
from .text import tokenize

SHINGLE = 5
COPY_SHARE = 80.0  # at least this much of b found in a: b copies a
REPORT_SHARE = 10.0  # pairs below this share are not worth reporting


def shingles(text: str) -> set[tuple[str, ...]]:
    """Word 5-grams of a text, normalised for spelling and case."""
    norms = [t.norm for t in tokenize(text) if t.kind == "word"]
    return {tuple(norms[i:i + SHINGLE]) for i in range(max(0, len(norms) - SHINGLE + 1))}


def article_pairs(articles: list[Article], rank: dict[str, int]) -> list[PairSimilarity]:
    """For each pair (earlier a, later b): the share of b's 5-word runs that a also has."""
    grams = {a.id: shingles(a.text) for a in articles}
    ordered = sorted(articles, key=lambda a: rank[a.id])
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if not grams[b.id]:
                continue
            share = round(100.0 * len(grams[a.id] & grams[b.id]) / len(grams[b.id]), 1)
            if share < REPORT_SHARE:
                continue
            if share >= COPY_SHARE:
                same = a.outlet and b.outlet and a.outlet == b.outlet
                relation = "same-article" if same else "copy"
            else:
                relation = "reuse"
            pairs.append(PairSimilarity(a=a.id, b=b.id, share=share, relation=relation))
    return pairs
