"""Scrapy items: one fetched page on its way through the pipelines."""

import scrapy


class CaptureItem(scrapy.Item):
    """An HTTP exchange worth archiving, and what the pipelines learn about it."""

    url = scrapy.Field()  # as requested (the coverage URL)
    final_url = scrapy.Field()  # after redirects
    method = scrapy.Field()
    status = scrapy.Field()
    request_headers = scrapy.Field()  # list of (name, value) str pairs
    response_headers = scrapy.Field()
    body = scrapy.Field()  # bytes, as received (Content-Encoding kept; the WARC payload)
    decoded = scrapy.Field()  # the body decoded, when Content-Encoding applied (else None)
    fetched_at = scrapy.Field()  # ISO 8601 UTC
    found_by = scrapy.Field()
    outlet = scrapy.Field()
    via = scrapy.Field()  # the page, sitemap or feed it was found on
    wayback_url = scrapy.Field()  # set when fetched from a Wayback snapshot
    wayback_time = scrapy.Field()
    validated = scrapy.Field()  # a 304 answer to a watch's conditional request: what it confirmed (store.articles.validators)
