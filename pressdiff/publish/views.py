"""What the site's templates show: typed views of one story's comparison, built by publish.story_view.

The comparison JSON (compare/report.py) is the data; these add what a page needs around it
(outlet names, permalinks, citations, version diffs, counts), computed once per build.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from pressdiff.compare.origin import ORDERED, describe_origin, origin_phrase
from pressdiff.core.dates import display
from pressdiff.core.records import Capture
from pressdiff.core.store import EditRow

from .escape import marked_context, said_phrase

# An attribution's kind (SPEC.md, Comparison JSON): how the Speakers page's tables name the
# wording's rendering, and how a quotation's page says it.
KINDS = {"direct": ("quoted", "a direct quotation"), "mixed": ("partly quoted", "partly quoted"),
         "indirect": ("reported", "reported speech")}


def _marks(v: dict, attribution: dict | None) -> list[tuple[int, int, str]]:
    """The spans a variant's context marks: its attribution's content (else its own words), source
    and cue; none without an attribution, which has no context to show."""
    if not attribution or not (attribution.get("source") or attribution.get("cue")):
        return []
    marks = [(s["start"], s["end"], "pd-content") for s in attribution.get("content") or ()] \
        or [(v["start"], v["end"], "pd-content")]
    return marks + [(attribution[k]["start"], attribution[k]["end"], f"pd-{k}") for k in ("source", "cue")
                    if attribution.get(k)]


def quotation_page(cluster: str, origin: str, carriers: int) -> str:
    """Where the site shows a quotation, from its story's root: its own page when more than one
    article carries it, else an anchor on its article's page."""
    return f"quotes/{cluster}/" if carriers > 1 else f"articles/{origin}/#{cluster}"


@dataclass(frozen=True)
class VersionView:
    """One stored version of an article, with the word diff from the version before."""

    version: int
    created_at: str
    ingested_by: str  # crawl | import
    capture: Capture | None
    diff: Markup | None
    kind: str | None = None  # how watching classified it: edit | noise | extraction (None: first or not classified)
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditView:
    """One classified later version of an article (its row of store.edits), with what the story's
    Changes page and feed show beside it: the article as that version names it, the word diff and
    both captures."""

    edit: EditRow
    outlet: str | None
    title: str | None
    url: str
    diff: Markup | None
    captures: tuple[Capture | None, Capture | None]  # of the version before and of this one


@dataclass(frozen=True)
class VariantView:
    """One article's wording of a quotation, as the comparison JSON has it, plus its outlet."""

    cluster: str
    article: str
    outlet: str | None
    text: str
    start: int
    end: int
    quoted: bool
    speaker: str | None
    relation: str
    changes: tuple[str, ...]
    similarity: float
    diff: tuple
    earlier: tuple[dict, ...] = ()  # wordings its outlet replaced after publication: {version, text or None}
    attribution: dict | None = None  # the comparison's: kind, source, cue, content, speaker (SPEC.md)
    said: Markup = Markup("")  # source and cue as printed, marked (escape.said_phrase); empty without them
    context: Markup = Markup("")  # the wording in its article, source and cue marked (escape.marked_context)

    @classmethod
    def of(cls, cluster: str, v: dict, outlet: str | None, text: str = "") -> VariantView:
        """The variant v of a comparison's cluster; text: its article's stored text, for the context."""
        attribution = v.get("attribution")
        return cls(cluster=cluster, article=v["article"], outlet=outlet, text=v["text"], start=v["start"],
                   end=v["end"], quoted=v["quoted"], speaker=v["speaker"], relation=v["relation"],
                   changes=tuple(v["changes"]), similarity=v["similarity"], diff=tuple(v.get("diff", ())),
                   earlier=tuple(v.get("earlier", ())), attribution=attribution,
                   said=said_phrase(text, attribution) if text and attribution else Markup(""),
                   context=marked_context(text, _marks(v, attribution)))

    @property
    def rendering(self) -> str:
        """How the outlet renders the words: quoted, partly quoted, reported (indirect speech), or
        unquoted (a sentence reused without quotation marks nor a cue)."""
        kind = (self.attribution or {}).get("kind")
        return KINDS[kind][0] if kind in KINDS else "quoted" if self.quoted else "unquoted"

    @property
    def kind_label(self) -> str:
        """The attribution's kind in words: "a direct quotation", "reported speech"."""
        kind = (self.attribution or {}).get("kind")
        return KINDS[kind][1] if kind in KINDS else str(kind or "attributed")


@dataclass(frozen=True)
class CopyView:
    """An earlier article that this one copies (or is another capture of)."""

    of: str
    outlet: str
    share: float
    relation: str  # copy | same-article


@dataclass
class ArticleView:
    """An article page: metadata, provenance, versions, the passages it carries, its citation."""

    id: str
    url: str
    outlet: str | None
    title: str | None
    published: str | None  # ISO 8601 at the precision known: "2017", "2017-03", "2017-03-13", a moment
    author: str | None
    version: int
    versions: list[VersionView]
    capture: Capture | None
    text: str
    excerpt: str
    full_text: bool
    credits: list[str]
    permalink: str
    csl: dict
    apa: str
    bibtex: str
    variants: list[VariantView] = field(default_factory=list)
    single: list[ClusterView] = field(default_factory=list)  # quotations no other article carries
    copies: list[CopyView] = field(default_factory=list)
    quotes_carried: int = 0
    altered_share: int = 0  # percent of the quotations it carries that differ from the origin

    @property
    def published_label(self) -> str | None:
        """The date as readers see it: "March 2017" when only the month is known."""
        return display(self.published)


@dataclass(frozen=True)
class ClusterView:
    """A quotation page: the origin's wording and every article's."""

    id: str
    canonical: str
    speaker: str | None
    origin: str
    origin_outlet: str | None
    quoted: bool
    variants: tuple[VariantView, ...]
    carriers: int  # articles carrying it
    altered: int  # variants that are not verbatim
    page: str  # from the story's root: quotes/ID/ when shared, else articles/ARTICLE/#ID
    permalink: str
    csl: dict
    apa: str
    bibtex: str
    origin_basis: str = "unknown"  # compare/origin.py: published, credited, captured, unknown

    @property
    def origin_label(self) -> str:
        """How the origin is named (compare.origin.origin_phrase), claiming only what its basis backs."""
        return origin_phrase(self.origin_basis, self.origin_outlet or self.origin)

    @property
    def ordered(self) -> bool:
        """Whether the basis orders the carriers: "origin" and "first" may be said."""
        return self.origin_basis in ORDERED

    @property
    def origin_words(self) -> tuple[str, str, str]:
        """The origin described (compare.origin.describe_origin): before its outlet, after it, heading."""
        return describe_origin(self.origin_basis)


@dataclass(frozen=True)
class RemarkView:
    """One of a speaker's remarks (a cluster) on their page, with the wordings the page shows."""

    cluster: ClusterView
    variants: tuple[VariantView, ...]  # the first REMARK_ROWS, or none past SPEAKER_ROWS or PAGE_ROWS
    own: int  # wordings that name this speaker (others name someone else, or no one)


@dataclass(frozen=True)
class SpeakerView:
    """A speaker of a story (publish.speakers.group_speakers): every spelling of one name, and their remarks."""

    key: str  # publish.speakers.speaker_key: what the spellings share
    name: str  # the spelling printed most often
    slug: str  # the anchor on their page (publish.speakers.speaker_slug)
    initial: str  # their page: speakers/INITIAL/ (publish.speakers.speaker_initial)
    forms: tuple[str, ...]  # the other spellings
    remarks: tuple[RemarkView, ...]  # most widely carried first
    outlets: int
    wordings: int
    quoted: int  # wordings in quotation marks (whole or part)
    reported: int  # wordings in reported speech

    @property
    def page(self) -> str:
        """Where the site shows the speaker, from the story's root."""
        return f"speakers/{self.initial}/#{self.slug}"


@dataclass(frozen=True)
class BoilerplateView:
    """A passage named publisher boilerplate (compare/boilerplate.py): shown apart."""

    text: str
    evidence: tuple[str, ...]
    articles: tuple[ArticleView, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class StoryView:
    """A story's pages: its home, indexes, every quotation and article."""

    slug: str
    title: str
    summary: str | None
    document: dict  # the comparison JSON, offered for download
    what_happened: str
    graph: Markup
    articles: tuple[ArticleView, ...]
    clusters: tuple[ClusterView, ...]
    shared: tuple[ClusterView, ...]  # carried by more than one article
    credit_edges: tuple[tuple[str, str], ...]
    copies: tuple[dict, ...]  # the comparison's copy and same-article pairs
    outlet_of: dict[str, str]
    totals: dict  # the whole story's counts (story.glance), also when it is published in part
    matrix: Markup  # outlets x the most widely carried shared quotations (figures.drift_matrix)
    full_matrix: Markup  # every shared quotation, for the drift page
    matrix_rows: int
    timeline: Markup
    root: str  # the story's address: site URL + slug (just /slug without a site URL)
    absolute: bool  # whether root is an absolute URL (a site URL was given)
    wacz: str | None  # the story's WACZ, from its root, when it has captures
    capped: dict | None = None  # a story published in part: its totals (story.site_document)
    boilerplate: tuple[BoilerplateView, ...] = ()  # page furniture several articles carry, shown apart
    edits: tuple[EditView, ...] = ()  # later versions of its articles, as watching classified them, newest first
    problems: tuple[dict, ...] = ()  # extraction that looked broken: {detail, at, article (key or None)}, newest first
    speakers: tuple[SpeakerView, ...] = ()  # who said what (publish.speakers.group_speakers)
