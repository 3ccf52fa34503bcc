"""Crawl runs: each run's frontier (what it means to fetch) and the WARC files it wrote.

A run that was interrupted is resumed from here: its pending pages are fetched again.
"""

from __future__ import annotations

import json
import sqlite3

from pressdiff.core.errors import WorkError
from pressdiff.core.processes import alive, process_start

from . import statements as sql
from .db import Part, utcnow


class Runs(Part):
    """Crawl runs, their frontier and their WARC files."""

    def start_run(self, story: str, pid: int) -> tuple[int, bool]:
        """Open a crawl run, or resume the story's interrupted one; (run id, resumed)."""
        started = process_start(pid)
        with self.transaction():
            row = self.db.execute("SELECT id, pid, pid_started FROM crawl_run WHERE story = ? AND status = 'running' "
                                  "ORDER BY id DESC LIMIT 1", (story,)).fetchone()
            if row is not None:
                if row["pid"] and row["pid"] != pid and alive(row["pid"], row["pid_started"]):
                    raise WorkError(f"a crawl of '{story}' is already running (process {row['pid']}); "
                                    "wait for it or stop it first")
                self.db.execute("UPDATE crawl_run SET pid = :pid, pid_started = :started WHERE id = :id",
                                dict(pid=pid, started=started, id=row["id"]))
                return row["id"], True
            return self.db.execute("INSERT INTO crawl_run(story, started_at, status, pid, pid_started) "
                                   "VALUES (:story, :at, 'running', :pid, :started)",
                                   dict(story=story, at=utcnow(), pid=pid, started=started)).lastrowid, False

    def open_replay_run(self, story: str) -> int:
        return self.db.execute("INSERT INTO crawl_run(story, started_at, status, pid) VALUES (?, ?, 'replay', NULL)",
                               (story, utcnow())).lastrowid

    def started_at(self, run: int) -> str:
        return self.db.execute("SELECT started_at FROM crawl_run WHERE id = ?", (run,)).fetchone()[0]

    def finish_run(self, run: int, summary: dict) -> None:
        self.db.execute("UPDATE crawl_run SET status = CASE status WHEN 'replay' THEN 'replay' ELSE 'finished' END, "
                        "finished_at = ?, summary = ? WHERE id = ?",
                        (utcnow(), json.dumps(summary, sort_keys=True), run))

    def frontier_add(self, run: int, url: str, found_by: str, via: str | None = None,
                     outlet: str | None = None, depth: int = 0) -> bool:
        """Plan a page for this run; False if the run already has it."""
        return self.db.execute(sql.FRONTIER_ADD, dict(run=run, url=url, found_by=found_by, via=via, outlet=outlet,
                                                      depth=depth)).rowcount == 1

    def frontier_planned(self, run: int) -> list[sqlite3.Row]:
        """Every page the run has planned, whatever its state."""
        return self.db.execute("SELECT url, found_by, state FROM frontier WHERE run = ?", (run,)).fetchall()

    def frontier_pending(self, run: int) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM frontier WHERE run = ? AND state = 'pending' ORDER BY rowid",
                               (run,)).fetchall()

    def frontier_entry(self, run: int, url: str) -> sqlite3.Row | None:
        return self.db.execute(sql.FRONTIER_ENTRY, {"run": run, "url": url}).fetchone()

    def frontier_mark(self, run: int, url: str, state: str, note: str | None = None) -> None:
        self.db.execute(sql.FRONTIER_MARK, {"state": state, "note": note, "run": run, "url": url})

    def frontier_counts(self, run: int) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT state, COUNT(*) FROM frontier WHERE run = ? GROUP BY state", (run,))}

    def register_warc(self, path: str, run: int | None) -> None:
        self.db.execute(sql.WARC_REGISTER, {"path": path, "run": run, "created_at": utcnow()})

    def close_warc(self, path: str) -> None:
        self.db.execute(sql.WARC_CLOSE, {"path": path})

    def run_warcs(self, run: int) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM warc_file WHERE run = ? ORDER BY path", (run,))]
