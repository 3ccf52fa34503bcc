"""Who said what: a story's speakers, from its comparison's cluster and variant speakers, for the
Speakers pages (templates/speakers.md.j2, speaker.md.j2).

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

# A speaker's page shows their remarks most widely carried first, each with every outlet's
# wording, until SPEAKER_ROWS wordings are shown; the rest are listed one line each, linking to
# their quotation's page (which shows every wording). A remark carried by more than REMARK_ROWS
# articles shows its first REMARK_ROWS wordings there. So a page stays under some thousand table
# rows however prolific a speaker is (the story's quotation pages hold 5 to 30 wordings each).
SPEAKER_ROWS = 600
REMARK_ROWS = 60
_APOSTROPHES = str.maketrans("’‘`´", "''''")


@lru_cache(maxsize=65536)  # a story's speakers are few names printed many times
def speaker_key(name: str | None) -> str:
    """What one speaker's spellings share: the name without its title ("Sen. Ted Cruz" -> Ted Cruz),
    apposition or possessive (compare.entities.normalise), case, apostrophe style and spacing.
    Empty for no name."""
    if not name or not name.strip():
        return ""
    return " ".join(normalise(name.translate(_APOSTROPHES)).casefold().split())


def speaker_slug(key: str) -> str:
    """The speaker page's folder: the key's letters in ASCII, and a hash of the key, so that two
    speakers never share a page and a page keeps its address when other speakers come and go."""
    ascii_ = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:48].strip("-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}" if words else digest


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
    speakers = []
    for key, found in remarks.items():
        found.sort(key=lambda c: (-c.carriers, c.id))
        # the spelling printed most often names the speaker; ties go to the longer, then the first in order
        name = sorted(forms[key].items(), key=lambda f: (-f[1], -len(f[0]), f[0]))[0][0]
        views, rows = [], 0
        for c in found:
            full = rows < SPEAKER_ROWS
            shown = c.variants[:REMARK_ROWS] if full else ()
            rows += len(shown)
            views.append(RemarkView(cluster=c, variants=shown,
                                    own=sum(1 for v in c.variants if speaker_key(v.speaker) == key)))
        variants = [v for c in found for v in c.variants]
        speakers.append(SpeakerView(
            key=key, name=name, slug=speaker_slug(key), forms=tuple(sorted(f for f in forms[key] if f != name)),
            remarks=tuple(views), outlets=len({v.outlet or v.article for v in variants}), wordings=len(variants),
            quoted=sum(1 for v in variants if v.rendering in ("quoted", "partly quoted")),
            reported=sum(1 for v in variants if v.rendering == "reported")))
    return tuple(sorted(speakers, key=lambda s: (-len(s.remarks), s.key)))
