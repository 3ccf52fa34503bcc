"""Escaping for scraped text on its way into Markdown and HTML: everything scraped is hostile."""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

# Characters that mean something inline (emphasis, code, links). With newlines collapsed, the
# others Python-Markdown can escape ( # > + - . ) ) only matter at the start of a block.
_MD_INLINE = re.compile(r"([\\`*_\[\]])")
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([#>+\-])|(\d+)([.)]))")


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
    text = _MD_INLINE.sub(r"\\\1", text).replace("|", "&#124;")  # a table cell must not split
    return Markup(_MD_BLOCK_START.sub(_escape_block_start, text, count=1))


def _escape_block_start(m: re.Match) -> str:
    if m.group(2):  # "# x", "- x", "> x", "+ x"
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)  # "1. x": escape the dot, digits cannot be


def h(value) -> Markup:
    """Plain text safe inside raw HTML blocks (Markdown is not parsed there).

    Newlines become <br>: a blank line would end the HTML block (and an admonition around it),
    handing the rest of the text to the Markdown parser.
    """
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return Markup(text.replace("\r", "").replace("\n", "<br>"))


def title(value, limit: int = 0) -> Markup:
    """A page title for YAML front matter: MkDocs prints page titles into HTML unescaped."""
    text = " ".join(str(value or "").split())
    if limit and len(text) > limit:
        text = text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit] + " …"
    return Markup(json.dumps(str(h(text)), ensure_ascii=False))  # a JSON string is a YAML string


def ref(text, target: str) -> Markup:
    """A link with escaped text to a page the publisher built itself, relative to the page's URL.

    Raw HTML, not a Markdown link to a .md file: a big story is built by several MkDocs runs
    at once, and the target may be another run's page (tests check every link of the site).
    """
    return Markup('<a href="{}">{}</a>').format(target, text)


def diff_html(diff) -> Markup:
    """Inline word-level highlighting of a variant against the origin wording."""
    parts = []
    for op, old, new in diff:
        lead = new[: len(new) - len(new.lstrip())]  # spacing and punctuation stay outside the marks
        core = new.lstrip()
        if op == "equal":
            parts.append(h(new))
        elif op in ("normalized", "spelling"):
            parts.append(h(lead) + Markup('<span class="pd-norm" title="{}: {}">{}</span>').format(
                "other spelling of" if op == "spelling" else "origin", old.strip(), core))
        elif op == "synonym":
            parts.append(h(lead) + Markup('<span class="pd-synonym" title="synonym of: {}">{}</span>').format(
                old.strip(), core))
        elif op == "delete":
            parts.append(Markup(" <del>{}</del>").format(old.strip()))
        elif op == "insert":
            parts.append(h(lead) + Markup("<ins>{}</ins>").format(core))
        else:
            parts.append(Markup(" <del>{}</del> ").format(old.strip()) + Markup("<ins>{}</ins>").format(core))
    return Markup("").join(parts)


# A wording's context on its quotation page: enough to show who said it and how, not the article.
# Most sources and cues sit within a clause of the words (PolNeAR), so CONTEXT_CHARS either side,
# within the paragraph, shows the clause; a longer stretch between two marks, or a long mark,
# keeps its ends only.
CONTEXT_CHARS = 80
CONTEXT_GAP = 160
CONTEXT_MARK = 400
# Between a source and its cue, what said_phrase prints as it is ("she said", "said Kat Hall, ");
# a longer stretch reads " … ".
SAID_GAP = 12
MARK_TITLES = {"pd-source": "source", "pd-cue": "cue", "pd-content": "content"}


def marked_context(text: str, marks) -> Markup:
    """An excerpt of text around the marks, (start, end, class) spans into it, each in a <mark>
    of its class (MARK_TITLES); everything escaped, long stretches cut to their ends."""
    spans, pos = [], 0
    for start, end, cls in sorted(m for m in marks if 0 <= m[0] < m[1] <= len(text) and m[2] in MARK_TITLES):
        start = max(start, pos)  # overlapping marks: the later starts where the earlier ends
        if start < end:
            spans.append((start, end, cls))
            pos = end
    if not spans:
        return Markup("")
    # within the paragraph(s) of the marks: the one before or after is another remark's
    lo = max(0, spans[0][0] - CONTEXT_CHARS, text.rfind("\n", 0, spans[0][0]) + 1)
    after = text.find("\n", spans[-1][1])
    hi = min(len(text), spans[-1][1] + CONTEXT_CHARS, after if after >= 0 else len(text))
    if lo > 0 and not text[lo - 1].isspace():  # whole words at the edges
        lo = min(spans[0][0], text.find(" ", lo) + 1 or lo)
    if hi < len(text) and not text[hi].isspace():
        cut = text.rfind(" ", spans[-1][1], hi)
        hi = cut if cut > 0 else hi
    parts, pos = [Markup("… ") if lo > 0 and text[lo - 1] != "\n" else Markup("")], lo
    for start, end, cls in spans:
        parts.append(h(_middle_cut(text[pos:start], CONTEXT_GAP)))
        parts.append(Markup('<mark class="{}" title="{}">{}</mark>').format(
            cls, MARK_TITLES[cls], h(_middle_cut(text[start:end], CONTEXT_MARK))))
        pos = end
    parts.append(h(text[pos:hi]))
    if hi < len(text) and text[hi] != "\n":
        parts.append(Markup(" …"))
    return Markup("").join(parts)


def _middle_cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit // 2].rstrip() + " … " + text[-(limit // 2):].lstrip()


def said_phrase(text: str, attribution: dict) -> Markup:
    """The source and the cue as the article prints them, in its order and marked: "she said",
    "said Kat Hall", "according to the memo"; empty when it names neither."""
    found = sorted((span["start"], span["end"], f"pd-{role}") for role in ("source", "cue")
                   for span in [attribution.get(role)] if span and 0 <= span["start"] < span["end"] <= len(text))
    if not found:
        return Markup("")
    parts, pos = [], None
    for start, end, cls in found:
        if pos is not None:
            between = text[pos:start] if start >= pos else ""
            parts.append(h(between) if len(between) <= SAID_GAP else Markup(" … "))
        parts.append(Markup('<mark class="{}" title="{}">{}</mark>').format(cls, MARK_TITLES[cls],
                                                                            h(_middle_cut(text[start:end], 120))))
        pos = max(end, pos or 0)
    return Markup("").join(parts)


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 whole-article copy", "2 whole-article copies"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def mermaid_label(value) -> str:
    """Text safe inside a quoted Mermaid label: quotes, brackets and markup become entity codes."""
    text = " ".join(str(value or "").split())[:80].replace("#", "#35;")  # first: the codes start with '#'
    for ch, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"), ("`", "#96;"),
                     ("{", "#123;"), ("}", "#125;"), ("|", "#124;"), ("[", "#91;"), ("]", "#93;")):
        text = text.replace(ch, code)
    return text


def version_diff_html(segments, context_words: int = 25) -> Markup:
    """A version-to-version word diff; long unchanged stretches are cut to their edges."""
    parts = []
    last = len(segments) - 1
    for i, (op, text) in enumerate(segments):
        if op == "delete":
            parts.append(Markup("<del>{}</del>").format(text))
        elif op == "insert":
            parts.append(Markup("<ins>{}</ins>").format(text))
        else:
            words = text.split(" ")
            if len(words) > 2 * context_words:
                head = " ".join(words[:context_words]) if i > 0 else ""
                tail = " ".join(words[-context_words:]) if i < last else ""
                text = f"{head} … {tail}".strip()
            parts.append(h(text))
    return Markup("").join(parts)


def cite_block(obj, what: str) -> Markup:
    """The Cite block as one raw HTML element: Markdown need not parse it, search skips it.

    obj carries permalink, apa, bibtex and csl; scraped values are escaped here.
    """
    csl = json.dumps(obj.csl, ensure_ascii=False, separators=(", ", ": "))
    return Markup(
        '<details class="quote pd-cite" data-search-exclude><summary>Cite this {what}</summary>'
        '<p>Permalink:</p><pre><code>{permalink}</code></pre>'
        "<p><strong>APA:</strong> {apa}</p>"
        '<p>BibTeX:</p><pre><code class="language-bibtex">{bibtex}</code></pre>'
        '<p>CSL-JSON:</p><pre><code class="language-json">{csl}</code></pre></details>'
    ).format(what=what, permalink=obj.permalink, apa=obj.apa, bibtex=Markup(_pre(obj.bibtex)),
             csl=Markup(_pre(csl)))


def short_cite(obj) -> Markup:
    """A compact Cite block for a quotation shown on its article's page: permalink and APA.

    (BibTeX and CSL-JSON of the article are in the article's own Cite block.)
    """
    return Markup(
        '<details class="quote pd-cite" data-search-exclude><summary>Cite this quotation</summary>'
        "<p>Permalink: <code>{permalink}</code></p><p><strong>APA:</strong> {apa}</p></details>"
    ).format(permalink=obj.permalink, apa=obj.apa)


def _pre(text: str) -> str:
    """Escaped text for <pre>, with no blank line that would end the raw HTML block."""
    return html.escape(text, quote=False).replace("\n\n", "\n&#32;\n")
