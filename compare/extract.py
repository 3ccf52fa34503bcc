"""Article extraction: trafilatura (text, metadata; dates via htmldate) plus pressdiff's clean-up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura

# Icon-font strips: runs of "icon xxx" labels a screen reader would read out (RT's header, share bars).
_ICON_LINE = re.compile(r"^(?:\s*(?:icon|fa|glyphicon)[\s-]?[\w-]*(?:\s+[\w-]+)?){4,}\s*$", re.I)
_COMMENT_LINES = {"comments", "post a comment", "leave a comment", "add a comment", "show comments",
                  "reader comments", "share this article", "share", "related", "related articles",
                  "advertisement", "read more"}
_SOURCE_LINE = re.compile(r"^\s*(?:Source|Via)\s*:\s*(?P<src>.{2,80}?)\s*$", re.I)


@dataclass(frozen=True)
class Extracted:
    """What extraction found in one page."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site_name: str | None = None
    language: str | None = None
    meta: dict = field(default_factory=dict)


def extract(html: str | bytes, url: str | None = None) -> Extracted | None:
    """Extract the article from an HTML page; None when the page holds no article text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, favor_precision=True, deduplicate=False)
    if doc is None or not (doc.text or "").strip():
        return None
    text, meta = clean_text(doc.text, doc.title)
    if not text:
        return None
    return Extracted(text=text, title=_none(doc.title), author=_none(doc.author),
                     published=_none(doc.date), site_name=_none(doc.sitename),
                     language=_none(doc.language), meta=meta)


def clean_text(text: str, title: str | None = None) -> tuple[str, dict]:
    """Drop what trafilatura leaves of page furniture; paragraphs joined by blank lines."""
    meta: dict = {}
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _ICON_LINE.match(line):
            continue
        if line.lower().rstrip(":. ") in _COMMENT_LINES:
            continue
        m = _SOURCE_LINE.match(line)
        if m:
            meta.setdefault("source_lines", []).append(m.group("src"))
            continue
        if title and not out and line == title.strip():
            continue  # the headline repeated as the first paragraph
        if out and line == out[-1]:
            continue  # a headline or caption printed twice in a row
        out.append(line)
    return "\n\n".join(out), meta


def _none(value):
    return value.strip() if isinstance(value, str) and value.strip() else None
