"""A story's Atom feed of edits (RFC 4287): what outlets changed in their articles after publication.

One entry per version that watching classified as an edit (pressdiff/watch.py), newest first;
noise and extraction problems are not edits and stay out. Written with ElementTree, so every
scraped headline and quotation is escaped as XML text; its ids are stable URNs, so a feed
reader shows an edit once however often the site is rebuilt.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from html import escape

from pressdiff import __version__
from pressdiff.core.store.edits import EDIT

from .views import EditView, StoryView

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "changes.xml"  # in each story's site


def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "pressdiff:" + ":".join(parts)).urn


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    node.text = text
    return node


def _content(v: EditView) -> str:
    """The entry's HTML: what changed, in words, then the words themselves."""
    e, d = v.edit, v.edit.detail
    parts = [f"<p>{escape(v.outlet or 'An outlet')} changed <a href=\"{escape(v.url)}\">{escape(v.title or v.url)}</a> "
             f"(version {e.before} → {e.version}): {escape(', '.join(e.classes))}.</p>"]
    if "headline" in d:
        parts.append(f"<p>Headline: <del>{escape(d['headline']['before'] or '')}</del> → "
                     f"<ins>{escape(d['headline']['after'] or '')}</ins></p>")
    for q in d.get("quotations", ()):
        before = f"<del>“{escape(q['before'])}”</del>" if q["before"] else ""
        after = f"<ins>“{escape(q['after'])}”</ins>" if q["after"] else ""
        parts.append(f"<p>{escape(q['change'].capitalize())}: {before}{' → ' if before and after else ''}{after}</p>")
    parts += [f"<blockquote>{escape(note)}</blockquote>" for note in d.get("notes", ())]
    if v.diff:
        parts.append(f"<div>{v.diff}</div>")
    return "".join(parts)


def atom_feed(view: StoryView) -> bytes:
    """The story's edits as an Atom 1.0 document (links from the story's root, view.root)."""
    ET.register_namespace("", ATOM)
    edits = [v for v in view.edits if v.edit.kind == EDIT]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", _urn(view.slug, "changes"))
    _sub(feed, "title", f"{view.title}: edits after publication")
    _sub(feed, "subtitle", "What outlets changed in their own articles after publishing them, as pressdiff's "
                           "watch found it.")
    _sub(feed, "updated", edits[0].edit.detected_at if edits else "1970-01-01T00:00:00+00:00")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{view.root}/{FEED_FILE}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{view.root}/changes/")
    _sub(_sub(feed, "author"), "name", "pressdiff")
    _sub(feed, "generator", "pressdiff", version=__version__)
    for v in edits:
        e = v.edit
        entry = _sub(feed, "entry")
        _sub(entry, "id", _urn(view.slug, e.anchor))
        _sub(entry, "title", f"{v.outlet or v.url}: {v.title or v.url} ({', '.join(e.classes)})")
        _sub(entry, "updated", e.detected_at)
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{view.root}/changes/#{e.anchor}")
        _sub(entry, "link", rel="related", type="text/html", href=v.url)
        _sub(_sub(entry, "author"), "name", v.outlet or "unknown outlet")
        for c in e.classes:
            _sub(entry, "category", term=c)
        _sub(entry, "content", _content(v), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
