"""Scrapy settings for pressdiff crawls; story files override the politeness ones."""

BOT_NAME = "pressdiff"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

ROBOTSTXT_OBEY = True
USER_AGENT = "pressdiff/0.1 (news coverage archiver; +https://github.com/pressdiff/pressdiff)"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
REDIRECT_MAX_TIMES = 10
# Scrapy starts this many asyncio workers for each callback's output; ours yields one item
# (and a few links), and 100 workers per page cost more than the rest of the pipeline.
CONCURRENT_ITEMS = 4
LOG_LEVEL = "ERROR"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryBackoffMiddleware": 560,
    # sees responses before HttpCompressionMiddleware (590) decodes them: the WARC gets the wire bytes
    "crawler.middlewares.WireBodyMiddleware": 595,
}
EXTENSIONS = {
    "crawler.extensions.Workspace": 0,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 100,
}
