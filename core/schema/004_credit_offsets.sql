-- Schema version 4: a credit may come from a page's metadata ("Source: X" lines that extraction
-- keeps out of the text), with no offsets. Credits are derived data: compare fills them again.
DROP TABLE credit;
CREATE TABLE credit (
    story    TEXT NOT NULL,
    article  TEXT NOT NULL,
    credits  TEXT NOT NULL,
    phrase   TEXT NOT NULL,
    start    INTEGER,
    end      INTEGER
);
