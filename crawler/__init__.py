"""Scrapy project that fetches a story's coverage into WARC files and the archive index."""


def empty_summary() -> dict:
    """What a crawl (or a replay) reports, before it has done anything."""
    return {"pages": 0, "new_versions": 0, "unchanged": 0, "no_text": 0, "off_topic": 0, "errors": 0,
            "skipped": 0, "robots": 0, "wayback": 0, "discovered": 0, "warc_files": []}
