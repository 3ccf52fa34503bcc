"""Dates and headlines: the words and lines of an article that name no speaker.

A date or a clock time ("Wednesday", "Sept. 11", "10:15 AM EDT") is no one, however it is printed
before a cue; a dateline ("WASHINGTON —") says where a story was filed, not who speaks; and a
headline capitalises every word, so its capitals name someone only as the body prints them
("Howard Dean Tells …" names Howard Dean), as a sentence's first word is capitalised for that alone
("Top Clinton adviser …"). compare/entities.py reads speakers past all of these.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .settings import ABBREVIATED, CUE_VERBS, FUNCTION_WORDS, NOT_NAMES
from .text import title_end

WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
# A date or a day of the calendar named as if it spoke: "Wednesday", "Sept. 11", "Black Friday".
DATE = re.compile(rf"^(?:(?:on|last|next|this|early|late|mid|black|super|cyber)\s+)?(?:{WEEKDAYS})\b|"
                  rf"^(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?$|"
                  r"^\d[\d\s/.,:-]*(?:s|am|pm|a\.m\.|p\.m\.)?$|^(?:christmas|thanksgiving|easter|halloween|"
                  r"election day|labor day|memorial day|new year(?:['’]?s)?(?: day| eve)?)$", re.I)
DATE_WORDS = 5  # more than the words of any run of capitalised words DATE matches ("New Year's Eve", "Black Friday")
# A date or a clock time a source mention opens with, printed before the name it runs into: a
# dateline's "Mar 3, 2014 Police say …" (its year in the mention), "04 March 2012 The injury …",
# a live blog's "9:12PMTrump Says …" (a time glued to the name), "10:15 AM EDT Lindsay Lohan …"
# (invented times; the shapes are ECB+'s and PolNeAR's).
LEADING_DATE = re.compile(rf"^(?:\d{{1,2}}\s+(?i:{_MONTHS})\.?\s+\d{{4}}|(?:\d{{1,2}}(?::\d{{2}})?\s?[AaPp]\.?[Mm]|AM|PM|a\.m|p\.m)"
                          rf"(?:\b\.?|(?=[A-Z][a-z]))(?:\s+[A-Z]{{2,4}}\b)?)\s*")
# ... and a year there, when the words before it are a date's or a time's ("Mar 3, 2014", "In 2019").
_YEAR = re.compile(r"^(?:1[89]|20)\d\d\s+")
_DATE_BEFORE = re.compile(rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?|\b(?:in|since|by|during|until|from|of))\s*$", re.I)
# Month abbreviations that end no name ("Suspect Caught Apr 12, 2007": a headline run into its date);
# not "Jan" nor "Jun", which end names ("Ai Jun").
MONTH_ABBREVIATIONS = frozenset("feb mar apr jul aug sep sept oct nov dec".split())

# A dateline: a place in capitals ("WASHINGTON", "NEW DELHI", "MARTINSBURG, W.Va.", "ST. LOUIS"),
# optionally an agency in brackets ("(Reuters)"), then a dash or a colon, opening a paragraph.
_DATELINE = re.compile(r"(?m)^[^\S\n]*(?P<place>[A-Z][A-Z.'’-]+(?:[^\S\n]+[A-Z][A-Z.'’-]+)*"
                       r"(?:,[^\S\n]+[A-Z][\w.]*(?:[^\S\n]+[A-Z][\w.]*){0,2})?)"
                       r"(?:[^\S\n]*\([A-Z][\w. -]{0,24}\))?[^\S\n]*(?:—|–|--|-|:)(?=[^\S\n])")
DATELINE_WITHIN = 1000  # a dateline opens the story: a paragraph starting this early

# Words that open a question or a headline and never a name ("Will" aside, which is both: it is
# lower case elsewhere in most articles).
OPENERS = frozenset("is are was were do does did can could should would will has have had more most top new".split())
CUE_WORD = re.compile(CUE_VERBS)
_CAPITALISED = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.-]*")


def is_date(words: str) -> bool:
    """Whether words are a date and nothing else (DATE; "Wednesday editorial" is not)."""
    m = DATE.match(words)
    return bool(m) and m.end() == len(words)


def past_date(text: str, start: int, end: int) -> int:
    """The start of a source mention text[start:end] past the date or time it opens with
    (LEADING_DATE; a year after a date's month and day or a preposition: _YEAR, _DATE_BEFORE)."""
    chunk = text[start:end]
    m = LEADING_DATE.match(chunk) or (_YEAR.match(chunk) if _DATE_BEFORE.search(text, max(0, start - 24), start) else None)
    return start + m.end() if m and m.end() < len(chunk) else start


@lru_cache(maxsize=4)
def datelines(text: str) -> tuple[tuple[int, int, str], ...]:
    """The article's dateline as (start, end, place), the end past its dash or colon, or nothing.
    A dateline says where the story was filed, never who speaks: it is no part of a source mention
    and no antecedent of a pronoun ("WASHINGTON — The senator from Ohio, Jane Okafor, said …"; a
    later "she" is not WASHINGTON). It is the one paragraph that opens so, within DATELINE_WITHIN
    characters of the start: where several do ("TAPPER: …", "CLINTON: …"), they are a transcript's
    or an interview's speakers."""
    found = list(_DATELINE.finditer(text))
    if len(found) != 1 or found[0].start() > DATELINE_WITHIN:
        return ()
    return ((found[0].start("place"), found[0].end(), found[0].group("place")),)


@lru_cache(maxsize=4)
def undated(text: str) -> str:
    """The text with its dateline (datelines()) blanked, offsets kept: what speakers resolve in."""
    for start, end, _ in datelines(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def outside_dateline(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A source mention text[start:end] without the dateline it runs into ("RALEIGH — The federal
    judge" -> "The federal judge"), or None if it is all dateline."""
    for d_start, d_end, _ in datelines(text):
        if start < d_end and end > d_start:
            start = d_end
            while start < end and text[start].isspace():
                start += 1
    return (start, end) if start < end else None


def without_cue(text: str, words: list[str]) -> list[str]:
    """A run of capitalised words up to its first cue verb (settings.CUE_VERBS) and past those it
    opens with, where the article's body never capitalises that word where no sentence opens: a
    headline's "Howard Dean Tells Democratic Convention" names Howard Dean and an inverted "Stated
    Stone:" names Stone, while "States" of "United States" and "Read" of "Ian Read" are names' words."""
    caps = _body_capitals(text)

    def cue(word: str) -> bool:
        bare = _bare(word)
        return bare[:1].isupper() and _unprinted_cue(bare, caps)

    start = next((i for i, w in enumerate(words) if not cue(w)), len(words))
    end = next((i for i, w in enumerate(words) if i >= start and cue(w)), len(words))
    return words[start:end]


def _bare(word: str) -> str:
    """A word without its possessive and the punctuation after it ("Tells," -> "Tells")."""
    return re.sub(r"['’]s?$", "", word).rstrip(".,:;")


def _unprinted_cue(bare: str, caps: frozenset[str]) -> bool:
    """Whether a bare word is a cue verb the body never capitalises inside a sentence (caps:
    _body_capitals): "Tells" ends a headline's name, "States" of "United States" does not."""
    return bool(CUE_WORD.fullmatch(bare.lower())) and bare not in caps


@lru_cache(maxsize=4)
def _body_capitals(text: str) -> frozenset[str]:
    """The words the article's body (below its title lines) capitalises where no sentence or line
    opens: the names the story itself uses, possessives off."""
    out = set()
    for m in _CAPITALISED.finditer(text, title_end(text)):
        before = re.search(r"(\S*)\s*$", text[max(0, m.start() - 24):m.start()]).group(1)
        if not before or (before[-1] in ".!?\"“”‘’':" and before.rstrip(".").lower() not in ABBREVIATED
                          and not re.fullmatch(r"(?:[A-Z]\.)+", before)):
            continue  # a sentence's or a line's first word: capitalised for that alone
        out.add(re.sub(r"['’]s?$", "", m.group()).rstrip(".,"))
    return frozenset(out)


def body_named(text: str, words: list[str]) -> list[str]:
    """A title line's capitalised words as the body names them: up to the first cue or function word
    ("Howard Dean Tells …", "Obama To Asians"), the longest ending the body prints as it is, its first
    word capitalised where no sentence opens (_body_capitals); none if the body prints no ending."""
    caps, body = _body_capitals(text), text[title_end(text):]
    bare = [_bare(w) for w in words]
    cut = next((i for i, w in enumerate(bare) if i and (_unprinted_cue(w, caps) or w.lower() in NOT_NAMES | FUNCTION_WORDS)),
               len(bare))
    bare = bare[:cut]
    for k in range(len(bare)):
        if bare[k] in caps and re.search(r"(?<![\w'’-])" + r"\s+".join(map(re.escape, bare[k:])) + r"(?![\w-])", body):
            return bare[k:]
    return []


def opens_sentence(text: str, at: int) -> bool:
    """Whether text[at:] opens a line or a sentence (quotation marks before it aside)."""
    before = text[max(0, at - 12):at].rstrip(" \t\"“‘'")
    return at < 12 and not before or before[-1:] in (".", "!", "?", ":", "\n")


def sentence_word(text: str, word: str) -> bool:
    """Whether a capitalised word opening a sentence or a line is capitalised for that alone: a word
    the article prints in lower case elsewhere ("Top Clinton adviser …" beside "top secret") or a
    function word ("Is Sanders …", "Did Donald Trump …"), and never capitalised inside a sentence.
    A headline's first word is no name's first word ("Understated Perez" is not Thomas Perez)."""
    bare = word.strip(".,").lower()
    if word.strip(".,") in _inner_capitals(text):
        return False  # "Bill" of "former President Bill Clinton": a name's word elsewhere
    return bare in NOT_NAMES | FUNCTION_WORDS | OPENERS or bare in _lower_words(text)


@lru_cache(maxsize=4)
def _lower_words(text: str) -> frozenset[str]:
    """Every word the text prints in lower case."""
    return frozenset(re.findall(r"(?<![\w'-])[a-z][\w'-]*", text))


@lru_cache(maxsize=4)
def _inner_capitals(text: str) -> frozenset[str]:
    """Every capitalised word the text prints inside a sentence, after a lower-case word or a comma."""
    return frozenset(re.findall(r"(?<=[a-z,;][ \t])[A-Z][\w'-]*", text))
