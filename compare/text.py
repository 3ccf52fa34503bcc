"""Tokens, normalisation and sentence spans shared by every comparison stage."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS

from pressdiff.core.records import ELLIPSIS_RE
from pressdiff.core.repair import repair

from .settings import TITLE_COLON_WORDS

# Apostrophes as printed: typewriter, typographic, backtick, reversed, prime and the modifier
# letter (a letter to \w, so "heʼs" is one word already). One form for matching: see fold().
APOSTROPHES = "'’`‛′ʼ"
TOKEN_RE = re.compile(rf"(?P<ellipsis>{ELLIPSIS_RE})|(?P<word>\w+(?:[{APOSTROPHES}]\w+)*)|(?P<punct>[^\w\s])")
_FOLD = str.maketrans({**{ch: "'" for ch in APOSTROPHES + "‘"}, "“": '"', "”": '"'})

# American -> British spellings: breame's list (1,706 pairs, from a maintained, cited word list;
# Apache-2.0), less the words that are also everyday British words of another meaning, plus the
# news-copy variants it lacks. The -ize/-yze endings of words in no list are handled by rule.
_NOT_VARIANTS = {"draft", "drafts", "drafted", "drafting", "meter", "meters", "tire", "tires"}
_NEWS_VARIANTS = {"toward": "towards", "program": "programme", "programs": "programmes",
                  "fulfill": "fulfil", "enrollment": "enrolment", "judgment": "judgement"}
_US_TO_UK = {us: uk for us, uk in AMERICAN_ENGLISH_SPELLINGS.items() if us not in _NOT_VARIANTS} | _NEWS_VARIANTS
# Words that end in -ize/-ise in both spellings and must not be rewritten.
_IZE_KEEP = {"size", "sized", "sizes", "prize", "prizes", "seize", "seized", "seizes", "capsize", "baize"}
_IZE_RE = re.compile(r"(?<=\w\w)(y|i)z(e|es|ed|ing|ation|ations|er|ers)$")


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] widened to the whole words it cuts, as TOKEN_RE's word reads them (letters
    and digits, joined by apostrophes): the attribution tagger's tokens split "defender’s", and a
    unit of the comparison ending inside a word would hold a word no article has."""
    while _inside_word(text, start):
        start -= 1
    while _inside_word(text, end):
        end += 1
    return start, end


def _inside_word(text: str, i: int) -> bool:
    """Whether offset i falls inside one word of TOKEN_RE ("cla|sh", "defender|’s")."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if _word_char(a):
        return _word_char(b) or (b in APOSTROPHES and i + 1 < len(text) and _word_char(text[i + 1]))
    return a in APOSTROPHES and _word_char(b) and i >= 2 and _word_char(text[i - 2])


def _word_char(c: str) -> bool:
    """A character of a word, as the regular expression \\w reads it."""
    return c.isalnum() or c == "_"


class Token(NamedTuple):
    """A token of an article's text, with its offsets and normalised form (a named tuple: a story
    makes tens of millions of them, and a frozen dataclass's construction costs twice as much)."""

    start: int
    end: int
    raw: str
    kind: str  # word | ellipsis | punct
    norm: str


def fold(text: str) -> str:
    """Case-fold and strip accents, typographic quotes and apostrophes for comparisons."""
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=500_000)
def normalize_word(word: str) -> str:
    """The spelling-, case- and apostrophe-independent form of a word (cached: news reuses words),
    mojibake repaired ("RaÃºl" matches "Raúl")."""
    w = fold(repair(word))
    if w.endswith("s's"):
        w = w[:-2]  # a possessive printed both ways: "ISIS's" and "ISIS'" (whose mark is no letter)
    if w in _US_TO_UK:
        return _US_TO_UK[w]
    if w not in _IZE_KEEP:
        w = _IZE_RE.sub(lambda m: m.group(1) + "s" + m.group(2), w)
    return w


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split text into word, ellipsis and punctuation tokens with absolute offsets."""
    tokens: list[Token] = []
    for m in TOKEN_RE.finditer(text):
        kind, raw = m.lastgroup, m.group()
        start, end = m.span()
        norm = normalize_word(raw) if kind == "word" else ("…" if kind == "ellipsis" else raw)
        tokens.append(Token(offset + start, offset + end, raw, kind, norm))
    return tokens


def words(tokens: list[Token]) -> list[Token]:
    """Only the word and ellipsis tokens (what alignment compares)."""
    return [t for t in tokens if t.kind != "punct"]


def bracketed(text: str) -> list[str]:
    """Editorial insertions in square brackets, normalised ("[US President]" -> "us president")."""
    found = (" ".join(normalize_word(w) for w in re.findall(r"\w+", m.group(1)))
             for m in re.finditer(r"\[([^\[\]]{1,80})\]", text))
    return [inner for inner in found if inner]  # "[...]" is an elision mark, not an insertion


class Vocabulary:
    """Maps each normalised token to one character so rapidfuzz aligns words, not letters."""

    def __init__(self):
        self._codes: dict[str, str] = {}

    def encode(self, norms) -> str:
        # Supplementary planes: over a million distinct codes, none of them ever in real text
        # that we compare (we only compare encoded strings with each other).
        return "".join(self._codes.setdefault(n, chr(0x10000 + len(self._codes))) for n in norms)


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gov", "sen", "rep", "gen", "col",
           "lt", "sgt", "capt", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "inc", "ltd",
           "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
ABBREVIATION_REACH = 64  # characters before a full stop that can hold an abbreviation (ends_with_abbreviation)
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|;(?=\s)|\n+")


def ends_with_abbreviation(text: str) -> bool:
    """Whether a full stop right after text belongs to an abbreviation ("Mr", "U.S", an initial)."""
    before = re.search(r"([\w.]+)$", text)
    if not before:
        return False
    word = before.group(1)
    return word.lower().rstrip(".") in _ABBREV or bool(re.fullmatch(r"[A-Z]", word))  # "John F. Kennedy"


@lru_cache(maxsize=4)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence (and semicolon clause) spans of a text, stripped of surrounding space (cached: an
    article's quotations, speakers and units each read them)."""
    spans = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        # the last ABBREVIATION_REACH characters say all that matters: no abbreviation is longer
        if m.group().startswith(".") and ends_with_abbreviation(text[max(start, m.start() - ABBREVIATION_REACH):m.start()]):
            continue
        end = m.end() if not m.group().startswith("\n") else m.start()
        _add_span(text, start, end, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return tuple(spans)


def sentences_outside(text: str, quotes) -> list[tuple[int, int]]:
    """The sentence spans that overlap no quotation (marks included): one sweep, not S x Q."""
    taken = sorted((q.start - 1, q.end + 1) for q in quotes)
    out, j = [], 0
    for s, e in sentences(text):
        while j < len(taken) and taken[j][1] <= s:
            j += 1
        # quotations do not nest, so the first one ending after s is the only one to check
        if j == len(taken) or taken[j][0] >= e:
            out.append((s, e))
    return out


def _add_span(text: str, start: int, end: int, spans: list) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks separated by a blank line (or single newlines where no blank lines exist)."""
    sep = re.compile(r"\n\s*\n") if "\n\n" in text else re.compile(r"\n")
    spans = []
    start = 0
    for m in sep.finditer(text):
        _add_span(text, start, m.start(), spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def title_case(text: str, pos: int) -> bool:
    """Whether the line holding pos is in title case, as headlines are: four words of four letters or
    more, every one capitalised (invented: "Senate Donor Group and Governor Might Be Parting Ways";
    "Former New York Gov. Jane Doe is endorsing John Roe." is a sentence)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    words = re.findall(r"[^\W\d_][\w'’-]{3,}", text[start:end if end >= 0 else len(text)][:400])
    return len(words) >= 4 and all(w[0].isupper() for w in words)


# Marks a quotation opens with, as a block quotation after its lede's colon does.
_OPENING_MARKS = frozenset("“\"‘'«„「")


@lru_cache(maxsize=4)
def title_end(text: str) -> int:
    """Where the title lines at the article's top end (0 if it has none): the lines before its first
    sentence, each without a sentence's final punctuation ("Absent Okafor derides debate;") or in
    title case (title_case), of 25 words at most. A line that ends in a colon is a title's ("To the
    Editor:", a letter's "Re “…”, by … (Op-Ed, …):") unless it opens a quotation on the next line, in
    more than TITLE_COLON_WORDS words and not in title case: a lede's "…, the mayor told reporters:"
    before its block quotation. Where no sentence follows, the text is no title's."""
    pos = 0
    lines = text.split("\n", 7)[:7]
    for k, line in enumerate(lines[:6]):
        words = line.split()
        last = line.rstrip(" \"”’'")[-1:]
        sentence = last in (".", "!", "?", "…") or (
            last == ":" and len(words) > TITLE_COLON_WORDS
            and next((n.lstrip()[:1] for n in lines[k + 1:] if n.strip()), "") in _OPENING_MARKS)
        if words and (len(words) > 25 or sentence and not title_case(text, pos)):
            break
        pos += len(line) + 1
    else:
        if pos >= len(text):
            return 0
    return min(pos, len(text))
