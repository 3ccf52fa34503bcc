"""The workspace's archive index: one SQLite database, four stores over it.

- `articles` (articles.py): stories, captures, article versions; never rewritten.
- `runs` (runs.py): crawl runs, their frontier and WARC files; what resume reads.
- `findings` (findings.py): what compare derived, replaced per story; the cite index.
- `edits` (edits.py): what each later version of an article changed, as watching classified it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from .articles import Articles, SavedVersion, VersionRow, article_key, normalize_text
from .db import DB_NAME, Transaction, connect, migrations, utcnow
from .edits import EditRow, Edits
from .findings import Findings
from .runs import Runs

__all__ = ["Store", "Articles", "Runs", "Findings", "Edits", "EditRow", "SavedVersion", "VersionRow", "article_key",
           "normalize_text", "migrations", "utcnow"]


class Store(contextlib.AbstractContextManager):
    """One workspace: `with Store(data_dir) as store: store.articles.save_article(...)`."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.db = connect(self.path)
        self.articles = Articles(self.db, self.path)
        self.runs = Runs(self.db)
        self.findings = Findings(self.db, self.data_dir)
        self.edits = Edits(self.db)

    def transaction(self):
        """One unit of work across the stores: `with store.transaction(): ...`."""
        return Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    def __exit__(self, *exc) -> None:
        self.close()
