"""Frozen records that the comparison stages hand each other.

Every offset is a character offset into the owning article's stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

# A bracketed elision ("[...]", "[…]") or a bare ellipsis marks words the writer dropped.
ELLIPSIS_RE = r"\[\s*(?:\.\s*){3}\]|\[…\]|\.\.\.|…"


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
    credit_lines: tuple[str, ...] = ()  # "Source: X" lines that extraction kept out of the text
    first_seen: str | None = None  # when the archive first captured it (ISO), None if never


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
    speaker: str | None = None  # who, resolved ("it" -> "the email")
    cue: str | None = None
    mention_start: int | None = None  # the speaker as mentioned near the quotation ("it", "Jon Smith")
    mention_end: int | None = None

    @property
    def elided(self) -> bool:
        """The writer marked dropped words inside the quotation ("…", "[...]")."""
        return bool(re.search(ELLIPSIS_RE, self.text))

    @property
    def insertions(self) -> tuple[str, ...]:
        """Editorial insertions in square brackets ("[US President]"), as printed."""
        return tuple(m.group() for m in re.finditer(r"\[(?!\s*(?:\.\s*){3}\]|…\])[^\[\]]{1,80}\]", self.text))

    @property
    def attributed(self) -> bool:
        """Reported speech rather than a scare quote or a title: a speaker, or a full clause."""
        words = self.text.strip(" ,.;:!?").split()
        title = len(words) <= 6 and all(w[:1].isupper() or w.lower() in _TITLE_SMALL for w in words)
        return not title and (self.speaker is not None or len(words) >= 4)


# lower-case words a title keeps ("The Art of the Deal", "Meet the Press")
_TITLE_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with"}


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A stretch of the article's text: text == article_text[start:end]."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Relation:
    """One attribution (compare/relations.py): content span(s), the source mention as printed, the
    cue, and the speaker, as SPEC's `attribution` object of a variant."""

    kind: str  # direct | mixed | indirect
    content: tuple[TextSpan, ...]  # empty: a cue (and source) whose content the tagger did not find
    source: TextSpan | None
    cue: TextSpan | None
    speaker: str | None  # the entity the source refers to, a pronoun resolved; None when unknown


@dataclass(frozen=True)
class Attribution:
    """Indirect speech with a cue: words credited to a speaker without quotation marks (an indirect
    Relation's content, as the comparison's top-level `attributions` list it)."""

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
    start: int | None  # None: from the page's metadata ("Source:" line), not its text
    end: int | None


@dataclass(frozen=True)
class Unit:
    """A piece of an article that may be carried by others: a quotation or a sentence."""

    article: str
    start: int
    end: int
    text: str
    quoted: bool
    speaker: str | None = None
    attribution: Relation | None = None  # the relation whose content covers it
    # an embedded post's sentence: aligned as a quotation of its author (speaker), shown as unquoted,
    # since SPEC's `quoted` means inside quotation marks
    post: bool = False


@dataclass(frozen=True)
class Earlier:
    """A wording a variant's article printed before an edit after publication (compare/edits.py)."""

    version: int  # the version that printed it
    text: str | None  # None: the quotation was added by the edit
    edited_in: int  # the version that changed it


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
    earlier: tuple[Earlier, ...] = ()  # its article's wordings before edits after publication, oldest first
    attribution: Relation | None = None  # who its article says said it, and how (compare/relations.py)


@dataclass(frozen=True)
class Cluster:
    """One source utterance as carried by every article that has it."""

    id: str
    canonical: str
    origin: str
    variants: tuple[Variant, ...]
    speaker: str | None = None
    quoted: bool = True  # whether any article quotes it
    origin_basis: str | None = None  # what putting origin first rests on (compare/origin.py)
    boilerplate: tuple[str, ...] = ()  # publisher boilerplate: the evidence (compare/boilerplate.py)


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
    attributions: tuple[Attribution, ...] = ()


@dataclass(frozen=True)
class Capture:
    """Where an article version's page is archived: the WARC record and how it was fetched."""

    warc_file: str | None  # relative to the workspace
    record_id: str | None  # WARC-Record-ID of the response record
    sha256: str | None  # of the HTTP payload
    fetched_at: str | None
    wayback_url: str | None = None  # set when the page came from a Wayback Machine snapshot
    wayback_time: str | None = None
    warc_offset: int | None = None
    status: int | None = None
    final_url: str | None = None

    @classmethod
    def from_row(cls, row) -> Capture:
        """From a database row holding the capture table's columns (those it lacks are None)."""
        keys = set(row.keys())
        return cls(**{f.name: row[f.name] if f.name in keys else None for f in fields(cls)})

    def archive(self) -> dict:
        """The `archive` object of SPEC.md's cite JSON."""
        return {"warc": self.warc_file, "record_id": self.record_id, "sha256": self.sha256,
                "captured_at": self.fetched_at, "wayback": self.wayback_url}


# What a crawl counts, in the order the summary line prints them.
CRAWL_COUNTS = ("pages", "new_versions", "unchanged", "no_text", "off_topic", "errors", "skipped", "robots",
                "wayback", "discovered", "known", "not_modified")


@dataclass(frozen=True)
class CrawlSummary:
    """What a crawl (or a replay of WARC files) did; crosses from the crawl process to the app."""

    pages: int = 0  # responses archived and indexed
    new_versions: int = 0  # of them, articles whose text changed (or was new)
    unchanged: int = 0
    no_text: int = 0  # pages with no article text
    off_topic: int = 0  # discovered pages without the story's keywords or outside its window
    errors: int = 0
    skipped: int = 0  # not HTML
    robots: int = 0  # refused by robots.txt
    wayback: int = 0  # fetched from a Wayback Machine snapshot
    discovered: int = 0  # pages found by links, sitemaps, feeds or the CDX index
    known: int = 0  # replay and import: responses the archive had indexed already
    not_modified: int = 0  # a watch's conditional requests the server answered 304 Not Modified
    warc_files: tuple[str, ...] = ()
    interrupted: bool = False
    run: int | None = None
    resumed: bool = False

    @classmethod
    def from_counts(cls, counts, **fields) -> CrawlSummary:
        """From a mapping of count names (extra keys ignored) and the other fields."""
        return cls(**{k: int(counts.get(k, 0)) for k in CRAWL_COUNTS}, **fields)

    def to_json(self) -> dict:
        return dict(vars(self), warc_files=list(self.warc_files))

    @classmethod
    def from_json(cls, data: dict) -> CrawlSummary:
        return cls.from_counts(data, warc_files=tuple(data.get("warc_files", ())),
                               interrupted=bool(data.get("interrupted")), run=data.get("run"),
                               resumed=bool(data.get("resumed")))
