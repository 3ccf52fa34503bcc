-- Schema version 9: what the archive notices about extraction. When an outlet's page yields far
-- less text than that outlet's earlier captures, or reads like its template's menus, the crawl
-- or the import that stored it records an alert ("extraction may be broken for OUTLET") and
-- says so; nothing is dropped. Outlets' earlier versions are found by outlet.
CREATE TABLE extraction_alert (
    id          INTEGER PRIMARY KEY,
    story       TEXT NOT NULL REFERENCES story(slug),
    url         TEXT NOT NULL,
    outlet      TEXT NOT NULL,
    run         INTEGER,              -- the crawl run, or NULL for an import
    kind        TEXT NOT NULL,        -- text collapsed | menu-like text
    detail      TEXT NOT NULL,        -- the one line a user reads
    created_at  TEXT NOT NULL
);
CREATE INDEX extraction_alert_story ON extraction_alert(story, id);
CREATE INDEX article_outlet ON article(outlet);
-- A cluster named publisher boilerplate (compare/boilerplate.py): its evidence, comma-separated,
-- or '' for every other cluster. Boilerplate is kept out of the cite index.
ALTER TABLE cluster ADD COLUMN boilerplate TEXT NOT NULL DEFAULT '';
