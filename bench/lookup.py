"""The Look-up page against `pressdiff cite`: bench/cite.py's archive and queries, its site built by
`pressdiff site`, the page opened from disk (file://) in headless Chromium.

Prints, with the input sizes: how often the page's top answer is the command line's (and how
often either is the right cluster), the time to the first answer (navigation start to the
answer drawn, a fresh browser context per query: Material's page, the index's manifest and the
parts the query needs all load), the bytes of index parts each query loaded, and the index's
size on disk against the story's comparison JSON. Usage:

    python bench/lookup.py [--articles 10000] [--queries 100] [--timed 100] [--workspace DIR] [--index-only]

--timed: how many of the queries to time in fresh contexts (all are compared). --workspace: keep
the generated archive, its queries and cite's answers there, and reuse them when present.
--index-only, for an archive too big to build a site of on the machine at hand: the Look-up page
is that of a 10-article site of the same story, its index written from the big archive, without
the APA texts (citeproc-py renders about a hundred a second), whose bytes it reports apart.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import size_of  # noqa: E402
from bench.cite import build, query_for  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.lookup import cite  # noqa: E402
from pressdiff.publish.build import build_site  # noqa: E402
from pressdiff.publish.citecache import CiteCache  # noqa: E402
from pressdiff.publish.lookup_index import DATA, write_lookup_index  # noqa: E402
from pressdiff.scale.plan import DOCUMENTS  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--allow-file-access-from-files"]
SLUG = "bench-cite"


class NoReferences(CiteCache):
    """--index-only: every APA text left empty (the index's f/ parts are smaller by them)."""

    def render_all(self, items: list[dict], style: str) -> list[str]:
        return [""] * len(items)


def archive(folder: Path, n_articles: int, n_queries: int) -> tuple[int, int, list, list]:
    """bench/cite.py's archive in folder/ws (made unless there), its queries and cite's answers."""
    saved = folder / "queries.json"
    with Store(folder / "ws") as store:
        if saved.is_file():
            got = json.loads(saved.read_text("utf-8"))
        else:
            rnd = random.Random(7)  # bench/cite.py's seed: the same archive and the same queries
            clusters, _ = build(store, n_articles, rnd)
            queries = [(c.id, query_for(c, rnd)) for c in rnd.sample(clusters, n_queries)]
            got = {"queries": queries, "cli": [(cite(store, q)["matches"] or [{}])[0].get("cluster") for _, q in queries]}
            saved.write_text(json.dumps(got), "utf-8")
        clusters = store.db.execute("SELECT COUNT(*) FROM cluster").fetchone()[0]
        variants = store.db.execute("SELECT COUNT(*) FROM variant").fetchone()[0]
    return clusters, variants, [tuple(q) for q in got["queries"]], got["cli"]


def ask(context, page_url: str, query: str) -> dict:
    """One look-up in a page of its own: top cluster, ms to the answer, the parts it loaded."""
    page = context.new_page()
    page.goto(f"{page_url}?q={quote(query)}")
    page.wait_for_selector("html[data-lookup-done]", timeout=60000)
    got = page.evaluate("""() => ({top: (pressdiffLookup.last.result.matches[0] || {}).cluster || null,
                                   at: pressdiffLookup.last.at, ms: pressdiffLookup.last.ms,
                                   error: pressdiffLookup.last.result.error || null,
                                   loaded: pressdiffLookup.loaded})""")
    page.close()
    got["bytes"] = sum(Path(unquote(urlparse(u).path)).stat().st_size for u in got["loaded"])
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--timed", type=int, default=100)
    parser.add_argument("--workspace", help="keep (and reuse) the generated archive here")
    parser.add_argument("--index-only", action="store_true", help="no site of the big archive: its index only")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.workspace) if args.workspace else Path(tmp)
        data = folder / "ws"
        start = time.monotonic()
        clusters, variants, queries, cli = archive(folder, args.articles, args.queries)
        made = time.monotonic() - start
        start = time.monotonic()
        references = 0
        if args.index_only:
            small = Path(tmp) / "small"
            with Store(small) as store:
                build(store, 10, random.Random(1))
            public = build_site(small, echo=lambda _: None)
            shutil.rmtree(public / SLUG / DATA)
            with Store(data) as store:
                write_lookup_index(store, SLUG, public / SLUG / DATA, NoReferences(None))
                # articles whose APA text the index leaves out
                references = store.db.execute("SELECT COUNT(DISTINCT article) FROM variant").fetchone()[0]
        else:
            public = build_site(data, echo=lambda _: None)
        site_s = time.monotonic() - start
        index = size_of(public / SLUG / DATA)
        manifest = (public / SLUG / DATA / "manifest.js").stat().st_size
        document = (data / DOCUMENTS / f"{SLUG}.json").stat().st_size
        page_url = (public / SLUG / "lookup" / "index.html").as_uri()
        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            warm = browser.new_context()
            for k, (_, q) in enumerate(queries):
                context = browser.new_context() if k < args.timed else warm
                results.append(ask(context, page_url, q))
                results[-1]["bytes"] += manifest  # loaded by the page's own script tag
                if context is not warm:
                    context.close()
            typed = []  # the same queries typed, one after another, into a page loaded before
            page = browser.new_context().new_page()
            page.goto(page_url)
            page.wait_for_load_state("load")
            for k, (_, q) in enumerate(queries[:args.timed]):
                page.fill("#pd-lookup-q", q)
                page.press("#pd-lookup-q", "Enter")
                page.wait_for_selector(f"html[data-lookup-done='{k + 1}']", timeout=60000)
                typed.append(page.evaluate("pressdiffLookup.last.ms"))
            browser.close()
    same = sum(r["top"] == c for r, c in zip(results, cli))
    right_page = sum(r["top"] == cid for r, (cid, _) in zip(results, queries))
    right_cli = sum(c == cid for c, (cid, _) in zip(cli, queries))
    timed = sorted(r["at"] for r in results[:args.timed])
    search = sorted(r["ms"] for r in results[:args.timed])
    sizes = sorted(r["bytes"] for r in results)
    typed.sort()
    p95 = lambda xs: xs[int(0.95 * (len(xs) - 1))]  # noqa: E731
    print(f"look-up benchmark: {args.articles} articles, {clusters} clusters, {variants} wordings; "
          f"{args.queries} queries of bench/cite.py (fragments, re-punctuated, a word dropped)")
    print(f"archive generated (or read) in {made:.0f} s; " + (
        f"index written in {site_s:.0f} s into the page of a 10-article site (--index-only; the APA texts "
        f"of {references} articles left out)" if args.index_only else f"pressdiff site in {site_s:.0f} s"))
    print(f"same top answer as pressdiff cite: {same}/{args.queries}; right cluster first: page {right_page}, "
          f"cite {right_cli}; errors: {sum(1 for r in results if r['error'])}")
    print(f"time to first answer (file://, fresh context, {len(timed)} queries): median {statistics.median(timed):.0f} ms, "
          f"p95 {p95(timed):.0f} ms, max {timed[-1]:.0f} ms; of which the look-up itself: median "
          f"{statistics.median(search):.0f} ms, p95 {p95(search):.0f} ms")
    print(f"typed into the loaded page, one query after another: median {statistics.median(typed):.0f} ms, "
          f"p95 {p95(typed):.0f} ms")
    print(f"bytes a query loads (index parts, manifest included): median {statistics.median(sizes) / 1e3:.0f} kB, "
          f"p95 {p95(sizes) / 1e3:.0f} kB, max {sizes[-1] / 1e3:.0f} kB")
    print(f"index on disk: {index / 1e6:.1f} MB = {100 * index / document:.0f}% of the comparison JSON "
          f"({document / 1e6:.1f} MB)")
    for r, c, (cid, q) in zip(results, cli, queries):
        if r["top"] != c:
            print(f"  differs: {q!r}: page {r['top']}, cite {c}, right {cid}")


if __name__ == "__main__":
    main()
