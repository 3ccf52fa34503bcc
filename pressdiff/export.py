"""`pressdiff export`: a story's captures as a WACZ package, its findings as CSV or Parquet tables."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pressdiff.archive.warc import warc_date
from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.records import Quote
from pressdiff.core.store import Store
from pressdiff.core.story import Story


def export_wacz(store: Store, story: Story, target: str | Path) -> dict:
    """Write the story's WARC files, a CDXJ index and a pages list (one page per article) as a WACZ.

    The WARC files go in whole, byte for byte: each holds one crawl (or one import) of this
    story only. py-wacz indexes them and checks that every listed page is in the index.
    """
    from wacz.main import main as wacz_main  # imported late: it loads frictionless, which is slow

    data_dir = store.articles.path.parent
    captures = store.articles.captures(story.slug)
    files, missing = story_warc_files(store, story.slug, captures)
    if missing:
        raise WorkError(f"WARC file {missing[0]} of story '{story.slug}' is missing from {data_dir}")
    if not files:
        raise InputError(f"story '{story.slug}' has no archived captures to export (its articles were imported as text)")
    pages = []
    for v in store.articles.latest(story.slug):
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
    data_dir = store.articles.path.parent
    captures = store.articles.captures(slug) if captures is None else captures
    files = sorted({c["warc_file"] for c in captures if c["warc_file"]})
    return files, [f for f in files if not (data_dir / f).is_file()]


TABLE_COLUMNS = {
    "articles": ["article", "outlet", "url", "title", "author", "published", "version", "captured_at", "warc_file",
                 "record_id", "sha256", "wayback_url"],
    "quotations": ["article", "outlet", "start", "end", "text", "speaker", "cue", "closed", "attributed"],
    "clusters": ["cluster", "canonical", "speaker", "origin", "origin_outlet", "quoted", "articles", "outlets",
                 "boilerplate"],
    "variants": ["cluster", "article", "outlet", "relation", "changes", "similarity", "quoted", "speaker", "start",
                 "end", "text",
                 # the variant's attribution (SPEC): its kind, the source and cue as printed with their offsets,
                 # and its content spans as START:END, space-separated; empty when none
                 "attribution", "source", "source_start", "source_end", "cue", "cue_start", "cue_end", "content"],
    "credits": ["article", "outlet", "credits", "phrase", "start", "end"],
}


def finding_rows(store: Store, story: Story, name: str) -> Iterator[dict]:
    """The rows of one findings table (TABLE_COLUMNS), streamed from the store: booleans as
    booleans, a variant's changes space-separated, a quotation's `attributed` as compare judges it."""
    for row in store.findings.table(story.slug, name):
        r = dict(row)
        if name == "quotations":
            r["attributed"] = Quote(article=r["article"], start=r["start"], end=r["end"], text=r["text"],
                                    mark=r.pop("mark"), speaker=r["speaker"]).attributed
        if name == "variants":
            r["changes"] = " ".join(json.loads(r["changes"]))
        for key in ("closed", "quoted"):
            if key in r:
                r[key] = bool(r[key])
        yield r


def _write_tables(store: Store, story: Story, folder: str | Path, suffix: str, write) -> dict:
    """Each findings table (TABLE_COLUMNS) to FOLDER/NAME.SUFFIX, written whole under a temporary
    name by write(path, columns, rows), which returns how many rows it wrote; those counts."""
    if store.findings.comparison_digest(story.slug) is None:
        raise InputError(f"story '{story.slug}' has not been compared yet: run `pressdiff compare {story.slug}` first")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, columns in TABLE_COLUMNS.items():
        path = folder / f"{name}.{suffix}"
        tmp = path.with_name(path.name + ".tmp")
        counts[name] = write(tmp, columns, finding_rows(store, story, name))
        os.replace(tmp, path)
    return counts


def export_csv(store: Store, story: Story, folder: str | Path) -> dict:
    """Write articles, quotations, clusters, variants and credits as CSV files (UTF-8, header row).

    Every row of the stored comparison goes out, with no cap; each table names the outlet of
    the article a row belongs to, so a spreadsheet needs no join to read it.
    """
    def write(tmp: Path, header: list[str], rows) -> int:
        n = 0
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(row[k]) for k in header])
                n += 1
        return n

    return _write_tables(store, story, folder, "csv", write)


def export_parquet(store: Store, story: Story, folder: str | Path, batch: int = 50_000) -> dict:
    """Write the same five tables as Parquet files (NAME.parquet, zstd), typed: what DuckDB,
    pandas, Polars, Spark and R's arrow read. Streamed in batches of rows: a story of any size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"version": pa.int32(), "start": pa.int64(), "end": pa.int64(), "articles": pa.int32(),
             "source_start": pa.int64(), "source_end": pa.int64(), "cue_start": pa.int64(), "cue_end": pa.int64(),
             "outlets": pa.int32(), "similarity": pa.float64(), "closed": pa.bool_(), "attributed": pa.bool_(),
             "quoted": pa.bool_()}

    def write(tmp: Path, columns: list[str], found) -> int:
        schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
        n = 0
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            rows: list[dict] = []
            for row in found:
                rows.append(row)
                if len(rows) == batch:
                    writer.write_table(pa.Table.from_pylist(rows, schema))
                    n, rows = n + len(rows), []
            writer.write_table(pa.Table.from_pylist(rows, schema))
        return n + len(rows)

    return _write_tables(store, story, folder, "parquet", write)


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
