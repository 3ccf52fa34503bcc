"""The archive: stories, captures (HTTP responses in WARC files) and article versions.

Crawled and imported material is never rewritten: a changed text is a new version.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.records import Article, Capture
from pressdiff.core.story import Story, load_story, parse_story

from . import statements as sql
from .db import Part, utcnow


def article_key(url: str, length: int = 8) -> str:
    """A stable public id for an article: permalinks survive rebuilds and re-imports."""
    return "a" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:length]


def normalize_text(text: str) -> str:
    """The stored form of an article's text: NFC, Unix newlines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# When the archive first captured an article: its versions' earliest capture (a of the query is
# the article).
_FIRST_SEEN = ("(SELECT MIN(fc.fetched_at) FROM article_version fv JOIN capture fc ON fc.id = fv.capture_id "
               "WHERE fv.article_id = a.id)")


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
    ingested_by: str  # crawl | import
    created_at: str
    found_by: str | None
    capture: Capture | None
    meta: dict
    first_seen: str | None = None  # the article's earliest capture time (any version)


# Where in a version's meta JSON the lines that extraction kept out of its text are stored.
CREDIT_LINES, CAPTIONS = "credit_lines", "captions"


class Articles(Part):
    """Stories, captures and article versions of one workspace."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        super().__init__(db)
        self.path = path
        self.data_dir = path.parent

    def save_story(self, story: Story) -> None:
        """Record (or update) a story definition in the workspace."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO story(slug, title, source, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(slug) DO UPDATE SET title=excluded.title, source=excluded.source, "
                "updated_at=excluded.updated_at",
                (story.slug, story.title, story.toml, utcnow()),
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

    def add_capture(self, story: str, **fields) -> int:
        """Record one fetched HTTP response (CAPTURE_COLUMNS; those not given are null); returns its id."""
        unknown = set(fields) - set(sql.CAPTURE_COLUMNS)
        if unknown:
            raise ValueError(f"not capture columns: {', '.join(sorted(unknown))}")
        return self.db.execute(sql.CAPTURE_INSERT, {c: fields.get(c) for c in sql.CAPTURE_COLUMNS} | {"story": story}
                               ).lastrowid

    def crawled_articles(self, story: str) -> list[tuple[str, str | None]]:
        """(url, outlet) of every article of the story that a crawl captured (what a watch re-fetches)."""
        return [(r["url"], r["outlet"]) for r in self.db.execute(
            "SELECT a.url, a.outlet FROM article a WHERE a.story = ? AND EXISTS (SELECT 1 FROM article_version v "
            "WHERE v.article_id = a.id AND v.source = 'crawl' AND v.capture_id IS NOT NULL) ORDER BY a.id", (story,))]

    def validators(self, story: str, url: str) -> dict | None:
        """What a conditional re-request of url sends back, and the response a 304 confirms: the
        URL's latest full response (its etag, last_modified; final_url, fetched_at and record_id
        of the record holding the payload), or None."""
        row = self.db.execute(sql.VALIDATORS, {"story": story, "url": url}).fetchone()
        if row is None or not (row["etag"] or row["last_modified"]):
            return None
        found = dict(row)
        if row["refers_to"]:  # itself a revisit: the payload is in the record it refers to
            target = self.capture_by_record(row["refers_to"])
            if target is not None:
                found.update(final_url=target["final_url"], fetched_at=target["fetched_at"],
                             record_id=target["record_id"])
        return found

    def outlet_texts(self, outlet: str, limit: int) -> list[str]:
        """The texts of the versions of an outlet's most recently added articles (any story),
        newest first: read in index order and no further than `limit` rows, so the cost per page
        of a crawl does not grow with the outlet's archive (ordering by version id would sort
        every version the outlet has)."""
        rows = self.db.execute("SELECT v.text FROM article a JOIN article_version v ON v.article_id = a.id "
                               "WHERE a.outlet = ? ORDER BY a.id DESC, v.version DESC LIMIT ?", (outlet, limit))
        return [r["text"] for r in rows]

    def outlet_latest(self, outlet: str, limit: int, other_than: str) -> list[tuple[str, dict]]:
        """(text, meta) of the latest version of each of an outlet's `limit` most recently added
        articles (any story) but those at URL `other_than`, newest first: one text an article, however
        many versions it has (read in index order, no further than `limit` articles)."""
        rows = self.db.execute(
            "SELECT v.text, v.meta FROM article a JOIN article_version v ON v.article_id = a.id "
            "WHERE a.outlet = :outlet AND a.url != :url "
            "AND v.version = (SELECT MAX(version) FROM article_version WHERE article_id = a.id) "
            "ORDER BY a.id DESC LIMIT :limit", {"outlet": outlet, "url": other_than, "limit": limit})
        return [(r["text"], json.loads(r["meta"] or "{}")) for r in rows]

    def latest_text(self, story: str, url: str) -> str | None:
        """The text of an article's latest version, or None when the archive has none."""
        row = self.db.execute("SELECT v.text FROM article_version v JOIN article a ON a.id = v.article_id "
                              "WHERE a.story = ? AND a.url = ? ORDER BY v.version DESC LIMIT 1", (story, url)).fetchone()
        return row["text"] if row else None

    def add_alert(self, story: str, url: str, outlet: str, run: int | None, kind: str, detail: str) -> None:
        """Record that a page's extraction looks broken (archive/health.py)."""
        self.db.execute("INSERT INTO extraction_alert (story, url, outlet, run, kind, detail, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", (story, url, outlet, run, kind, detail, utcnow()))

    def alerts(self, story: str, after: int = 0) -> list[sqlite3.Row]:
        """A story's extraction alerts recorded after alert id `after`, oldest first."""
        return self.db.execute("SELECT * FROM extraction_alert WHERE story = ? AND id > ? ORDER BY id",
                               (story, after)).fetchall()

    def alerted(self, story: str, url: str, since: str) -> bool:
        """Whether an extraction alert was recorded for url at or after `since` (ISO time)."""
        return self.db.execute("SELECT 1 FROM extraction_alert WHERE story = ? AND url = ? AND created_at >= ?",
                               (story, url, since)).fetchone() is not None

    def last_alert(self, story: str) -> int:
        """The id of a story's newest extraction alert (0: none), to print only those that follow."""
        return self.db.execute("SELECT MAX(id) FROM extraction_alert WHERE story = ?", (story,)).fetchone()[0] or 0

    def save_article(self, story: str, url: str, text: str, *, outlet: str | None = None,
                     title: str | None = None, author: str | None = None,
                     published: str | None = None, site_name: str | None = None,
                     language: str | None = None, capture_id: int | None = None,
                     ingested_by: str = "crawl", found_by: str | None = None,
                     meta: dict | None = None, credit_lines: tuple[str, ...] = (),
                     captions: tuple[str, ...] = ()) -> SavedVersion:
        """Store an article's text; a new version only when the text changed."""
        text = normalize_text(text)
        meta = dict(meta or {})
        if credit_lines:
            meta[CREDIT_LINES] = list(credit_lines)
        if captions:
            meta[CAPTIONS] = list(captions)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self.db.execute(sql.ARTICLE_BY_URL, {"story": story, "url": url}).fetchone()
        if row is None:
            key = self._free_key(story, url)
            article_id = self.db.execute(sql.ARTICLE_INSERT, {"story": story, "url": url, "key": key, "outlet": outlet,
                                                              "found_by": found_by}).lastrowid
        else:
            article_id, key = row["id"], row["key"]
            if outlet and outlet != row["outlet"]:
                self.db.execute(sql.ARTICLE_OUTLET, {"outlet": outlet, "id": article_id})
        last = self.db.execute(sql.LATEST_VERSION, {"article": article_id}).fetchone()
        if last is not None and last["text_sha256"] == digest:
            return SavedVersion(key, last["version"], False)
        version = 1 if last is None else last["version"] + 1
        self.db.execute(sql.VERSION_INSERT, dict(
            article=article_id, version=version, text=text, text_sha256=digest, title=title, author=author,
            published=published, site_name=site_name, language=language, capture_id=capture_id,
            source=ingested_by, meta=json.dumps(meta or {}, sort_keys=True, ensure_ascii=False),
            created_at=utcnow()))
        return SavedVersion(key, version, True)

    def key_of(self, story: str, url: str) -> str | None:
        """The id of the story's article at url, if it has one."""
        row = self.db.execute("SELECT key FROM article WHERE story = ? AND url = ?", (story, url)).fetchone()
        return row["key"] if row else None

    def _free_key(self, story: str, url: str) -> str:
        """The URL's key, longer in the rare case that another URL of the story already has it."""
        for length in (8, 12, 16, 40):
            key = article_key(url, length)
            if self.db.execute(sql.ARTICLE_KEY_TAKEN, {"story": story, "key": key}).fetchone() is None:
                return key
        raise WorkError(f"no free article id for {url} in story '{story}'")

    def _version_rows(self, story: str, where: str = "", params: tuple = ()):
        return self.db.execute(
            f"SELECT a.key, a.url, a.outlet, a.found_by, v.*, {_FIRST_SEEN} AS first_seen, "
            "c.warc_file, c.warc_offset, c.record_id, c.sha256, c.fetched_at, c.status, "
            "c.final_url, c.wayback_url, c.wayback_time, c.found_by AS capture_found_by "
            "FROM article a JOIN article_version v ON v.article_id = a.id "
            "LEFT JOIN capture c ON c.id = v.capture_id "
            f"WHERE a.story = ? {where} ORDER BY a.key, v.version",
            (story, *params)).fetchall()

    @staticmethod
    def _to_version(row) -> VersionRow:
        capture = Capture.from_row(row) if row["capture_id"] is not None else None
        return VersionRow(key=row["key"], url=row["url"], outlet=row["outlet"], version=row["version"],
                          text=row["text"], title=row["title"], author=row["author"],
                          published=row["published"], site_name=row["site_name"], ingested_by=row["source"],
                          created_at=row["created_at"], found_by=row["found_by"], capture=capture,
                          meta=json.loads(row["meta"]), first_seen=row["first_seen"])

    def versions(self, story: str, key: str | None = None) -> list[VersionRow]:
        """Every stored version (of one article, or of the whole story)."""
        where, params = ("", ()) if key is None else ("AND a.key = ?", (key,))
        return [self._to_version(r) for r in self._version_rows(story, where, params)]

    def latest(self, story: str) -> list[VersionRow]:
        """The current version of every article of a story (its newest, but for versions set aside
        as broken extraction: statements.CURRENT_VERSION), ordered by key."""
        return [self._to_version(r) for r in self._version_rows(story, f"AND v.version = {sql.CURRENT_VERSION}")]

    def articles(self, story: str) -> list[Article]:
        """The current version of every article, as comparison records."""
        return [self._article(v) for v in self.latest(story)]

    _LATEST_META = (
        "SELECT a.key, a.url, a.outlet, v.title, v.author, v.published, v.version, "
        f"{_FIRST_SEEN} AS first_seen FROM article a "
        "JOIN article_version v ON v.article_id = a.id "
        f"AND v.version = {sql.CURRENT_VERSION} "
        "WHERE a.story = ? ORDER BY a.key")

    def article_meta(self, story: str) -> list[Article]:
        """The current version of every article as an Article without its text (ordered by key):
        what ranking and the comparison's article list need, for a story of any size."""
        return [Article(id=r["key"], url=r["url"], text="", outlet=r["outlet"], title=r["title"],
                        published=r["published"], author=r["author"], version=r["version"],
                        first_seen=r["first_seen"])
                for r in self.db.execute(self._LATEST_META, (story,))]

    def articles_by_key(self, story: str, keys: list[str]) -> list[Article]:
        """The current version of the given articles, with their texts, in the order of keys."""
        found = {}
        for i in range(0, len(keys), 500):
            batch = keys[i:i + 500]
            rows = self._version_rows(
                story, f"AND a.key IN ({', '.join('?' for _ in batch)}) AND v.version = "
                       f"{sql.CURRENT_VERSION}", tuple(batch))
            for v in map(self._to_version, rows):
                found[v.key] = self._article(v)
        return [found[k] for k in keys]

    @staticmethod
    def _article(v: VersionRow) -> Article:
        return Article(id=v.key, url=v.url, text=v.text, outlet=v.outlet, title=v.title, published=v.published,
                       author=v.author, version=v.version, first_seen=v.first_seen,
                       # "source_lines": the key workspaces written before 0.1.1 used
                       credit_lines=tuple(v.meta.get(CREDIT_LINES, v.meta.get("source_lines", ()))))

    def payload_response(self, story: str, url: str, sha256: str) -> sqlite3.Row | None:
        """The first archived response of url whose payload had this digest (for a revisit record)."""
        return self.db.execute(sql.REVISIT_LOOKUP, {"story": story, "url": url, "sha256": sha256}).fetchone()

    def payload_digests(self, story: str) -> list[sqlite3.Row]:
        """Every archived response of the story (not revisits): what a revisit record may point to."""
        return self.db.execute(
            "SELECT final_url, sha256, fetched_at, record_id FROM capture WHERE story = ? AND refers_to IS NULL "
            "AND record_id IS NOT NULL AND sha256 IS NOT NULL", (story,)).fetchall()

    def capture_by_record(self, record_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM capture WHERE record_id = ?", (record_id,)).fetchone()

    def fingerprint(self, story: str) -> str:
        """Changes whenever a version or capture of the story is added (article pages show both)."""
        return self.db.execute(
            "SELECT (SELECT COUNT(*) || ':' || IFNULL(MAX(v.id), 0) FROM article_version v JOIN article a "
            "ON a.id = v.article_id WHERE a.story = ?) || '/' || "
            "(SELECT COUNT(*) || ':' || IFNULL(MAX(id), 0) FROM capture WHERE story = ?)", (story, story)).fetchone()[0]

    def has_record(self, record_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM capture WHERE record_id = ?", (record_id,)).fetchone() is not None

    def captures(self, story: str, run: int | None = None) -> list[sqlite3.Row]:
        where, params = ("AND run = ?", (run,)) if run is not None else ("", ())
        return self.db.execute(f"SELECT * FROM capture WHERE story = ? {where} ORDER BY id", (story, *params)).fetchall()
