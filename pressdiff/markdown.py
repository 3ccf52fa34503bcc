"""Escaping for scraped text on its way into Markdown and HTML: everything scraped is hostile."""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

# Python-Markdown's backslash escapes, plus the table pipe and the tilde of strike-through.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(value) -> Markup:
    """Plain text safe in Markdown inline context: HTML-escaped, Markdown punctuation escaped."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())  # no newlines: a scraped title cannot start a block
    text = html.escape(text, quote=True)
    # Jinja or other template syntax in scraped text must stay text, whatever renders it next.
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def h(value) -> Markup:
    """Plain text safe inside raw HTML blocks (Markdown is not parsed there)."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;"))


def title(value, limit: int = 0) -> Markup:
    """A page title for YAML front matter: MkDocs prints page titles into HTML unescaped."""
    text = " ".join(str(value or "").split())
    if limit and len(text) > limit:
        text = text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit] + " …"
    return Markup(json.dumps(str(h(text)), ensure_ascii=False))  # a JSON string is a YAML string


def link(text, target: str) -> Markup:
    """A Markdown link with escaped text to a target the publisher built itself."""
    return Markup(f"[{md(text)}]({target})")


def diff_html(diff) -> Markup:
    """Inline word-level highlighting of a variant against the origin wording."""
    parts = []
    for op, old, new in diff:
        if op == "equal":
            parts.append(h(new))
        elif op == "normalized":
            parts.append(Markup('<span class="pd-norm" title="origin: {}">{}</span>').format(old, new))
        elif op == "delete":
            parts.append(Markup("<del>{}</del>").format(old))
        elif op == "insert":
            parts.append(Markup("<ins>{}</ins>").format(new))
        else:
            parts.append(Markup("<del>{}</del> <ins>{}</ins>").format(old, new))
    return Markup(" ").join(parts)
