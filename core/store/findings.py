"""Findings: what compare derived for a story (quotations, clusters, variants, credits, pairs),
replaced whole on each compare run, and the full-text index that cite searches."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

from . import statements as sql
from .db import Part, utcnow
from .document import read_document


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

    def cite_word_counts(self, words: list[str]) -> dict[str, int]:
        """How many indexed wordings (of every story) hold each of these words."""
        if not words:
            return {}
        return {r["word"]: r["docs"] for r in self.db.execute(
            f"SELECT word, SUM(docs) AS docs FROM cite_word WHERE word IN ({', '.join('?' for _ in words)}) "
            "GROUP BY word", words)}

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
            f"  AND av.version = {sql.CURRENT_VERSION} "
            "LEFT JOIN capture c ON c.id = av.capture_id "
            "WHERE v.story = ? AND v.cluster = ? ORDER BY v.rowid", (story, cluster)).fetchall()
        return head, variants

    def lookup_variants(self, story: str) -> sqlite3.Cursor:
        """Every variant of a story's cited clusters (not boilerplate), cluster by cluster in the cite
        index's order, with its cluster's head and what cluster_rows adds (article metadata, capture)."""
        return self.db.execute(
            "SELECT v.cluster, v.article, v.text, v.quoted, v.relation, v.changes, "
            "cl.canonical, cl.origin, cl.origin_basis, cl.speaker AS cluster_speaker, "
            "a.url, a.outlet, av.title, av.author, av.published, "
            "c.warc_file, c.record_id, c.sha256, c.fetched_at, c.wayback_url, c.wayback_time "
            "FROM cluster cl JOIN variant v ON v.story = cl.story AND v.cluster = cl.id "
            "JOIN article a ON a.story = v.story AND a.key = v.article "
            f"JOIN article_version av ON av.article_id = a.id AND av.version = {sql.CURRENT_VERSION} "
            "LEFT JOIN capture c ON c.id = av.capture_id "
            "WHERE cl.story = ? AND cl.boilerplate = '' ORDER BY cl.position, v.rowid", (story,))

    def cite_words(self, story: str) -> sqlite3.Cursor:
        """The cite index's rows of a story (cluster, article, normalised words), in the order stored."""
        return self.db.execute("SELECT cluster, article, words FROM cite_index WHERE story = ? ORDER BY rowid",
                               (story,))

    def clear(self, story: str) -> None:
        """Drop a story's findings (inside the caller's transaction, before adding new ones)."""
        for table in ("quote", "cluster", "variant", "credit", "pair", "comparison", "cite_index", "cite_word"):
            self.db.execute(f"DELETE FROM {table} WHERE story = ?", (story,))

    def add_quotes(self, story: str, quotes, versions: dict[str, int]) -> None:
        self.db.executemany(
            "INSERT INTO quote(story, article, version, start, end, text, mark, closed, continued, speaker, cue) "
            "VALUES (:story, :article, :version, :start, :end, :text, :mark, :closed, :continued, :speaker, :cue)",
            [dict(vars(q), story=story, version=versions[q.article]) for q in quotes])

    def add_clusters(self, story: str, clusters, first_position: int, cite_words) -> None:
        """Clusters (SPEC's cluster dicts) from position first_position on, with their variants and
        the cite index's words of each variant (cite_words: one list per cluster). Publisher
        boilerplate is stored, and left out of the cite index: nobody cites a newsletter prompt."""
        self.db.executemany(
            "INSERT INTO cluster(story, id, position, canonical, origin, origin_basis, speaker, quoted, boilerplate) "
            "VALUES (:story, :id, :position, :canonical, :origin, :origin_basis, :speaker, :quoted, :boilerplate)",
            [dict(story=story, id=c["id"], position=first_position + k, canonical=c["canonical"], origin=c["origin"],
                  origin_basis=c.get("origin_basis"), speaker=c["speaker"], quoted=c["quoted"],
                  boilerplate=", ".join(c.get("boilerplate") or ()))
             for k, c in enumerate(clusters)])
        cited = [(c, ws) for c, ws in zip(clusters, cite_words) if not c.get("boilerplate")]
        self.db.executemany(
            "INSERT INTO variant(story, cluster, article, text, start, end, quoted, relation, changes, similarity, "
            "speaker, attribution) VALUES (:story, :cluster, :article, :text, :start, :end, :quoted, :relation, "
            ":changes, :similarity, :speaker, :attribution)",
            [dict(story=story, cluster=c["id"], article=v["article"], text=v["text"], start=v["start"], end=v["end"],
                  quoted=v["quoted"], relation=v["relation"], changes=json.dumps(v["changes"]),
                  similarity=v["similarity"], speaker=v["speaker"],
                  attribution=json.dumps(v["attribution"], ensure_ascii=False) if v.get("attribution") else None)
             for c in clusters for v in c["variants"]])
        self.db.executemany(
            "INSERT INTO cite_index(story, cluster, article, words) VALUES (:story, :cluster, :article, :words)",
            [dict(story=story, cluster=c["id"], article=v["article"], words=w)
             for c, ws in cited for v, w in zip(c["variants"], ws)])
        docs = Counter(word for _, ws in cited for w in ws for word in set(w.split()))
        self.db.executemany(
            "INSERT INTO cite_word(word, story, docs) VALUES (?, ?, ?) "
            "ON CONFLICT(word, story) DO UPDATE SET docs = docs + excluded.docs",
            [(word, story, n) for word, n in docs.items()])

    def add_credits(self, story: str, credits) -> None:
        self.db.executemany(
            "INSERT INTO credit(story, article, credits, phrase, start, end) "
            "VALUES (:story, :article, :credits, :phrase, :start, :end)",
            [dict(vars(c), story=story) for c in credits])

    def add_pairs(self, story: str, pairs) -> None:
        self.db.executemany(
            "INSERT INTO pair(story, a, b, share, relation) VALUES (:story, :a, :b, :share, :relation)",
            [dict(vars(p), story=story) for p in pairs])

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
            return read_document(self.data_dir / row["path"])
        return json.loads(row["json"])  # compared before migration 008: kept inline

    # The findings as flat tables (pressdiff export --csv / --parquet): each a cursor over SQLite,
    # so a story of any size goes out without its comparison JSON held in memory.
    _TABLES = {
        "articles": (
            "SELECT a.key AS article, a.outlet, a.url, v.title, v.author, v.published, v.version, "
            "c.fetched_at AS captured_at, c.warc_file, c.record_id, c.sha256, c.wayback_url "
            "FROM article a JOIN article_version v ON v.article_id = a.id "
            f"AND v.version = {sql.CURRENT_VERSION} "
            "LEFT JOIN capture c ON c.id = v.capture_id WHERE a.story = :story ORDER BY a.key"),
        "quotations": (
            "SELECT q.article, a.outlet, q.start, q.end, q.text, q.speaker, q.cue, q.closed, q.mark "
            "FROM quote q LEFT JOIN article a ON a.story = q.story AND a.key = q.article "
            "WHERE q.story = :story ORDER BY q.rowid"),
        "clusters": (
            "SELECT c.id AS cluster, c.canonical, c.speaker, c.origin, o.outlet AS origin_outlet, c.quoted, "
            "c.boilerplate, "
            "(SELECT COUNT(DISTINCT v.article) FROM variant v WHERE v.story = c.story AND v.cluster = c.id) "
            "  AS articles, "
            "(SELECT COUNT(DISTINCT COALESCE(a.outlet, '')) FROM variant v LEFT JOIN article a "
            "  ON a.story = v.story AND a.key = v.article WHERE v.story = c.story AND v.cluster = c.id) AS outlets "
            "FROM cluster c LEFT JOIN article o ON o.story = c.story AND o.key = c.origin "
            "WHERE c.story = :story ORDER BY c.position"),
        "variants": (
            "SELECT v.cluster, v.article, a.outlet, v.relation, v.changes, v.similarity, v.quoted, v.speaker, "
            "v.start, v.end, v.text, "
            "json_extract(v.attribution, '$.kind') AS attribution, "
            "json_extract(v.attribution, '$.source.text') AS source, "
            "json_extract(v.attribution, '$.source.start') AS source_start, "
            "json_extract(v.attribution, '$.source.end') AS source_end, "
            "json_extract(v.attribution, '$.cue.text') AS cue, "
            "json_extract(v.attribution, '$.cue.start') AS cue_start, "
            "json_extract(v.attribution, '$.cue.end') AS cue_end, "
            "(SELECT group_concat(json_extract(s.value, '$.start') || ':' || json_extract(s.value, '$.end'), ' ') "
            "  FROM json_each(v.attribution, '$.content') s) AS content "
            "FROM cluster c JOIN variant v ON v.story = c.story AND v.cluster = c.id "
            "LEFT JOIN article a ON a.story = v.story AND a.key = v.article "
            "WHERE c.story = :story ORDER BY c.position, v.rowid"),
        "credits": (
            "SELECT r.article, a.outlet, r.credits, r.phrase, r.start, r.end FROM credit r "
            "LEFT JOIN article a ON a.story = r.story AND a.key = r.article WHERE r.story = :story ORDER BY r.rowid"),
    }

    def table(self, story: str, name: str) -> sqlite3.Cursor:
        """One of the findings' tables (articles, quotations, clusters, variants, credits) as rows,
        streamed: each row names its article's outlet."""
        return self.db.execute(self._TABLES[name], {"story": story})

    def article_count(self, story: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM article WHERE story = ?", (story,)).fetchone()[0]

    def widest_clusters(self, story: str, limit: int) -> list[str]:
        """The ids of the `limit` clusters carried by the most outlets (then articles), of those
        carried by more than one article and not publisher boilerplate: what the site of a large
        story shows."""
        return [r[0] for r in self.db.execute(
            "SELECT v.cluster FROM variant v JOIN cluster c ON c.story = v.story AND c.id = v.cluster "
            "LEFT JOIN article a ON a.story = v.story AND a.key = v.article WHERE v.story = ? AND c.boilerplate = '' "
            "GROUP BY v.cluster HAVING COUNT(DISTINCT v.article) > 1 "
            "ORDER BY COUNT(DISTINCT COALESCE(a.outlet, v.article)) DESC, COUNT(DISTINCT v.article) DESC, "
            "MIN(c.position) LIMIT ?", (story, limit))]
