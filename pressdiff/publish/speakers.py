"""Who said what: a story's speakers, from its comparison's cluster and variant speakers, for the
Speakers pages (templates/speakers.md.j2, the index, and speakers_initial.md.j2).

A speaker is every spelling of one name the comparison gives (compare/speakers.py and entities.py
resolve each article's mention to a name): "The memo" and "the memo", "Mr. Trump" and "Trump" are
one speaker here, grouped by speaker_key alone. A remark is a cluster whose own speaker or any of
whose variants' speakers is that speaker; it is shown with every outlet's wording of it, also
those that name someone else.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from pressdiff.compare.entities import normalise

from .views import ClusterView, RemarkView, SpeakerView

# The speakers are shown on a page per initial (speakers/t/ holds "Trump" and "the memo"), each
# under an anchor named by speaker_slug: a story of 924 PolNeAR articles has 2,317 speakers, and a
# page each would have been 2,317 MkDocs pages, more than its articles and quotations together.
# Each speaker's remarks, most widely carried first, show every outlet's wording until
# SPEAKER_ROWS wordings are shown (REMARK_ROWS at most per remark); the rest are listed one line
# each, linking to their quotation's page, which shows every wording. A page shows at most
# PAGE_ROWS wordings, given out to its speakers with the most remarks first, so an initial of
# many speakers stays some thousands of table rows.
SPEAKER_ROWS = 600
REMARK_ROWS = 60
PAGE_ROWS = 3000
OTHER = "other"  # the page of names that start with no letter a-z (a digit, another script)
_APOSTROPHES = str.maketrans("’‘`´", "''''")
# "the Home Office" is "Home Office" (the founding story's outlets print both); "the memo" stays.
_THE_NAME = re.compile(r"^(?:[Tt]he|THE)\s+(?=[A-Z])")


@lru_cache(maxsize=65536)  # a story's speakers are few names printed many times
def speaker_key(name: str | None) -> str:
    """What one speaker's spellings share: the name without its title ("Sen. Ted Cruz" -> Ted Cruz),
    apposition or possessive (compare.entities.normalise), the "the" before a capitalised name,
    case, apostrophe style and spacing. Empty for no name."""
    if not name or not name.strip():
        return ""
    name = _THE_NAME.sub("", normalise(name.translate(_APOSTROPHES)))
    return " ".join(name.casefold().split())


def speaker_slug(key: str) -> str:
    """The speaker's anchor on their page: the key's letters in ASCII, and a hash of the key, so
    that two speakers never share one and it stays when other speakers come and go."""
    ascii_ = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:48].strip("-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}" if words else digest


def speaker_initial(key: str) -> str:
    """The page a speaker is on (speakers/INITIAL/): their key's first letter in ASCII, or OTHER."""
    first = unicodedata.normalize("NFKD", key[:1]).encode("ascii", "ignore").decode().lower()
    return first if "a" <= first <= "z" else OTHER


def group_speakers(clusters: tuple[ClusterView, ...] | list[ClusterView]) -> tuple[SpeakerView, ...]:
    """Every speaker of a story's clusters, with their remarks: the speakers with the most remarks
    first, then by name; a speaker's remarks most widely carried first, then by cluster id."""
    remarks: dict[str, list[ClusterView]] = {}
    forms: dict[str, Counter] = {}
    for c in clusters:
        mine: set[str] = set()
        for name in (c.speaker, *(v.speaker for v in c.variants)):
            key = speaker_key(name)
            if key:
                forms.setdefault(key, Counter())[" ".join(name.split())] += 1
                mine.add(key)
        for key in mine:
            remarks.setdefault(key, []).append(c)
    page_rows: Counter = Counter()
    speakers = []
    for key in sorted(remarks, key=lambda k: (-len(remarks[k]), k)):
        found = sorted(remarks[key], key=lambda c: (-c.carriers, c.id))
        # the spelling printed most often names the speaker; ties go to the longer, then the first in order
        name = sorted(forms[key].items(), key=lambda f: (-f[1], -len(f[0]), f[0]))[0][0]
        initial = speaker_initial(key)
        views, rows = [], 0
        for c in found:
            full = rows < SPEAKER_ROWS and page_rows[initial] < PAGE_ROWS
            shown = c.variants[:REMARK_ROWS] if full else ()
            rows += len(shown)
            page_rows[initial] += len(shown)
            views.append(RemarkView(cluster=c, variants=shown,
                                    own=sum(1 for v in c.variants if speaker_key(v.speaker) == key)))
        variants = [v for c in found for v in c.variants]
        speakers.append(SpeakerView(
            key=key, name=name, slug=speaker_slug(key), initial=initial,
            forms=tuple(sorted(f for f in forms[key] if f != name)),
            remarks=tuple(views), outlets=len({v.outlet or v.article for v in variants}), wordings=len(variants),
            quoted=sum(1 for v in variants if v.rendering in ("quoted", "partly quoted")),
            reported=sum(1 for v in variants if v.rendering == "reported")))
    return tuple(speakers)


def speaker_pages(speakers: tuple[SpeakerView, ...]) -> dict[str, tuple[SpeakerView, ...]]:
    """The Speakers pages after the index: each initial's speakers, in the order of their keys."""
    pages: dict[str, list[SpeakerView]] = {}
    for p in sorted(speakers, key=lambda p: p.key):
        pages.setdefault(p.initial, []).append(p)
    return {initial: tuple(found) for initial, found in sorted(pages.items())}
