"""Site build cost: `pressdiff site` against a bare Material build of generated pages, in the same run.

Prints: a bare Material build of 1,000 pages; the 924 real PolNeAR articles as one story (from
../shared: first build, rebuild after the story changed, rebuild with nothing changed), each as
a ratio to the bare build; generated stories of --pages pages (a fifth articles, the rest
quotations each carried by 2-6 articles, with word diffs) against bare builds of as many pages;
and an archive of --stories stories rebuilt after one of them changed, against building that
story alone. Usage:

    python bench/site.py [--pages 1000 5000] [--stories 10] [--story-pages 300]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import WORDS, size_of  # noqa: E402
from pressdiff.core.records import Article, Cluster, Comparison, Credit, Variant  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.core.story import parse_story  # noqa: E402
from pressdiff.publish.build import STAMP_DIR, build_site  # noqa: E402
from pressdiff.scale.plan import store_comparison  # noqa: E402


def sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_story(data: Path, pages: int, slug: str | None = None) -> None:
    rnd = random.Random(f"{pages}-{slug}")
    n_articles = max(2, pages // 5)
    n_clusters = pages - n_articles - 4  # story home, drift, quotes index, articles index
    slug = slug or f"bench-{pages}"
    story = parse_story(f'slug = "{slug}"\ntitle = "Site benchmark {slug}, {pages} pages"\n')
    with Store(data) as store:
        store.articles.save_story(story)
        articles = []
        with store.transaction():
            for i in range(n_articles):
                url = f"https://outlet{i % 40}.example/news/{i}.html"
                text = "\n\n".join(sentence(rnd, rnd.randint(15, 35)) for _ in range(12))
                saved = store.articles.save_article(story.slug, url, text, outlet=f"Outlet {i % 40}",
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
        store_comparison(store, comparison)


def bare_material(folder: Path, pages: int) -> float:
    """Seconds for a bare Material build of `pages` generated pages (five paragraphs each, search on)."""
    rnd = random.Random(pages)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", "utf-8")
    for i in range(pages - 1):
        text = "\n\n".join(sentence(rnd, 60) for _ in range(5))
        (docs / f"p{i}.md").write_text(f"# Page {i}\n\n{text}\n", "utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(json.dumps({"site_name": "bare", "theme": {"name": "material"}, "plugins": ["search"],
                                  "nav": [{"Home": "index.md"}]}), "utf-8")
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)], check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.monotonic() - start


def timed_build(data: Path) -> float:
    start = time.monotonic()
    build_site(data, echo=lambda _: None)
    return time.monotonic() - start


def polnear(data: Path, shared: Path) -> bool:
    """PolNeAR dev + train (924 real articles) imported and compared as one story; False if absent."""
    base = shared / "data" / "attribution" / "polnear"
    if not (base / "train").is_dir():
        return False
    from pressdiff.importer import import_paths
    from pressdiff.pipeline import compare

    records = [{"url": f"https://polnear.example/{split}/{p.stem}", "outlet": p.stem.split("_")[0],
                "title": p.stem, "text": p.read_text("utf-8")}
               for split in ("dev", "train") for p in sorted((base / split / "text").glob("*.txt"))]
    src = data.parent / "polnear.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    story = parse_story('slug = "polnear"\ntitle = "PolNeAR dev and train"\n')
    with Store(data) as store:
        import_paths(store, story, [src], echo=lambda _: None)
    compare(data, story, echo=lambda _: None, workers=0)
    return True


def change_story(data: Path, slug: str) -> None:
    """A new comparison for one story (a changed headline), as a re-crawl and compare would leave."""
    with Store(data) as store:
        doc = store.findings.comparison(slug)
        doc["articles"][0]["title"] = (doc["articles"][0]["title"] or "") + " (updated)"
        path = store.findings.comparison_path(slug)
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
        store.db.execute("UPDATE comparison SET digest = ? WHERE story = ?",
                         (hashlib.sha256(path.read_bytes()).hexdigest(), slug))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="*", default=[1000], help="generated story sizes")
    parser.add_argument("--stories", type=int, default=10, help="stories in the incremental-rebuild archive")
    parser.add_argument("--story-pages", type=int, default=300, help="pages of each of those stories")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    print(f"site benchmark on {os.cpu_count()} cores: `pressdiff site` (render + mkdocs build --strict, Material) "
          "against a bare Material build in the same run")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bare_1000 = bare_material(tmp / "bare-1000", 1000)
        print(f"bare Material, 1000 generated pages: {bare_1000:.2f} s")

        data = tmp / "polnear" / "ws"
        data.parent.mkdir()
        if polnear(data, args.shared):
            cold = timed_build(data)  # nothing cached: citeproc renders every reference
            (data / STAMP_DIR / "polnear.json").unlink()
            warm = timed_build(data)  # the story changed: pages rebuilt, references cached
            same = timed_build(data)  # nothing changed
            pages = json.loads((data / STAMP_DIR / "polnear.json").read_text("utf-8"))["summary"]["pages"]
            bare_same = bare_material(tmp / "bare-polnear", pages)
            print(f"\nPolNeAR dev + train, 924 real articles as one story: {pages} pages, "
                  f"{size_of(data / 'public') / 1e6:.0f} MB")
            print(f"{'build':<44} {'s':>6} {'x bare 1000':>12} {'x bare same pages':>18}")
            for label, secs in (("first build (citeproc cache empty)", cold),
                                ("story changed (references cached)", warm), ("nothing changed", same)):
                print(f"{label:<44} {secs:>6.2f} {secs / bare_1000:>12.2f} {secs / bare_same:>18.2f}")
        else:
            print(f"\nPolNeAR not found under {args.shared}: the 924-article figures are skipped")

        if args.pages:
            print(f"\ngenerated stories\n{'pages':>6} {'build s':>8} {'bare s':>7} {'x bare':>7} {'MB':>6}")
        for n in args.pages:
            ws = tmp / f"gen-{n}" / "ws"
            make_story(ws, n)
            secs = timed_build(ws)
            bare = bare_material(tmp / f"bare-gen-{n}", n)
            print(f"{n:>6} {secs:>8.2f} {bare:>7.2f} {secs / bare:>7.2f} {size_of(ws / 'public') / 1e6:>6.1f}")

        archive = tmp / "archive" / "ws"
        for i in range(args.stories):
            make_story(archive, args.story_pages, slug=f"story-{i}")
        timed_build(archive)
        change_story(archive, "story-3")
        rebuild = timed_build(archive)
        alone = tmp / "alone" / "ws"
        make_story(alone, args.story_pages, slug="story-3")
        change_story(alone, "story-3")
        (alone / STAMP_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copy(archive / STAMP_DIR / "citeproc.json", alone / STAMP_DIR / "citeproc.json")  # as warm as above
        single = timed_build(alone)
        print(f"\n{args.stories} stories of {args.story_pages} pages, one changed: rebuild {rebuild:.2f} s; "
              f"that story alone {single:.2f} s; ratio {rebuild / single:.2f}")


if __name__ == "__main__":
    main()
