"""What a cluster's origin rests on: why its article is put first among those that carry the words.

The origin is the article earliest in origin preference (comparison.rank_key: publication date,
then the most credited outlet, then the URL). That order is a claim only where the archive can
back it. For each other article carrying the words, one of these says the origin came first:

- its date: both are dated and the origin's last possible day (or moment) is before the
  other's first ("March 2017" is not before 13 March 2017);
- a credit: the other article names the origin's outlet as its source ("seen by the Register");
- the capture: the archive captured the origin before the other (first seen; a fact about the
  archive, not about publication).

The cluster's basis is the weakest of these that every other carrier needs, in that order:
`published`, `credited`, `captured`; `unknown` when some carrier is ordered by none of them
(undated articles: the order is by URL and means nothing). A cluster that one article alone
carries rests on that article's date, else its capture, else nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pressdiff.core.dates import surely_before
from pressdiff.core.records import Cluster

from .text import fold

PUBLISHED, CREDITED, CAPTURED, UNKNOWN = "published", "credited", "captured", "unknown"
BASES = (PUBLISHED, CREDITED, CAPTURED, UNKNOWN)  # strongest first
ORDERED = (PUBLISHED, CREDITED)  # bases that support "first carried by" / "published it first"


@dataclass(frozen=True)
class Dating:
    """What can order one article against another."""

    published: str | None  # ISO, at its precision
    first_seen: str | None  # ISO time of its earliest capture
    outlet: str  # folded
    credits: frozenset[str] = frozenset()  # folded outlets it names as its source


def dating(article, credited=()) -> Dating:
    """An Article's (or its metadata's) Dating; credited: the outlets its credits name."""
    return Dating(published=article.published, first_seen=getattr(article, "first_seen", None),
                  outlet=fold(article.outlet or ""), credits=frozenset(fold(name) for name in credited))


def datings(articles, credits) -> dict[str, Dating]:
    """Every article's Dating, by article id; credits: the story's Credit records."""
    by_article: dict[str, list[str]] = {}
    for c in credits:
        by_article.setdefault(c.article, []).append(c.credits)
    return {a.id: dating(a, by_article.get(a.id, ())) for a in articles}


def _pair_basis(origin: Dating, other: Dating) -> str:
    if origin.published and other.published and surely_before(origin.published, other.published):
        return PUBLISHED
    if origin.outlet and origin.outlet in other.credits:
        return CREDITED
    if origin.first_seen and other.first_seen and origin.first_seen < other.first_seen:
        return CAPTURED
    return UNKNOWN


def origin_basis(origin: str, carriers, facts: dict[str, Dating]) -> str:
    """The basis of a cluster whose origin article is `origin`, carried by the articles `carriers`."""
    own = facts[origin]
    others = {a for a in carriers if a != origin}
    if not others:
        return PUBLISHED if own.published else CAPTURED if own.first_seen else UNKNOWN
    return max((_pair_basis(own, facts[a]) for a in others), key=BASES.index)


def with_basis(cluster: Cluster, facts: dict[str, Dating]) -> Cluster:
    return replace(cluster, origin_basis=origin_basis(cluster.origin, [v.article for v in cluster.variants], facts))


# How an origin is described, claiming no more than its basis backs: the words before its
# outlet, the words after it, and the heading a quotation page gives the origin's wording.
DESCRIPTIONS = {
    PUBLISHED: ("First carried by", "", "origin"),
    CREDITED: ("First carried by", ", whom the others credit", "origin, credited by the others"),
    CAPTURED: ("Earliest by capture time:", " (no dates or credits order the articles)", "captured first"),
    UNKNOWN: ("Order unknown (no dates order the articles); listed first:", "", "listed first: order unknown"),
}


def describe_origin(basis: str | None) -> tuple[str, str, str]:
    """(before the outlet, after it, heading) for an origin of this basis (DESCRIPTIONS)."""
    return DESCRIPTIONS.get(basis, DESCRIPTIONS[UNKNOWN])


def origin_phrase(basis: str | None, outlet: str) -> str:
    """How cite names an origin in a sentence (describe_origin's words)."""
    before, after, _ = describe_origin(basis)
    return f"{before[0].lower()}{before[1:]} {outlet}{after}"
