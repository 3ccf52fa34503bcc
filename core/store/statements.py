"""The statements a crawl runs for every page it fetches, in one registry.

A crawl of N pages runs each of these N times (in the single-process crawl and in the
coordinator of a distributed one), so each must be served by an index: a statement that
searches all of a story's captures, or sorts in a temporary B-tree, makes the crawl quadratic.
tests/test_store.py runs EXPLAIN QUERY PLAN on every entry of PER_PAGE and fails on either.
The store's methods execute these constants; nothing per page is written elsewhere.
"""

from __future__ import annotations

# -- store.articles ---------------------------------------------------------------------

# An article's current version (article aliased `a`): its latest, leaving out versions that
# watching set aside as broken extraction (store.edits, kind 'extraction'); version 1 is never
# set aside, so there always is one. Compare, the site, cite and export read this version.
CURRENT_VERSION = ("(SELECT MAX(cv.version) FROM article_version cv WHERE cv.article_id = a.id AND NOT EXISTS "
                   "(SELECT 1 FROM edit e WHERE e.story = a.story AND e.article = a.key AND e.version = cv.version "
                   "AND e.kind = 'extraction'))")

# The first response of a URL in the story with this payload digest: a revisit record points to it.
REVISIT_LOOKUP = (
    "SELECT final_url, fetched_at, record_id, warc_file, warc_offset FROM capture "
    "WHERE story = :story AND final_url = :url AND sha256 = :sha256 AND refers_to IS NULL "
    "AND record_id IS NOT NULL ORDER BY id LIMIT 1")

CAPTURE_COLUMNS = ("story", "url", "final_url", "status", "content_type", "fetched_at", "found_by", "warc_file",
                   "warc_offset", "warc_length", "record_id", "sha256", "wayback_url", "wayback_time", "run",
                   "charset", "refers_to", "etag", "last_modified")
# A watch's conditional request: the validators of the URL's latest full response (status 200).
VALIDATORS = ("SELECT etag, last_modified, final_url, fetched_at, record_id, refers_to FROM capture "
              "WHERE story = :story AND url = :url AND status = 200 AND record_id IS NOT NULL "
              "AND wayback_url IS NULL ORDER BY id DESC LIMIT 1")
CAPTURE_INSERT = (f"INSERT INTO capture({', '.join(CAPTURE_COLUMNS)}) "
                  f"VALUES ({', '.join(':' + c for c in CAPTURE_COLUMNS)})")

ARTICLE_BY_URL = "SELECT id, key, outlet FROM article WHERE story = :story AND url = :url"
ARTICLE_KEY_TAKEN = "SELECT 1 FROM article WHERE story = :story AND key = :key"
ARTICLE_INSERT = ("INSERT INTO article(story, url, key, outlet, found_by) "
                  "VALUES (:story, :url, :key, :outlet, :found_by)")
ARTICLE_OUTLET = "UPDATE article SET outlet = :outlet WHERE id = :id"
LATEST_VERSION = ("SELECT version, text_sha256 FROM article_version WHERE article_id = :article "
                  "ORDER BY version DESC LIMIT 1")
VERSION_INSERT = (
    "INSERT INTO article_version(article_id, version, text, text_sha256, title, author, published, site_name, "
    "language, capture_id, source, meta, created_at) VALUES (:article, :version, :text, :text_sha256, :title, "
    ":author, :published, :site_name, :language, :capture_id, :source, :meta, :created_at)")

# -- store.runs -------------------------------------------------------------------------

FRONTIER_ADD = ("INSERT OR IGNORE INTO frontier(run, url, found_by, via, outlet, depth) "
                "VALUES (:run, :url, :found_by, :via, :outlet, :depth)")
FRONTIER_ENTRY = "SELECT * FROM frontier WHERE run = :run AND url = :url"
FRONTIER_MARK = "UPDATE frontier SET state = :state, note = :note WHERE run = :run AND url = :url"
WARC_REGISTER = ("INSERT OR IGNORE INTO warc_file(path, run, created_at) "
                 "VALUES (:path, :run, :created_at)")
WARC_CLOSE = "UPDATE warc_file SET closed = 1 WHERE path = :path"

PER_PAGE = {
    "revisit lookup": REVISIT_LOOKUP,
    "validators": VALIDATORS,
    "capture insert": CAPTURE_INSERT,
    "article lookup": ARTICLE_BY_URL,
    "article key check": ARTICLE_KEY_TAKEN,
    "article insert": ARTICLE_INSERT,
    "article outlet": ARTICLE_OUTLET,
    "version lookup": LATEST_VERSION,
    "version insert": VERSION_INSERT,
    "frontier claim": FRONTIER_ADD,
    "frontier entry": FRONTIER_ENTRY,
    "frontier mark": FRONTIER_MARK,
    "WARC file register": WARC_REGISTER,
    "WARC file close": WARC_CLOSE,
}
