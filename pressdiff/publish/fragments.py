"""HTML blocks set aside from a page's Markdown, one Fragments per build (see hooks.py)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from markupsafe import Markup

from .files import write
from .hooks import FRAGMENTS, TOKEN


class Fragments:
    """HTML blocks of the page being rendered, kept out of its Markdown (see hooks.py).

    A template wraps a block in {% filter html %}…{% endfilter %}: the block is set aside and
    a placeholder paragraph, with a per-build random nonce scraped text cannot guess, stands
    in for it. page() writes the page and its blocks' side file.
    """

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.blocks: list[str] = []
        self.pages: dict[str, list[str]] = {}

    def add(self, block: str) -> Markup:
        self.blocks.append(str(block))
        return Markup("\n\n" + TOKEN.format(nonce=self.nonce, n=len(self.blocks) - 1) + "\n\n")

    def page(self, docs: Path, rel: str, template, **context) -> None:
        self.blocks = []
        write(docs / rel, template.render(**context))
        if self.blocks:
            self.pages[rel] = self.blocks

    def save(self, docs: Path) -> None:
        """One file for all the pages of a MkDocs run (creating files is slow on some disks)."""
        write(docs.parent / FRAGMENTS, json.dumps({"nonce": self.nonce, "pages": self.pages}, ensure_ascii=False))
        self.pages = {}
