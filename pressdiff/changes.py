"""Naming what changed in each later version of a crawled article (compare/edits.py), in the workspace.

Every crawl (`crawl`, `run`, each pass of `watch`) ends here: each new version is set against
the article's last version whose extraction was sound and recorded as an edit, noise, or an
extraction problem (store.edits), once. A crawl killed before it got here leaves its versions
unclassified; the next crawl of the story classifies them.
"""

from __future__ import annotations

import dataclasses

from warcio.exceptions import ArchiveLoadFailed

from pressdiff.archive import health
from pressdiff.archive.capture import extract_page
from pressdiff.archive.extract import EXTRACTOR, EXTRACTOR_KEY
from pressdiff.archive.reading import read_record
from pressdiff.compare.edits import Classified, Side, classify_version
from pressdiff.core.store import EditRow, Store, VersionRow
from pressdiff.core.store.edits import EDIT, EXTRACTION
from pressdiff.core.story import Story

EXTRACTION_CLASS = "extraction may be broken"


def classify_new(store: Store, story: Story, notify: bool = False) -> list[EditRow]:
    """Classify every crawled later version of the story's articles not classified yet (oldest
    first), each against the article's last version whose extraction was sound; returns them."""
    last = store.edits.last_id(story.slug)
    for row in store.edits.unclassified(story.slug):
        versions = {v.version: v for v in store.articles.versions(story.slug, row["key"])}
        broken = store.edits.broken(story.slug, row["key"])
        new = versions[row["version"]]
        base = next((versions[n] for n in sorted(versions, reverse=True) if n < new.version and n not in broken),
                    versions[min(versions)])
        before, after = _like_for_like(store, base, new)
        with store.transaction():
            broken = health.check_version(store, story.slug, new.url, new.outlet, after.text, before.text, base.created_at)
            found = (Classified(EXTRACTION, (EXTRACTION_CLASS,), {"kind": broken[0], "alert": broken[1]}) if broken
                     else classify_version(before, after, story.watch.min_changed_words, story.watch.ignore))
            store.edits.add(story.slug, new.key, new.version, base.version, found.kind, list(found.classes),
                            dict(found.detail, **_summary(base, new)), notify)
    return store.edits.of_story(story.slug, after=last)


def _like_for_like(store: Store, base: VersionRow, new: VersionRow) -> tuple[Side, Side]:
    """The two versions as one set of extraction rules reads them: when different rules extracted them (archive/extract.py's EXTRACTOR), each that today's rules did
    not extract is extracted again from its own capture, so that new rules are not taken for the
    outlet's edit; as stored otherwise."""
    sides = [Side(v.text, title=v.title, author=v.author, published=v.published) for v in (base, new)]
    if base.meta.get(EXTRACTOR_KEY) != new.meta.get(EXTRACTOR_KEY):
        sides = [(v.meta.get(EXTRACTOR_KEY) != EXTRACTOR and _extracted_again(store, v)) or side
                 for v, side in zip((base, new), sides)]
        # a page extracted again has the lines its outlet's template took out of the stored one
        template = frozenset(health.line_key(line) for v in (base, new)
                             for line in v.meta.get(health.TEMPLATE_KEY, ()))
        sides = [dataclasses.replace(side, text=health.without_template(side.text, template)) for side in sides]
    return sides[0], sides[1]


def _extracted_again(store: Store, v: VersionRow) -> Side | None:
    """A version's page extracted again from its WARC record; None when that cannot be done."""
    c = v.capture
    if c is None or not c.warc_file or c.warc_offset is None:
        return None
    try:
        record, _, body = read_record(store.data_dir / c.warc_file, c.warc_offset)
    except (OSError, ArchiveLoadFailed, StopIteration, ValueError):
        return None  # a WARC file moved away or damaged: the stored text is all there is
    headers = record.http_headers
    page, _ = extract_page(body, headers.get_header("Content-Type") if headers else None, c.final_url or v.url)
    return None if page is None else Side(page.text, title=page.title, author=page.author, published=page.published)


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
