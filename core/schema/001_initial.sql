-- pressdiff archive index, schema version 1.
-- Crawled and imported material (story, capture, article, article_version) is never
-- rewritten; what compare derives (quote, cluster, variant, credit, pair, comparison)
-- is replaced per story on each compare run.

CREATE TABLE story (
    slug        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,          -- the story file's TOML, as last loaded
    updated_at  TEXT NOT NULL
);

CREATE TABLE capture (
    id           INTEGER PRIMARY KEY,
    story        TEXT NOT NULL REFERENCES story(slug),
    url          TEXT NOT NULL,         -- as requested
    final_url    TEXT NOT NULL,         -- after redirects
    status       INTEGER NOT NULL,
    content_type TEXT,
    fetched_at   TEXT NOT NULL,         -- ISO 8601, UTC
    found_by     TEXT NOT NULL,         -- seed | link | sitemap | feed | wayback-cdx | replay
    warc_file    TEXT,                  -- relative to the workspace
    warc_offset  INTEGER,
    warc_length  INTEGER,
    record_id    TEXT,                  -- WARC-Record-ID of the response record
    sha256       TEXT,                  -- of the HTTP payload
    wayback_url  TEXT,
    wayback_time TEXT
);
CREATE INDEX capture_story_url ON capture(story, url);

CREATE TABLE article (
    id        INTEGER PRIMARY KEY,
    story     TEXT NOT NULL REFERENCES story(slug),
    url       TEXT NOT NULL,
    key       TEXT NOT NULL,            -- stable public id derived from the URL
    outlet    TEXT,
    found_by  TEXT,                     -- as capture.found_by, or import
    UNIQUE (story, url),
    UNIQUE (story, key)
);

CREATE TABLE article_version (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES article(id),
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,         -- every offset refers to this text
    text_sha256  TEXT NOT NULL,
    title        TEXT,
    author       TEXT,
    published    TEXT,
    site_name    TEXT,
    language     TEXT,
    capture_id   INTEGER REFERENCES capture(id),
    source       TEXT NOT NULL CHECK (source IN ('crawl', 'import')),
    meta         TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    UNIQUE (article_id, version)
);

CREATE TABLE quote (
    story      TEXT NOT NULL,
    article    TEXT NOT NULL,           -- article key
    version    INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    mark       TEXT NOT NULL,
    closed     INTEGER NOT NULL,
    continued  INTEGER NOT NULL,
    speaker    TEXT,
    cue        TEXT
);
CREATE INDEX quote_story ON quote(story);

CREATE TABLE cluster (
    story      TEXT NOT NULL,
    id         TEXT NOT NULL,
    position   INTEGER NOT NULL,
    canonical  TEXT NOT NULL,
    origin     TEXT NOT NULL,
    speaker    TEXT,
    quoted     INTEGER NOT NULL,
    PRIMARY KEY (story, id)
);

CREATE TABLE variant (
    story       TEXT NOT NULL,
    cluster     TEXT NOT NULL,
    article     TEXT NOT NULL,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    quoted      INTEGER NOT NULL,
    relation    TEXT NOT NULL,
    changes     TEXT NOT NULL,          -- JSON list
    similarity  REAL NOT NULL,
    speaker     TEXT
);
CREATE INDEX variant_story_cluster ON variant(story, cluster);

CREATE TABLE credit (
    story    TEXT NOT NULL,
    article  TEXT NOT NULL,
    credits  TEXT NOT NULL,
    phrase   TEXT NOT NULL,
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL
);

CREATE TABLE pair (
    story    TEXT NOT NULL,
    a        TEXT NOT NULL,
    b        TEXT NOT NULL,
    share    REAL NOT NULL,
    relation TEXT NOT NULL
);

CREATE TABLE comparison (
    story        TEXT PRIMARY KEY,
    computed_at  TEXT NOT NULL,
    json         TEXT NOT NULL          -- the comparison JSON of SPEC.md, as last written
);
