"""`pressdiff export`: a story's captures as a WACZ package, its findings as CSV tables."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path

from pressdiff.archive.warc import warc_date
from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.store import Store
from pressdiff.core.story import Story

CSV_TABLES = ("articles", "quotations", "clusters", "variants", "credits")


def export_wacz(store: Store, story: Story, target: str | Path) -> dict:
    """Write the story's WARC files, a CDXJ index and a pages list (one page per article) as a WACZ.

    The WARC files go in whole, byte for byte: each holds one crawl (or one import) of this
    story only. py-wacz indexes them and checks that every listed page is in the index.
    """
    from wacz.main import main as wacz_main  # imported late: it loads frictionless, which is slow

    data_dir = store.archive.path.parent
    captures = store.archive.captures(story.slug)
    files, missing = story_warc_files(store, story.slug, captures)
    if missing:
        raise WorkError(f"WARC file {missing[0]} of story '{story.slug}' is missing from {data_dir}")
    if not files:
        raise InputError(f"story '{story.slug}' has no archived captures to export (its articles were imported as text)")
    pages = []
    for v in store.archive.latest(story.slug):
        c = v.capture
        if c is None or not c.warc_file or (c.status or 0) >= 300:
            continue
        pages.append({"url": c.final_url or v.url, "ts": warc_date(c.fetched_at),
                      "title": v.title or v.url, "id": v.key})
    target = Path(target)
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: no such folder for the WACZ file")
    with tempfile.TemporaryDirectory(prefix="pressdiff-wacz-") as tmp:
        pages_file = Path(tmp) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": story.title}
        pages_file.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in [header, *pages]) + "\n",
                              encoding="utf-8")
        partial = target.with_name(target.name + ".part")
        args = ["create", "-o", str(partial), "-p", str(pages_file), "--title", story.title,
                "--desc", f"pressdiff archive of the story '{story.slug}'", *(str(data_dir / f) for f in files)]
        log = io.StringIO()
        try:
            with contextlib.redirect_stdout(log):
                code = wacz_main(args)
        except Exception as exc:  # noqa: BLE001 - the writer's own failure, reported in one line
            partial.unlink(missing_ok=True)
            raise WorkError(f"writing {target} failed: {exc}") from None
        if code not in (0, None) or "Invalid passed page" in log.getvalue():
            partial.unlink(missing_ok=True)
            detail = next((line for line in log.getvalue().splitlines() if "Invalid" in line), "")
            raise WorkError(f"writing {target} failed {detail}".strip())
        os.replace(partial, target)
    return {"path": str(target), "warc_files": len(files), "pages": len(pages), "captures": len(captures)}


def story_warc_files(store: Store, slug: str, captures=None) -> tuple[list[str], list[str]]:
    """The WARC files holding a story's captures, and those of them missing from the workspace."""
    data_dir = store.archive.path.parent
    captures = store.archive.captures(slug) if captures is None else captures
    files = sorted({c["warc_file"] for c in captures if c["warc_file"]})
    return files, [f for f in files if not (data_dir / f).is_file()]


def export_csv(store: Store, story: Story, folder: str | Path) -> dict:
    """Write articles, quotations, clusters, variants and credits as CSV files (UTF-8, header row).

    Every row of the stored comparison goes out, with no cap; each table names the outlet of
    the article a row belongs to, so a spreadsheet needs no join to read it.
    """
    document = store.findings.comparison(story.slug)
    if document is None:
        raise InputError(f"story '{story.slug}' has not been compared yet: run `pressdiff compare {story.slug}` first")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    articles = {a["id"]: a for a in document["articles"]}
    captures = {v.key: v.capture for v in store.archive.latest(story.slug)}

    def outlet(article_id: str) -> str:
        return (articles.get(article_id) or {}).get("outlet") or ""

    tables = {
        "articles": (["article", "outlet", "url", "title", "author", "published", "version",
                      "captured_at", "warc_file", "record_id", "sha256", "wayback_url"],
                     [[a["id"], a["outlet"], a["url"], a["title"], a.get("author"), a["published"], a["version"],
                       *_capture_columns(captures.get(a["id"]))] for a in document["articles"]]),
        "quotations": (["article", "outlet", "start", "end", "text", "speaker", "cue", "closed", "attributed"],
                       [[q["article"], outlet(q["article"]), q["start"], q["end"], q["text"], q.get("speaker"),
                         q.get("cue"), q.get("closed"), q.get("attributed")] for q in document.get("quotes", [])]),
        "clusters": (["cluster", "canonical", "speaker", "origin", "origin_outlet", "quoted", "articles", "outlets"],
                     [[c["id"], c["canonical"], c.get("speaker"), c["origin"], outlet(c["origin"]), c.get("quoted"),
                       len({v["article"] for v in c["variants"]}),
                       len({outlet(v["article"]) for v in c["variants"]})] for c in document["clusters"]]),
        "variants": (["cluster", "article", "outlet", "relation", "changes", "similarity", "quoted", "speaker",
                      "start", "end", "text"],
                     [[c["id"], v["article"], outlet(v["article"]), v["relation"], " ".join(v["changes"]),
                       v["similarity"], v["quoted"], v.get("speaker"), v["start"], v["end"], v["text"]]
                      for c in document["clusters"] for v in c["variants"]]),
        "credits": (["article", "outlet", "credits", "phrase", "start", "end"],
                    [[r["article"], outlet(r["article"]), r["credits"], r["phrase"], r.get("start"), r.get("end")]
                     for r in document["credits"]]),
    }
    counts = {}
    for name, (header, rows) in tables.items():
        path = folder / f"{name}.csv"
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([_cell(x) for x in row] for row in rows)
        os.replace(tmp, path)
        counts[name] = len(rows)
    return counts


def _capture_columns(capture) -> list:
    if capture is None:
        return [None] * 5
    return [capture.fetched_at, capture.warc_file, capture.record_id, capture.sha256, capture.wayback_url]


def _cell(value):
    """A CSV cell: None empty, booleans as true/false, and no leading character a spreadsheet runs.

    Scraped text is hostile: a cell starting with = + - @ is a formula in Excel and LibreOffice
    (CSV injection), so it is prefixed with an apostrophe, as OWASP recommends.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
