-- Schema version 8: a story's comparison JSON is a file in the workspace (comparisons/SLUG.json),
-- written entry by entry as compare makes it, with its SHA-256: a story of 100,000 articles has
-- a document of a gigabyte, which is never held in memory or in one database value. The json
-- column keeps the documents stored before version 8.
CREATE TABLE comparison_v8 (
    story        TEXT PRIMARY KEY,
    computed_at  TEXT NOT NULL,
    json         TEXT,                  -- the document itself (before version 8), or NULL
    path         TEXT,                  -- the document's file, relative to the workspace
    digest       TEXT                   -- SHA-256 of the file
);
INSERT INTO comparison_v8(story, computed_at, json) SELECT story, computed_at, json FROM comparison;
DROP TABLE comparison;
ALTER TABLE comparison_v8 RENAME TO comparison;
-- A story's clusters in the document's order, and its credits, read without a sort or a scan of
-- every story's (export, the site's capped pages of a large story).
CREATE INDEX cluster_position ON cluster(story, position);
-- What a cluster's origin rests on (published, credited, captured, unknown: compare/origin.py).
ALTER TABLE cluster ADD COLUMN origin_basis TEXT;
CREATE INDEX credit_story ON credit(story);
-- How many of a story's indexed wordings hold each word: cite looks a query up by its rarest
-- words only, so that a 100,000-article archive is not ranked whole for a query of common words
-- (fts5vocab counts a word by reading all its postings: milliseconds for a common one).
CREATE TABLE cite_word (
    word   TEXT NOT NULL,
    story  TEXT NOT NULL,
    docs   INTEGER NOT NULL,
    PRIMARY KEY (word, story)
) WITHOUT ROWID;
