-- Schema version 7: every statement a crawl runs for each page is served by an index
-- (core/store/statements.py lists them; tests/test_store.py checks their query plans).
-- The revisit lookup (a story's earlier response of the same URL with the same payload) was a
-- search of every capture of the story, for every page: a crawl of N pages cost N^2 row visits.
CREATE INDEX capture_payload ON capture(story, final_url, sha256);
-- A run's pending pages (resume) and its counts by state (progress) read their own rows only.
CREATE INDEX frontier_state ON frontier(run, state);
