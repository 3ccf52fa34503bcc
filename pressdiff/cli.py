"""The `pressdiff` command line: each subcommand parses, calls one function, prints a result."""

from __future__ import annotations

import datetime
import functools
import sys
import time
from pathlib import Path

import click

from pressdiff.core.errors import InputError, PressdiffError

DATA_HELP = "Workspace folder: pressdiff.db, warc/, public/."


def _fail(message: str, code: int) -> None:
    click.echo(f"pressdiff: error: {message}", err=True)
    sys.exit(code)


def workspace_command(group, name, data_help: str = DATA_HELP,
                      interrupted: str = "interrupted; what was archived so far is kept", **kwargs):
    """A subcommand with --data and --debug whose PressdiffErrors become one line and an exit status."""

    def decorate(fn):
        @group.command(name, **kwargs)
        @click.option("--data", "data_dir", default="pressdiff-data", show_default=True,
                      type=click.Path(file_okay=False, path_type=Path), help=data_help)
        @click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
        @functools.wraps(fn)
        def wrapper(*args, debug, **kw):
            try:
                return fn(*args, **kw)
            except PressdiffError as exc:
                if debug:
                    raise
                _fail(str(exc), exc.exit_code)
            except KeyboardInterrupt:
                _fail(interrupted, 130)
            except Exception as exc:  # noqa: BLE001 - the CLI is the one place that catches everything
                if debug:
                    raise
                _fail(f"unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", 1)
        return wrapper

    return decorate


def _story(data_dir: Path, ref: str):
    """The story a STORY argument names: a story file (saved in the workspace) or a workspace slug."""
    from pressdiff.core.store import Store

    with Store(data_dir) as store:
        return store.articles.resolve_story(ref)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressdiff", prog_name="pressdiff")
def main():
    """pressdiff: archive a story's coverage, align every quotation, publish how outlets changed the words.

    STORY is a story file (TOML) or the slug of a story already in the workspace.
    """


@workspace_command(main, "crawl")
@click.argument("story")
@click.argument("replay_files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="[FILE.warc.gz...]")
@click.option("--proxy", metavar="URL", help="Send every request through this HTTP proxy.")
@click.option("--replay", is_flag=True, help="Rebuild the archive from the WARC files named after STORY instead of "
              "the network (files from elsewhere are copied into DATA/warc/).")
@click.option("--redis", metavar="URL", help="Share the crawl through this Redis server (redis://host:6379/0): "
              "this command coordinates and writes the index; `pressdiff worker` processes fetch.")
@click.option("--workers", type=click.IntRange(0, 64), default=0, show_default=True,
              help="With --redis: also start this many workers on this machine, sharing DATA.")
def crawl_cmd(story, replay_files, data_dir, proxy, replay, redis, workers):
    """Fetch STORY's coverage with Scrapy into WARC files and the archive.

    Discovery (links, sitemaps, feeds, Wayback CDX) follows the story's [discovery] table; a dead
    page is fetched from its closest Wayback Machine snapshot. A page whose text changed since the
    last crawl gets a new version; unchanged pages do not. A page whose text looks like broken
    extraction for its outlet (it collapsed, or reads like menus) is kept, with a warning. An
    interrupted crawl resumes where it stopped when run again.

    With --redis URL the crawl is shared by workers on any number of machines (scrapy-redis):
    pages are leased, so a killed worker's pages go back to the queue; politeness per domain
    holds across all workers; each worker writes its own WARC files, and this command records
    every capture in the index exactly once.
    """
    from pressdiff.core.store import Store

    from .pipeline import crawl, crawl_line

    if workers and not redis:
        raise InputError("--workers needs --redis URL: local workers take their pages from Redis")
    if redis and (replay or proxy):
        raise InputError("--redis cannot be combined with " + ("--replay" if replay else "--proxy"))
    if replay and not replay_files:
        raise InputError("--replay needs WARC files: pressdiff crawl STORY --replay FILE.warc.gz...")
    if replay_files and not replay:
        raise InputError(f"unexpected argument {replay_files[0]}: to rebuild from WARC files, add --replay")
    with Store(data_dir) as store:
        s = store.articles.resolve_story(story)
        if replay:
            from pressdiff.archive.replay import replay

            summary = replay(store, s, data_dir, list(replay_files),
                             echo=lambda line: click.echo(line, err=True))
            click.echo(crawl_line(s.slug, summary, "replay"))
            return
    crawl(data_dir, s, click.echo, proxy=proxy, redis=redis, workers=workers,
          warn=lambda line: click.echo(f"pressdiff: warning: {line}", err=True))


@workspace_command(main, "worker", data_help="Where this worker writes its WARC files (DATA/warc/); copy them "
                   "into the coordinator's workspace if it is on another machine.",
                   interrupted="worker stopped; the pages it held go back to the queue when their leases run out")
@click.option("--redis", metavar="URL", required=True, help="The Redis server the crawl is shared through.")
@click.option("--id", "worker_id", metavar="NAME", help="This worker's name, which names its WARC files "
              "[default: this machine's name]. A worker restarted under the same name repairs its files.")
@click.option("--once", is_flag=True, help="Stop after one crawl instead of waiting for the next.")
def worker_cmd(redis, data_dir, worker_id, once):
    """Fetch pages for crawls coordinated through Redis (`pressdiff crawl STORY --redis URL`).

    The worker waits for a crawl, takes pages from its queue under a lease, writes the responses
    to WARC files of its own and sends each capture to the coordinator. Stop it with Ctrl-C; a
    page it held goes back to the queue when its lease runs out.
    """
    from pressdiff.crawler.distributed.worker import check_id, default_id, run_worker

    sys.exit(run_worker(redis, data_dir, check_id(worker_id or default_id()), once=once,
                        echo=lambda line: click.echo(line, err=True)))


@workspace_command(main, "versions")
@click.argument("story")
@click.argument("article")
@click.option("--diff", "pair", metavar="A:B", help="Show the word diff from version A to version B "
              "(default: the last two).")
def versions_cmd(story, article, data_dir, pair):
    """List the stored versions of ARTICLE (its URL or id) and show what changed between two."""
    from pressdiff.compare.drift import version_diff
    from pressdiff.core.store import Store

    with Store(data_dir) as store:
        s = store.articles.resolve_story(story)
        key = article if not article.startswith(("http://", "https://")) else store.articles.key_of(s.slug, article)
        rows = store.articles.versions(s.slug, key)
    if not rows:
        raise InputError(f"story '{s.slug}' has no article '{article}'")
    for r in rows:
        cap = r.capture
        click.echo(f"v{r.version}  stored {r.created_at}  from {r.ingested_by}"
                   + (f"  captured {cap.fetched_at}  sha256 {cap.sha256}" if cap else ""))
    if len(rows) < 2 and not pair:
        return
    by_number = {r.version: r for r in rows}
    try:
        a, b = (int(x) for x in pair.split(":")) if pair else (rows[-2].version, rows[-1].version)
    except ValueError:
        raise InputError(f"--diff expects two version numbers like 1:2, got {pair!r}") from None
    if a not in by_number or b not in by_number:
        raise InputError(f"versions {a} and {b} must both exist (stored: {', '.join(map(str, by_number))})")
    click.echo(f"--- v{a}\n+++ v{b}")
    click.echo(version_diff(by_number[a].text, by_number[b].text))


@workspace_command(main, "import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--story", "story", required=True, help="Story file or slug the articles belong to.")
def import_cmd(paths, story, data_dir):
    """Add articles others collected: files or folders of JSONL, JSON or CSV records, WARC or WACZ archives.

    Records may be pressdiff's (url, text, outlet, title, published, author, fetched_at, html),
    news-please's, newspaper3k's or trafilatura's JSON, recognised by their field names. Dates
    may be ISO 8601 (also "2017-03"), RFC 2822 or written ("March 13, 2017"); their precision is
    kept. A record whose url is a Wayback Machine or archive.today snapshot is the original page
    (the snapshot is kept with it); author strings that name no one ("January") are left out
    with a warning. A record without url or text is skipped; an unusable optional field is left
    out with a warning. WARC/WACZ files are copied into DATA/warc/imported/ and their HTML pages
    extracted. A text that looks like broken extraction for its outlet is kept, with a warning.
    Exit status 2 when nothing could be imported.
    """
    from pressdiff.core.store import Store

    from .importer import import_paths

    with Store(data_dir) as store:
        s = store.articles.resolve_story(story)
        result = import_paths(store, s, paths, echo=lambda line: click.echo(line, err=True))
    for line in result.warnings:
        click.echo(f"pressdiff: warning: {line}", err=True)
    for line in result.skipped:
        click.echo(f"pressdiff: skipped {line}", err=True)
    click.echo(result.line(s.slug))
    if result.skipped and not result.imported:
        sys.exit(2)


@workspace_command(main, "compare")
@click.argument("story")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the comparison JSON (SPEC.md format) to this file.")
@click.option("--workers", type=click.IntRange(0, 256), default=None,
              help="Run the stages on a local Dask cluster of this many worker processes (0: in this process) "
                   "[default: in this process below 500 articles, else one worker per core].")
@click.option("--dask", "dask_address", metavar="tcp://HOST:8786",
              help="Run the stages on this existing Dask cluster; its workers need pressdiff installed and DATA at "
                   "the same path (a shared filesystem).")
@click.option("--partition", type=click.IntRange(1, 1_000_000), default=None,
              help="Articles per partition: what one task holds in memory [default: 2,000, or the story split "
                   "evenly among the workers when that gives each one a partition].")
def compare_cmd(story, data_dir, json_path, workers, dask_address, partition):
    """Find quotations and reused sentences, align them across articles, classify each change.

    The comparison runs as stages over partitions of PARTITION articles (quotations and
    speakers, word statistics, units, the ordered alignment, drift, reuse), in this process or
    on Dask; the answer is the same whichever way it runs. Intermediate data is kept in
    Parquet under DATA/.compare/ while it runs; the JSON goes to DATA/comparisons/STORY.json.
    """
    from .pipeline import compare

    if workers is not None and dask_address:
        raise InputError("give --workers (a local cluster) or --dask (an existing one), not both")
    compare(data_dir, _story(data_dir, story), click.echo, json_path, workers=workers, dask=dask_address, partition=partition,
            progress=lambda line: click.echo(line, err=True))


SITE_URL_HELP = "Where the site will be published (e.g. https://example.org/archive/): absolute permalinks and citations."


@workspace_command(main, "site")
@click.argument("stories", nargs=-1)
@click.option("--site-url", metavar="URL", help=SITE_URL_HELP)
def site_cmd(stories, data_dir, site_url):
    """Build the static site for STORIES (default: all compared) into DATA/public/.

    An archive home page lists every story; each story is its own MkDocs Material site under
    DATA/public/SLUG/. A story whose comparison, versions and captures have not changed since
    the last build is not built again.
    """
    from .publish.build import build_site

    slugs = [_story(data_dir, ref).slug for ref in stories]
    build_site(data_dir, slugs or None, echo=click.echo, site_url=site_url)


@workspace_command(main, "cite")
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "bibtex", "csl-json", "apa", "chicago"]),
              default="text", show_default=True,
              help="text: readable answer; json: the cite JSON of SPEC.md; bibtex, csl-json: citation data for "
                   "each match; apa, chicago: formatted references (rendered by citeproc-py).")
@click.option("--story", "stories", multiple=True, help="Only look in this story (slug); repeatable.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50), help="Most matches to show.")
def cite_cmd(text, data_dir, fmt, stories, limit):
    """Look TEXT up: who printed it first, how every outlet changed it, where the archived copy is.

    TEXT may be partial, re-punctuated, re-spelled or slightly misremembered. Exit status 1 when
    nothing matches (the closest candidates are suggested), 2 for an empty or over-long query.
    """
    from pressdiff.core.store import Store

    from .lookup import cite, format_result

    with Store(data_dir) as store:
        result = cite(store, text, list(stories) or None, limit)
    if result["matches"] or fmt in ("text", "json"):
        click.echo(format_result(result, fmt))
    else:
        click.echo(format_result(result, "text"), err=True)
    if not result["matches"]:
        sys.exit(1)


@workspace_command(main, "export")
@click.argument("story")
@click.option("--wacz", "wacz_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the story's archived pages as a WACZ package (WARC files, CDXJ index, pages list), "
                   "for ReplayWeb.page and pywb.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write articles.csv, quotations.csv, clusters.csv, variants.csv and credits.csv to DIR "
                   "(every row, each with an outlet column).")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write the same five tables as Parquet files to DIR (typed; for DuckDB, pandas, Spark, R's arrow).")
def export_cmd(story, data_dir, wacz_file, csv_dir, parquet_dir):
    """Export STORY: its captures as WACZ, its comparison as CSV or Parquet tables (give one or more)."""
    from pressdiff.core.store import Store

    from .export import export_csv, export_parquet, export_wacz

    if not (wacz_file or csv_dir or parquet_dir):
        raise InputError("export needs --wacz FILE, --csv DIR, --parquet DIR or several")
    with Store(data_dir) as store:
        s = store.articles.resolve_story(story)
        for kind, folder, write in (("CSV", csv_dir, export_csv), ("Parquet", parquet_dir, export_parquet)):
            if folder:
                counts = write(store, s, folder)
                click.echo(f"export {s.slug}: {kind} in {folder}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        if wacz_file:
            r = export_wacz(store, s, wacz_file)
            click.echo(f"export {s.slug}: WACZ {r['path']}: {r['pages']} pages, {r['captures']} captures "
                       f"in {r['warc_files']} WARC files")


@workspace_command(main, "run")
@click.argument("story")
@click.option("--proxy", metavar="URL", help="Send every request through this HTTP proxy.")
@click.option("--site-url", metavar="URL", help=SITE_URL_HELP)
def run_cmd(story, data_dir, proxy, site_url):
    """Crawl, compare and build the site for STORY in one go (stops if the crawl fetched nothing)."""
    from .pipeline import run

    run(data_dir, _story(data_dir, story), click.echo, proxy=proxy, site_url=site_url)


@workspace_command(main, "watch", interrupted="watch stopped; the next watch resumes the pass it left")
@click.argument("story")
@click.option("--every", metavar="DURATION", default="30m", show_default=True,
              help="Time from the start of one pass to the start of the next: 90s, 30m, 2h, 1d (at least a minute).")
@click.option("--until", metavar="DATE", help="Stop before a pass would start after this date (the end of that day) "
              "or date and time (2026-12-31T18:00).")
@click.option("--once", is_flag=True, help="One pass, then exit (for cron and systemd timers).")
@click.option("--notify", metavar="URL", help="POST a JSON summary of each edit worth an alert to this webhook "
              "(retried with backoff; never holds up a pass).")
@click.option("--site/--no-site", default=True, show_default=True,
              help="After a pass that found changes, compare the story again and rebuild its site.")
@click.option("--site-url", metavar="URL", help=SITE_URL_HELP)
def watch_cmd(story, data_dir, every, until, once, notify, site, site_url):
    """Re-crawl STORY over time: catch what outlets change in their articles after publication.

    Each pass fetches every article the story has crawled again with conditional requests
    (If-None-Match, If-Modified-Since: an unchanged page answers 304 and is archived as a WARC
    revisit record, not a second copy) and runs the story's discovery again. Each new version is
    classified against the one before: headline changed; quotation changed, added or removed;
    correction or update note added; paragraphs added or removed; wording changed; byline or
    date changed. Timestamps, counters, link boxes and changes of fewer than the story's
    [watch] min_changed_words words (default 4) are noise and alert nothing. A page whose text
    collapses is reported as "extraction may be broken for OUTLET", not as an edit. Edits go to
    the story's Changes page and Atom feed (DATA/public/STORY/changes/, changes.xml) and to
    --notify. Ctrl-C stops cleanly; a pass that was cut short resumes with the next watch.
    """
    from .watch import parse_every, parse_until, watch

    seconds = None if once else parse_every(every)
    stop = parse_until(until) if until else None
    if stop is not None and stop < datetime.datetime.now(datetime.timezone.utc):
        raise InputError(f"--until {until} is in the past")
    if notify and not notify.startswith(("http://", "https://")):
        raise InputError(f"--notify expects an http(s) URL, got {notify!r}")
    watch(data_dir, _story(data_dir, story), click.echo, every=seconds, until=stop, once=once, notify=notify,
          progress=lambda line: click.echo(line, err=True),
          warn=lambda line: click.echo(f"pressdiff: warning: {line}", err=True), site=site, site_url=site_url)


@workspace_command(main, "demo")
def demo_cmd(data_dir):
    """The whole pipeline on the bundled demo story, offline, over real HTTP on 127.0.0.1."""
    from .demo import run_demo

    started = time.monotonic()
    run_demo(data_dir, echo=click.echo)
    click.echo(f"demo finished in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
