"""`pressdiff import`: articles that others collected, in the formats researchers already have.

Records (JSON Lines, JSON arrays or objects, CSV with a header row, folders of them) are read
field by field: pressdiff's own names, news-please's, newspaper3k's and trafilatura's, told apart
by the names alone. A record is skipped only when it has no http(s) `url` or no text; any other
field that cannot be used is left out with a warning naming the line, and the article is kept.

WARC and WACZ files from any crawler (Browsertrix, Heritrix, wget, Webrecorder) are copied into
DATA/warc/imported/ and every HTML response is extracted as a crawl's would be; each capture
points into the copy.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pressdiff.archive.capture import save_page
from pressdiff.archive.extract import MOJIBAKE_ORIGINAL, extract
from pressdiff.archive.replay import index_archives
from pressdiff.core.dates import MOMENT, DateError, parse_date, precision
from pressdiff.core.errors import InputError
from pressdiff.core.records import CrawlSummary
from pressdiff.core.repair import repair
from pressdiff.core.snapshots import read_snapshot
from pressdiff.core.store import Store
from pressdiff.core.story import Story

MAX_RECORD_BYTES = 50 * 1024 * 1024  # one line, one CSV row, one JSON file
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")
ARCHIVE_SUFFIXES = (".warc.gz", ".warc", ".wacz")

# Canonical field <- the names each format uses for it, in order of preference.
ALIASES = {
    "url": ("url", "source", "link"),
    "text": ("maintext", "text", "raw_text"),  # news-please also writes a `text` key, left None
    "html": ("html", "raw_html"),
    "title": ("title", "title_page", "title_rss", "headline"),
    "published": ("published", "date_publish", "publish_date", "date", "pubdate"),
    "author": ("author", "authors"),
    "site_name": ("sitename", "source-hostname", "source_domain", "hostname", "meta_site_name"),
    "fetched_at": ("fetched_at", "date_download"),
    "language": ("language",),
}
DATE_FIELDS = {"published", "fetched_at"}
PAGE_FIELDS = ("text", "outlet", "title", "author", "published", "site_name", "language")  # save_page's given
NO_DATE = {"None", "null", "NaT", "nan"}  # news-please writes str(None) for a date it did not find
FORMATS = (  # (name, any of these keys marks it), first match wins
    ("news-please", {"maintext", "date_publish", "source_domain"}),
    ("trafilatura", {"raw_text", "fingerprint", "source-hostname"}),
    ("newspaper3k", {"publish_date", "authors"}),
)
# Tools that write a date known only to the day as that day's midnight, with no zone
# (str(datetime) of a date): "2020-01-01 00:00:00" is the day, not a moment.
MIDNIGHT_IS_A_DAY = {"news-please", "newspaper3k"}


@dataclass
class ImportResult:
    """What an import did; warnings and skips each name their file and line."""

    imported: int = 0
    new_versions: int = 0
    unchanged: int = 0
    with_warnings: int = 0
    repaired: int = 0  # records whose mojibake was repaired (extracted text, title, author)
    mojibake_kept: int = 0  # records whose given text has mojibake, kept as given
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    formats: Counter = field(default_factory=Counter)
    archives: list[CrawlSummary] = field(default_factory=list)

    def line(self, slug: str) -> str:
        formats = ", ".join(f"{name} {n}" for name, n in sorted(self.formats.items()))
        text = (f"import {slug}: {self.imported} imported, {self.with_warnings} with warnings, "
                f"{len(self.skipped)} skipped ({self.new_versions} new versions, {self.unchanged} unchanged)")
        if formats:
            text += f"; formats: {formats}"
        if self.repaired:
            text += f"; {self.repaired} repaired (mojibake)"
        if self.mojibake_kept:
            text += (f"; {self.mojibake_kept} with mojibake in their given text, kept as given "
                     "(offsets into it stay valid; names and words are repaired for matching)")
        for s in self.archives:
            text += (f"; WARC {', '.join(s.warc_files)}: {s.pages} pages, {s.no_text} without text"
                     + (f", {s.off_topic} not about the story" if s.off_topic else "")
                     + (f", {s.known} archived already" if s.known else ""))
        return text


def import_paths(store: Store, story: Story, paths, echo=print) -> ImportResult:
    """Import every file named, and every importable file in the folders named."""
    files = list(_expand([Path(p) for p in paths]))
    store.articles.save_story(story)
    result = ImportResult()
    last = store.articles.last_alert(story.slug)
    for path in files:
        if path.name.lower().endswith(ARCHIVE_SUFFIXES) or _is_warc(path):
            summary = _import_archive(store, story, path, echo)
            result.archives.append(summary)
            result.imported += summary.new_versions + summary.unchanged
            result.new_versions += summary.new_versions
            result.unchanged += summary.unchanged
            result.formats["WARC"] += summary.pages
            continue
        for where, record in _records(path):
            if isinstance(record, InputError):
                result.skipped.append(f"{where}: {record}")
                continue
            _import_record(store, story, where, record, result)
    result.warnings += [alert["detail"] for alert in store.articles.alerts(story.slug, last)]
    return result


def _expand(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                           and p.name.lower().endswith(RECORD_SUFFIXES + ARCHIVE_SUFFIXES))
            if not found:
                raise InputError(f"{path}: no .jsonl, .json, .csv, .warc(.gz) or .wacz files in this folder")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def _is_warc(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(5)
    return head == b"WARC/" or (head[:2] == b"\x1f\x8b" and not path.name.lower().endswith(RECORD_SUFFIXES))


# -- records ---------------------------------------------------------------------------


def _records(path: Path):
    """(where, record dict or InputError) for every record of a JSONL, JSON or CSV file."""
    name = path.name.lower()
    if name.endswith(".csv"):
        yield from _csv_records(path)
        return
    if name.endswith(".json"):
        if path.stat().st_size > MAX_RECORD_BYTES:
            yield str(path), InputError(f"JSON file larger than {MAX_RECORD_BYTES >> 20} MB; use JSON Lines")
            return
        raw = path.read_bytes()
        try:
            doc = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            yield str(path), InputError("not UTF-8")
            return
        except json.JSONDecodeError:
            doc = None  # perhaps JSON Lines under a .json name
        if isinstance(doc, list):
            for i, item in enumerate(doc, 1):
                yield f"{path}: item {i}", item if isinstance(item, dict) else InputError("expected a JSON object")
            return
        if isinstance(doc, dict):
            yield str(path), doc
            return
        if doc is not None:
            yield str(path), InputError("expected a JSON object or an array of them")
            return
    yield from _jsonl_records(path)


def _jsonl_records(path: Path):
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            if len(raw) > MAX_RECORD_BYTES:
                yield where, InputError(f"line longer than {MAX_RECORD_BYTES >> 20} MB")
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield where, InputError("not UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield where, InputError(f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            yield where, record if isinstance(record, dict) else InputError("expected a JSON object")


def _csv_records(path: Path):
    csv.field_size_limit(MAX_RECORD_BYTES)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                yield str(path), InputError("no header row")
                return
            line = 2
            for row in reader:
                where = f"{path}:{line}"
                line = reader.line_num + 1
                if None in row:
                    yield where, InputError(f"more cells than the header's {len(reader.fieldnames)} columns")
                    continue
                yield where, {k: v for k, v in row.items() if k is not None and v not in (None, "")}
    except UnicodeDecodeError:
        yield str(path), InputError("not UTF-8")
    except csv.Error as exc:
        yield str(path), InputError(f"not a readable CSV file ({exc})")


def detect_format(record: dict) -> str:
    """Which tool wrote a record, from its field names alone."""
    keys = set(record)
    for name, marks in FORMATS:
        if keys & marks:
            return name
    return "pressdiff"


def _import_record(store: Store, story: Story, where: str, record: dict, result: ImportResult) -> None:
    warnings: list[str] = []
    try:
        fields = normalize(record, warnings)
        with store.transaction():
            saved, repaired, kept = _save(store, story, fields, warnings)
    except InputError as exc:
        result.skipped.append(f"{where}: {exc}")
        return
    result.formats[detect_format(record)] += 1
    result.imported += 1
    result.repaired += repaired
    result.mojibake_kept += kept
    result.new_versions += saved.created
    result.unchanged += not saved.created
    if warnings:
        result.with_warnings += 1
        result.warnings.extend(f"{where}: {w}" for w in warnings)


def normalize(record: dict, warnings: list[str]) -> dict:
    """pressdiff's fields from a record of any known format; InputError when it cannot be an article."""
    used: set[str] = set()
    out: dict = {}
    for name, aliases in ALIASES.items():
        for key in aliases:
            value = record.get(key)
            if value is None or value == "" or value == [] or (name in DATE_FIELDS and value in NO_DATE):
                continue
            if name == "url" and not _is_http(value):
                continue  # trafilatura's `source` may be a site name; `link` may be relative
            if name == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = ", ".join(v.strip() for v in value if v.strip())
            used.add(key)
            if not isinstance(value, str):
                warnings.append(f"'{key}' is not text ({type(value).__name__}); left out")
                continue
            out[name] = value
            break
    if "url" not in out:
        raise InputError("'url' must be an http(s) URL")
    snapshot = read_snapshot(out["url"])
    if snapshot is not None:  # the article is the original page; the snapshot is this copy's source
        out["url"], out["snapshot"] = snapshot.original, snapshot.as_meta()
    if not (out.get("text", "").strip() or out.get("html")):
        raise InputError("no article text: 'text' (or 'maintext', 'raw_text', 'html') is missing or empty")
    if "published" in out:
        try:
            out["published"], note = parse_date(out["published"])
            if (precision(out["published"]) == MOMENT and out["published"].endswith("T00:00:00")
                    and detect_format(record) in MIDNIGHT_IS_A_DAY):
                out["published"] = out["published"][:10]
            if note:
                warnings.append(f"published: {note}")
        except DateError as exc:
            warnings.append(f"published: {exc}; the article is kept undated")
            del out["published"]
    out["outlet"] = record.get("outlet") if isinstance(record.get("outlet"), str) else None
    used.add("outlet")
    out["meta"] = {k: v for k, v in record.items() if k not in used}
    return out


def _is_http(value) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _save(store: Store, story: Story, f: dict, warnings: list[str]):
    """Store one normalised record (archive.capture.save_page, as a crawl stores a page); (SavedVersion,
    whether mojibake was repaired, whether its given text has mojibake that is kept as given)."""
    text = f.get("text")
    meta = f["meta"]
    extracted = None
    kept = bool(text) and repair(text) != text
    if f.get("html"):
        extracted = extract(f["html"], url=f["url"])
        if extracted is None and not (text or "").strip():
            raise InputError("'html' holds no article text and there is no 'text'")
        if extracted is not None:
            kept = False
    repaired = extracted is not None and extracted.original is not None
    for key in ("title", "author"):
        if isinstance(f.get(key), str) and repair(f[key]) != f[key]:
            meta[f"{MOJIBAKE_ORIGINAL}_{key}"] = f[key]
            f[key] = repair(f[key])
            repaired = True
    if f.get("fetched_at"):
        meta["fetched_at"] = f["fetched_at"]
    if f.get("snapshot"):
        meta["snapshot"] = f["snapshot"]
    saved = save_page(store, story, f["url"], extracted, run=None, ingested_by="import", found_by="import",
                      given={k: f.get(k) for k in PAGE_FIELDS}, meta=meta, warnings=warnings)
    return saved, repaired, kept


# -- archives --------------------------------------------------------------------------


def _import_archive(store: Store, story: Story, path: Path, echo) -> CrawlSummary:
    """Copy a WARC file (or a WACZ's WARC files) into DATA/warc/imported/ and index its responses."""
    data_dir = store.articles.path.parent
    folder = data_dir / "warc" / "imported"
    folder.mkdir(parents=True, exist_ok=True)
    if path.name.lower().endswith(".wacz"):
        rels = _unpack_wacz(path, folder, data_dir)
    else:
        with open(path, "rb") as fh:
            rels = [_place(fh, path.name, folder, data_dir)]
    return index_archives(store, story, data_dir, rels, "import", echo)


def _unpack_wacz(path: Path, folder: Path, data_dir: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.infolist() if m.filename.startswith("archive/")
                       and m.filename.lower().endswith((".warc.gz", ".warc"))]
            if not members:
                raise InputError(f"{path}: a WACZ with no WARC files under archive/")
            stem = _safe_name(path.name[: -len(".wacz")])
            rels = []
            for m in members:
                with z.open(m) as fh:
                    rels.append(_place(fh, f"{stem}-{_safe_name(Path(m.filename).name)}", folder, data_dir))
            return rels
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a WACZ (not a ZIP file)") from None


def _place(source, name: str, folder: Path, data_dir: Path) -> str:
    """Copy an archive file in under a free name; the same bytes imported twice share one copy."""
    tmp = folder / f".{name}.part"
    digest = hashlib.sha256()
    with open(tmp, "wb") as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    base = _safe_name(name)
    for n in range(1000):
        target = folder / (base if n == 0 else _numbered(base, n))
        if not target.exists():
            tmp.replace(target)
        elif _sha256(target) == digest.hexdigest():
            tmp.unlink()
        else:
            continue
        return target.relative_to(data_dir).as_posix()
    tmp.unlink()
    raise InputError(f"too many different files named {name} imported already")


def _safe_name(name: str) -> str:
    """A file name that stays a file name (a path inside an archive must not climb out)."""
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name).lstrip(".")
    return cleaned or "archive.warc.gz"


def _numbered(name: str, n: int) -> str:
    for suffix in (".warc.gz", ".warc"):
        if name.lower().endswith(suffix):
            return f"{name[: -len(suffix)]}-{n}{suffix}"
    return f"{name}-{n}"


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()

