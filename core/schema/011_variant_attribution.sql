-- Schema version 11: who a variant's article says said the words, and how (SPEC.md, the variant's
-- `attribution`): its kind, source, cue and content spans and speaker, as the comparison JSON has the
-- object, or NULL when the article attributes them to no one. Export and cite read its fields.
ALTER TABLE variant ADD COLUMN attribution TEXT;
