"""A story's Scrapy settings: crawler/settings.py, then what the story's [crawl] table sets."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings

from pressdiff.core.story import CRAWL

from . import settings as default_settings

# The story's [crawl] keys and the Scrapy settings they override (core/story.py: CRAWL).
_STORY_SETTINGS = {s.name: s.scrapy for s in CRAWL if s.scrapy}


def crawl_settings(story, data_dir: Path | None = None, run: int | None = None) -> Settings:
    """Scrapy settings for a story: crawler/settings.py, then only the keys its [crawl] table sets."""
    s = Settings()
    s.setmodule(default_settings, priority="project")
    c = story.crawl
    s.setdict({setting: getattr(c, key) for key, setting in _STORY_SETTINGS.items() if key in c.given},
              priority="cmdline")
    if c.contact:
        s.set("USER_AGENT", f"{s.get('USER_AGENT')} contact: {c.contact}", priority="cmdline")
    if data_dir is not None:
        s.setdict({"PRESSDIFF_DATA": str(data_dir), "PRESSDIFF_STORY": story.slug, "PRESSDIFF_RUN": run},
                  priority="cmdline")
    return s
