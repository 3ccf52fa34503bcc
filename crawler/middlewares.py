"""Downloader middleware: exponential backoff before each retry."""

from __future__ import annotations

from twisted.internet.task import deferLater


class RetryBackoffMiddleware:
    """Delays a retried request by RETRY_BACKOFF_BASE * 2**(n-1) seconds, capped at RETRY_BACKOFF_MAX.

    Scrapy's RetryMiddleware re-schedules failed requests at once; a struggling server deserves
    a pause before the next attempt.
    """

    def __init__(self, base: float, cap: float):
        self.base, self.cap = base, cap

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.getfloat("RETRY_BACKOFF_BASE", 1.0), s.getfloat("RETRY_BACKOFF_MAX", 60.0))

    def process_request(self, request):
        tries = request.meta.get("retry_times", 0)
        if tries and self.base > 0:
            from twisted.internet import reactor  # imported late: Scrapy installs the reactor first

            delay = min(self.cap, self.base * 2 ** (tries - 1))
            return deferLater(reactor, delay, lambda: None)
        return None


class WireBodyMiddleware:
    """Keeps the response body as received, before HttpCompressionMiddleware decodes it.

    The WARC must hold the payload as it came over the wire (gzip and all), while extraction
    needs it decoded. Placed closer to the downloader than HttpCompressionMiddleware (590), so
    it sees each response first; it stores the received body and Content-Encoding in the
    request's meta, which the decoded response still carries. Always set, so a retried request
    never keeps the bytes of an earlier attempt.
    """

    def process_response(self, request, response):
        encoding = response.headers.getlist("Content-Encoding")
        request.meta["wire"] = (response.body, [v.decode("latin-1") for v in encoding]) if encoding else None
        return response
