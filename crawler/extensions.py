"""Scrapy extensions: the workspace's store, opened once per crawl for the spider and the pipeline."""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import NotConfigured

from pressdiff.core.store import Store


class Workspace:
    """One connection to the workspace (PRESSDIFF_DATA) for every component of the crawl.

    Components reach it with `crawler.get_extension(Workspace).store`; it closes when the engine
    stops, after the pipeline has indexed its last capture.
    """

    def __init__(self, data_dir: str):
        self.store = Store(data_dir)

    @classmethod
    def from_crawler(cls, crawler):
        data_dir = crawler.settings.get("PRESSDIFF_DATA")
        if not data_dir:
            raise NotConfigured("no PRESSDIFF_DATA: not a pressdiff crawl")
        ext = cls(data_dir)
        crawler.signals.connect(ext.close, signal=signals.engine_stopped)
        return ext

    def close(self) -> None:
        self.store.close()
