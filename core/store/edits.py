"""What watching a story found: each later version of an article, classified (compare/edits.py).

An edit row is written once per new version and read by the site (Changes page, Atom feed,
the article's version timeline), by compare (the change `edited` on a variant) and by the
webhook, whose delivery state is the one thing updated later.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from .db import Part, utcnow

EDIT, NOISE, EXTRACTION = "edit", "noise", "extraction"


@dataclass(frozen=True)
class EditRow:
    """One classified version of an article."""

    id: int
    article: str
    version: int
    before: int
    kind: str  # edit | noise | extraction
    classes: tuple[str, ...]
    detail: dict
    detected_at: str
    notify: str | None

    @property
    def anchor(self) -> str:
        """Its id on the story's Changes page."""
        return f"{self.article}-v{self.version}"

    @classmethod
    def of(cls, row: sqlite3.Row) -> EditRow:
        return cls(id=row["id"], article=row["article"], version=row["version"], before=row["before"],
                   kind=row["kind"], classes=tuple(json.loads(row["classes"])), detail=json.loads(row["detail"]),
                   detected_at=row["detected_at"], notify=row["notify"])


class Edits(Part):
    """Classified versions of a story's articles, and the webhook's outbox."""

    def unclassified(self, story: str) -> list[sqlite3.Row]:
        """(key, version) of every crawled later version of the story not classified yet, oldest first."""
        return self.db.execute(
            "SELECT a.key, v.version FROM article a JOIN article_version v ON v.article_id = a.id "
            "WHERE a.story = ? AND v.version > 1 AND v.source = 'crawl' AND NOT EXISTS "
            "(SELECT 1 FROM edit e WHERE e.story = a.story AND e.article = a.key AND e.version = v.version) "
            "ORDER BY v.id", (story,)).fetchall()

    def add(self, story: str, article: str, version: int, before: int, kind: str, classes: list[str],
            detail: dict, notify: bool) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO edit (story, article, version, before, kind, classes, detail, detected_at, notify) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (story, article, version, before, kind, json.dumps(classes), json.dumps(detail, ensure_ascii=False),
             utcnow(), "pending" if notify and kind == EDIT else None))

    def of_story(self, story: str, article: str | None = None, after: int = 0) -> list[EditRow]:
        """A story's classified versions (of one article; recorded after row id `after`), oldest first."""
        where, params = ("AND article = ?", (article,)) if article else ("", ())
        return [EditRow.of(r) for r in self.db.execute(
            f"SELECT * FROM edit WHERE story = ? AND id > ? {where} ORDER BY id", (story, after, *params))]

    def last_id(self, story: str) -> int:
        """The id of the story's newest classified version (0: none), to read only those that follow."""
        return self.db.execute("SELECT IFNULL(MAX(id), 0) FROM edit WHERE story = ?", (story,)).fetchone()[0]

    def broken(self, story: str, article: str) -> set[int]:
        """The versions of an article whose text looked like broken extraction."""
        return {r[0] for r in self.db.execute("SELECT version FROM edit WHERE story = ? AND article = ? AND kind = ?",
                                              (story, article, EXTRACTION))}

    def pending(self, story: str) -> list[EditRow]:
        """Edits the webhook has not taken yet."""
        return [EditRow.of(r) for r in self.db.execute(
            "SELECT * FROM edit WHERE story = ? AND notify = 'pending' ORDER BY id", (story,))]

    def delivered(self, edit_id: int, ok: bool, attempts: int, give_up_after: int, refused: bool = False) -> str:
        """Record a delivery's outcome; the edit's webhook state after it (sent, pending, or failed
        once the webhook refused it or give_up_after attempts in all failed)."""
        with self.transaction():
            tried = self.db.execute("SELECT attempts FROM edit WHERE id = ?", (edit_id,)).fetchone()[0] + attempts
            state = "sent" if ok else ("failed" if refused or tried >= give_up_after else "pending")
            self.db.execute("UPDATE edit SET notify = ?, attempts = ? WHERE id = ?", (state, tried, edit_id))
        return state

    def fingerprint(self, story: str) -> str:
        return self.db.execute("SELECT COUNT(*) || ':' || IFNULL(MAX(id), 0) FROM edit WHERE story = ?",
                               (story,)).fetchone()[0]
