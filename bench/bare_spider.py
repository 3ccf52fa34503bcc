"""The baseline: a bare Scrapy spider that fetches the same URLs and discards every response."""

import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class Bare(scrapy.Spider):
    name = "bare"

    def __init__(self, urls, **kw):
        super().__init__(**kw)
        self.urls = urls
        self.pages = 0

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.pages += 1


if __name__ == "__main__":
    urls = open(sys.argv[1]).read().split()
    concurrency = int(sys.argv[2])
    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "AUTOTHROTTLE_ENABLED": False,
                              "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                              "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False,
                              "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"})
    crawler = process.create_crawler(Bare)
    process.crawl(crawler, urls=urls)
    process.start()
    print(crawler.spider.pages)
