"""Scrapy settings for pressdiff crawls; story files override the politeness ones."""

from pressdiff.core.story import CRAWL

# The settings a story's [crawl] table may override take their defaults from its table (one copy:
# core/story.py, CRAWL, which also validates and documents it).
_default = {s.scrapy: s.default for s in CRAWL if s.scrapy}

BOT_NAME = "pressdiff"
SPIDER_MODULES = ["pressdiff.crawler.spiders"]
NEWSPIDER_MODULE = "pressdiff.crawler.spiders"

ROBOTSTXT_OBEY = _default["ROBOTSTXT_OBEY"]
USER_AGENT = "pressdiff/0.1 (news coverage archiver; +https://github.com/pressdiff/pressdiff)"
CONCURRENT_REQUESTS = _default["CONCURRENT_REQUESTS"]
CONCURRENT_REQUESTS_PER_DOMAIN = _default["CONCURRENT_REQUESTS_PER_DOMAIN"]
DOWNLOAD_DELAY = _default["DOWNLOAD_DELAY"]
AUTOTHROTTLE_ENABLED = _default["AUTOTHROTTLE_ENABLED"]
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = _default["RETRY_TIMES"]
DOWNLOAD_TIMEOUT = _default["DOWNLOAD_TIMEOUT"]
DOWNLOAD_MAXSIZE = _default["DOWNLOAD_MAXSIZE"]
DOWNLOAD_WARNSIZE = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
RETRY_BACKOFF_BASE = _default["RETRY_BACKOFF_BASE"]
RETRY_BACKOFF_MAX = 60.0
REDIRECT_MAX_TIMES = 10
# Scrapy starts this many asyncio workers for each callback's output; ours yields one item
# (and a few links), and 100 workers per page cost more than the rest of the pipeline.
CONCURRENT_ITEMS = 4
LOG_LEVEL = "ERROR"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOADER_MIDDLEWARES = {
    "pressdiff.crawler.middlewares.RetryBackoffMiddleware": 560,
    # sees responses before HttpCompressionMiddleware (590) decodes them: the WARC gets the wire bytes
    "pressdiff.crawler.middlewares.WireBodyMiddleware": 595,
}
EXTENSIONS = {
    "pressdiff.crawler.extensions.Workspace": 0,
}
ITEM_PIPELINES = {
    "pressdiff.crawler.pipelines.ArchivePipeline": 100,
}

# -- Timing of a crawl shared through Redis (crawler/distributed/) -------------------------
# Scrapy settings like the rest: a story's [crawl] table overrides the first three (lease,
# give_up, retry_backoff); tests pass short values the same way, never through the environment.

# s a worker holds a page it took without renewing the lease. A killed worker's pages go back
# to the queue this long after its last heartbeat, so it is also how long a restarted worker
# of the same id waits before repairing its files. 60 s: ten heartbeats of slack for a worker
# whose reactor is busy (gzip of a 10 MB page, extraction), while a dead worker's pages come
# back within a minute. Story key: lease.
PRESSDIFF_LEASE = _default["PRESSDIFF_LEASE"]
# s between a worker's heartbeats (renewing its leases, its liveness key). At most a quarter
# of the lease is used, so that three missed beats still keep the lease: min(this, lease / 4).
PRESSDIFF_HEARTBEAT = 15.0
# s a page may stay leased by a live worker before it is fetched again anyway: a request lost
# inside a running worker (an error between taking it and reporting it) comes back. Ten times
# the longest a page takes (DOWNLOAD_TIMEOUT x (RETRY_TIMES + 1) plus a Wayback fallback).
PRESSDIFF_LONGEST_LEASE = 600.0
# s of Redis outage the coordinator and the workers ride out before they stop (resumable: run
# the same command again). Two minutes covers a Redis restart or failover. Story key: give_up.
PRESSDIFF_GIVE_UP = _default["PRESSDIFF_GIVE_UP"]
# s with pages queued and no worker alive before the coordinator says how to start one.
PRESSDIFF_STALL_NOTICE = 15.0
# s between a waiting worker's looks for a crawl to join.
PRESSDIFF_WORKER_WAIT = 1.0
# s the coordinator gives its local workers to stop after the crawl before it kills them.
PRESSDIFF_WORKER_STOP = 30.0
# How often a local worker (--workers N) that dies is started again before the crawl goes on
# without it. Once: a worker killed by the kernel for memory is likely to die again.
PRESSDIFF_WORKER_RESTARTS = 1
# A worker takes no more requests while this many of its own wait to be transferred, so that
# pages spread over the workers instead of queueing inside the first one.
PRESSDIFF_TAKE_WHILE_WAITING = 2
# s between a worker's nudges of its engine to ask Redis for work (Scrapy itself looks at an
# idle scheduler only every 5 s).
PRESSDIFF_POKE = 0.2
