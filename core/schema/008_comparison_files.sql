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
