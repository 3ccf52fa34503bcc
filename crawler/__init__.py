"""Scrapy project that fetches a story's coverage into WARC files and the archive index."""
