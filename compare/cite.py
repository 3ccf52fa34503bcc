"""Citation lookup: find a quotation or sentence in compared stories, however it was remembered."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .text import normalize_word, tokenize

MATCH_SCORE = 72.0
SUGGEST_SCORE = 45.0
MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class Match:
    """One cluster that a query found, with its score."""

    story: str
    cluster: str
    score: float


def normalize(text: str) -> str:
    """Words only, case-folded, British spelling: what a remembered quote keeps."""
    return " ".join(normalize_word(t.raw) for t in tokenize(text) if t.kind == "word")


class CiteIndex:
    """All variant wordings of every cluster, searchable by fuzzy partial match."""

    def __init__(self, documents: list[dict]):
        self.keys: list[tuple[str, str]] = []
        self.texts: list[str] = []
        for doc in documents:
            for c in doc["clusters"]:
                for v in c["variants"]:
                    self.keys.append((doc["story"], c["id"]))
                    self.texts.append(normalize(v["text"]))

    def search(self, query: str, limit: int = 5, threshold: float = MATCH_SCORE) -> list[Match]:
        """Clusters whose wording contains the query (partial, re-punctuated, re-spelled)."""
        q = normalize(query)
        if not q:
            return []
        best: dict[tuple[str, str], float] = {}
        hits = process.extract(q, self.texts, scorer=_score, limit=None, score_cutoff=threshold)
        for _, score, i in hits:
            key = self.keys[i]
            best[key] = max(best.get(key, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [Match(story=s, cluster=c, score=round(sc, 1)) for (s, c), sc in ranked]


def _score(q: str, text: str, **kwargs) -> float:
    """Partial match when the query is a fragment; full ratio when it is longer than the text."""
    if len(q) <= len(text):
        return fuzz.partial_ratio(q, text, **kwargs)
    return fuzz.ratio(q, text, **kwargs)
