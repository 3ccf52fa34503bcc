"""The crawl (pressdiff.crawler): a Scrapy project that fetches a story's coverage into the archive.

Laid out as Scrapy's project template: settings.py (with pressdiff's own timing settings),
spiders/coverage.py, items.py, middlewares.py, pipelines.py (WARC and index, through
archive/), extensions.py (the workspace's store); config.py makes a story's settings; run.py is
the crawl process (`python -m pressdiff.crawler.run`); frontier.py what a run means to fetch;
discovery.py and wayback.py find pages; progress.py reports them. distributed/ shares a crawl
through Redis.

Imports core/ and archive/; imported by the app (pressdiff/cli.py starts workers) and started as
child processes by pressdiff/crawling.py.
"""
