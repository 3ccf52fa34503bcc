"""Publisher boilerplate: text several articles carry that is page furniture, not reuse.

A newsletter prompt, "Download our app", a reader-tips request, a standing editor's note or a
related video's headline is printed by many pages of one publisher (or of one newspaper
group's sites). Alignment rightly finds it carried word for word; but it is nobody's
utterance and nobody's copy, and counted as reuse it makes unrelated articles look linked and
fills the drift matrix with furniture. A cluster is named boilerplate, and shown apart, when
nothing in it is quoted or reported as someone's speech, two or more articles carry it, and the
evidence says so:

- `standing`: its carriers share no other passage (but the other lines of its own block: the same
  or the next paragraph): it is not part of a copied article;
- `one publisher`: three or more articles of one outlet carry it;
- `at the edge`: it stands in the first or last EDGE_PARAGRAPHS paragraphs of at least two
  thirds of its carriers, where pages put their furniture;
- `off topic`: none of its words is one of the story's words (a word that at least TOPIC_SHARE
  of the articles not carrying it use, TOPIC_LIFT times more than English at large would;
  judged only where MIN_OTHERS articles do not carry it);
- `furniture form`: it addresses the reader ("you", "your"), begins with a call to action
  ("Subscribe", "Sign up", "Download", "Follow"), is a labelled note ("Editor's note:") or stands,
  in every carrier, in a paragraph that opens with one (the note's later sentences), speaks of
  its own page ("This story has been sourced from …", "This series features …"), or is a
  headline in title case (a related link).

`standing` allows a third of the carriers to share something else (a publisher's follow-ups).
Boilerplate is `standing` with two of the other four, three of the other four, or `off topic`
with `furniture form` (a group's sites that syndicate one article share its passages, so their
newsletter block is not `standing`). A passage of the story reused by two outlets, the thing
this tool exists to show, is about the story and in no furniture form: it needs two pieces of
evidence it does not have. The thresholds are in settings.py (boilerplate), with how they were
set.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

from wordfreq import zipf_frequency

from .settings import (
    EDGE_PARAGRAPHS,
    MIN_OTHERS,
    ONE_PUBLISHER,
    READER_MAX_WORDS,
    STOPWORDS,
    TITLE_SHARE,
    TITLE_WORDS,
    TOPIC_LIFT,
    TOPIC_SHARE,
)
from .text import normalize_word, paragraphs

STANDING, PUBLISHER, EDGE, OFF_TOPIC, FORM = "standing", "one publisher", "at the edge", "off topic", "furniture form"

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_READER = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
_CALL = re.compile(r"^\W*(subscribe|sign\s+up|download|follow\s+us|follow\s+\w+\s+on|click|tap|listen|watch|"
                   r"read\s+more|join\s+us|register|install|like\s+us|send\s+us|email\s+us|get\s+our|support\s+us|"
                   r"donate|share\s+this|got\s+a\s+(news\s+)?tip|have\s+a\s+(news\s+)?tip)\b", re.I)
_SENTENCE_REST = re.compile(r"\s*[,;)\]]")
_LABEL = re.compile(r"^\W*[A-Z][\w’']*(\s+[\w’']+){0,2}\s*:\s")
# a page that speaks of itself: "This story has been sourced from a third party syndicated feed",
# "This series features three stories that …", "This material may not be published …"
_SELF = re.compile(r"^\W*this\s+(story|article|series|report|material|post|page|content|piece|newsletter)\s+"
                   r"(has\s+been|had\s+been|was|is|features|may|contains|first\s+appeared|originally\s+appeared|"
                   r"will|includes|is\s+part)\b", re.I)
_NOTE = re.compile(r"^\W*(?:[\w’']+\s+){0,2}note\s*:\s", re.I)


@dataclass(frozen=True)
class Carriage:
    """Where one article carries a cluster."""

    article: str
    start: int
    quoted: bool
    reported: bool = False  # the article reports it as someone's speech (an attribution's content, its source found)


@dataclass(frozen=True)
class Passage:
    """A cluster as the rule reads it."""

    id: str
    text: str
    carriages: tuple[Carriage, ...]

    @property
    def articles(self) -> set[str]:
        return {c.article for c in self.carriages}


def passage_of(cluster) -> Passage:
    """A Cluster record as the rule reads it."""
    return Passage(cluster.id, cluster.canonical,
                   tuple(Carriage(v.article, v.start, v.quoted, v.attribution is not None and v.attribution.source is not None)
                         for v in cluster.variants))


def passage_of_doc(doc: dict) -> Passage:
    """A cluster of the comparison JSON (report.cluster_doc's) as the rule reads it."""
    return Passage(doc["id"], doc["canonical"],
                   tuple(Carriage(v["article"], v["start"], v["quoted"], (v.get("attribution") or {}).get("source") is not None)
                         for v in doc["variants"]))


def candidate(p: Passage) -> bool:
    """Whether a cluster could be boilerplate at all: unquoted everywhere, two articles or more, not
    reported as someone's speech by any carrier unless in furniture form (#35: "Inspector Gaskin
    said the deaths were a reminder that climbers needed to use extreme caution" is nobody's
    furniture, however many outlets print it; a subscription prompt the tagger read as a report
    still is), and not the rest of a sentence (", with two fewer sailings …" after an attribution's
    content, a unit of its own since #34): furniture is printed as whole lines. (A rest that opens
    at its first word, after the comma its carriers print before it, is told by sentence_rest.)"""
    if len(p.articles) < 2 or any(c.quoted for c in p.carriages) or _SENTENCE_REST.match(p.text):
        return False
    return not any(c.reported for c in p.carriages) or furniture_form(p.text)


def sentence_rest(p: Passage, texts: dict[str, str]) -> bool:
    """Whether a carrier prints the passage after a comma or semicolon ("…, the union said after the
    talks broke down"): the rest of a sentence, which alignment starts at its first word, is never
    furniture (see candidate)."""
    return any(texts.get(c.article, "")[max(0, c.start - 16):c.start].rstrip()[-1:] in (",", ";")
               for c in p.carriages)


def co_carried(candidates: list[Passage], others: Iterable[Passage], paragraph) -> dict[str, set[str]]:
    """For each candidate, those of its carriers that share another passage with another of its
    carriers, one that is not part of the same block in both (the same or the next paragraph:
    the other lines of one newsletter prompt). others: every cluster carried by two articles or
    more; paragraph(article, offset): the paragraph's number there. Linear in the carriages: an
    index of the candidates by carrier, not the pairs of a cluster's carriers."""
    starts = {p.id: _starts(p) for p in candidates}
    by_article: dict[str, list[str]] = {}
    for p in candidates:
        for a in starts[p.id]:
            by_article.setdefault(a, []).append(p.id)
    found: dict[str, set[str]] = {}
    for q in others:
        shared: dict[str, list[tuple[str, int]]] = {}
        for a, at in _starts(q).items():
            for pid in by_article.get(a, ()):
                if pid != q.id:
                    shared.setdefault(pid, []).append((a, at))
        for pid, carried in shared.items():
            if len(carried) > 1 and any(abs(paragraph(a, at) - paragraph(a, starts[pid][a])) > 1 for a, at in carried):
                found.setdefault(pid, set()).update(a for a, _ in carried)
    return found


def _starts(p: Passage) -> dict[str, int]:
    at: dict[str, int] = {}
    for c in p.carriages:
        at.setdefault(c.article, c.start)
    return at


class Judge:
    """Names the boilerplate among candidate passages, from the story's words and the carriers'
    texts and outlets (see the module docstring)."""

    def __init__(self, df: dict[str, int], articles: int, tokens: int, outlet: dict[str, str | None],
                 texts: dict[str, str]):
        self.df, self.n, self.outlet, self.texts = df, articles, outlet, texts
        self.length = tokens / max(1, articles)  # an article's words, on average
        self._paragraphs: dict[str, list[tuple[int, int]]] = {}

    def evidence(self, p: Passage, co_carried: dict[str, set[str]]) -> tuple[str, ...]:
        found = []
        articles = sorted(p.articles)
        if len(co_carried.get(p.id, ())) * 3 <= len(articles):
            found.append(STANDING)
        outlets = {self.outlet.get(a) for a in articles}
        if len(articles) >= ONE_PUBLISHER and len(outlets) == 1 and None not in outlets:
            found.append(PUBLISHER)
        firsts = _starts(p)
        if sum(self._at_edge(a, start) for a, start in firsts.items()) * 3 >= 2 * len(firsts):
            found.append(EDGE)
        if self.n - len(articles) >= MIN_OTHERS and not self._topic_words(p.text, len(articles)):
            found.append(OFF_TOPIC)
        if furniture_form(p.text) or all(self._in_note(a, start) for a, start in firsts.items()):
            found.append(FORM)
        return tuple(found)

    def _in_note(self, article: str, start: int) -> bool:
        """Whether offset start lies in a paragraph that opens with a note's label ("Editor's note:
        This story is part of our series … This series features three stories …"): a note runs to
        its paragraph's end, and its later sentences are as much furniture as its labelled first."""
        i = self.paragraph(article, start)
        if i < 0:
            return False
        s, e = self._spans(article)[i]
        return bool(_NOTE.match(self.texts.get(article, "")[s:min(e, s + 40)]))

    @staticmethod
    def is_boilerplate(evidence: tuple[str, ...]) -> bool:
        others = len(set(evidence) - {STANDING})
        return others >= (2 if STANDING in evidence else 3) or (OFF_TOPIC in evidence and FORM in evidence)

    def paragraph(self, article: str, offset: int) -> int:
        """The number of the paragraph of an article's text that holds offset (-1: none)."""
        spans = self._spans(article)
        i = bisect_right(spans, (offset, math.inf)) - 1
        return i if i >= 0 and offset < spans[i][1] else -1

    def _spans(self, article: str) -> list[tuple[int, int]]:
        spans = self._paragraphs.get(article)
        if spans is None:
            spans = self._paragraphs[article] = paragraphs(self.texts.get(article, ""))
        return spans

    def _at_edge(self, article: str, start: int) -> bool:
        i = self.paragraph(article, start)
        return i >= 0 and (i < EDGE_PARAGRAPHS or len(self._spans(article)) - 1 - i < EDGE_PARAGRAPHS)

    def _topic_words(self, text: str, carriers: int) -> list[str]:
        """The passage's words that are the story's: used by TOPIC_SHARE of the articles not
        carrying it (its carriers discounted), and by TOPIC_LIFT times the share of articles
        of this length that English at large would have use it (wordfreq)."""
        others = self.n - carriers
        found = []
        for raw in _WORD.findall(text):
            w = normalize_word(raw)
            if w in STOPWORDS or len(w) < 3 or not w.isalpha():
                continue
            share = (self.df.get(w, 0) - carriers) / max(1, others)
            if share * others >= 2 and share >= TOPIC_SHARE and share >= TOPIC_LIFT * self._expected(w):
                found.append(w)
        return found

    def _expected(self, w: str) -> float:
        """The share of articles of the story's average length that would use w by chance."""
        return 1.0 - math.exp(-self.length * 10 ** (zipf_frequency(w, "en") - 9))


RELATION = "boilerplate"  # SPEC: the relation of every variant of a boilerplate cluster


def marked(cluster, evidence: tuple[str, ...]):
    """A Cluster record named boilerplate: its evidence, and every variant's relation
    `boilerplate` with no changes (SPEC: it is no drift finding)."""
    return replace(cluster, boilerplate=evidence,
                   variants=tuple(replace(v, relation=RELATION, changes=()) for v in cluster.variants))


def furniture_form(text: str) -> bool:
    """Whether a passage reads as page furniture: it addresses the reader in a line (no longer
    than READER_MAX_WORDS words), calls to action, is a labelled note ("Editor's note:"), speaks
    of its own page ("This story has been sourced from …", "This series features …"), or is a
    headline in title case."""
    found = _WORD.findall(text)
    if (_READER.search(text) and len(found) <= READER_MAX_WORDS) or _CALL.search(text) or _LABEL.search(text) \
            or _SELF.search(text):
        return True
    long_words = [w for w in found[1:] if len(w) >= 4 and w.isalpha()]
    return len(long_words) >= TITLE_WORDS and sum(w[0].isupper() for w in long_words) >= TITLE_SHARE * len(long_words)


def find_boilerplate(passages: list[Passage], df, articles: int, tokens: int,
                     outlet: dict[str, str | None], texts_of) -> dict[str, tuple[str, ...]]:
    """{cluster id: its evidence} for the passages that are boilerplate (those carried by one
    article may be left out: they never are). df: each normalised word's article count (a
    mapping); texts_of(article ids) gives the carriers' texts (only candidates' are read)."""
    cands = [p for p in passages if candidate(p)]
    if not cands:
        return {}
    texts = texts_of({a for p in cands for a in p.articles})
    cands = [p for p in cands if not sentence_rest(p, texts)]
    judge = Judge(df, articles, tokens, outlet, texts)
    shared = co_carried(cands, (p for p in passages if len(p.articles) > 1), judge.paragraph)
    evidence = {p.id: judge.evidence(p, shared) for p in cands}
    return {pid: found for pid, found in evidence.items() if Judge.is_boilerplate(found)}
