"""Frozen records that the comparison stages hand each other.

Every offset is a character offset into the owning article's stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One version of one article as stored in the archive."""

    id: str
    url: str
    text: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date or datetime, as known
    author: str | None = None
    version: int = 1


@dataclass(frozen=True)
class Span:
    """A stretch of an article's stored text."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Quote:
    """A direct quotation: the words between quotation marks."""

    article: str
    start: int  # first character inside the opening mark
    end: int  # one past the last character before the closing mark
    text: str
    mark: str  # the opening mark as printed
    closed: bool = True  # False: the paragraph ended before a closing mark
    continued: bool = False  # True: continues a quotation from the previous paragraph
    speaker: str | None = None
    cue: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Indirect speech with a cue: words credited to a speaker without quotation marks."""

    article: str
    start: int
    end: int
    text: str
    speaker: str
    cue: str


@dataclass(frozen=True)
class Credit:
    """An article naming another outlet as its source."""

    article: str
    credits: str  # normalised outlet name
    phrase: str
    start: int
    end: int


@dataclass(frozen=True)
class Unit:
    """A piece of an article that may be carried by others: a quotation or a sentence."""

    article: str
    start: int
    end: int
    text: str
    quoted: bool
    speaker: str | None = None
    quote_start: int | None = None  # the enclosing quotation, for splice detection
    quote_end: int | None = None


@dataclass(frozen=True)
class Variant:
    """One article's wording of a cluster's utterance."""

    article: str
    text: str
    start: int
    end: int
    quoted: bool
    relation: str  # verbatim | altered | paraphrase
    changes: tuple[str, ...] = ()
    similarity: float = 100.0
    speaker: str | None = None
    diff: tuple[tuple[str, str, str], ...] = ()  # (op, origin words, variant words)


@dataclass(frozen=True)
class Cluster:
    """One source utterance as carried by every article that has it."""

    id: str
    canonical: str
    origin: str
    variants: tuple[Variant, ...]
    speaker: str | None = None
    quoted: bool = True  # whether any article quotes it


@dataclass(frozen=True)
class PairSimilarity:
    """How much of article b's text is article a's text."""

    a: str
    b: str
    share: float  # 0-100: share of b's words found in a
    relation: str  # "copy" | "same-article" | "reuse"


@dataclass(frozen=True)
class Comparison:
    """Everything compare finds for one story."""

    story: str
    articles: tuple[Article, ...]
    clusters: tuple[Cluster, ...]
    credits: tuple[Credit, ...]
    quotes: tuple[Quote, ...] = ()
    pairs: tuple[PairSimilarity, ...] = field(default=())
