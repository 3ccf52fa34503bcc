"""An MkDocs hook for every pressdiff site: the Look-up page loads without Mermaid.

mkdocs.yml loads the bundled Mermaid (some 3 MB of script) on every page for Material's
diagrams; the Look-up page has none, and parsing it held the page's first answer back by about
a second (bench/lookup.py). MkDocs loads this file through the `hooks` setting of the configs
pressdiff writes (publish/build.py).
"""

from __future__ import annotations

import re

_MERMAID = re.compile(r'<script src="[^"]*javascripts/mermaid\.min\.js"></script>')


def on_post_page(output: str, page, config):
    if page.file.src_uri == "lookup.md":
        return _MERMAID.sub("", output, count=1)
    return output
