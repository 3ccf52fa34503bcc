"""Item pipelines: WARC first (the evidence), then the archive index and extracted article."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from compare.extract import extract
from pressdiff.store import Store

from .warc import WarcArchive


class _Pipeline:
    """Scrapy's current pipeline API: the crawler is passed once, methods take no spider."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class WarcPipeline(_Pipeline):
    """Writes each exchange to the workspace's WARC files."""

    def open_spider(self):
        spider = self.crawler.spider
        self.archive = WarcArchive(spider.data_dir, prefix=spider.story.slug,
                                   info={"story": spider.story.slug, "title": spider.story.title})

    def close_spider(self):
        self.archive.close()
        self.crawler.spider.summary["warc_files"] = self.archive.files

    def process_item(self, item):
        spider = self.crawler.spider
        item["warc"] = self.archive.write_exchange(
            url=item["final_url"], method=item["method"], request_headers=item["request_headers"],
            status=item["status"], response_headers=item["response_headers"], body=item["body"],
            fetched_at=item["fetched_at"],
            metadata={"story": spider.story.slug, "found_by": item["found_by"], "requested_url": item["url"]})
        return item


class ArchivePipeline(_Pipeline):
    """Records the capture in SQLite and stores a new article version when the text changed."""

    def open_spider(self):
        self.store = Store(self.crawler.spider.data_dir)

    def close_spider(self):
        self.store.close()

    def process_item(self, item):
        spider = self.crawler.spider
        story = spider.story
        html = item["body"]
        page = extract(html, url=item["final_url"])
        with self.store.transaction():
            capture_id = self.store.add_capture(
                story.slug, url=item["url"], final_url=item["final_url"], status=item["status"],
                content_type=dict((k.lower(), v) for k, v in item["response_headers"]).get("content-type"),
                fetched_at=item["fetched_at"], found_by=item["found_by"], **item["warc"])
            if page is None:
                spider.summary["no_text"] += 1
                _progress(spider, "no article text", item["url"])
                return item
            outlet = item["outlet"] or page.site_name or urlsplit(item["url"]).hostname
            saved = self.store.save_article(
                story.slug, item["url"], page.text, outlet=outlet, title=page.title, author=page.author,
                published=page.published, site_name=page.site_name, language=page.language,
                capture_id=capture_id, source="crawl", found_by=item["found_by"], meta=page.meta)
        spider.summary["new_versions" if saved.created else "unchanged"] += 1
        _progress(spider, f"v{saved.version} {'new' if saved.created else 'unchanged'}", item["url"])
        return item


def _progress(spider, what: str, url: str) -> None:
    s = spider.summary
    s["pages"] += 1
    print(f"pressdiff: [{s['pages']}/{spider.queued}] {what}: {url}", file=sys.stderr, flush=True)
