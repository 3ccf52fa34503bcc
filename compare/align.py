"""Alignment: find each quotation and sentence in every other article and group them into clusters.

Words are encoded one character per normalised token (text.Vocabulary), so rapidfuzz's
partial-ratio alignment and edit operations run on words rather than letters. Candidates
come from an inverted index of rarer words, so a unit is never compared with every cluster.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from wordfreq import word_frequency

from pressdiff.core.records import Article, Cluster, Quote, Unit, Variant

from .drift import classify, inherited_insertions
from .settings import (
    ABSORB_WORDS,
    ALIGN_MATCH_SCORE,
    ARCHIVE_TOKENS_MIN,
    EVIDENCE_MARGIN_BITS,
    EXACT_QUOTE_EVIDENCE,
    FRAGMENT_LOOKUP,
    FRAGMENT_RARE_BITS,
    FRAGMENT_STEP,
    FRAGMENT_WINDOW,
    FRAGMENT_WORDS,
    MAX_CANDIDATES,
    MAX_POSTINGS_PER_ARTICLE,
    MAX_WORD_BITS,
    MIN_EVIDENCE_FLOOR,
    MIN_QUOTED_WORDS,
    MIN_WORDS,
    PARAPHRASE_MIN_WORDS,
    PARAPHRASE_SCORE,
    RARE_WORD_BITS,
    RARE_WORDS,
    SHORT_WORDS,
    SINGLE_MAX_DF,
    STOPWORDS,
    WEAK_EVIDENCE,
    WINDOW,
    WINDOW_RARE,
    WINDOW_STEP,
)
from .text import Token, Vocabulary, sentences_outside, tokenize, words


@dataclass
class _Member:
    article: str
    start: int
    end: int
    quoted: bool
    speaker: str | None
    spliced: bool = False
    weak: bool = False


@dataclass
class _Draft:
    origin: _Member
    tokens: list[Token]
    code: str
    members: list[_Member] = field(default_factory=list)


class Hit(NamedTuple):
    """Where a cluster's wording lies in a unit: the similarity, and the window of the unit's tokens."""

    score: float
    lo: int
    hi: int
    weak: bool  # a paraphrase-strength match, which needs more evidence


class Piece(NamedTuple):
    """A window of a unit matched to one cluster (several pieces: a splice)."""

    draft: _Draft
    lo: int
    hi: int
    weak: bool
    clause: bool  # one of a quotation's clauses, tried because the whole quotation matched nothing


def units_of(article: Article, quotes: list[Quote]) -> list[Unit]:
    """An article's alignable units: its quotations, then its sentences that hold no quotation."""
    units = [Unit(article.id, q.start, q.end, q.text, True, q.speaker, q.start, q.end) for q in quotes]
    for s, e in sentences_outside(article.text, quotes):
        units.append(Unit(article.id, s, e, article.text[s:e], False))
    units.sort(key=lambda u: (u.start, not u.quoted))
    return units


# Markup left in a text by its extraction (an embedded tweet's attributes, a video link's tag)
# is nobody's utterance: two pages with the same embed code share it without quoting anyone.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s+[\w-]+=[^<>]*)?\s*/?>|\b[A-Za-z][\w-]*=\"")
# Clause boundaries inside a unit: a quotation that matches no cluster whole is tried clause by
# clause ("It happens to all of us. We regret the poor decision that was taken on Monday"), and
# each cluster is keyed by its clauses too. Marks between two words, or an ellipsis.
SENTENCE_END = re.compile(r"[.!?\u2026]")
CLAUSE_MARK = re.compile(r"[,;:.!?()\u2014\u2013\u2026]|\s-\s")


class Aligner:
    """Greedy clustering over articles in origin-preference order (earliest first).

    brute=True verifies every cluster for every unit (no index): the recall baseline of
    bench/align.py, quadratic, for small corpora only.
    """

    def __init__(self, articles: list[Article], vocab: Vocabulary | None = None, brute: bool = False):
        self.text = {a.id: a.text for a in articles}
        self.vocab = vocab or Vocabulary()
        self.drafts: list[_Draft] = []
        self.index: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.brute = brute
        self._postings_now: dict[tuple[str, str], int] = defaultdict(int)
        # document frequency of each word (how many articles use it), and how often it occurs
        self.df: dict[str, int] = defaultdict(int)
        self.cf: dict[str, int] = defaultdict(int)
        for a in articles:
            norms = [t.norm for t in tokenize(a.text) if t.kind == "word"]
            for norm in norms:
                self.cf[norm] += 1
            for norm in set(norms):
                self.df[norm] += 1
        self.tokens = sum(self.cf.values())
        self.min_bits = max(MIN_EVIDENCE_FLOOR, 2 * math.log2(max(2, self.tokens)) + EVIDENCE_MARGIN_BITS)
        self._bits: dict[str, float] = {}
        # A rare word: rarer than RARE_WORD_BITS in English and in the archive, or, in an archive
        # of fewer words than that measures (under 65,536), one it holds once.
        self.rare_bits = RARE_WORD_BITS if self.tokens < ARCHIVE_TOKENS_MIN else \
            min(RARE_WORD_BITS, math.log2(self.tokens))

    # -- building ---------------------------------------------------------------

    def add_article(self, article: Article, quotes: list[Quote]) -> None:
        """Match every unit of an article against existing clusters, or start new ones."""
        self._postings_now: dict[tuple[str, str], int] = defaultdict(int)  # this article's, per key
        for unit in units_of(article, quotes):
            toks = words(tokenize(unit.text, unit.start))
            if MARKUP.search(unit.text):
                if unit.quoted and toks:  # kept as the article's own, never linked
                    self._new_draft(_Member(unit.article, unit.start, unit.end, True, unit.speaker), toks,
                                    index=False)
                continue
            if len([t for t in toks if t.kind == "word"]) < MIN_WORDS and not unit.quoted:
                continue
            pieces = self._pieces(unit, toks)
            if not pieces:
                if toks:
                    self._new_draft(_Member(unit.article, unit.start, unit.end, unit.quoted, unit.speaker), toks)
                continue
            spliced = unit.quoted and len(pieces) > 1
            covered = []
            for piece in pieces:
                lo, hi = piece.lo, piece.hi
                if unit.quoted and len(pieces) == 1 and not piece.clause:
                    lo, hi = self._absorb(toks, lo, hi, self.text[unit.article])
                member = _Member(unit.article, toks[lo].start, toks[hi - 1].end, unit.quoted,
                                 unit.speaker, spliced=spliced, weak=piece.weak)
                self._join(piece.draft, member, toks[lo:hi])
                covered.append((lo, hi))
            if unit.quoted:
                # The rest of a quotation that only partly matched others is the article's own
                # utterance: it forms clusters of its own rather than being lost.
                for lo, hi in _gaps(covered, len(toks)):
                    if sum(t.kind == "word" for t in toks[lo:hi]) >= MIN_WORDS:
                        self._new_draft(_Member(unit.article, toks[lo].start, toks[hi - 1].end, True,
                                                unit.speaker), toks[lo:hi])

    def _pieces(self, unit: Unit, toks: list[Token]) -> list[Piece]:
        """Disjoint windows of the unit, each matched to one cluster (several: a splice), in order."""
        found: list[Piece] = []
        free = [(0, len(toks), False)]
        used: set[int] = set()
        while free and len(found) < 4:
            lo, hi, clause = max(free, key=lambda w: w[1] - w[0])
            if hi - lo < (MIN_QUOTED_WORDS if unit.quoted else MIN_WORDS):
                break
            best = self._best(unit, toks[lo:hi], used)
            free.remove((lo, hi, clause))
            if best is None:
                if unit.quoted:  # a quotation may share one of its clauses with another
                    parts = clauses(toks[lo:hi], self.text[unit.article])
                    if len(parts) > 1:
                        free += [(lo + a, lo + b, True) for a, b in parts if b - a >= MIN_WORDS]
                continue
            idx, hit = best
            used.add(idx)
            found.append(Piece(self.drafts[idx], lo + hit.lo, lo + hit.hi, hit.weak, clause))
            free += [(a, b, clause) for a, b in ((lo, lo + hit.lo), (lo + hit.hi, hi)) if b - a >= MIN_WORDS]
        found.sort(key=lambda p: p.lo)
        return found

    def _keys(self, toks: list[Token]) -> set[tuple[str, str]]:
        """Index keys of a text: pairs among its rarest words, overall and in each window."""
        norms = [t.norm for t in toks if t.kind == "word"]
        keys = self._pairs(norms, RARE_WORDS)
        if len(norms) > WINDOW:
            for i in range(0, len(norms) - WINDOW_STEP, WINDOW_STEP):
                keys |= self._pairs(norms[i:i + WINDOW], WINDOW_RARE)
        return keys

    def _pairs(self, norms: list[str], k: int) -> set[tuple[str, str]]:
        words_ = {w for w in norms if w not in STOPWORDS} or set(norms)
        rarest = sorted(words_, key=lambda w: (self.df.get(w, 0), w))[:k]
        if len(rarest) == 1:
            return {(rarest[0], "")}
        return set(combinations(sorted(rarest), 2))

    def _singles(self, norms: list[str], k: int) -> set[tuple[str, str]]:
        """Keys of single words: the k rarest of norms, if rare enough in the archive."""
        rare = sorted({w for w in norms if self.df.get(w, 0) <= SINGLE_MAX_DF and w not in STOPWORDS},
                      key=lambda w: (self.df.get(w, 0), w))[:k]
        return {(w, "") for w in rare}

    def _draft_keys(self, toks: list[Token], text: str) -> set[tuple[str, str]]:
        """Index keys of a cluster: its own, its clauses' and its fragments' (rare single words)."""
        keys = self._keys(toks)
        parts = clauses(toks, text)
        if len(parts) > 1:
            for a, b in parts:
                keys |= self._pairs([t.norm for t in toks[a:b] if t.kind == "word"], RARE_WORDS)
        norms = [t.norm for t in toks if t.kind == "word"]
        for i in range(0, max(1, len(norms) - FRAGMENT_WINDOW + 1), FRAGMENT_STEP):
            keys |= self._singles(norms[i:i + FRAGMENT_WINDOW], 1)
        return keys

    def _candidates(self, toks: list[Token]) -> list[int]:
        """Clusters sharing pairs of the unit's rarest words (or, for a short unit, one of its
        rarest words), most shared first."""
        if self.brute:
            return list(range(len(self.drafts)))
        counts: dict[int, int] = defaultdict(int)
        keys = self._keys(toks)
        norms = [t.norm for t in toks if t.kind == "word"]
        if len(norms) <= WINDOW:
            keys |= self._singles(norms, FRAGMENT_LOOKUP)
        for key in keys:
            for idx in self.index.get(key, ()):
                counts[idx] += 1
        if len(counts) <= MAX_CANDIDATES:
            return sorted(counts, key=lambda idx: (-counts[idx], idx))
        return [idx for idx, _ in heapq.nlargest(MAX_CANDIDATES, counts.items(), key=lambda kv: (kv[1], -kv[0]))]

    def _best(self, unit: Unit, toks: list[Token], used: set[int]) -> tuple[int, Hit] | None:
        """The best-scoring candidate cluster for these tokens that the evidence rule allows: its
        index and where it matched."""
        code = self.vocab.encode(t.norm for t in toks)
        best = None
        for idx in self._candidates(toks):
            draft = self.drafts[idx]
            if idx in used or draft.origin.article == unit.article:
                continue
            if any(m.article == unit.article and m.start <= toks[0].start and toks[-1].end <= m.end
                   for m in draft.members):
                continue
            both_quoted = unit.quoted and draft.origin.quoted
            hit = self._match(draft.code, code, MIN_QUOTED_WORDS if both_quoted else MIN_WORDS)
            if hit and (best is None or hit.score > best[1].score) and self._evident(
                    draft.tokens, toks[hit.lo:hit.hi], hit.weak, exact_quote=both_quoted and hit.score == 100):
                best = (idx, hit)
        return best

    def _evident(self, canon: list[Token], window: list[Token], weak: bool, exact_quote: bool = False) -> bool:
        """Whether two wordings share enough rare words to be one utterance (settings: evidence).

        Wordings whose numbers all differ state other facts; a paraphrase (weak match) must agree
        on its numbers and share a name where both have names: "Clinton won 73 percent" is not
        "Sanders received 69 percent".
        """
        if self.brute:
            return True  # the recall baseline links on similarity alone
        a, b = _content(canon), _content(window)
        shared = a.keys() & b.keys()
        bits = sum(self.bits(w) * min(a[w][0], b[w][0]) * (0.5 if a[w][1] and b[w][1] else 1.0) for w in shared)
        need = self.min_bits * (WEAK_EVIDENCE if weak else EXACT_QUOTE_EVIDENCE if exact_quote else 1.0)
        if bits < need:
            return False
        rarest = max(self.bits(w) for w in shared)
        if exact_quote and bits < self.min_bits and rarest < self.rare_bits and not (
                len(shared) >= FRAGMENT_WORDS and rarest >= min(FRAGMENT_RARE_BITS, self.rare_bits)):
            return False  # "You tell me", "New York values": quoted, but nothing in them is rare
        numbers = [{w for w, (_, name) in side.items() if _kind(w, name) == _NUMBER} for side in (a, b)]
        if all(numbers) and not numbers[0] & numbers[1]:
            return False  # every number differs: other facts ("865 delegates in 11 states", "691 … five")
        if weak:
            if all(numbers) and numbers[0] != numbers[1]:
                return False
            names = [{w for w, (_, name) in side.items() if _kind(w, name) == _NAME} for side in (a, b)]
            if all(names) and not names[0] & names[1]:
                return False
        return True

    def bits(self, word: str) -> float:
        """How much a shared word says, in bits: -log2 of the commoner of its two frequencies."""
        if word not in self._bits:
            p = word_frequency(word, "en")
            if self.tokens >= ARCHIVE_TOKENS_MIN:
                p = max(p, self.cf.get(word, 0) / self.tokens)
            self._bits[word] = min(MAX_WORD_BITS, -math.log2(p)) if p > 0 else MAX_WORD_BITS
        return self._bits[word]

    @staticmethod
    def _match(canon: str, code: str, min_words: int = MIN_WORDS) -> Hit | None:
        """canon's best place in code, or None."""
        shorter = min(len(canon), len(code))
        if shorter < min_words:
            return None
        al = fuzz.partial_ratio_alignment(canon, code)
        score = al.score
        if shorter <= SHORT_WORDS and score < 100:
            return None
        weak = False
        if score < ALIGN_MATCH_SCORE:
            if score < PARAPHRASE_SCORE or shorter < PARAPHRASE_MIN_WORDS:
                return None
            weak = True
        if len(canon) <= len(code):
            lo, hi = al.dest_start, al.dest_end
            # partial_ratio windows have the canonical's length; refine the edges with
            # edit operations so that an elided or extended variant is cut where it really ends.
            lo2, hi2 = max(0, lo - ABSORB_WORDS), min(len(code), hi + ABSORB_WORDS)
            ops = Levenshtein.opcodes(canon, code[lo2:hi2])
            kept = [op for op in ops if op.tag != "insert" or 0 < op.src_start < len(canon)]
            matched = [op for op in kept if op.tag == "equal"]
            if matched:
                lo, hi = lo2 + matched[0].dest_start, lo2 + matched[-1].dest_end
        else:
            lo, hi = 0, len(code)
        if hi - lo < min_words:
            return None
        return Hit(score, lo, hi, weak)

    def _absorb(self, toks: list[Token], lo: int, hi: int, text: str) -> tuple[int, int]:
        """Widen a quotation's matched window to the whole quotation when little is left over
        ("Accounts are" moved inside the marks), but not across a sentence's end: a sentence of
        its own before or after the match is another utterance, with a cluster of its own."""
        if 0 < lo <= ABSORB_WORDS and not SENTENCE_END.search(text, toks[lo - 1].start, toks[lo].start):
            lo = 0
        if 0 < len(toks) - hi <= ABSORB_WORDS and not SENTENCE_END.search(text, toks[hi - 1].end, toks[hi].end):
            hi = len(toks)
        return lo, hi

    def _join(self, draft: _Draft, member: _Member, toks: list[Token]) -> None:
        origin = draft.origin
        if not origin.quoted and len(draft.members) == 1:
            # The origin printed these words inside a longer unquoted sentence: narrow the
            # cluster to the part the other outlet actually reused.
            canon = draft.code
            code = self.vocab.encode(t.norm for t in toks)
            if len(code) < len(canon):
                al = fuzz.partial_ratio_alignment(code, canon)
                lo, hi = al.dest_start, al.dest_end
                if hi - lo < len(canon) * 0.8:
                    narrowed = draft.tokens[lo:hi]
                    draft.tokens, draft.code = narrowed, canon[lo:hi]
                    origin.start, origin.end = narrowed[0].start, narrowed[-1].end
        draft.members.append(member)

    def _new_draft(self, member: _Member, toks: list[Token], index: bool = True) -> None:
        draft = _Draft(member, toks, self.vocab.encode(t.norm for t in toks), [member])
        self.drafts.append(draft)
        if not index:
            return
        idx = len(self.drafts) - 1
        for key in self._draft_keys(toks, self.text[member.article]):
            if self._postings_now[key] < MAX_POSTINGS_PER_ARTICLE:
                self._postings_now[key] += 1
                self.index[key].append(idx)

    # -- results ----------------------------------------------------------------

    def clusters(self, rank: dict[str, int]) -> list[Cluster]:
        """Finished clusters: every quotation, and every sentence that another article reused."""
        out = []
        for draft in self.drafts:
            articles = {m.article for m in draft.members}
            if not draft.origin.quoted and len(articles) < 2 and not any(m.quoted for m in draft.members):
                continue
            out.append(self._finish(draft, rank))
        out.sort(key=lambda c: (rank[c.origin], c.variants[0].start, c.variants[0].end))
        return _unique_ids(out)

    def _finish(self, draft: _Draft, rank: dict[str, int]) -> Cluster:
        origin = draft.origin
        otext = self.text[origin.article]
        canonical = otext[origin.start:origin.end]
        otoks = words(tokenize(canonical, origin.start))
        members = sorted(draft.members, key=lambda m: (m is not origin, rank[m.article], m.start))
        variants = []
        seen_texts: list[str] = []
        for m in members:
            text = self.text[m.article][m.start:m.end]
            vtoks = words(tokenize(text, m.start))
            d = classify(otoks, vtoks, self.vocab, origin_quoted=origin.quoted, variant_quoted=m.quoted,
                         origin_text=canonical, variant_text=text, spliced=m.spliced,
                         inherited=m is not origin and inherited_insertions(text, seen_texts),
                         weak_match=m.weak)
            seen_texts.append(text)
            variants.append(Variant(article=m.article, text=text, start=m.start, end=m.end, quoted=m.quoted,
                                    relation=d.relation, changes=d.changes, similarity=d.similarity,
                                    speaker=m.speaker, diff=d.diff))
        cid = _cluster_id(origin.article + ":" + " ".join(t.norm for t in otoks))
        speaker = origin.speaker or next((m.speaker for m in members if m.speaker), None)
        return Cluster(id=cid, canonical=canonical, origin=origin.article, variants=tuple(variants),
                       speaker=speaker, quoted=any(m.quoted for m in members))


_NUMBER, _NAME, _WORD = "number", "name", "word"


def _kind(norm: str, capitalised: bool) -> str:
    if any(ch.isdigit() for ch in norm):
        return _NUMBER
    return _NAME if capitalised else _WORD


def _content(toks: list[Token]) -> dict[str, tuple[int, bool]]:
    """Each word of a wording: how often it occurs, and whether it is written as a name there
    (capitalised, not at the start of a sentence or of the wording)."""
    out: dict[str, tuple[int, bool]] = {}
    prev = None
    for t in toks:
        if t.kind != "word":
            prev = t
            continue
        name = t.raw[:1].isupper() and prev is not None and not (prev.kind == "punct" and prev.raw in ".!?:")
        count, was = out.get(t.norm, (0, True))
        out[t.norm] = (count + 1, was and name)
        prev = t
    return out


def clauses(toks: list[Token], text: str) -> list[tuple[int, int]]:
    """The clauses of a unit as token windows: split where clause punctuation stands between two
    words (text is the article, which token offsets index) and at ellipses."""
    out, lo = [], 0
    for i, t in enumerate(toks):
        if t.kind == "ellipsis":
            if i > lo:
                out.append((lo, i))
            lo = i + 1
        elif i + 1 < len(toks) and CLAUSE_MARK.search(text, t.end, toks[i + 1].start):
            out.append((lo, i + 1))
            lo = i + 1
    if lo < len(toks):
        out.append((lo, len(toks)))
    return out


def _gaps(covered: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The stretches of range(n) outside the sorted, disjoint covered windows."""
    out, at = [], 0
    for lo, hi in covered:
        if lo > at:
            out.append((at, lo))
        at = max(at, hi)
    if at < n:
        out.append((at, n))
    return out


def _cluster_id(key: str) -> str:
    return "q" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def _unique_ids(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters with ids unique in the story, in the given (deterministic) order.

    An id is the origin article plus the normalised words, so that it survives changes elsewhere
    in the story. An article that prints the same words twice (a pull quote, a repeated slogan)
    makes two clusters of one key: the second and later in text order get the key plus their
    ordinal, which is as stable as the text itself.
    """
    seen: set[str] = set()
    out = []
    for cluster in clusters:
        cid, n = cluster.id, 1
        while cid in seen:
            n += 1
            cid = _cluster_id(f"{cluster.id}#{n}")
        seen.add(cid)
        out.append(cluster if cid == cluster.id else replace(cluster, id=cid))
    return out
