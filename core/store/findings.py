"""Findings: what compare derived for a story (quotations, clusters, variants, credits, pairs),
replaced whole on each compare run, and the full-text index that cite searches."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable

from pressdiff.core.records import Comparison

from .db import Part, utcnow


class Findings(Part):
    """A story's comparison results and the cite index."""

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

    def save_comparison(self, comparison: Comparison, document: dict, index_words: Callable[[str], str]) -> None:
        """Replace a story's derived findings with a new comparison.

        index_words turns a wording into what the cite index holds (compare.cite.normalize):
        passed in, because the store knows nothing of how compare normalises words.
        """
        s = comparison.story
        versions = {a.id: a.version for a in comparison.articles}
        with self.transaction():
            for table in ("quote", "cluster", "variant", "credit", "pair", "comparison", "cite_index"):
                self.db.execute(f"DELETE FROM {table} WHERE story = ?", (s,))
            self.db.executemany(
                "INSERT INTO quote(story, article, version, start, end, text, mark, closed, continued, speaker, cue) "
                "VALUES (:story, :article, :version, :start, :end, :text, :mark, :closed, :continued, :speaker, :cue)",
                [dict(story=s, article=q.article, version=versions[q.article], start=q.start, end=q.end, text=q.text,
                      mark=q.mark, closed=q.closed, continued=q.continued, speaker=q.speaker, cue=q.cue)
                 for q in comparison.quotes])
            self.db.executemany(
                "INSERT INTO cluster(story, id, position, canonical, origin, speaker, quoted) "
                "VALUES (:story, :id, :position, :canonical, :origin, :speaker, :quoted)",
                [dict(story=s, id=c.id, position=pos, canonical=c.canonical, origin=c.origin, speaker=c.speaker,
                      quoted=c.quoted) for pos, c in enumerate(comparison.clusters)])
            variants = [(c, v) for c in comparison.clusters for v in c.variants]
            self.db.executemany(
                "INSERT INTO variant(story, cluster, article, text, start, end, quoted, relation, changes, similarity, "
                "speaker) VALUES (:story, :cluster, :article, :text, :start, :end, :quoted, :relation, :changes, "
                ":similarity, :speaker)",
                [dict(story=s, cluster=c.id, article=v.article, text=v.text, start=v.start, end=v.end, quoted=v.quoted,
                      relation=v.relation, changes=json.dumps(list(v.changes)), similarity=v.similarity,
                      speaker=v.speaker) for c, v in variants])
            self.db.executemany(
                "INSERT INTO cite_index(story, cluster, article, words) VALUES (:story, :cluster, :article, :words)",
                [dict(story=s, cluster=c.id, article=v.article, words=index_words(v.text)) for c, v in variants])
            self.db.executemany(
                "INSERT INTO credit(story, article, credits, phrase, start, end) "
                "VALUES (:story, :article, :credits, :phrase, :start, :end)",
                [dict(story=s, article=c.article, credits=c.credits, phrase=c.phrase, start=c.start, end=c.end)
                 for c in comparison.credits])
            self.db.executemany(
                "INSERT INTO pair(story, a, b, share, relation) VALUES (:story, :a, :b, :share, :relation)",
                [dict(story=s, a=p.a, b=p.b, share=p.share, relation=p.relation) for p in comparison.pairs])
            self.db.execute(
                "INSERT INTO comparison(story, computed_at, json) VALUES (:story, :computed_at, :json)",
                dict(story=s, computed_at=utcnow(), json=json.dumps(document, ensure_ascii=False, sort_keys=True)))

    def any_compared(self) -> bool:
        """Whether any story of the workspace has been compared."""
        return self.db.execute("SELECT 1 FROM comparison LIMIT 1").fetchone() is not None

    def comparison_digest(self, story: str) -> str | None:
        """SHA-256 of the stored comparison JSON: what a site build of the story depends on."""
        row = self.db.execute("SELECT json FROM comparison WHERE story = ?", (story,)).fetchone()
        return hashlib.sha256(row["json"].encode("utf-8")).hexdigest() if row else None

    def comparison(self, story: str) -> dict | None:
        """The comparison JSON last computed for a story."""
        row = self.db.execute("SELECT json FROM comparison WHERE story = ?", (story,)).fetchone()
        return json.loads(row["json"]) if row else None
