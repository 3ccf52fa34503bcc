"""Article-level reuse: how much of one article's text is another's (whole copies, re-captures)."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from pressdiff.core.records import Article, PairSimilarity

from .settings import COPY_SHARE
from .text import TOKEN_RE, normalize_word

SHINGLE = 5
REPORT_SHARE = 10.0  # pairs below this share are not worth reporting
# A five-word run that more than this many articles print is boilerplate ("said in a statement
# on"), not evidence that one copied another; it also keeps the pair count near-linear.
MAX_SHINGLE_ARTICLES = 20


def shingles(text: str) -> set[int]:
    """Stable 64-bit hashes of the word 5-grams of a text, normalised for spelling and case (the
    same in every process: a story compared on several machines shares them)."""
    norms = [normalize_word(m.group()) for m in TOKEN_RE.finditer(text) if m.lastgroup == "word"]  # tokenize's words
    return {int.from_bytes(hashlib.blake2b("\x00".join(norms[i:i + SHINGLE]).encode("utf-8"), digest_size=8).digest(),
                           "little", signed=True)
            for i in range(max(0, len(norms) - SHINGLE + 1))}


def shared_shingles(carriers: list[list[str]], rank: dict[str, int]) -> dict[tuple[str, str], int]:
    """For each pair (earlier a, later b) of articles, how many 5-word runs both print, from the
    articles carrying each run (runs printed by more than MAX_SHINGLE_ARTICLES are left out)."""
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for ids in carriers:
        if 1 < len(ids) <= MAX_SHINGLE_ARTICLES:
            ids = sorted(ids, key=lambda i: rank[i])
            for i, x in enumerate(ids):
                for y in ids[i + 1:]:
                    shared[(x, y)] += 1
    return shared


def pair_of(a: str, b: str, n: int, b_shingles: int, outlet: dict[str, str | None]) -> PairSimilarity | None:
    """The pair (a, b) sharing n runs, of b's b_shingles: reported when the share is worth it."""
    share = round(100.0 * n / b_shingles, 1)
    if share < REPORT_SHARE:
        return None
    same = outlet[a] and outlet[a] == outlet[b]
    return PairSimilarity(a=a, b=b, share=share,
                          relation=("same-article" if same else "copy") if share >= COPY_SHARE else "reuse")


def article_pairs(articles: list[Article], rank: dict[str, int]) -> list[PairSimilarity]:
    """For each pair (earlier a, later b) sharing text: the share of b's 5-word runs that a also has."""
    grams = {a.id: shingles(a.text) for a in articles}
    postings: dict[int, list[str]] = defaultdict(list)
    for aid, gs in grams.items():
        for g in gs:
            postings[g].append(aid)
    outlet = {a.id: a.outlet for a in articles}
    pairs = [p for (a, b), n in shared_shingles(list(postings.values()), rank).items()
             if (p := pair_of(a, b, n, len(grams[b]), outlet))]
    pairs.sort(key=lambda p: (rank[p.a], rank[p.b]))
    return pairs
