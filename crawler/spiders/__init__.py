"""pressdiff's spiders: coverage.py, the one spider of every crawl (Scrapy's SPIDER_MODULES)."""
