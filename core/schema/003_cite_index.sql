-- Schema version 3: a full-text index of every variant's normalised wording, for `pressdiff cite`.
-- Filled with each comparison; candidates come from here, rapidfuzz ranks them.
CREATE VIRTUAL TABLE cite_index USING fts5(
    story UNINDEXED,
    cluster UNINDEXED,
    article UNINDEXED,
    words,                              -- normalised: case-folded, British spelling, no punctuation
    tokenize = 'unicode61 remove_diacritics 2'
);
