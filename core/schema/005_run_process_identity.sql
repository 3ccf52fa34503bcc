-- Schema version 5: a running crawl is identified by its process id and that process's start
-- time, so that a reused process id is never mistaken for the crawl (without the store having
-- to know how the crawler's command line looks).
ALTER TABLE crawl_run ADD COLUMN pid_started INTEGER;
