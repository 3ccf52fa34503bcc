"""The archive index: SQLite in WAL mode, schema migrated by PRAGMA user_version."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from compare.cite import normalize as normalize_words
from compare.records import Article, Comparison

from .errors import InputError, WorkError
from .story import Story, load_story, parse_story

SCHEMA_DIR = Path(__file__).with_name("schema")
DB_NAME = "pressdiff.db"


def utcnow() -> str:
    """The current time as an ISO 8601 UTC string with seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def article_key(url: str, length: int = 8) -> str:
    """A stable public id for an article: permalinks survive rebuilds and re-imports."""
    return "a" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:length]


def normalize_text(text: str) -> str:
    """The stored form of an article's text: NFC, Unix newlines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class SavedVersion:
    """What saving an article's text did."""

    key: str
    version: int
    created: bool  # False: the text was unchanged, no new version


@dataclass(frozen=True)
class VersionRow:
    """One stored version with its capture provenance."""

    key: str
    url: str
    outlet: str | None
    version: int
    text: str
    title: str | None
    author: str | None
    published: str | None
    site_name: str | None
    source: str
    created_at: str
    found_by: str | None
    capture: dict | None
    meta: dict


def migrations() -> list[tuple[int, str]]:
    """The numbered migration scripts, in order."""
    found = []
    for path in sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), path.read_text(encoding="utf-8")))
    return found


class Store:
    """One workspace's archive index."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        current = self.db.execute("PRAGMA user_version").fetchone()[0]
        steps = migrations()
        latest = steps[-1][0] if steps else 0
        if current > latest:
            raise InputError(f"{self.path}: archive schema version {current} is newer than this pressdiff knows ({latest}); upgrade pressdiff")
        for number, script in steps:
            if number <= current:
                continue
            # executescript commits on its own; wrap the step so a failure leaves the old version.
            self.db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    def transaction(self):
        """One unit of work: `with store.transaction(): ...`."""
        return _Transaction(self.db)

    # stories -----------------------------------------------------------------

    def save_story(self, story: Story) -> None:
        """Record (or update) a story definition in the workspace."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO story(slug, title, source, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(slug) DO UPDATE SET title=excluded.title, source=excluded.source, "
                "updated_at=excluded.updated_at",
                (story.slug, story.title, story.source, utcnow()),
            )

    def get_story(self, slug: str) -> Story | None:
        row = self.db.execute("SELECT source FROM story WHERE slug = ?", (slug,)).fetchone()
        return parse_story(row["source"], f"<story {slug} in {self.path}>") if row else None

    def story_slugs(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT slug FROM story ORDER BY slug")]

    def resolve_story(self, ref: str) -> Story:
        """A story file path or the slug of a story already in the workspace."""
        path = Path(ref)
        if ref.endswith(".toml") or path.is_file():
            story = load_story(path)
            self.save_story(story)
            return story
        story = self.get_story(ref)
        if story is None:
            known = ", ".join(self.story_slugs()) or "none yet"
            raise InputError(f"no story file or workspace story named '{ref}' (stories in {self.data_dir}: {known})")
        return story

    # captures and articles -----------------------------------------------------

    def add_capture(self, story: str, **fields) -> int:
        """Record one fetched HTTP response; returns its id."""
        cols = ["story", *fields]
        cur = self.db.execute(
            f"INSERT INTO capture({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            (story, *fields.values()),
        )
        return cur.lastrowid

    def save_article(self, story: str, url: str, text: str, *, outlet: str | None = None,
                     title: str | None = None, author: str | None = None,
                     published: str | None = None, site_name: str | None = None,
                     language: str | None = None, capture_id: int | None = None,
                     source: str = "crawl", found_by: str | None = None,
                     meta: dict | None = None) -> SavedVersion:
        """Store an article's text; a new version only when the text changed."""
        text = normalize_text(text)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self.db.execute("SELECT id, key, outlet FROM article WHERE story = ? AND url = ?",
                              (story, url)).fetchone()
        if row is None:
            key = self._free_key(story, url)
            cur = self.db.execute(
                "INSERT INTO article(story, url, key, outlet, found_by) VALUES (?, ?, ?, ?, ?)",
                (story, url, key, outlet, found_by))
            article_id = cur.lastrowid
        else:
            article_id, key = row["id"], row["key"]
            if outlet and outlet != row["outlet"]:
                self.db.execute("UPDATE article SET outlet = ? WHERE id = ?", (outlet, article_id))
        last = self.db.execute(
            "SELECT version, text_sha256 FROM article_version WHERE article_id = ? ORDER BY version DESC LIMIT 1",
            (article_id,)).fetchone()
        if last is not None and last["text_sha256"] == digest:
            return SavedVersion(key, last["version"], False)
        version = 1 if last is None else last["version"] + 1
        self.db.execute(
            "INSERT INTO article_version(article_id, version, text, text_sha256, title, author, published, "
            "site_name, language, capture_id, source, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (article_id, version, text, digest, title, author, published, site_name, language,
             capture_id, source, json.dumps(meta or {}, sort_keys=True, ensure_ascii=False), utcnow()))
        return SavedVersion(key, version, True)

    def key_of(self, story: str, url: str) -> str | None:
        """The id of the story's article at url, if it has one."""
        row = self.db.execute("SELECT key FROM article WHERE story = ? AND url = ?", (story, url)).fetchone()
        return row["key"] if row else None

    def _free_key(self, story: str, url: str) -> str:
        """The URL's key, longer in the rare case that another URL of the story already has it."""
        for length in (8, 12, 16, 40):
            key = article_key(url, length)
            if self.db.execute("SELECT 1 FROM article WHERE story = ? AND key = ?", (story, key)).fetchone() is None:
                return key
        raise WorkError(f"no free article id for {url} in story '{story}'")

    def _version_rows(self, story: str, where: str = "", params: tuple = ()):
        return self.db.execute(
            "SELECT a.key, a.url, a.outlet, a.found_by, v.*, "
            "c.warc_file, c.warc_offset, c.record_id, c.sha256, c.fetched_at, c.status, "
            "c.final_url, c.wayback_url, c.wayback_time, c.found_by AS capture_found_by "
            "FROM article a JOIN article_version v ON v.article_id = a.id "
            "LEFT JOIN capture c ON c.id = v.capture_id "
            f"WHERE a.story = ? {where} ORDER BY a.key, v.version",
            (story, *params)).fetchall()

    @staticmethod
    def _to_version(row) -> VersionRow:
        capture = None
        if row["capture_id"] is not None:
            capture = {k: row[k] for k in ("warc_file", "warc_offset", "record_id", "sha256",
                                           "fetched_at", "status", "final_url", "wayback_url", "wayback_time")}
        return VersionRow(key=row["key"], url=row["url"], outlet=row["outlet"], version=row["version"],
                          text=row["text"], title=row["title"], author=row["author"],
                          published=row["published"], site_name=row["site_name"], source=row["source"],
                          created_at=row["created_at"], found_by=row["found_by"], capture=capture,
                          meta=json.loads(row["meta"]))

    def versions(self, story: str, key: str | None = None) -> list[VersionRow]:
        """Every stored version (of one article, or of the whole story)."""
        if key is None:
            return [self._to_version(r) for r in self._version_rows(story)]
        return [self._to_version(r) for r in self._version_rows(story, "AND a.key = ?", (key,))]

    def latest(self, story: str) -> list[VersionRow]:
        """The newest version of every article of a story, ordered by key."""
        rows = self._version_rows(
            story, "AND v.version = (SELECT MAX(version) FROM article_version WHERE article_id = a.id)")
        return [self._to_version(r) for r in rows]

    def articles(self, story: str) -> list[Article]:
        """The newest version of every article, as comparison records."""
        return [Article(id=v.key, url=v.url, text=v.text, outlet=v.outlet, title=v.title,
                        published=v.published, author=v.author, version=v.version,
                        sources=tuple(v.meta.get("source_lines", ())))
                for v in self.latest(story)]

    # crawl runs, frontier, WARC files -------------------------------------------

    def start_run(self, story: str, pid: int) -> tuple[int, bool]:
        """Open a crawl run, or resume the story's interrupted one; (run id, resumed)."""
        with self.transaction():
            row = self.db.execute("SELECT id, pid FROM crawl_run WHERE story = ? AND status = 'running' "
                                  "ORDER BY id DESC LIMIT 1", (story,)).fetchone()
            if row is not None:
                if row["pid"] and row["pid"] != pid and _alive(row["pid"]):
                    raise WorkError(f"a crawl of '{story}' is already running (process {row['pid']}); "
                                    "wait for it or stop it first")
                self.db.execute("UPDATE crawl_run SET pid = ? WHERE id = ?", (pid, row["id"]))
                return row["id"], True
            cur = self.db.execute("INSERT INTO crawl_run(story, started_at, status, pid) VALUES (?, ?, 'running', ?)",
                                  (story, utcnow(), pid))
            return cur.lastrowid, False

    def open_replay_run(self, story: str) -> int:
        cur = self.db.execute("INSERT INTO crawl_run(story, started_at, status, pid) VALUES (?, ?, 'replay', NULL)",
                              (story, utcnow()))
        return cur.lastrowid

    def finish_run(self, run: int, summary: dict) -> None:
        self.db.execute("UPDATE crawl_run SET status = CASE status WHEN 'replay' THEN 'replay' ELSE 'finished' END, "
                        "finished_at = ?, summary = ? WHERE id = ?",
                        (utcnow(), json.dumps(summary, sort_keys=True), run))

    def frontier_add(self, run: int, url: str, found_by: str, via: str | None = None,
                     outlet: str | None = None, depth: int = 0) -> bool:
        """Plan a page for this run; False if the run already has it."""
        cur = self.db.execute("INSERT OR IGNORE INTO frontier(run, url, found_by, via, outlet, depth) "
                              "VALUES (?, ?, ?, ?, ?, ?)", (run, url, found_by, via, outlet, depth))
        return cur.rowcount == 1

    def frontier_pending(self, run: int) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM frontier WHERE run = ? AND state = 'pending' ORDER BY rowid",
                               (run,)).fetchall()

    def frontier_entry(self, run: int, url: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM frontier WHERE run = ? AND url = ?", (run, url)).fetchone()

    def frontier_mark(self, run: int, url: str, state: str, note: str | None = None) -> None:
        self.db.execute("UPDATE frontier SET state = ?, note = ? WHERE run = ? AND url = ?", (state, note, run, url))

    def frontier_counts(self, run: int) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT state, COUNT(*) FROM frontier WHERE run = ? GROUP BY state", (run,))}

    def register_warc(self, path: str, run: int | None) -> None:
        self.db.execute("INSERT OR IGNORE INTO warc_file(path, run, created_at) VALUES (?, ?, ?)", (path, run, utcnow()))

    def close_warc(self, path: str) -> None:
        self.db.execute("UPDATE warc_file SET closed = 1 WHERE path = ?", (path,))

    def run_warcs(self, run: int) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM warc_file WHERE run = ? ORDER BY path", (run,))]

    def has_record(self, record_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM capture WHERE record_id = ?", (record_id,)).fetchone() is not None

    def captures(self, story: str, run: int | None = None) -> list[sqlite3.Row]:
        where, params = ("AND run = ?", (run,)) if run is not None else ("", ())
        return self.db.execute(f"SELECT * FROM capture WHERE story = ? {where} ORDER BY id", (story, *params)).fetchall()

    # citation lookup ------------------------------------------------------------

    def cite_candidates(self, fts_query: str, stories: list[str] | None, limit: int) -> list[sqlite3.Row]:
        """Variant wordings sharing words with the query, best BM25 first."""
        where, params = "", [fts_query]
        if stories:
            where = f" AND story IN ({', '.join('?' for _ in stories)})"
            params += stories
        return self.db.execute(f"SELECT story, cluster, article, words FROM cite_index WHERE cite_index MATCH ?{where} "
                               f"ORDER BY rank LIMIT ?", (*params, limit)).fetchall()

    def cluster_rows(self, story: str, cluster: str) -> tuple[sqlite3.Row, list[sqlite3.Row]] | None:
        """A cluster and its variants, with each variant's article metadata and capture."""
        head = self.db.execute("SELECT * FROM cluster WHERE story = ? AND id = ?", (story, cluster)).fetchone()
        if head is None:
            return None
        variants = self.db.execute(
            "SELECT v.*, a.url, a.outlet, av.title, av.author, av.published, av.version, "
            "c.warc_file, c.record_id, c.sha256, c.fetched_at, c.wayback_url, c.wayback_time "
            "FROM variant v JOIN article a ON a.story = v.story AND a.key = v.article "
            "JOIN article_version av ON av.article_id = a.id "
            "  AND av.version = (SELECT MAX(version) FROM article_version WHERE article_id = a.id) "
            "LEFT JOIN capture c ON c.id = av.capture_id "
            "WHERE v.story = ? AND v.cluster = ? ORDER BY v.rowid", (story, cluster)).fetchall()
        return head, variants

    # comparison ---------------------------------------------------------------

    def save_comparison(self, comparison: Comparison, document: dict) -> None:
        """Replace a story's derived findings with a new comparison."""
        s = comparison.story
        versions = {a.id: a.version for a in comparison.articles}
        with self.transaction():
            for table in ("quote", "cluster", "variant", "credit", "pair", "comparison", "cite_index"):
                self.db.execute(f"DELETE FROM {table} WHERE story = ?", (s,))
            self.db.executemany(
                "INSERT INTO quote VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(s, q.article, versions[q.article], q.start, q.end, q.text, q.mark, q.closed,
                  q.continued, q.speaker, q.cue) for q in comparison.quotes])
            for pos, c in enumerate(comparison.clusters):
                self.db.execute("INSERT INTO cluster VALUES (?,?,?,?,?,?,?)",
                                (s, c.id, pos, c.canonical, c.origin, c.speaker, c.quoted))
                self.db.executemany(
                    "INSERT INTO variant VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [(s, c.id, v.article, v.text, v.start, v.end, v.quoted, v.relation,
                      json.dumps(list(v.changes)), v.similarity, v.speaker) for v in c.variants])
            self.db.executemany("INSERT INTO cite_index(story, cluster, article, words) VALUES (?,?,?,?)",
                                [(s, c.id, v.article, normalize_words(v.text))
                                 for c in comparison.clusters for v in c.variants])
            self.db.executemany("INSERT INTO credit VALUES (?,?,?,?,?,?)",
                                [(s, c.article, c.credits, c.phrase, c.start, c.end) for c in comparison.credits])
            self.db.executemany("INSERT INTO pair VALUES (?,?,?,?,?)",
                                [(s, p.a, p.b, p.share, p.relation) for p in comparison.pairs])
            self.db.execute("INSERT INTO comparison VALUES (?,?,?)",
                            (s, utcnow(), json.dumps(document, ensure_ascii=False, sort_keys=True)))

    def comparison(self, story: str) -> dict | None:
        """The comparison JSON last computed for a story."""
        row = self.db.execute("SELECT json FROM comparison WHERE story = ?", (story,)).fetchone()
        return json.loads(row["json"]) if row else None


def _alive(pid: int) -> bool:
    """Whether a crawl process still runs: not gone, not a zombie, and really a pressdiff crawler."""
    import os

    proc = f"/proc/{pid}"
    if os.path.isdir("/proc"):
        try:
            with open(f"{proc}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
            with open(f"{proc}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except (OSError, IndexError):
            return False
        return state != b"Z" and b"crawler.run" in cmdline  # a reused pid is not our crawl
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *rest):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
