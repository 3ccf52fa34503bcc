"""The Look-up page against `pressdiff cite`: bench/cite.py's archive and queries, its site built by
`pressdiff site`, the page opened from disk (file://) in headless Chromium.

Prints, with the input sizes: how often the page's top answer is the command line's (and how
often either is the right cluster), the time to the first answer (navigation start to the
answer drawn, a fresh browser context per query: Material's page, the index's manifest and the
parts the query needs all load), the bytes of index parts each query loaded, and the index's
size on disk against the story's comparison JSON. Usage:

    python bench/lookup.py [--articles 10000] [--queries 100] [--timed 100]

--timed: how many of the queries to time in fresh contexts (all are compared).
"""

from __future__ import annotations

import argparse
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

from bench.cite import build, query_for  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.lookup import cite  # noqa: E402
from pressdiff.publish.build import build_site  # noqa: E402
from pressdiff.scale.plan import DOCUMENTS  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--allow-file-access-from-files"]
SLUG = "bench-cite"


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


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
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed")
    from playwright.sync_api import sync_playwright

    rnd = random.Random(7)  # bench/cite.py's seed: the same archive and the same queries
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "ws"
        with Store(data) as store:
            start = time.monotonic()
            clusters, _ = build(store, args.articles, rnd)
            made = time.monotonic() - start
            sample = rnd.sample(clusters, args.queries)
            queries = [(c.id, query_for(c, rnd)) for c in sample]
            cli = [(cite(store, q)["matches"] or [{}])[0].get("cluster") for _, q in queries]
        start = time.monotonic()
        public = build_site(data, echo=lambda _: None)
        site_s = time.monotonic() - start
        index = size_of(public / SLUG / "lookup" / "data")
        document = (data / DOCUMENTS / f"{SLUG}.json").stat().st_size
        page_url = (public / SLUG / "lookup" / "index.html").as_uri()
        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            warm = browser.new_context()
            for k, (_, q) in enumerate(queries):
                context = browser.new_context() if k < args.timed else warm
                results.append(ask(context, page_url, q))
                if context is not warm:
                    context.close()
            browser.close()
    variants = sum(len(c.variants) for c in clusters)
    same = sum(r["top"] == c for r, c in zip(results, cli))
    right_page = sum(r["top"] == cid for r, (cid, _) in zip(results, queries))
    right_cli = sum(c == cid for c, (cid, _) in zip(cli, queries))
    timed = sorted(r["at"] for r in results[:args.timed])
    search = sorted(r["ms"] for r in results[:args.timed])
    sizes = sorted(r["bytes"] for r in results)
    p95 = lambda xs: xs[int(0.95 * (len(xs) - 1))]  # noqa: E731
    print(f"look-up benchmark: {args.articles} articles, {len(clusters)} clusters, {variants} wordings; "
          f"{args.queries} queries of bench/cite.py (fragments, re-punctuated, a word dropped)")
    print(f"archive generated in {made:.0f} s; pressdiff site in {site_s:.0f} s")
    print(f"same top answer as pressdiff cite: {same}/{args.queries}; right cluster first: page {right_page}, "
          f"cite {right_cli}; errors: {sum(1 for r in results if r['error'])}")
    print(f"time to first answer (file://, fresh context, {len(timed)} queries): median {statistics.median(timed):.0f} ms, "
          f"p95 {p95(timed):.0f} ms, max {timed[-1]:.0f} ms; of which the look-up itself: median "
          f"{statistics.median(search):.0f} ms, p95 {p95(search):.0f} ms")
    print(f"bytes a query loads (index parts, manifest included): median {statistics.median(sizes) / 1e3:.0f} kB, "
          f"p95 {p95(sizes) / 1e3:.0f} kB, max {sizes[-1] / 1e3:.0f} kB")
    print(f"index on disk: {index / 1e6:.1f} MB = {100 * index / document:.0f}% of the comparison JSON "
          f"({document / 1e6:.1f} MB)")
    for r, c, (cid, q) in zip(results, cli, queries):
        if r["top"] != c:
            print(f"  differs: {q!r}: page {r['top']}, cite {c}, right {cid}")


if __name__ == "__main__":
    main()
