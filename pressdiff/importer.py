"""`pressdiff import`: pre-extracted articles from JSON Lines."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import InputError
from core.store import Store
from core.story import Story
from crawler.extract import extract

KNOWN = {"url", "text", "outlet", "title", "published", "author", "fetched_at", "html"}
MAX_LINE_BYTES = 50 * 1024 * 1024


@dataclass
class ImportResult:
    """What an import did, line by line."""

    imported: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def import_jsonl(store: Store, story: Story, path: str | Path) -> ImportResult:
    """Import every good line of a JSONL file; bad lines are reported by number and skipped."""
    path = Path(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    store.archive.save_story(story)
    result = ImportResult()
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = _parse_line(raw)
                with store.transaction():
                    saved = _save(store, story, record)
            except InputError as exc:
                result.errors.append(f"{path}:{number}: {exc}")
                continue
            result.imported += 1
            if saved.created:
                result.new_versions += 1
            else:
                result.unchanged += 1
    return result


def _parse_line(raw: bytes) -> dict:
    if len(raw) > MAX_LINE_BYTES:
        raise InputError(f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MB")
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError("expected a JSON object")
    url = record.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise InputError("'url' must be an http(s) URL")
    for key in ("text", "outlet", "title", "author", "html", "fetched_at"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise InputError(f"'{key}' must be a string")
    if not record.get("html") and not (isinstance(record.get("text"), str) and record["text"].strip()):
        raise InputError("'text' is required and must not be empty")
    published = record.get("published")
    if published is not None:
        if not isinstance(published, str):
            raise InputError("'published' must be an ISO 8601 date or datetime string")
        try:
            (dt.date.fromisoformat if len(published) == 10 else dt.datetime.fromisoformat)(published)
        except ValueError:
            raise InputError(f"'published' is not an ISO 8601 date or datetime: {published!r}") from None
    return record


def _save(store: Store, story: Story, record: dict):
    text = record.get("text")
    meta = {k: v for k, v in record.items() if k not in KNOWN}
    extracted = None
    if record.get("html"):
        extracted = extract(record["html"], url=record["url"])
        if extracted is None and not text:
            raise InputError("'html' holds no article text and there is no 'text'")
        if extracted is not None:
            text = extracted.text
    if record.get("fetched_at"):
        meta["fetched_at"] = record["fetched_at"]
    outlet = record.get("outlet") or story.outlet_for(record["url"]) or urlsplit(record["url"]).hostname
    return store.archive.save_article(
        story.slug, record["url"], text, outlet=outlet,
        title=record.get("title") or (extracted.title if extracted else None),
        author=record.get("author") or (extracted.author if extracted else None),
        published=record.get("published") or (extracted.published if extracted else None),
        site_name=extracted.site_name if extracted else None,
        language=extracted.language if extracted else None,
        ingested_by="import", found_by="import", meta=meta,
        credit_lines=extracted.credit_lines if extracted else (), captions=extracted.captions if extracted else ())
