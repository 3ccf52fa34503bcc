-- Schema version 10: watching a story over time.
-- A capture keeps the validators its response carried, which a later re-crawl sends back
-- (If-None-Match, If-Modified-Since); a 304 answer is a capture with status 304 whose refers_to
-- names the response it confirmed (a WARC revisit record, profile server-not-modified).
ALTER TABLE capture ADD COLUMN etag TEXT;
ALTER TABLE capture ADD COLUMN last_modified TEXT;

-- What each later version of a crawled article changed against the version before it
-- (compare/edits.py): an edit worth an alert, noise below the story's threshold, or a text that
-- looks like broken extraction (not an edit). Written once per version; never rewritten except
-- for the webhook's delivery state.
CREATE TABLE edit (
    id           INTEGER PRIMARY KEY,
    story        TEXT NOT NULL REFERENCES story(slug),
    article      TEXT NOT NULL,          -- article key
    version      INTEGER NOT NULL,       -- the new version
    before       INTEGER NOT NULL,       -- the version it is set against (the last one that was no extraction failure)
    kind         TEXT NOT NULL CHECK (kind IN ('edit', 'noise', 'extraction')),
    classes      TEXT NOT NULL,          -- JSON list, compare/edits.py's names
    detail       TEXT NOT NULL,          -- JSON: headlines, quotations before and after, notes, counts
    detected_at  TEXT NOT NULL,
    notify       TEXT CHECK (notify IN ('pending', 'sent', 'failed')),  -- NULL: no webhook was asked for
    attempts     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (story, article, version)
);
CREATE INDEX edit_story ON edit(story, id);
