"""Naming what changed in each later version of a crawled article (compare/edits.py), in the workspace.

Every crawl (`crawl`, `run`, each pass of `watch`) ends here: each new version is set against
the article's last version whose extraction was sound and recorded as an edit, noise, or an
extraction problem (store.edits), once. A crawl killed before it got here leaves its versions
unclassified; the next crawl of the story classifies them.
"""

from __future__ import annotations

from pressdiff.archive import health
from pressdiff.compare.edits import Classified, Side, classify
from pressdiff.core.store import EditRow, Store, VersionRow
from pressdiff.core.store.edits import EDIT, EXTRACTION
from pressdiff.core.story import Story

EXTRACTION_CLASS = "extraction may be broken"


def classify_new(store: Store, story: Story, notify: bool = False) -> list[EditRow]:
    """Classify every crawled later version of the story's articles not classified yet (oldest
    first), each against the article's last version whose extraction was sound; returns them."""
    last = store.edits.last_id(story.slug)
    for row in store.edits.unclassified(story.slug):
        versions = {v.version: v for v in store.archive.versions(story.slug, row["key"])}
        broken = store.edits.broken(story.slug, row["key"])
        new = versions[row["version"]]
        base = next((versions[n] for n in sorted(versions, reverse=True) if n < new.version and n not in broken),
                    versions[min(versions)])
        found = _classified(story, base, new)
        with store.transaction():
            if found.kind == EXTRACTION and not store.archive.alerted(story.slug, new.url, base.created_at):
                kind = found.detail["kind"]  # the crawl's own check did not see it: say it here
                store.archive.add_alert(story.slug, new.url, new.outlet or "", None, kind, found.detail["alert"])
            store.edits.add(story.slug, new.key, new.version, base.version, found.kind, list(found.classes),
                            dict(found.detail, **_summary(base, new)), notify)
    return store.edits.of_story(story.slug, after=last)


def _classified(story: Story, base: VersionRow, new: VersionRow) -> Classified:
    broken = health.against_previous(new.text, base.text)
    if broken is not None:
        kind, why = broken
        return Classified(EXTRACTION, (EXTRACTION_CLASS,), {
            "kind": kind, "alert": f"extraction may be broken for {new.outlet or new.url}: {new.url} gave {why} "
                                   f"({kind}); not counted as an edit"})
    side = lambda v: Side(v.text, title=v.title, author=v.author, published=v.published)  # noqa: E731
    return classify(side(base), side(new), story.watch.min_changed_words, story.watch.ignore)


def _capture(v: VersionRow) -> dict | None:
    c = v.capture
    return None if c is None else {"captured_at": c.fetched_at, "warc": c.warc_file, "record_id": c.record_id,
                                   "sha256": c.sha256}


def _summary(base: VersionRow, new: VersionRow) -> dict:
    return {"url": new.url, "outlet": new.outlet, "title": new.title or base.title,
            "captures": {"before": _capture(base), "after": _capture(new)}}


def edit_line(e: EditRow) -> str:
    """How the terminal reports one classified version."""
    d = e.detail
    where = f"{d.get('outlet') or 'unknown outlet'} {d.get('url')} v{e.before}→v{e.version}"
    if e.kind == EXTRACTION:
        return d["alert"]
    if e.kind == EDIT:
        return f"edited: {where}: {', '.join(e.classes)}"
    return f"no alert: {where}: changes below the noise threshold"
