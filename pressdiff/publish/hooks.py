"""An MkDocs hook for pressdiff's generated pages: their HTML blocks bypass the Markdown parser.

The templates set each block of generated HTML (tables, word diffs, Cite blocks, figures)
aside and leave a placeholder paragraph in the Markdown; all the blocks of one MkDocs run are
in one file beside its docs/ folder. Python-Markdown parses raw HTML tag by tag, which made a
story's pages several times dearer to build than plain pages; this hook puts the blocks back
into the converted page (on_page_content), before the theme sees it. Headings stay in the
Markdown, so the table of contents keeps them. MkDocs loads this file through the `hooks`
setting of the config pressdiff writes (publish/build.py). And every page of a story's site
names the story's Atom feed of edits in its head (on_post_page), so feed readers find it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pressdiff.publish.feed import FEED_FILE

FRAGMENTS = "fragments.json"  # beside docs/: {"nonce": …, "pages": {source path: [HTML block, …]}}
TOKEN = "pd-fragment-{nonce}-{n}"
_loaded: dict[str, dict] = {}


def on_page_content(html: str, page, config, files):
    path = str(Path(config["docs_dir"]).parent / FRAGMENTS)
    if path not in _loaded:
        _loaded[path] = json.loads(Path(path).read_text("utf-8")) if Path(path).is_file() else {"pages": {}}
    data = _loaded[path]
    for n, block in enumerate(data["pages"].get(page.file.src_uri, ())):
        html = html.replace(f"<p>{TOKEN.format(nonce=data['nonce'], n=n)}</p>", block, 1)
    return html


FEED_LINK = '<link rel="alternate" type="application/atom+xml" title="Edits after publication" href="{href}">'


def on_post_page(output: str, page, config):
    depth = page.url.count("/")  # the page's folder depth below the story's root: "quotes/q1/" is 2
    href = "../" * depth + FEED_FILE
    return output.replace("</head>", FEED_LINK.format(href=href) + "</head>", 1)
