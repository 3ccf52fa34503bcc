"""Findings: what compare derived for a story (quotations, clusters, variants, credits, pairs),
replaced whole on each compare run, and the full-text index that cite searches."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from .db import Part, utcnow


class Findings(Part):
    """A story's comparison results and the cite index."""

    def __init__(self, db: sqlite3.Connection, data_dir: Path):
        super().__init__(db)
        self.data_dir = data_dir

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

    def clear(self, story: str) -> None:
        """Drop a story's findings (inside the caller's transaction, before adding new ones)."""
        for table in ("quote", "cluster", "variant", "credit", "pair", "comparison", "cite_index"):
            self.db.execute(f"DELETE FROM {table} WHERE story = ?", (story,))

    def add_quotes(self, story: str, quotes, versions: dict[str, int]) -> None:
        self.db.executemany(
            "INSERT INTO quote(story, article, version, start, end, text, mark, closed, continued, speaker, cue) "
            "VALUES (:story, :article, :version, :start, :end, :text, :mark, :closed, :continued, :speaker, :cue)",
            [dict(story=story, article=q.article, version=versions[q.article], start=q.start, end=q.end,
                  text=q.text, mark=q.mark, closed=q.closed, continued=q.continued, speaker=q.speaker, cue=q.cue)
             for q in quotes])

    def add_clusters(self, story: str, clusters, first_position: int, cite_words) -> None:
        """Clusters (SPEC's cluster dicts) from position first_position on, with their variants and
        the cite index's words of each variant (cite_words: one list per cluster)."""
        self.db.executemany(
            "INSERT INTO cluster(story, id, position, canonical, origin, speaker, quoted) "
            "VALUES (:story, :id, :position, :canonical, :origin, :speaker, :quoted)",
            [dict(story=story, id=c["id"], position=first_position + k, canonical=c["canonical"], origin=c["origin"],
                  speaker=c["speaker"], quoted=c["quoted"]) for k, c in enumerate(clusters)])
        self.db.executemany(
            "INSERT INTO variant(story, cluster, article, text, start, end, quoted, relation, changes, similarity, "
            "speaker) VALUES (:story, :cluster, :article, :text, :start, :end, :quoted, :relation, :changes, "
            ":similarity, :speaker)",
            [dict(story=story, cluster=c["id"], article=v["article"], text=v["text"], start=v["start"], end=v["end"],
                  quoted=v["quoted"], relation=v["relation"], changes=json.dumps(v["changes"]),
                  similarity=v["similarity"], speaker=v["speaker"]) for c in clusters for v in c["variants"]])
        self.db.executemany(
            "INSERT INTO cite_index(story, cluster, article, words) VALUES (:story, :cluster, :article, :words)",
            [dict(story=story, cluster=c["id"], article=v["article"], words=w)
             for c, ws in zip(clusters, cite_words) for v, w in zip(c["variants"], ws)])

    def add_credits(self, story: str, credits) -> None:
        self.db.executemany(
            "INSERT INTO credit(story, article, credits, phrase, start, end) "
            "VALUES (:story, :article, :credits, :phrase, :start, :end)",
            [dict(story=story, article=c.article, credits=c.credits, phrase=c.phrase, start=c.start, end=c.end)
             for c in credits])

    def add_pairs(self, story: str, pairs) -> None:
        self.db.executemany(
            "INSERT INTO pair(story, a, b, share, relation) VALUES (:story, :a, :b, :share, :relation)",
            [dict(story=story, a=p.a, b=p.b, share=p.share, relation=p.relation) for p in pairs])

    def set_document(self, story: str, path: str, digest: str) -> None:
        """Where the story's comparison JSON is (relative to the workspace), and its SHA-256."""
        self.db.execute("INSERT INTO comparison(story, computed_at, path, digest) "
                        "VALUES (:story, :computed_at, :path, :digest)",
                        dict(story=story, computed_at=utcnow(), path=path, digest=digest))

    def any_compared(self) -> bool:
        """Whether any story of the workspace has been compared."""
        return self.db.execute("SELECT 1 FROM comparison LIMIT 1").fetchone() is not None

    def comparison_digest(self, story: str) -> str | None:
        """SHA-256 of the stored comparison JSON: what a site build of the story depends on."""
        row = self.db.execute("SELECT json, digest FROM comparison WHERE story = ?", (story,)).fetchone()
        if row is None:
            return None
        return row["digest"] or hashlib.sha256(row["json"].encode("utf-8")).hexdigest()

    def comparison_path(self, story: str) -> Path | None:
        """The file of the comparison JSON last computed for a story (None: none, or stored inline)."""
        row = self.db.execute("SELECT path FROM comparison WHERE story = ?", (story,)).fetchone()
        return self.data_dir / row["path"] if row and row["path"] else None

    def comparison(self, story: str) -> dict | None:
        """The comparison JSON last computed for a story (whole: a small story's)."""
        row = self.db.execute("SELECT json, path FROM comparison WHERE story = ?", (story,)).fetchone()
        if row is None:
            return None
        if row["path"]:
            return json.loads((self.data_dir / row["path"]).read_text("utf-8"))
        return json.loads(row["json"])
