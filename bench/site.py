"""Site build cost: `pressdiff site` time and output size for generated stories of 100 / 1,000 / 5,000 pages.

Each story has one page per article (a fifth of the pages) and one per quote cluster (the rest),
with realistic text and word diffs. Usage:

    python bench/site.py [--pages 100 1000 5000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import WORDS  # noqa: E402
from compare.cite import normalize  # noqa: E402
from compare.report import to_document  # noqa: E402
from core.records import Article, Cluster, Comparison, Credit, Variant  # noqa: E402
from core.store import Store  # noqa: E402
from core.story import parse_story  # noqa: E402
from pressdiff.publish import build_site  # noqa: E402


def sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_story(data: Path, pages: int) -> None:
    rnd = random.Random(pages)
    n_articles = max(2, pages // 5)
    n_clusters = pages - n_articles - 3  # story home, quotes index, articles index
    story = parse_story(f'slug = "bench-{pages}"\ntitle = "Site benchmark, {pages} pages"\n')
    with Store(data) as store:
        store.archive.save_story(story)
        articles = []
        with store.transaction():
            for i in range(n_articles):
                url = f"https://outlet{i % 40}.example/news/{i}.html"
                text = "\n\n".join(sentence(rnd, rnd.randint(15, 35)) for _ in range(12))
                saved = store.archive.save_article(story.slug, url, text, outlet=f"Outlet {i % 40}",
                                           title=sentence(rnd, 8), published=f"2026-03-{1 + i % 28:02d}")
                articles.append(Article(id=saved.key, url=url, text=text, outlet=f"Outlet {i % 40}",
                                        published=f"2026-03-{1 + i % 28:02d}"))
        clusters = []
        for c in range(n_clusters):
            words = [rnd.choice(WORDS) for _ in range(rnd.randint(10, 30))]
            canonical = " ".join(words)
            variants = []
            for k, art in enumerate(rnd.sample(articles, min(len(articles), rnd.randint(2, 6)))):
                cut = rnd.randint(0, 3) if k else 0
                text = " ".join(words[cut:])
                diff = ((("delete", " ".join(words[:cut]), ""),) if cut else ()) + (("equal", text, text),)
                variants.append(Variant(article=art.id, text=text, start=0, end=len(text), quoted=True,
                                        relation="altered" if cut else "verbatim",
                                        changes=("truncated",) if cut else (), similarity=100.0 - 5 * cut,
                                        speaker="a spokesperson", diff=diff))
            clusters.append(Cluster(id=f"q{c:08x}", canonical=canonical, origin=variants[0].article,
                                    variants=tuple(variants), speaker="a spokesperson"))
        credits = [Credit(article=a.id, credits="Outlet 0", phrase="according to Outlet 0", start=0, end=5)
                   for a in articles[1:20]]
        comparison = Comparison(story=story.slug, articles=tuple(articles), clusters=tuple(clusters),
                                credits=tuple(credits))
        store.findings.save_comparison(comparison, to_document(comparison), index_words=normalize)


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty"
        make_story(empty, 10)
        build_site(empty, echo=lambda _: None)
        base_size = size_of(empty / "public")  # theme assets, search worker, Mermaid: paid once
        for pages in args.pages:
            data = Path(tmp) / f"ws-{pages}"
            make_story(data, pages)
            start = time.monotonic()
            build_site(data, echo=lambda _: None)
            secs = time.monotonic() - start
            total = size_of(data / "public")
            rows.append((pages, secs, total / 1e6, (total - base_size) / 1e6,
                         secs / pages * 1000, (total - base_size) / pages * 1000 / 1e6))
    print("site benchmark: pressdiff site (render + mkdocs build --strict, Material), generated stories; "
          f"fixed assets (theme, search, Mermaid) {base_size / 1e6:.1f} MB")
    print(f"{'pages':>6} {'build s':>8} {'size MB':>8} {'pages MB':>9} {'s/1000 pages':>13} {'MB/1000 pages':>14}")
    for pages, secs, mb, page_mb, s_per_k, mb_per_k in rows:
        print(f"{pages:>6} {secs:>8.1f} {mb:>8.1f} {page_mb:>9.1f} {s_per_k:>13.2f} {mb_per_k:>14.2f}")


if __name__ == "__main__":
    main()
