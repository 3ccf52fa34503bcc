-- Schema version 2: crawl runs, their frontier and WARC files, so that an interrupted crawl
-- resumes with no capture lost or duplicated.

CREATE TABLE crawl_run (
    id           INTEGER PRIMARY KEY,
    story        TEXT NOT NULL REFERENCES story(slug),
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL CHECK (status IN ('running', 'finished', 'replay')),
    pid          INTEGER,
    summary      TEXT                   -- JSON, when finished
);

-- Every page a run means to fetch; 'pending' rows are fetched again on resume.
CREATE TABLE frontier (
    run       INTEGER NOT NULL REFERENCES crawl_run(id),
    url       TEXT NOT NULL,
    found_by  TEXT NOT NULL,            -- seed | link | sitemap | feed | wayback-cdx (capture.found_by adds replay)
    via       TEXT,                     -- the page, sitemap or feed it was found on
    outlet    TEXT,
    depth     INTEGER NOT NULL DEFAULT 0,
    state     TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
    note      TEXT,                     -- why it failed or was skipped
    PRIMARY KEY (run, url)
);

CREATE TABLE warc_file (
    path        TEXT PRIMARY KEY,       -- relative to the workspace
    run         INTEGER REFERENCES crawl_run(id),
    created_at  TEXT NOT NULL,
    closed      INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE capture ADD COLUMN run INTEGER REFERENCES crawl_run(id);
ALTER TABLE capture ADD COLUMN charset TEXT;
CREATE UNIQUE INDEX capture_record ON capture(record_id);
