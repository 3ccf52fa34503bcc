"""Citation lookup speed: `pressdiff cite` on an archive of 10,000 generated articles.

Articles are written from a 20,000-word vocabulary with Zipf-distributed frequencies (like real
text); each utterance is carried by 1-4 articles with small changes. Queries are fragments of
a carried wording, re-punctuated, re-cased and with a word dropped. Prints the index build time
(the comparison's store write, which fills the full-text index), median and p95 latency over
the queries, and how often the right cluster ranks first. Usage:

    python bench/cite.py [--articles 10000] [--queries 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import vocabulary  # noqa: E402
from pressdiff.core.records import Article, Cluster, Comparison, Variant  # noqa: E402
from pressdiff.core.store import Store  # noqa: E402
from pressdiff.core.story import parse_story  # noqa: E402
from pressdiff.lookup import cite  # noqa: E402
from pressdiff.scale.plan import store_comparison  # noqa: E402


def build(store: Store, n_articles: int, rnd: random.Random) -> tuple[list[Cluster], float]:
    words, weights = vocabulary(rnd, 20000)
    story = parse_story('slug = "bench-cite"\ntitle = "Cite benchmark"\n')
    store.articles.save_story(story)
    articles, texts = [], {}
    utter = lambda: " ".join(rnd.choices(words, weights, k=rnd.randint(10, 25)))  # noqa: E731
    clusters = []
    with store.transaction():
        for i in range(n_articles):
            url = f"https://outlet{i % 200}.example/{i}.html"
            text = "\n\n".join(utter().capitalize() + "." for _ in range(15))
            saved = store.articles.save_article(story.slug, url, text, outlet=f"Outlet {i % 200}", title=f"Article {i}",
                                       published=f"2026-03-{1 + i % 28:02d}")
            articles.append(Article(id=saved.key, url=url, text=text, outlet=f"Outlet {i % 200}"))
            texts[saved.key] = text
    for c in range(n_articles * 3):
        canonical = utter()
        carriers = rnd.sample(articles, rnd.randint(1, 4))
        variants = []
        for k, art in enumerate(carriers):
            ws = canonical.split()
            if k:  # later carriers drop or swap a word
                j = rnd.randrange(len(ws))
                ws = ws[:j] + ws[j + 1:] if rnd.random() < 0.5 else ws[:j] + [rnd.choice(words)] + ws[j + 1:]
            text = " ".join(ws)
            variants.append(Variant(article=art.id, text=text, start=0, end=len(text), quoted=True,
                                    relation="altered" if k else "verbatim", changes=("elided",) if k else ()))
        clusters.append(Cluster(id=f"q{c:08x}", canonical=canonical, origin=carriers[0].id, variants=tuple(variants)))
    comparison = Comparison(story=story.slug, articles=tuple(articles), clusters=tuple(clusters), credits=())
    start = time.monotonic()
    store_comparison(store, comparison)
    return clusters, time.monotonic() - start


def query_for(cluster: Cluster, rnd: random.Random) -> str:
    ws = rnd.choice(cluster.variants).text.split()
    n = min(len(ws), rnd.randint(7, 12))
    start = rnd.randrange(len(ws) - n + 1)
    frag = ws[start:start + n]
    if len(frag) > 6:
        del frag[rnd.randrange(1, len(frag) - 1)]  # misremembered: a word missing
    frag[0] = frag[0].capitalize()
    return ", ".join([" ".join(frag[:3]), " ".join(frag[3:])]) + "!"  # re-punctuated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
        clusters, build_s = build(store, args.articles, rnd)
        variants = sum(len(c.variants) for c in clusters)
        sample = rnd.sample(clusters, args.queries)
        times, hits = [], 0
        for cluster in sample:
            q = query_for(cluster, rnd)
            start = time.perf_counter()
            result = cite(store, q)
            times.append((time.perf_counter() - start) * 1000)
            hits += bool(result["matches"]) and result["matches"][0]["cluster"] == cluster.id
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"cite benchmark: {args.articles} articles, {len(clusters)} clusters, {variants} indexed wordings; "
          f"{args.queries} queries (fragments, re-punctuated, a word dropped)")
    print(f"index build (comparison write incl. FTS5): {build_s:.1f} s")
    print(f"query latency: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
    print(f"right cluster ranked first: {hits}/{args.queries}")


if __name__ == "__main__":
    main()
