"""Alignment: find each quotation and sentence in every other article and group them into clusters.

Three steps, each a pure function, so that a story of any size runs them the same way (in one
process, compare/comparison.py, or as stages over partitions on Dask: pressdiff/scale/plan.py):

1. `Lexicon`: the archive's words, as alignment weighs them (a reduction over every article).
2. `prepare_units` (per article, independent): the article's units (its quotations, and its
   sentences holding none), each with its tokens as word ids and its index keys. Words are
   encoded one character per word id, so rapidfuzz's partial-ratio alignment and edit
   operations run on words rather than letters.
3. `Aligner` (one ordered pass over every article's units, earliest article first): each unit
   is matched against the clusters so far or starts new ones. Candidates come from an inverted
   index of rarer words, so a unit is never compared with every cluster. Its result, one
   `ClusterDraft` per cluster, is finished (`finish_cluster`: drift, per cluster, independent).

The pass is ordered and global on purpose: which cluster a unit joins depends on every cluster
an earlier unit started, and the candidate graph of real news is one component (97% of
PolNeAR's units share keys with each other, 90% of a generated 10,000-article corpus's), so it
cannot be cut into independent parts without changing the answer. What the pass needs is made
in parallel by step 2, and its memory is the index and the clusters' words, not the texts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from lemminflect import getAllLemmas
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from wordfreq import word_frequency

from pressdiff.core.dates import DAY, MOMENT, precision
from pressdiff.core.errors import WorkError
from pressdiff.core.records import Article, Cluster, Quote, Relation, Unit, Variant

from .drift import classify_variant, inherited_insertions
from .entities import is_entity
from .keyindex import KeyIndex
from .relations import Contents, kind_of, quote_attribution, reporting_cue
from .report import relation_from_json, relation_json
from .settings import (
    ABBREVIATION_MAX_CHARS,
    ABSORB_WORDS,
    ALIGN_MATCH_SCORE,
    ARCHIVE_TOKENS_MIN,
    CARRIER_REST_MIN_WORDS,
    COMMON_DF_SHARE,
    COMMON_MIN_ARTICLES,
    CONTENT_MIN_CHARS,
    COPIED_RUN_WORDS,
    COUNT_NUMBERS,
    EMBED_BYLINE_MAX_WORDS,
    EVIDENCE_MARGIN_BITS,
    EXACT_QUOTE_EVIDENCE,
    FRAGMENT_LOOKUP,
    FRAGMENT_RARE_BITS,
    FRAGMENT_STEP,
    FRAGMENT_WINDOW,
    FRAGMENT_WORDS,
    MAGNITUDE_WORDS,
    MAX_CANDIDATES,
    MAX_PIECES,
    MAX_POSTINGS_PER_ARTICLE,
    MAX_WORD_BITS,
    MIN_EVIDENCE_FLOOR,
    MIN_QUOTED_WORDS,
    MIN_WORDS,
    NAME_TITLES,
    NAME_WEIGHT,
    NARROW_SHARE,
    NUMBER_WORDS,
    ORDINALS,
    PARAPHRASE_MIN_WORDS,
    PARAPHRASE_SCORE,
    QUOTED_ORIGIN_MARGIN,
    RARE_WORD_BITS,
    RARE_WORDS,
    REFILL_RUN_WORDS,
    RENDERING_AGREEMENT,
    RENDERING_CARRIERS,
    RENDERING_DAYS,
    RENDERING_MIN_WORDS,
    RENDERING_WHOLE_EVIDENCE,
    RENDERING_WORDS,
    REPORTER_WORDS_SHARE,
    REST_MIN_WORDS,
    SHORT_WORDS,
    SINGLE_MAX_DF,
    SPEAKER_CONFLICT_COVER,
    SPEAKER_CONFLICT_SCORE,
    SPEAKER_CONFLICT_WORDS,
    SPEAKER_EXACT_DATED_WORDS,
    SPEAKER_EXACT_WORDS,
    SPELLING_MIN_CHARS,
    SPELT_NUMBERS,
    STOCK_BITS,
    STOCK_MAX_WORDS,
    STOCK_WORDS,
    STOPWORDS,
    TERM_QUOTE_WORDS,
    UNQUOTED_WORD_SHARE,
    WEAK_EVIDENCE,
    WINDOW,
    WINDOW_RARE,
    WINDOW_STEP,
)
from .speakers import holder_names, is_organisation
from .synonyms import senses
from .text import Token, Vocabulary, sentences, sentences_outside, tokenize, word_bounds, words

# Markup left in a text by its extraction (an embedded tweet's attributes, a video link's tag)
# is nobody's utterance: two pages with the same embed code share it without quoting anyone.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s+[\w-]+=[^<>]*)?\s*/?>|\b[A-Za-z][\w-]*=\"")
# So is an embedded post's attribution line ("— Harbour Union (@harbourunion) March 2, 2026",
# "A post shared by Name (@handle) on Mar 2, 2026 at 9:00am PST"): a byline, which every page
# embedding that post carries.
EMBED_BYLINE = re.compile(r"\(@\w{1,30}\)\s+(?:on\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}\b")
# An embedded post as extraction leaves it: its text, then "— Author Name (@handle) March 2, 2026"
# at the end of its paragraph (Twitter's embed). The text is the author's words printed verbatim,
# as a quotation is (units_of): "They will pay a very BIG PRICE!" in one outlet's embedded tweet is
# the remark another quotes as Trump's "pay a very big price".
EMBED_POST = re.compile(r"[—–]\s*(?P<author>[^\n—–()@]{2,60}?)\s*\(@\w{1,30}\)\s+(?:on\s+)?[A-Z][a-z]{2,8}\.?\s+"
                        r"\d{1,2},\s+\d{4}\b")
# Clause boundaries inside a unit: a quotation that matches no cluster whole is tried clause by
# clause ("It happens to all of us. We regret the poor decision that was taken on Monday"), and
# each cluster is keyed by its clauses too. Marks between two words, or an ellipsis.
SENTENCE_END = re.compile(r"[.!?\u2026]")
CLAUSE_MARK = re.compile(r"[,;:.!?()\u2014\u2013\u2026]|\s-\s")

ELLIPSIS = "…"  # the norm of every ellipsis token
# A word id is one character of a code string, skipping the surrogate range (which no str may
# hold alone), and an index key packs one or two ids into an int: KEY_BITS each.
_SURROGATES = 0xD800
_SKIP = 0x800
TITLE_WORDS = frozenset(NAME_TITLES.lower().split("|"))  # "Mr" for "Donald": a title, not another name
KEY_BITS = 21
MAX_WORDS = min(0x10FFFF - _SKIP, (1 << KEY_BITS) - 2)


def _char(word_id: int) -> str:
    return chr(word_id if word_id < _SURROGATES else word_id + _SKIP)


def _id(char: str) -> int:
    o = ord(char)
    return o if o < _SURROGATES else o - _SKIP


def _index_key(a: int, b: int = -1) -> int:
    """The index key of one word (a single) or of a pair of words (a < b)."""
    return ((a + 1) << KEY_BITS) | (b + 1)


# -- 1. the archive's words -----------------------------------------------------------------

@dataclass
class Lexicon:
    """The archive's words as alignment weighs them: an id for each normalised word, ids in
    the words' sorted order (so that comparing ids compares words), each word's document
    frequency (articles using it), its information in bits, and whether it is a stop word
    or holds a digit."""

    words: list[str]
    df: array
    cf: array
    tokens: int  # word tokens in the archive
    articles: int = 0  # articles in the archive (0: its commonest word's document frequency)

    def __post_init__(self):
        if len(self.words) > MAX_WORDS:
            raise WorkError(f"the archive holds {len(self.words):,} distinct words; alignment encodes at most "
                            f"{MAX_WORDS:,}")
        self.ids = {w: i for i, w in enumerate(self.words)}
        self.stop = bytes(w in STOPWORDS for w in self.words)
        self.number = bytes(any(ch.isdigit() for ch in w) for w in self.words)
        self.articles = self.articles or max(self.df, default=0)
        # Common in this archive (settings: COMMON_DF_SHARE): a word that most of the story's
        # articles use is everyday vocabulary here, however rare in English ("probation" and "DUI"
        # in coverage of drink-driving arrests).
        common = COMMON_DF_SHARE * self.articles if self.articles >= COMMON_MIN_ARTICLES else math.inf
        self.common = bytes(d >= common for d in self.df)
        self.ellipsis = self.ids[ELLIPSIS]
        self.min_bits = max(MIN_EVIDENCE_FLOOR, 2 * math.log2(max(2, self.tokens)) + EVIDENCE_MARGIN_BITS)
        # A rare word: rarer than RARE_WORD_BITS in English and in the archive, or, in an archive
        # of fewer words than that measures (under 65,536), one it holds once.
        self.rare_bits = RARE_WORD_BITS if self.tokens < ARCHIVE_TOKENS_MIN else \
            min(RARE_WORD_BITS, math.log2(self.tokens))
        self._bits: dict[int, float] = {}

    @classmethod
    def from_counts(cls, df: dict[str, int], cf: dict[str, int], articles: int = 0) -> Lexicon:
        """From word counts summed over the archive: articles using each word, and its occurrences
        (and the number of articles, where known)."""
        words_ = sorted(set(df) | {ELLIPSIS})
        return cls(words_, array("q", (df.get(w, 0) for w in words_)), array("q", (cf.get(w, 0) for w in words_)),
                   sum(cf.values()), articles)

    @property
    def df_of(self) -> DocumentFrequency:
        """Each normalised word's article count, looked up by the word."""
        return DocumentFrequency(self)

    def english_bits(self, w: int) -> float:
        """-log2 of a word's frequency in English at large (wordfreq), whatever the archive says."""
        p = word_frequency(self.words[w], "en")
        return min(MAX_WORD_BITS, -math.log2(p)) if p > 0 else MAX_WORD_BITS

    def story_weight(self, w: int) -> float:
        """How much of a word's information survives the story's own use of it, from 1 (a word fewer
        than COMMON_DF_SHARE of the articles use) down to 0 (a word every article uses): the ratio of
        its inverse document frequency, log(articles / df), to that of the common share, log(4)."""
        if not self.common[w]:
            return 1.0
        return math.log(self.articles / self.df[w]) / math.log(1 / COMMON_DF_SHARE)

    def bits(self, w: int) -> float:
        """How much a shared word says, in bits: -log2 of the commoner of its two frequencies."""
        found = self._bits.get(w)
        if found is None:
            p = word_frequency(self.words[w], "en")
            if self.tokens >= ARCHIVE_TOKENS_MIN:
                p = max(p, self.cf[w] / self.tokens)
            found = self._bits[w] = min(MAX_WORD_BITS, -math.log2(p)) if p > 0 else MAX_WORD_BITS
        return found

    # index keys: pairs among the rarest words of a text, and single rare words

    def pairs(self, ids, k: int) -> set[int]:
        df, stop = self.df, self.stop
        words_ = {w for w in ids if not stop[w]} or set(ids)
        rarest = sorted(words_, key=lambda w: (df[w], w))[:k]
        if len(rarest) == 1:
            return {_index_key(rarest[0])}
        return {_index_key(a, b) for a, b in combinations(sorted(rarest), 2)}

    def singles(self, ids, k: int) -> set[int]:
        """Keys of single words: the k rarest of ids, if rare enough in the archive."""
        df, stop = self.df, self.stop
        rare = sorted({w for w in ids if df[w] <= SINGLE_MAX_DF and not stop[w]}, key=lambda w: (df[w], w))[:k]
        return {_index_key(w) for w in rare}

    def keys(self, ids) -> set[int]:
        """Index keys of a text (its word ids): pairs among its rarest words, overall and in each window."""
        keys = self.pairs(ids, RARE_WORDS)
        if len(ids) > WINDOW:
            for i in range(0, len(ids) - WINDOW_STEP, WINDOW_STEP):
                keys |= self.pairs(ids[i:i + WINDOW], WINDOW_RARE)
        return keys

    def lookup_keys(self, ids) -> set[int]:
        """The keys a text looks its candidates up under: its own, and for a short text its
        FRAGMENT_LOOKUP rarest words alone."""
        keys = self.keys(ids)
        if len(ids) <= WINDOW:
            keys |= self.singles(ids, FRAGMENT_LOOKUP)
        return keys


class DocumentFrequency:
    """A Lexicon's article counts as a read-only mapping of words (0 for a word it lacks)."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def get(self, word: str, default: int = 0) -> int:
        i = self.lexicon.ids.get(word)
        return default if i is None else self.lexicon.df[i]


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """A word's possible lemmas (lemminflect, every part of speech): "gave" -> {give}, "lives" ->
    {life, live}; the word itself where lemminflect knows none."""
    found = {lemma for forms in getAllLemmas(word).values() for lemma in forms}
    return frozenset(found or {word})


def word_counts(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """One article's contribution to the Lexicon: (1 for each word it uses, its occurrences)."""
    cf: dict[str, int] = defaultdict(int)
    for t in tokenize(text):
        if t.kind == "word":
            cf[t.norm] += 1
    return dict.fromkeys(cf, 1), dict(cf)


def lexicon_of(articles: list[Article]) -> Lexicon:
    """The Lexicon of a set of articles held in memory."""
    df: dict[str, int] = defaultdict(int)
    cf: dict[str, int] = defaultdict(int)
    for a in articles:
        d, c = word_counts(a.text)
        for w in d:
            df[w] += 1
        for w, n in c.items():
            cf[w] += n
    return Lexicon.from_counts(df, cf, len(articles))


# -- 2. units ---------------------------------------------------------------------------------

def units_of(article: Article, quotes: list[Quote], relations: Sequence[Relation] = ()) -> list[Unit]:
    """An article's alignable units: its quotations, the contents of its indirect attributions ("X
    said that …", one unit per sentence or clause of it: a remark one outlet quotes and another
    reports is one cluster) and the unquoted content parts of its mixed ones ("Gaskin said the
    deaths were a reminder … 'I can't speak for …'"), and the rest of its sentences that hold no
    quotation but a term of a few words or quotations far shorter than the reporter's own words. Each unit carries the attribution that holds it; one with no source mention is no
    one's (the tagger's cue alone: "told to stop criticizing …")."""
    text = article.text
    sourced = [r for r in relations if r.source is not None]
    contents = Contents(sourced)
    units = [Unit(article.id, q.start, q.end, q.text, True, q.speaker, quote_attribution(text, q, contents))
             for q in quotes]
    quoted = sorted((q.start - 1, q.end + 1) for q in quotes)
    sents = sentences(text)
    firsts = [s for s, _ in sents]
    reported = []
    roles = sorted((x.start, x.end) for r in relations for x in (*r.content, r.source, r.cue) if x is not None)
    for r in sourced:
        for c in r.content if r.cue is None or reporting_cue(r.cue) else ():
            if r.kind != "indirect" and kind_of(text, (c,)) != "indirect":
                continue  # a quoted part (a quotation is its own unit); a mixed relation's unquoted part is reported speech
            cs, ce = word_bounds(text, c.start, c.end)
            at = _sentence_of(firsts, ce - 1)
            ce = _run_on(text, ce, sents[at][1], roles, quoted) if at >= 0 else ce
            i = max(0, bisect.bisect_right(firsts, cs) - 1)
            while i < len(sents) and sents[i][0] < ce:
                for s, e in _outside(text, max(cs, sents[i][0]), min(ce, sents[i][1]), quoted):
                    reported.append((s, e))
                    units.append(Unit(article.id, s, e, text[s:e], False, r.speaker, attribution=r))
                i += 1
    reported.sort()
    frames = sorted(f for f in (_frame(r) for r in sourced if r.cue is not None and reporting_cue(r.cue))
                    if _sentence_of(firsts, f[0]) == _sentence_of(firsts, f[1] - 1))
    posts = embedded_posts(text)
    spans = [(s, e) for s, e, _ in posts]
    # A quotation of a few words inside a reporter's sentence (a term: "high", "godfather", "make
    # America whole again") does not make the sentence someone's utterance: the sentence is the
    # reporter's, reused or rendered by other outlets like any other (settings: TERM_QUOTE_WORDS).
    holding = [q for q in quotes if len(words(tokenize(q.text))) > TERM_QUOTE_WORDS]
    if holding:
        # A sentence mostly in the reporter's own words around a short quotation ("The ministry said
        # it would send 300 engineers to the port at once 'as a temporary and limited measure'") is
        # the reporter's too (settings: REPORTER_WORDS_SHARE).
        minor = _minor_quotes(text, sents, quotes)
        holding = [q for q in holding if id(q) not in minor]
    for s, e in sentences_outside(text, holding):
        for ps, pe in _outside(text, s, e, reported):
            for qs, qe in _outside(text, ps, pe, spans):
                if not _within(frames, qs, qe):  # "Angels general manager Tony Reagins confirmed": who, not what
                    units.append(Unit(article.id, qs, qe, text[qs:qe], False))
            for post_start, post_end, author in posts[max(0, bisect.bisect_left(spans, (ps,)) - 1):]:
                if post_start >= pe:
                    break
                for qs, qe in _outside(text, max(ps, post_start), min(pe, post_end), []):
                    units.append(Unit(article.id, qs, qe, text[qs:qe], True, author, post=True))
    units.sort(key=lambda u: (u.start, not u.quoted))
    return units


def _minor_quotes(text: str, sents, quotes) -> set[int]:
    """The quotations (by id) that stand inside one sentence whose words outside its quotations are
    at least REPORTER_WORDS_SHARE times its quoted words: a short quotation set in a reporter's
    sentence, not a remark the sentence is built round."""
    out: set[int] = set()
    by_start = sorted(quotes, key=lambda q: q.start)
    starts = [q.start for q in by_start]
    for s, e in sents:
        inside = by_start[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
        if not inside or any(q.end > e for q in inside) or any(q.start < s <= q.end for q in by_start):
            continue
        quoted = sum(len(words(tokenize(q.text))) for q in inside)
        total = len(words(tokenize(text[s:e])))
        if quoted and total - quoted >= REPORTER_WORDS_SHARE * quoted:
            out.update(id(q) for q in inside)
    return out


def _run_on(text: str, end: int, sentence_end: int, roles: list[tuple[int, int]],
            quoted: list[tuple[int, int]]) -> int:
    """A reported content's end, run on to its sentence's last word where the rest of the sentence
    holds no role of any attribution and no quotation ("Pennings said Williams gave a blood sample
    for a blood-alcohol test[, but the results are not yet known]."): where the tagger cuts a
    sentence varies from one model to the next, and the rest, a unit of its own, is a fragment
    that matches nothing, while the remark's other carriers print the whole sentence."""
    rest = text[end:sentence_end]
    if not any(ch.isalnum() for ch in rest):
        return end
    for spans in (roles, quoted):
        i = bisect.bisect_left(spans, (end,))
        if (i < len(spans) and spans[i][0] < sentence_end) or any(e > end for _, e in spans[max(0, i - 8):i]):
            return end  # the rest is another relation's, or says who spoke: cut where the tagger cut
    return end + len(rest.rstrip(" \t\n.!?;:"))


def _frame(r: Relation) -> tuple[int, int]:
    """An attribution's frame: its source and cue, and the words between them and its content
    ("Angels general manager Tony Reagins confirmed to the Los Angeles Times that"; ", the
    California Highway Patrol said"). Within a sentence, it says who spoke, not what was said:
    never a unit of its own (units_of)."""
    lo, hi = min(r.source.start, r.cue.start), max(r.source.end, r.cue.end)
    if r.content and r.content[0].start >= hi:
        hi = r.content[0].start
    elif r.content and r.content[-1].end <= lo:
        lo = r.content[-1].end
    return lo, hi


def _sentence_of(firsts: list[int], pos: int) -> int:
    """The index of the sentence holding pos, by the sentences' first offsets."""
    return bisect.bisect_right(firsts, pos) - 1


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether text[start:end] lies inside one of the sorted spans."""
    i = bisect.bisect_right(spans, (start, math.inf))
    return any(s <= start and end <= e for s, e in spans[max(0, i - 8):i])


def embedded_posts(text: str) -> list[tuple[int, int, str]]:
    """Each embedded post's text (its paragraph up to the dash of its attribution line, EMBED_POST)
    and its author as the line names them, in order."""
    out = []
    for m in EMBED_POST.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start < m.start() and (not out or out[-1][1] <= start):
            out.append((start, m.start(), m.group("author").strip()))
    return out


_PART_OPENERS = " \t\n\r,;:"


def _outside(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of text[start:end] outside the sorted, disjoint spans taken, edge spaces off, and
    the commas, semicolons and colons a part opens with (the rest of a sentence after a reported
    content: ", according to a memo first reported by …")."""
    parts = []
    for s, e in _gaps(taken[max(0, bisect.bisect_left(taken, (start,)) - 1):], start, end):
        chunk = text[s:e]
        s, e = s + len(chunk) - len(chunk.lstrip(_PART_OPENERS)), e - len(chunk) + len(chunk.rstrip())
        if s < e:
            parts.append((s, e))
    return parts


@dataclass(frozen=True)
class PreparedUnit:
    """A unit ready for the ordered pass: its word and ellipsis tokens as arrays (offsets into
    the article's text), its code (one character per token's word id), and its index keys."""

    article: str
    start: int
    end: int
    text: str
    quoted: bool
    speaker: str | None
    markup: bool  # holds markup left by extraction: kept as the article's own, never linked
    code: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    caps: int  # bit i: token i is capitalised
    breaks: int  # bit i: clause punctuation stands between token i and token i + 1
    lookup: frozenset[int]  # the keys the whole unit is looked up under
    index: frozenset[int]  # the keys a cluster started by the whole unit is indexed under
    attribution: str | None = None  # the relation whose content covers it, as relation_json's text
    post: bool = False  # an embedded post's sentence (Unit.post): quoted for the pass, unquoted in the output


def clause_spans(n: int, breaks: int, ellipses: list[bool], lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """The clauses of tokens lo..hi (absolute token indices): split where clause punctuation stands
    between two of its words and at ellipses."""
    hi = n if hi is None else hi
    out, start = [], lo
    for i in range(lo, hi):
        if ellipses[i]:
            if i > start:
                out.append((start, i))
            start = i + 1
        elif i + 1 < hi and breaks >> i & 1:
            out.append((start, i + 1))
            start = i + 1
    if start < hi:
        out.append((start, hi))
    return out


def prepare_units(article: Article, quotes: list[Quote], lexicon: Lexicon,
                  relations: Sequence[Relation] = ()) -> list[PreparedUnit]:
    """An article's units (units_of) with their tokens and keys: what the ordered pass needs."""
    ids = lexicon.ids
    out = []
    for unit in units_of(article, quotes, relations):
        toks = words(tokenize(unit.text, unit.start))
        markup = bool(MARKUP.search(unit.text)) or (
            len(toks) <= EMBED_BYLINE_MAX_WORDS and bool(EMBED_BYLINE.search(unit.text)))
        code = "".join(_char(ids[t.norm]) for t in toks)
        caps = sum(1 << i for i, t in enumerate(toks) if t.raw[:1].isupper())
        breaks = sum(1 << i for i in range(len(toks) - 1)
                     if CLAUSE_MARK.search(unit.text, toks[i].end - unit.start, toks[i + 1].start - unit.start))
        word_ids = [ids[t.norm] for t in toks if t.kind == "word"]
        lookup: set[int] = set()
        index: set[int] = set()
        if not markup and toks:
            lookup = lexicon.lookup_keys(word_ids)
            ellipses = [t.kind == "ellipsis" for t in toks]
            index = _draft_keys(lexicon, code, breaks, ellipses, 0, len(toks))
        out.append(PreparedUnit(unit.article, unit.start, unit.end, unit.text, unit.quoted, unit.speaker, markup,
                                code, tuple(t.start for t in toks), tuple(t.end for t in toks), caps, breaks,
                                frozenset(lookup), frozenset(index), relation_json(unit.attribution), unit.post))
    return out


def _word_ids(lexicon: Lexicon, code: str) -> list[int]:
    e = lexicon.ellipsis
    return [w for w in map(_id, code) if w != e]


def _draft_keys(lexicon: Lexicon, code: str, breaks: int, ellipses: list[bool], lo: int, hi: int) -> set[int]:
    """Index keys of a cluster started by tokens lo..hi: its own, its clauses' and its fragments'
    (rare single words)."""
    ids = _word_ids(lexicon, code[lo:hi])
    keys = lexicon.keys(ids)
    parts = clause_spans(len(code), breaks, ellipses, lo, hi)
    if len(parts) > 1:
        for a, b in parts:
            keys |= lexicon.pairs(_word_ids(lexicon, code[a:b]), RARE_WORDS)
    for i in range(0, max(1, len(ids) - FRAGMENT_WINDOW + 1), FRAGMENT_STEP):
        keys |= lexicon.singles(ids[i:i + FRAGMENT_WINDOW], 1)
    return keys


# -- 3. the ordered pass ------------------------------------------------------------------------

@dataclass(slots=True)
class Member:
    """One article's carriage of a cluster: where it is, and how it was matched."""

    article: str
    start: int
    end: int
    quoted: bool
    speaker: str | None
    text: str
    spliced: bool = False
    weak: bool = False
    attribution: str | None = None  # relation_json's text, as the unit carried it
    post: bool = False  # an embedded post's sentence: quoted for the pass, not in the output (Unit.post)
    seq: int = 0  # the number of its unit among its article's units (a passage reused on: Aligner._best)

    @property
    def marked(self) -> bool:
        """Whether the article prints these words inside quotation marks (SPEC's `quoted`)."""
        return self.quoted and not self.post


@dataclass(slots=True)
class _Draft:
    origin: Member
    code: str  # one character per token, from the origin's tokens (narrowed: a part of them)
    caps: int
    members: list[Member] = field(default_factory=list)
    # other carriers' wordings (code, caps), up to RENDERING_CARRIERS, quoted ones where the origin
    # is quoted and unquoted ones where it is not: a rendering, or a reused sentence that matches the
    # origin's wording only loosely, is compared with each, as outlets cut, edit and translate one
    # remark differently; a tuple, as most
    # drafts have none and the empty tuple is one shared object (an empty list is 56 bytes each)
    carriers: tuple[tuple[str, int], ...] = ()


class Hit(NamedTuple):
    """Where a cluster's wording lies in a unit: the similarity, and the window of the unit's tokens."""

    score: float
    lo: int
    hi: int
    weak: bool  # a paraphrase-strength match, which needs more evidence
    clo: int = 0  # the window of the cluster's wording it matched (all of it when that is shorter)
    chi: int = 0


class Piece(NamedTuple):
    """A window of a unit matched to one cluster (several pieces: a splice)."""

    draft: _Draft
    lo: int
    hi: int
    weak: bool
    clause: bool  # one of a quotation's clauses, tried because the whole quotation matched nothing


@dataclass(frozen=True)
class ClusterDraft:
    """A cluster as the ordered pass leaves it: its origin's wording and every member, with the
    rank of each member's article; finish_cluster classifies it."""

    origin: Member
    canonical: str
    members: tuple[Member, ...]
    ranks: tuple[int, ...]  # the rank of each member's article

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Clusters are listed by their origin article's rank, then its place there."""
        return self.ranks[self.members.index(self.origin)], self.origin.start, self.origin.end


class Aligner:
    """Greedy clustering over articles in origin-preference order (earliest first).

    brute=True verifies every cluster for every unit (no index): the recall baseline of
    bench/align.py, quadratic, for small corpora only.
    """

    def __init__(self, lexicon: Lexicon, brute: bool = False, days: dict[str, int] | None = None):
        self.lx = lexicon
        self.days = days or {}  # each article's publication day (an ordinal), where known to the day
        self.drafts: list[_Draft] = []
        self.index = KeyIndex()  # key -> the drafts indexed under it
        self.brute = brute
        self._postings_now: dict[int, int] = defaultdict(int)
        # for the unit being matched (the article's unit number self._seq), the number of the unit
        # that carries the passage the article's previous unit joined, in each other article carrying
        # it; empty when that unit joined nothing
        self._after: dict[str, int] = {}
        self._seq = 0

    # -- building ---------------------------------------------------------------

    def add_units(self, units: list[PreparedUnit]) -> None:
        """Match every unit of one article against existing clusters, or start new ones."""
        self._postings_now = defaultdict(int)  # this article's postings, per key
        lx = self.lx
        after: dict[str, int] = {}  # where the previous unit's passage is in the other articles carrying it
        self._seq = 0
        for u in units:
            n = len(u.code)
            nwords = sum(1 for c in u.code if _id(c) != lx.ellipsis)
            if not nwords and not u.markup:
                continue  # punctuation left between two units: no unit of its own
            self._seq += 1
            self._after, after = after, {}
            if u.markup:
                if u.quoted and n:  # kept as the article's own, never linked
                    self._new_draft(u, Member(u.article, u.start, u.end, True, u.speaker, u.text,
                                              attribution=u.attribution, post=u.post), 0, n, index=False)
                continue
            if nwords < MIN_WORDS and not u.quoted:
                continue
            pieces = self._pieces(u)
            after = {m.article: m.seq for p in pieces for m in p.draft.members if m.article != u.article}
            if not pieces:
                if n:
                    self._new_draft(u, Member(u.article, u.start, u.end, u.quoted, u.speaker, u.text,
                                              attribution=u.attribution, post=u.post, seq=self._seq), 0, n)
                continue
            spliced = u.quoted and len(pieces) > 1
            covered = []
            for piece in pieces:
                lo, hi = piece.lo, piece.hi
                if u.quoted and len(pieces) == 1 and not piece.clause:
                    lo, hi = self._absorb(u, lo, hi)
                self._join(piece.draft, self._member(u, lo, hi, spliced, piece.weak), u, lo, hi)
                covered.append((lo, hi))
            # The rest of a quotation that only partly matched others is the article's own
            # utterance: it forms clusters of its own rather than being lost. So is a sentence's
            # worth left of a reporter's sentence that reused only part of another's, as the rest of
            # an origin's sentence is (_keep_rest): which outlet printed the sentence first does not
            # decide whether a later one can still reuse its other part (settings: CARRIER_REST_MIN_WORDS).
            least = MIN_WORDS if u.quoted else CARRIER_REST_MIN_WORDS
            for lo, hi in _gaps(covered, 0, n):
                if len(_word_ids(lx, u.code[lo:hi])) >= least:
                    self._new_draft(u, self._member(u, lo, hi), lo, hi)

    def _member(self, u: PreparedUnit, lo: int, hi: int, spliced: bool = False, weak: bool = False) -> Member:
        start, end = u.starts[lo], u.ends[hi - 1]
        return Member(u.article, start, end, u.quoted, u.speaker, u.text[start - u.start:end - u.start],
                      spliced=spliced, weak=weak, attribution=u.attribution, post=u.post, seq=self._seq)

    def _ellipses(self, u: PreparedUnit) -> list[bool]:
        e = _char(self.lx.ellipsis)
        return [c == e for c in u.code]

    def _pieces(self, u: PreparedUnit) -> list[Piece]:
        """Disjoint windows of the unit, each matched to one cluster (several: a splice), in order."""
        found: list[Piece] = []
        free = [(0, len(u.code), False)]
        used: set[int] = set()
        while free and len(found) < MAX_PIECES:
            lo, hi, clause = max(free, key=lambda w: w[1] - w[0])
            if hi - lo < (MIN_QUOTED_WORDS if u.quoted else MIN_WORDS):
                break
            best = self._best(u, lo, hi, used)
            free.remove((lo, hi, clause))
            if best is None:
                if u.quoted:  # a quotation may share one of its clauses with another
                    parts = clause_spans(len(u.code), u.breaks, self._ellipses(u), lo, hi)
                    if len(parts) > 1:
                        free += [(a, b, True) for a, b in parts if b - a >= MIN_WORDS]
                continue
            idx, hit = best
            used.add(idx)
            found.append(Piece(self.drafts[idx], lo + hit.lo, lo + hit.hi, hit.weak, clause))
            free += [(a, b, clause) for a, b in ((lo, lo + hit.lo), (lo + hit.hi, hi)) if b - a >= MIN_WORDS]
        found.sort(key=lambda p: p.lo)
        return found

    def _candidates(self, u: PreparedUnit, lo: int, hi: int) -> list[int]:
        """Clusters sharing pairs of the window's rarest words (or, for a short window, one of its
        rarest words), most shared first."""
        if self.brute:
            return list(range(len(self.drafts)))
        keys = u.lookup if (lo, hi) == (0, len(u.code)) else self.lx.lookup_keys(_word_ids(self.lx, u.code[lo:hi]))
        counts = self.index.counts(keys)
        if len(counts) <= MAX_CANDIDATES:
            return sorted(counts, key=lambda idx: (-counts[idx], idx))
        return [idx for idx, _ in heapq.nlargest(MAX_CANDIDATES, counts.items(), key=lambda kv: (kv[1], -kv[0]))]

    def _best(self, u: PreparedUnit, lo: int, hi: int, used: set[int]) -> tuple[int, Hit] | None:
        """The best-scoring candidate cluster for tokens lo..hi of the unit that the evidence rule
        allows: its index and where it matched (within the window)."""
        code = u.code[lo:hi]
        first, last = u.starts[lo], u.ends[hi - 1]
        best = None
        for idx in self._candidates(u, lo, hi):
            draft = self.drafts[idx]
            if idx in used or draft.origin.article == u.article:
                continue
            # the pass adds an article's members after all earlier articles': only a draft whose last
            # member is this article's can hold one already
            if draft.members[-1].article == u.article and \
                    any(m.article == u.article and m.start <= first and last <= m.end for m in draft.members):
                continue
            both_quoted = u.quoted and draft.origin.quoted
            unquoted = not u.quoted and not draft.origin.quoted
            # the sentence after one this article shares with the origin's article, matched to the
            # sentence after it there: a passage reused on, which needs no evidence of its own
            at = self._after.get(draft.origin.article)
            continued = unquoted and at is not None and draft.origin.seq == at + 1
            said = _speaker_evidence(u.speaker, draft.origin.speaker)
            # renderings: quoted on both sides within the story's days, or credited to one speaker
            # for certain on both sides, quoted or reported ("Fanning said the gunman entered …")
            dated = both_quoted and self._same_time(u.article, draft.origin.article)
            same_time = dated or (
                said > 0 and (u.quoted or u.attribution is not None)
                and (draft.origin.quoted or draft.origin.attribution is not None))
            min_words = MIN_QUOTED_WORDS if both_quoted else MIN_WORDS
            paraphrase_words = RENDERING_MIN_WORDS if same_time else PARAPHRASE_MIN_WORDS
            hit = self._match(draft.code, code, min_words, paraphrase_words=paraphrase_words)
            wording, wcaps = draft.code, draft.caps
            if hit is None and u.quoted != draft.origin.quoted:
                # a quotation and a reporter's sentence carrying a run of it word for word, the rest
                # in the reporter's words: the quotation reported in another cut (settings: COPIED_RUN_WORDS)
                hit = self._copied_hit(draft.code, code)
            if unquoted:
                # a reused sentence as another carrier of the cluster prints it (another cut, other
                # edits): the closest wording is compared, not only the origin's, also where the
                # origin's matches too (settings: RENDERING_CARRIERS)
                for c, k in draft.carriers:
                    found = self._match(c, code, min_words, paraphrase_words=paraphrase_words)
                    if found and not found.weak and (hit is None or found.score > hit.score):
                        hit, wording, wcaps = found, c, k
            if hit and said < 0 and not self._overwhelming(hit, draft):
                continue  # two people surely apart: only overwhelming text evidence makes it one remark
            if hit and unquoted and self._refilled(wording, wcaps, hit, code, u.caps, lo):
                # one template, other names or numbers: "stopped Tony Thompson in the sixth round";
                # unless a sentence's worth of it is one run word for word (a lead glued to a
                # headline whose time differs), which is then the match
                hit = self._long_run(wording, wcaps, code, u.caps >> lo, hit)
                if hit is None:
                    continue
            if hit and not (best is None or self._better(hit, draft, best)):
                continue
            if hit:
                # a paraphrase-strength match shorter than PARAPHRASE_MIN_WORDS: only as a rendering
                rendering_only = hit.weak and min(len(wording), len(code)) < PARAPHRASE_MIN_WORDS
                mine = self._content(wording, wcaps, 0)
                theirs = self._content(code[hit.lo:hit.hi], u.caps, lo + hit.lo)
                if not rendering_only and ((continued and not hit.weak) or self._evident(
                        mine, theirs, hit.weak, exact_quote=both_quoted and hit.score == 100, unquoted=unquoted,
                        one_speaker=said > 0, dated=dated) or (
                        unquoted and hit.weak and (copied := self._copied_run(wording, hit, code))
                        and self._evident(mine, theirs, True, unquoted=True, one_speaker=said > 0, copied=copied))):
                    best = (idx, hit)
                    continue
            if same_time and said >= 0:
                found = self._rendering(draft, hit if wording is draft.code else None, code, u.caps, lo, min_words,
                                        one_speaker=said > 0)
                if found and (best is None or self._better(found, draft, best)):
                    best = (idx, found)
        return best

    def _rendering(self, draft: _Draft, hit: Hit | None, code: str, caps: int, lo: int, min_words: int,
                   one_speaker: bool = False) -> Hit | None:
        """The unit's window read as a rendering of the remark (_one_remark), against the window of
        the cluster's wording it matched (hit), or else against the matching window of one of the
        cluster's other quoted carriers: outlets cut one remark at different lengths, and a short
        rendering is compared with the part of a longer one it renders, not with all of it.

        Credited to one person for certain on both sides, a rendering whose clauses come in another
        order ("at least a dozen people were at the party when the gunman entered", "the gunman
        entered the party of at least a dozen people"), which no window aligns, is compared whole,
        word for word in any order: the words that agree must then carry the evidence a link needs
        on their own (settings: RENDERING_WHOLE_EVIDENCE)."""
        tries = [(draft.code, draft.caps, hit)] + [(c, k, None) for c, k in draft.carriers]
        for wording, wcaps, found in tries:
            found = found or self._match(wording, code, min_words, paraphrase_words=RENDERING_MIN_WORDS)
            if found and self._one_remark(self._content(wording[found.clo:found.chi], wcaps, found.clo),
                                          self._content(code[found.lo:found.hi], caps, lo + found.lo)):
                return found._replace(weak=True)
        if one_speaker and hit is None:
            theirs = self._content(code, caps, lo)
            for wording, wcaps, _ in tries:
                if self._one_remark(self._content(wording, wcaps, 0), theirs,
                                    need_bits=RENDERING_WHOLE_EVIDENCE * self.lx.min_bits):
                    return Hit(PARAPHRASE_SCORE, 0, len(code), True, 0, len(wording))
        return None

    def _better(self, hit: Hit, draft: _Draft, best: tuple[int, Hit]) -> bool:
        """Whether a hit beats the best so far: a cluster whose origin is a quotation beats one
        whose origin is an unquoted sentence or a caption of the same words (settings:
        QUOTED_ORIGIN_MARGIN), so that a quotation's origin is a quotation where one exists;
        otherwise the higher score."""
        quoted, was_quoted = draft.origin.quoted, self.drafts[best[0]].origin.quoted
        if quoted and not was_quoted:
            return hit.score >= best[1].score - QUOTED_ORIGIN_MARGIN
        if was_quoted and not quoted:
            return hit.score > best[1].score + QUOTED_ORIGIN_MARGIN
        return hit.score > best[1].score

    def _stock(self, a: dict, b: dict, shared: list[int]) -> bool:
        """Whether two unquoted wordings are a reporter's formula (settings: STOCK_BITS): sharing
        few content words, no number and at most one name, and no other word that is rare in English
        and uncommon in the archive ("Trump did not respond to a request for comment"; "was on
        probation for a previous DUI arrest" across a story of two drink-driving arrests)."""
        lx = self.lx
        if sum(min(a[w][0], b[w][0]) for w in shared if not lx.stop[w]) > STOCK_WORDS:
            return False
        names = [w for w in shared if a[w][1] and b[w][1]]
        if len(names) > 1 or any(lx.number[w] for w in shared):
            return False
        # a word most of the archive's articles use says nothing, however rare in English
        return max((lx.english_bits(w) for w in shared if w not in names and not lx.common[w]), default=0.0) < STOCK_BITS

    def _same_time(self, a: str, b: str) -> bool:
        """Whether two articles are dated to the day, at most RENDERING_DAYS apart."""
        da, db = self.days.get(a), self.days.get(b)
        return da is not None and db is not None and abs(da - db) <= RENDERING_DAYS

    def _one_remark(self, a: dict, b: dict, need_bits: float = 0.0) -> bool:
        """Whether two quoted wordings of the same time read as one remark rendered twice
        (settings: renderings): RENDERING_MIN_WORDS words or more on each side, their content
        words agree after lemmatisation or as WordNet synonyms (compare/synonyms.py), their numbers are the same, and they share a name where
        both name someone."""
        lx = self.lx
        if min(sum(n for n, _ in side.values()) for side in (a, b)) < RENDERING_MIN_WORDS:
            return False
        numbers = [{w for w in side if lx.number[w]} for side in (a, b)]
        if numbers[0] != numbers[1]:
            return False
        names = [{w for w, (_, name) in side.items() if name and not lx.number[w]} for side in (a, b)]
        if all(names) and not names[0] & names[1]:
            return False
        content = [[(lemmas(lx.words[w]), senses(lx.words[w]), w in named, w) for w in side if not lx.stop[w]
                    and not lx.number[w] and len(lx.words[w]) > CONTENT_MIN_CHARS] for side, named in zip((a, b), names)]
        if not all(content):
            return False
        # one word, inflected or spelt otherwise (one lemma), or a synonym (one WordNet synset); at
        # least RENDERING_WORDS of them other than names: two remarks naming "the Endangered
        # Species Act" share its words, not what is said of it
        agree = [[(name, w) for x, sx, name, w in mine if any(x & y or sx & sy for y, sy, _, _ in other)]
                 for mine, other in (content, content[::-1])]
        if need_bits and min(sum(lx.bits(w) for name, w in found if not name) for found in agree) < need_bits:
            return False  # a whole comparison: the agreeing words other than names carry the evidence
        return (min(sum(not name for name, _ in found) for found in agree) >= RENDERING_WORDS
                and sum(map(len, agree)) >= RENDERING_AGREEMENT * (len(content[0]) + len(content[1])))

    def _refilled(self, wording: str, wcaps: int, hit: Hit, code: str, caps: int, lo: int) -> bool:
        """Whether two unquoted wordings are one template filled in twice (settings: NUMBER_WORDS):
        where one has a name or a number in place of the other's, the other has a name or a number
        there too ("stopped Tony Thompson in the sixth round" and "stopped Hasim Rahman in the
        seventh round"; "Two analysts have rated …" and "Three analysts have rated …")."""
        lx = self.lx
        # a word either side of the match too: the match ends where the filling differs ("Two" / "Three")
        clo, lo2 = max(0, hit.clo - 1), max(0, hit.lo - 1)
        mine, theirs = wording[clo:hit.chi + 1], code[lo2:hit.hi + 1]

        def kinds(text: str, first: int, bits: int, at: range) -> set[str]:
            found = set()
            for i in at:
                w = _id(text[i])
                word = lx.words[w]
                if lx.number[w] or word in NUMBER_WORDS:
                    found.add("number")
                elif bits >> (first + i) & 1 and first + i > 0 and word not in TITLE_WORDS:
                    found.add("name")
            return found

        for op in Levenshtein.opcodes(mine, theirs):
            if op.tag == "replace" and kinds(mine, clo, wcaps, range(op.src_start, op.src_end)) & \
                    kinds(theirs, lo + lo2, caps, range(op.dest_start, op.dest_end)):
                if _written_otherwise([lx.words[_id(c)] for c in mine[op.src_start:op.src_end]],
                                      [lx.words[_id(c)] for c in theirs[op.dest_start:op.dest_end]]):
                    continue  # one name or number written two ways: "Rait" / "Raite", "Mount" / "Mt", "2nd" / "second"
                said = [_numbers(self._number_run(whole, first + op_lo, first + op_hi)) for whole, first, op_lo, op_hi in
                        ((wording, clo, op.src_start, op.src_end), (code, lo2, op.dest_start, op.dest_end))]
                if said[0] and said[0] == said[1]:
                    continue  # one number, spelt out and in digits: "Twenty-four percent", "24 percent"
                return True
        return False

    @staticmethod
    def _long_run(wording: str, wcaps: int, code: str, caps: int, hit: Hit) -> Hit | None:
        """The longest run the two sides of a match share word for word, as a match of its own when
        it has REFILL_RUN_WORDS words (settings) and begins with a capital on both sides (a sentence
        glued after other words: "… 5:46 PM EST Doug McDermott scored …"), else None: a run after
        a refilled number in the middle of a sentence ("Two equities research analysts have rated
        …") is the template's frame."""
        runs = [op for op in Levenshtein.opcodes(wording[hit.clo:hit.chi], code[hit.lo:hit.hi]) if op.tag == "equal"]
        op = max(runs, key=lambda op: op.src_end - op.src_start, default=None)
        if op is None or op.src_end - op.src_start < REFILL_RUN_WORDS:
            return None
        clo, lo = hit.clo + op.src_start, hit.lo + op.dest_start
        if not (wcaps >> clo & 1 and caps >> lo & 1):
            return None
        return Hit(100.0, lo, hit.lo + op.dest_end, False, clo, hit.clo + op.src_end)

    def _number_run(self, code: str, lo: int, hi: int) -> list[str]:
        """The words of code[lo:hi], widened over the number words before and after it: a number
        spelt out in two words ("twenty four") is read whole where a match ends inside it."""
        while lo > 0 and self.lx.words[_id(code[lo - 1])] in SPELT_NUMBERS:
            lo -= 1
        while hi < len(code) and self.lx.words[_id(code[hi])] in SPELT_NUMBERS:
            hi += 1
        return [self.lx.words[_id(c)] for c in code[lo:hi]]

    @staticmethod
    def _overwhelming(hit: Hit, draft: _Draft) -> bool:
        """Whether a match links wordings whose speakers disagree (settings: speakers that
        disagree): the whole of both, nearly word for word, or a long exact run."""
        n = hit.hi - hit.lo
        whole = min(n, len(draft.code)) >= SPEAKER_CONFLICT_COVER * max(n, len(draft.code))
        return (whole and hit.score >= SPEAKER_CONFLICT_SCORE) or (hit.score == 100 and n >= SPEAKER_CONFLICT_WORDS)

    def _content(self, code: str, caps: int, base: int) -> dict[int, tuple[int, bool]]:
        """Each word of a wording: how often it occurs, and whether it is written as a name there
        (capitalised, not the first token of its unit). caps is the bitmask of the tokens that
        code's first character is token `base` of."""
        out: dict[int, tuple[int, bool]] = {}
        e = self.lx.ellipsis
        for i, c in enumerate(code):
            w = _id(c)
            if w == e:
                continue
            name = bool(caps >> (base + i) & 1) and base + i > 0
            count, was = out.get(w, (0, True))
            out[w] = (count + 1, was and name)
        return out

    @staticmethod
    def _copied(wording: str, code: str):
        """The longest run of words two wordings print word for word (an equal opcode), when it has
        COPIED_RUN_WORDS words or more (settings), else None: a run that long is one source's
        sentence copied, whichever words it holds."""
        if min(len(wording), len(code)) < COPIED_RUN_WORDS:
            return None
        op = max((op for op in Levenshtein.opcodes(wording, code) if op.tag == "equal"),
                 key=lambda op: op.src_end - op.src_start, default=None)
        return op if op is not None and op.src_end - op.src_start >= COPIED_RUN_WORDS else None

    def _copied_hit(self, wording: str, code: str) -> Hit | None:
        """The copied run of two wordings that no window aligns (_copied), as a match of the least
        score a match has (PARAPHRASE_SCORE: any aligned candidate beats it, and it never overrides
        speakers that disagree); its words must then carry a link's evidence on their own."""
        op = self._copied(wording, code)
        return None if op is None else Hit(PARAPHRASE_SCORE, op.dest_start, op.dest_end, False, op.src_start, op.src_end)

    def _copied_run(self, wording: str, hit: Hit, code: str) -> frozenset[int]:
        """The words of a match's copied run (_copied), or none."""
        mine = wording[hit.clo:hit.chi]
        op = self._copied(mine, code[hit.lo:hit.hi])
        return frozenset() if op is None else frozenset(map(_id, mine[op.src_start:op.src_end]))

    def _evident(self, a: dict, b: dict, weak: bool, exact_quote: bool = False, unquoted: bool = False,
                 one_speaker: bool = False, dated: bool = False, copied: frozenset[int] = frozenset()) -> bool:
        """Whether two wordings share enough rare words to be one utterance (settings: evidence).

        Wordings whose numbers all differ state other facts; a paraphrase (weak match) must agree
        on its numbers and share a name where both have names: "Clinton won 73 percent" is not
        "Sanders received 69 percent". A short quotation word for word, credited to one person on
        both sides ("I like peace", Trump), is one remark without a rare word: the speaker is
        the evidence (settings: SPEAKER_EXACT_WORDS; dated: both articles printed it within the
        story's days, SPEAKER_EXACT_DATED_WORDS).
        """
        if self.brute:
            return True  # the recall baseline links on similarity alone
        lx = self.lx
        shared = sorted(a.keys() & b.keys())
        if exact_quote and one_speaker and sum(min(a[w][0], b[w][0]) for w in shared) >= (
                SPEAKER_EXACT_DATED_WORDS if dated else SPEAKER_EXACT_WORDS):
            return True
        bits = sum(lx.bits(w) * min(a[w][0], b[w][0]) * (NAME_WEIGHT if a[w][1] and b[w][1] else 1.0) for w in shared)
        need = lx.min_bits * (WEAK_EVIDENCE if weak else EXACT_QUOTE_EVIDENCE if exact_quote else 1.0)
        if bits < need:
            return False
        rarest = max(lx.bits(w) for w in shared)
        if unquoted and not one_speaker and sum(min(a[w][0], b[w][0]) for w in shared) < STOCK_MAX_WORDS \
                and self._stock(a, b, shared):
            # "did not immediately respond to requests for comment": a reporter's formula; the same
            # speaker reported on both sides ("the results were not yet known", the Highway Patrol) is not
            return False
        if unquoted and self._sentence_bits(a, b, shared, weak, copied) < UNQUOTED_WORD_SHARE * need:
            return False  # a name and its title, a sum of money: a shared noun phrase, not a sentence reused
        if exact_quote and bits < lx.min_bits and rarest < lx.rare_bits and not (
                len(shared) >= FRAGMENT_WORDS and rarest >= min(FRAGMENT_RARE_BITS, lx.rare_bits)):
            return False  # "You tell me", "New York values": quoted, but nothing in them is rare
        numbers = [{w for w in side if lx.number[w]} for side in (a, b)]
        if all(numbers) and not numbers[0] & numbers[1]:
            return False  # every number differs: other facts ("865 delegates in 11 states", "691 … five")
        if unquoted and all(numbers) and 2 * len(numbers[0] & numbers[1]) < min(map(len, numbers)):
            return False  # a template filled with other figures: "a current ratio of 1.53, a quick ratio of 1.53"
        if weak:
            if all(numbers) and numbers[0] != numbers[1]:
                return False
            names = [{w for w, (_, name) in side.items() if name and not lx.number[w]} for side in (a, b)]
            if all(names) and not names[0] & names[1]:
                return False
        return True

    def _sentence_bits(self, a: dict, b: dict, shared: list[int], weak: bool = False,
                       copied: frozenset[int] = frozenset()) -> float:
        """The evidence two unquoted wordings share beyond a noun phrase (settings: UNQUOTED_WORD_SHARE):
        their shared words other than stop words, names, numbers and magnitudes, and their shared
        numbers too where they agree on COUNT_NUMBERS of them (one statement's count). In a weak
        match a word the story's articles commonly use carries only the share of its bits that its
        rarity in the story leaves (Lexicon.story_weight: none for a word every article uses), but
        those of a run the two print word for word count whole (copied: _copied_run,
        settings.COPIED_RUN_WORDS)."""
        lx = self.lx
        numbers = [w for w in shared if lx.number[w]]
        counted = len(numbers) >= COUNT_NUMBERS
        return sum(lx.bits(w) * min(a[w][0], b[w][0]) * (lx.story_weight(w) if weak and w not in copied else 1.0)
                   for w in shared
                   if not lx.stop[w] and (counted or not lx.number[w]) and lx.words[w] not in MAGNITUDE_WORDS
                   and not (a[w][1] or b[w][1]))

    @staticmethod
    def _match(canon: str, code: str, min_words: int = MIN_WORDS, paraphrase_words: int = PARAPHRASE_MIN_WORDS
               ) -> Hit | None:
        """canon's best place in code, or None (a paraphrase-strength match from
        paraphrase_words)."""
        shorter = min(len(canon), len(code))
        if shorter < min_words:
            return None
        # the least score that can make a match: rapidfuzz gives up early on a window below it
        cutoff = 100 if shorter <= SHORT_WORDS else PARAPHRASE_SCORE if shorter >= paraphrase_words else ALIGN_MATCH_SCORE
        al = fuzz.partial_ratio_alignment(canon, code, score_cutoff=cutoff)
        if al is None:
            return None
        score = al.score
        weak = score < ALIGN_MATCH_SCORE
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
            clo, chi = 0, len(canon)
        else:
            lo, hi = 0, len(code)
            # the part of the longer wording the unit renders, its edges refined as above
            clo, chi = max(0, al.src_start - ABSORB_WORDS), min(len(canon), al.src_end + ABSORB_WORDS)
            matched = [op for op in Levenshtein.opcodes(code, canon[clo:chi]) if op.tag == "equal"]
            if matched:
                clo, chi = clo + matched[0].dest_start, clo + matched[-1].dest_end
        return None if hi - lo < min_words else Hit(score, lo, hi, weak, clo, chi)

    @staticmethod
    def _absorb(u: PreparedUnit, lo: int, hi: int) -> tuple[int, int]:
        """Widen a quotation's matched window to the whole quotation when little is left over
        ("Accounts are" moved inside the marks), but not across a sentence's end: a sentence of
        its own before or after the match is another utterance, with a cluster of its own."""
        n, base = len(u.code), u.start
        if 0 < lo <= ABSORB_WORDS and not SENTENCE_END.search(u.text, u.starts[lo - 1] - base, u.starts[lo] - base):
            lo = 0
        if 0 < n - hi <= ABSORB_WORDS and not SENTENCE_END.search(u.text, u.ends[hi - 1] - base, u.ends[hi] - base):
            hi = n
        return lo, hi

    def _join(self, draft: _Draft, member: Member, u: PreparedUnit, lo: int, hi: int) -> None:
        origin = draft.origin
        if not origin.quoted and len(draft.members) == 1:
            # The origin printed these words inside a longer unquoted sentence: narrow the
            # cluster to the part the other outlet actually reused.
            canon = draft.code
            code = u.code[lo:hi]
            if len(code) < len(canon):
                al = fuzz.partial_ratio_alignment(code, canon)
                a, b = al.dest_start, al.dest_end
                if b - a < len(canon) * NARROW_SHARE:
                    # the origin's tokens again (its text starts and ends on its first and last
                    # token, so they are the unit's): the pass keeps no offsets for every draft
                    toks = words(tokenize(origin.text, origin.start))
                    self._keep_rest(origin, toks, canon, draft.caps, a, b)
                    start, end = toks[a].start, toks[b - 1].end
                    origin.text = origin.text[start - origin.start:end - origin.start]
                    origin.start, origin.end = start, end
                    draft.code = canon[a:b]
                    draft.caps >>= a
        if member.quoted == origin.quoted and len(draft.carriers) < RENDERING_CARRIERS:
            wording = u.code[lo:hi]
            if wording != draft.code and all(wording != c for c, _ in draft.carriers):
                draft.carriers += ((wording, u.caps >> lo),)
        draft.members.append(member)

    def _keep_rest(self, origin: Member, toks: list, canon: str, caps: int, a: int, b: int) -> None:
        """The parts of an origin's sentence left out when its cluster is narrowed to canon[a:b], each
        kept as a passage of its own that a later article may still reuse: a long unquoted unit (a
        lead glued to its page's headline, sentences run together without a space) carries other
        reused sentences than the first one another outlet shares."""
        for lo, hi in ((0, a), (b, len(canon))):
            if len(_word_ids(self.lx, canon[lo:hi])) < REST_MIN_WORDS:
                continue
            start, end = toks[lo].start, toks[hi - 1].end
            member = Member(origin.article, start, end, origin.quoted, origin.speaker,
                            origin.text[start - origin.start:end - origin.start], attribution=origin.attribution,
                            post=origin.post, seq=origin.seq)
            self.drafts.append(_Draft(member, canon[lo:hi], caps >> lo, [member]))
            self.index.add(_draft_keys(self.lx, canon, 0, [False] * len(canon), lo, hi), len(self.drafts) - 1)

    def _new_draft(self, u: PreparedUnit, member: Member, lo: int, hi: int, index: bool = True) -> None:
        draft = _Draft(member, u.code[lo:hi], u.caps >> lo, [member])
        self.drafts.append(draft)
        if not index:
            return
        idx = len(self.drafts) - 1
        keys = u.index if (lo, hi) == (0, len(u.code)) else \
            _draft_keys(self.lx, u.code, u.breaks, self._ellipses(u), lo, hi)
        now, taken = self._postings_now, []
        for key in keys:
            if now[key] < MAX_POSTINGS_PER_ARTICLE:
                now[key] += 1
                taken.append(key)
        self.index.add(taken, idx)

    # -- results ----------------------------------------------------------------

    def drafts_done(self, rank: dict[str, int]) -> list[ClusterDraft]:
        """Every quotation, and every sentence that another article reused, as the pass left it.
        Ends the pass: its index and drafts are let go as the clusters are made."""
        self.index = KeyIndex()
        drafts, self.drafts = self.drafts, []
        out = []
        for draft in drafts:
            articles = {m.article for m in draft.members}
            if not draft.origin.marked and len(articles) < 2 and not any(m.marked for m in draft.members):
                continue
            out.append(ClusterDraft(draft.origin, draft.origin.text, tuple(draft.members),
                                    tuple(rank[m.article] for m in draft.members)))
        return out


def finish_cluster(c: ClusterDraft, vocab: Vocabulary | None = None) -> Cluster:
    """A cluster's variants, each classified against the origin's wording (drift.py)."""
    vocab = vocab or Vocabulary()
    origin = c.origin
    otoks = words(tokenize(c.canonical, origin.start))
    order = sorted(range(len(c.members)), key=lambda i: (c.members[i] is not origin, c.ranks[i], c.members[i].start))
    variants = []
    seen_texts: list[str] = []
    for i in order:
        m = c.members[i]
        vtoks = words(tokenize(m.text, m.start))
        d = classify_variant(otoks, vtoks, vocab, origin_quoted=origin.marked, variant_quoted=m.marked,
                     origin_text=c.canonical, variant_text=m.text, spliced=m.spliced,
                     inherited=m is not origin and inherited_insertions(m.text, seen_texts), weak_match=m.weak)
        seen_texts.append(m.text)
        variants.append(Variant(article=m.article, text=m.text, start=m.start, end=m.end, quoted=m.marked,
                                relation=d.relation, changes=d.changes, similarity=d.similarity,
                                speaker=m.speaker, diff=d.diff, attribution=relation_from_json(m.attribution)))
    cid = _cluster_id(origin.article + ":" + " ".join(t.norm for t in otoks))
    speaker = origin.speaker or next((c.members[i].speaker for i in order if c.members[i].speaker), None)
    return Cluster(id=cid, canonical=c.canonical, origin=origin.article, variants=tuple(variants),
                   speaker=speaker, quoted=any(m.marked for m in c.members))


def clauses(toks: list[Token], text: str) -> list[tuple[int, int]]:
    """The clauses of a unit as token windows: split where clause punctuation stands between two
    words (text is the article, which token offsets index) and at ellipses."""
    breaks = sum(1 << i for i in range(len(toks) - 1) if CLAUSE_MARK.search(text, toks[i].end, toks[i + 1].start))
    return clause_spans(len(toks), breaks, [t.kind == "ellipsis" for t in toks])


def _numbers(words: list[str]) -> list[float]:
    """The cardinal numbers a run of normalised words states, in digits ("24", "1,500") or spelt
    out ("twenty", "four": 24), in order."""
    out: list[float] = []
    tens = False  # out[-1] is a spelt tens ("twenty") that a unit may complete
    for w in words:
        value = SPELT_NUMBERS.get(w)
        if value is not None:
            if tens and value < 10:
                out[-1] += value
                tens = False
            else:
                out.append(value)
                tens = value >= 20
            continue
        tens = False
        try:
            out.append(float(w.replace(",", "")))
        except ValueError:
            continue
    return out


def _written_otherwise(a: list[str], b: list[str]) -> bool:
    """Whether two runs of normalised words are one name or number written two ways, word for
    word: a letter doubled or dropped ("Rait" / "Raite"; settings.SPELLING_MIN_CHARS), an
    abbreviation ("Mt" / "Mount": its first and last letters, the others in order; ABBREVIATION_MAX_CHARS),
    an ordinal in digits or words ("2nd" / "second"), a number with its unit run on ("600m" / "600")."""
    return len(a) == len(b) and all(x == y or _one_word_two_ways(x, y) for x, y in zip(a, b))


def _one_word_two_ways(x: str, y: str) -> bool:
    forms = _number_form(x), _number_form(y)
    if forms != (None, None):
        # one ordinal in digits and in words ("2nd" / "second"), or one number with its unit run on
        # and without ("600m" / "600"); a cardinal against a cardinal ("24" / "twenty four") is
        # _refilled's own reading of numbers
        return None not in forms and {forms[0][0], forms[1][0]} in ({"ordinal"}, {"digits", "unit"}) \
            and forms[0][1] == forms[1][1]
    short, long = sorted((x, y), key=len)
    if not (short.isalpha() and long.isalpha()) or short[0] != long[0]:
        return False
    if len(long) == len(short) + 1 and len(short) >= SPELLING_MIN_CHARS:
        return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
    if len(short) <= ABBREVIATION_MAX_CHARS < len(long) and short[-1] == long[-1]:
        rest = iter(long[1:])
        return all(c in rest for c in short[1:])  # its letters in order, the last last: "mt" in "mount"
    return False


_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)")
_RUN_ON_UNIT = re.compile(r"(\d[\d,]*(?:\.\d+)?)[a-z]+")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _number_form(word: str) -> tuple[str, float] | None:
    """How a word states a number, and which: ("ordinal", 2.0) for "2nd" or "second", ("unit",
    600.0) for "600m", ("digits", 600.0) for "600", ("spelt", 6.0) for "six"; None for none."""
    if word in ORDINALS:
        return "ordinal", float(ORDINALS[word])
    if word in SPELT_NUMBERS:
        return "spelt", float(SPELT_NUMBERS[word])
    if m := _ORDINAL_DIGITS.fullmatch(word):
        return "ordinal", float(m.group(1))
    if m := _RUN_ON_UNIT.fullmatch(word):
        return "unit", float(m.group(1).replace(",", ""))
    if m := _DIGITS.fullmatch(word):
        return "digits", float(m.group().replace(",", ""))
    return None


def _gaps(covered: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """The stretches of range(lo, hi) outside the sorted, disjoint covered windows."""
    out, at = [], lo
    for s, e in covered:
        if s >= hi:
            break
        if s > at:
            out.append((at, min(s, hi)))
        at = max(at, e)
    if at < hi:
        out.append((at, hi))
    return out


def _cluster_id(key: str) -> str:
    return "q" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def unique_id(key: str, seen: set[str]) -> str:
    """key, or for the second and later cluster of one key its ordinal's id; added to seen.

    An id is the origin article plus the normalised words, so that it survives changes elsewhere
    in the story. An article that prints the same words twice (a pull quote, a repeated slogan)
    makes two clusters of one key: the second and later in the document's (deterministic) order
    get the key plus their ordinal, which is as stable as the text itself."""
    cid, n = key, 1
    while cid in seen:
        n += 1
        cid = _cluster_id(f"{key}#{n}")
    seen.add(cid)
    return cid


def _speaker_evidence(a: str | None, b: str | None) -> int:
    """What two wordings' speakers say: 1 when both name one person for certain, -1 when they name
    different people for certain, 0 otherwise. Only a speaker that can name someone counts (an
    entity: entities.is_entity); no speaker, an unresolved pronoun, a date or an award read as a
    speaker is no evidence either way, and never blocks a link."""
    if not a or not b:
        return 0
    x, y = _entity(a), _entity(b)
    if x is None or y is None:
        return 0
    if x[0] & y[0]:
        return 1  # speakers_agree
    return -1 if x[0] and y[0] and x[1] == y[1] else 0  # speakers_disagree


@lru_cache(maxsize=50_000)
def _entity(speaker: str | None) -> tuple[frozenset[str], bool] | None:
    """A speaker's name words (speakers.holder_names: an office names no one) and whether it is an
    organisation, or None when it names no one for certain. Cached per speaker, not per pair: the
    pass meets most pairs of speakers once."""
    return (holder_names(speaker), is_organisation(speaker)) if speaker and is_entity(speaker) else None


def publication_days(articles) -> dict[str, int]:
    """Each article's publication day as an ordinal, where its date gives the day (renderings)."""
    days = {}
    for a in articles:
        if precision(a.published) in (DAY, MOMENT):
            try:
                days[a.id] = dt.date.fromisoformat(a.published[:10]).toordinal()
            except ValueError:
                continue  # a value stored before dates were checked: no day to go by
    return days
