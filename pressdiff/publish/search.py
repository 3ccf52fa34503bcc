"""The site's search: entries for what readers search, and one index over every story."""

from __future__ import annotations

import json
from pathlib import Path

from .escape import h
from .views import ArticleView, ClusterView, SpeakerView, StoryView

SEARCH_DOCS = "search-docs.json"  # beside a part's docs/: its entries for the search index


def search_entries(view: StoryView, c: ClusterView | None = None, a: ArticleView | None = None,
                   speakers: tuple[SpeakerView, ...] = (), initial: str | None = None) -> list[dict]:
    """What readers search for, as entries of Material's search index: headlines, outlets, quotations,
    speakers.

    The generated pages are left out of Material's own indexing (which parses every page's
    whole HTML); these entries are written instead. Title and text are HTML in that index, so
    scraped values are escaped. Called with a page's context: c, a, or a page of speakers (their
    initial, which each speaker's page address has too).
    """
    if c is not None:
        entries = [{"location": f"quotes/{c.id}/", "title": str(h(c.canonical)),
                    "text": str(h(f"{c.canonical} — {c.origin_label}"
                                  + (f", speaker {c.speaker}" if c.speaker else "")))}]
        entries += [{"location": f"quotes/{c.id}/#{v.article}-{v.start}", "title": str(h(v.outlet or v.article)),
                     "text": str(h(f"{v.text} — {v.relation}" + (f": {', '.join(v.changes)}" if v.changes else "")))}
                    for v in c.variants]
        return entries
    if speakers:  # a page of speakers: each one's name and spellings, and the start of their remarks
        return [{"location": p.page, "title": str(h(p.name)),
                 "text": str(h(" · ".join((*p.forms, f"{len(p.remarks)} remarks",
                                           *(r.cluster.canonical[:90] for r in p.remarks[:5])))))}
                for p in speakers]
    if a is not None:
        meta = " · ".join(x for x in (a.outlet, a.published_label, a.author, a.url) if x)
        entries = [{"location": f"articles/{a.id}/", "title": str(h(a.title or a.url)), "text": str(h(meta))}]
        entries += [{"location": f"articles/{a.id}/#{q.id}", "title": str(h(q.canonical[:90])),
                     "text": str(h(f"{q.canonical} — {a.outlet}" + (f", speaker {q.speaker}" if q.speaker else "")))}
                    for q in a.single]
        return entries
    return [{"location": "", "title": str(h(view.title)), "text": str(h(f"{view.summary or ''} {view.what_happened}"))}]


def merge_search(site: Path, slugs: list[str]) -> None:
    """The home site's search index takes in every story's pages, so it searches the whole archive."""
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text("utf-8"))
    for slug in slugs:
        path = site / slug / "search" / "search_index.json"
        if path.is_file():
            docs = json.loads(path.read_text("utf-8")).get("docs", [])
            index["docs"].extend(dict(d, location=f"{slug}/{d['location']}") for d in docs)
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
