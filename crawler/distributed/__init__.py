"""A crawl shared through Redis: one coordinator (the only writer of the index), workers anywhere.

- protocol.py: every Redis key, message (events, tasks, the job announcement) and server script.
- job.py: the Redis client of one job: queue, leases, events, digests; per-domain politeness.
- coordinator.py: `python -m pressdiff.crawler.distributed.coordinator`: records events in the index.
- worker.py: `python -m pressdiff.crawler.distributed.worker`: joins announced jobs, crawls in a child.
- components.py: the worker's Scrapy components on scrapy-redis (queue, dupefilter, politeness
  middleware, heartbeat extension, frontier and index).

Imported by the app (pressdiff/cli.py, pressdiff/crawling.py) and, for a worker's crawl only,
by the crawler's spider and pipeline. It imports the rest of crawler/ and core/.
"""
