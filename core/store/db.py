"""The workspace database: SQLite in WAL mode, schema migrated by PRAGMA user_version."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from pressdiff.core.errors import InputError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
DB_NAME = "pressdiff.db"


def utcnow() -> str:
    """The current time as an ISO 8601 UTC string with seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def migrations() -> list[tuple[int, str]]:
    """The numbered migration scripts, in order."""
    return [(int(path.name[:3]), path.read_text(encoding="utf-8"))
            for path in sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9]_*.sql"))]


def connect(path: Path) -> sqlite3.Connection:
    """Open (and migrate) a workspace database; autocommit, so units of work are explicit."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")
    current = db.execute("PRAGMA user_version").fetchone()[0]
    steps = migrations()
    latest = steps[-1][0] if steps else 0
    if current > latest:
        db.close()
        raise InputError(f"{path}: archive schema version {current} is newer than this pressdiff knows ({latest}); upgrade pressdiff")
    for number, script in steps:
        if number <= current:
            continue
        # executescript commits on its own; wrap the step so a failure leaves the old version.
        db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    return db


class Part:
    """A store over the workspace's one connection: each keeps one kind of data."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def transaction(self):
        """One unit of work: `with part.transaction(): ...`."""
        return Transaction(self.db)


class Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *rest):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
