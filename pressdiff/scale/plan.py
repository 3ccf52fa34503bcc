"""`pressdiff compare`: the comparison of a story as stages over partitions, on any engine.

The stages are compare/comparison.py's, in its order, each task calling its function;
around them, this module moves partitions:

    0. export      the newest version of every article, PARTITION articles to a Parquet file
    1. analyse     per partition (map): credits and word counts
    2. rank        reduce: the archive's word statistics (the lexicon); each article's origin rank
    3. prepare     per partition in rank order (map): quotations and speakers, attributions,
                   units with their word ids and index keys, 5-word runs dealt into buckets;
                   on workers, the last partitions in quarters (TAIL_PARTITIONS), so that
                   4 ends soon after the workers
    4. align       the ordered pass over every unit, earliest article first (compare/align.py);
                   it reads each prepared partition as soon as the map has made it
    5. finish      per partition of clusters (map): drift of every variant, cite words
    6. mark        publisher boilerplate (over every cluster), then per cluster its marks
    7. reuse       per bucket of runs (shuffle): pairs of articles sharing runs, then per
                   bucket of pairs (reduce): their shares; begun on the workers before 6's
                   boilerplate, it runs while this process writes the clusters (8), which
                   the document holds before the pairs
    8. write       the comparison JSON, entry by entry (comparisons/SLUG.json), and the
                   findings in SQLite, in one transaction

Every intermediate lives in Parquet under DATA/.compare/SLUG/ (deleted at the end), so memory
is bounded by a partition, not the story: except the ordered pass, which holds the clusters'
words and index (compare/align.py says why it is one pass). The same functions run in one
process for a small story, and the answer is the same byte for byte whichever way they run.
"""

from __future__ import annotations

import heapq
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import orjson

from pressdiff.compare import comparison as stage
from pressdiff.compare.align import Aligner, Lexicon, publication_days, unique_id
from pressdiff.compare.boilerplate import passage_of_doc
from pressdiff.compare.credits import known_outlets
from pressdiff.compare.edits import edited_quotations
from pressdiff.compare.origin import dating
from pressdiff.compare.report import (
    Counts,
    article_doc,
    cluster_doc,
    cluster_of,
    fields_doc,
    quote_doc,
)
from pressdiff.core.errors import InputError
from pressdiff.core.records import Credit, Quote
from pressdiff.core.store import Store
from pressdiff.core.store.document import write_document
from pressdiff.core.store.edits import EDIT
from pressdiff.core.story import Story

from . import tables as t
from . import tasks
from .engine import Engine, Stage, chunks

# Articles per partition: what one task holds at once (about 6 MB of text and 60 MB of work
# per 2,000 news articles). Smaller partitions spread a small story over more workers; larger
# ones cost fewer files. A story of fewer articles is one partition.
PARTITION = 2000
# Clusters per partition of the finish stage (drift is about 1 ms a cluster).
CLUSTERS_PER_PART = 20000
# Buckets of 5-word runs (and of article pairs) for the reuse stage: about one per partition.
MIN_BUCKETS = 1
# With neither --workers nor --dask, a story of at least this many articles is compared on a
# local cluster of one worker per core; a smaller one in this process, where a cluster's
# start-up (a few seconds) would cost more than it saves. The 924 PolNeAR articles, one
# partition a worker (partition_for) on two cores: 42.8 s against 61.9 s in this process, the
# same JSON; a story's preparation costs about 40 ms an article, so two workers win from a few
# hundred articles.
LOCAL_CLUSTER_FROM = 500

# On workers beside the command, the last TAIL_PARTITIONS partitions in rank order are cut into
# TAIL_PIECES each: the ordered pass reads partitions in order, and the last ones, which the
# workers finish at about the same time, each took it 20-25 s after the workers were done (at
# 100,000 articles the pass ended 50 s after them, with every later stage waiting on it).
TAIL_PARTITIONS = 2
TAIL_PIECES = 4
DOCUMENTS = "comparisons"  # in the workspace: each story's comparison JSON, SLUG.json


def partition_for(articles: int, workers: int) -> int:
    """Articles per partition when none is asked for: PARTITION, or fewer where that leaves a
    worker without one, a story then split evenly among the workers."""
    return min(PARTITION, max(1, -(-articles // max(1, workers))))


def compare_staged(store: Store, story: Story, engine: Engine, partition: int = PARTITION, echo=None) -> dict:
    """Compare a story's articles on an engine; store the findings and the document (its path:
    store.findings.comparison_path). Returns the counts compare prints: articles, clusters,
    shared_clusters, variants, relations, changes, credits, copies."""
    started = time.monotonic()
    slug = story.slug
    meta = store.articles.article_meta(slug)
    if not meta:
        raise InputError(f"story '{slug}' has no articles yet: crawl or import some first")
    work = (store.data_dir / ".compare" / slug).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        return _run(store, story, engine, partition, echo, meta, work, started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(store, story, engine, partition, echo, meta, work, started) -> dict:
    slug = story.slug
    say = echo or (lambda line: None)

    # 1. export, in storage order (by article key)
    keys = [a.id for a in meta]
    storage = {k: i for i, k in enumerate(keys)}
    parts = _export(store, slug, keys, partition, work / "articles" / "s")
    say(f"compare: exported {len(keys)} articles in {len(parts)} partition(s) to run on "
        f"{engine.workers} worker(s)")

    # 2. analyse
    names = sorted({*(c.outlet for c in story.coverage if c.outlet), *(a.outlet for a in meta if a.outlet)})
    known = known_outlets(names)
    df: Counter = Counter()
    cf: Counter = Counter()
    credited: Counter = Counter()
    credits_of: dict[str, list[str]] = {}
    for result in engine.run(tasks.analyse, [(p, work, known) for p in parts], "analyse"):
        df.update(result["df"])
        cf.update(result["cf"])
        credited.update(result["credited"])
        credits_of.update(result["credits_of"])

    # 3. lexicon and ranks
    lexicon = Lexicon.from_counts(dict(df), dict(cf), len(meta))
    del df, cf
    ordered = sorted(meta, key=lambda a: stage.rank_key(a, credited))
    rank = {a.id: i for i, a in enumerate(ordered)}
    ranked = [a.id for a in ordered]
    rank_parts = _export(store, slug, ranked, partition, work / "ranked" / "r", tail=engine.workers > 1)
    buckets = max(MIN_BUCKETS, -(-len(ranked) // partition))

    # 4. prepare, and 5. the ordered pass over each prepared partition as it comes
    shared_lexicon, shared_storage = engine.share(lexicon), engine.share(storage)
    aligner = Aligner(lexicon, days=publication_days(meta))
    runs: dict[str, int] = {}
    items = [(p, work, shared_lexicon, shared_storage, buckets) for p in rank_parts]
    for p, counts in zip(rank_parts, engine.run(tasks.prepare, items, "prepare"), strict=True):
        runs.update(counts)
        article, group = None, []
        for row in t.read(work / "units" / f"{p.stem}.parquet"):
            if row["article"] != article and group:
                aligner.add_units(group)
                group = []
            article = row["article"]
            group.append(t.unit(row))
        if group:
            aligner.add_units(group)
    say(f"compare: the ordered pass made {len(aligner.drafts)} clusters, {time.monotonic() - started:.1f} s in")
    drafts = sorted(aligner.drafts_done(rank), key=lambda c: c.sort_key)
    del aligner
    draft_parts = []
    for n, batch in enumerate(_cluster_parts(drafts)):
        draft_parts.append(t.write(work / f"drafts/d{n:05d}.parquet", [t.draft_row(c) for c in batch], t.DRAFTS))
    del drafts

    # 6. finish
    facts = engine.share({a.id: dating(a, credits_of.get(a.id, ())) for a in meta})
    cluster_parts = list(engine.run(tasks.finish, [(p, work, facts) for p in draft_parts], "finish"))

    # 7. reuse: begun on the workers, which it keeps busy while this process finds the boilerplate
    # and writes the clusters (the document's pairs come after them), one process's work alone
    outlet = {a.id: a.outlet for a in meta}
    shared_rank = engine.share(rank)
    bucket_dirs = [work / "runs" / f"{b:04d}" for b in range(buckets)]
    counted = engine.start(tasks.count_pairs, [(d, work, shared_rank, buckets) for d in bucket_dirs], "reuse: runs")
    shared_runs, shared_outlet = engine.share(runs), engine.share(outlet)
    summed = engine.start(tasks.sum_pairs, [(work / "pair-counts" / f"{j:04d}", shared_runs, shared_outlet)
                                            for j in range(buckets)], "reuse: pairs", after=counted)
    try:
        boilerplate = _boilerplate(store, slug, cluster_parts, lexicon, meta)

        # 8. the document and the findings
        versions = {a.id: a.version for a in meta}
        doc_path = Path(DOCUMENTS) / f"{story.slug}.json"
        counts = Counts()
        with store.transaction():
            store.findings.clear(slug)
            digest = write_document(store.data_dir / doc_path, slug, {name: counts.through(name, entries) for name, entries in {
                "articles": (article_doc(a) for a in ordered),
                "clusters": _clusters(store, slug, cluster_parts, boilerplate,
                                      edited_quotations(e for e in store.edits.of_story(slug) if e.kind == EDIT)),
                "credits": _credits(store, slug, work, parts),
                "pairs": _pairs(store, slug, counted, summed, rank),
                "quotes": _quotes(store, slug, work, rank_parts, versions),
                "attributions": _attributions(work, rank_parts),
            }.items()})
            store.findings.set_document(slug, doc_path.as_posix(), digest)
    finally:
        counted.cancel()
        summed.cancel()
    say(f"compare: {slug} done in {time.monotonic() - started:.1f} s")
    return counts.result()


def _export(store: Store, slug: str, keys: list[str], partition: int, stem: Path, tail: bool = False) -> list[Path]:
    """The articles of keys, in that order, PARTITION to a Parquet file: STEM00000.parquet, ...;
    with tail, the last TAIL_PARTITIONS partitions' articles in pieces of a TAIL_PIECES-th."""
    split = len(keys) - TAIL_PARTITIONS * partition if tail and len(keys) > (TAIL_PARTITIONS + 1) * partition \
        else len(keys)
    batches = chunks(keys[:split], partition) + chunks(keys[split:], max(1, partition // TAIL_PIECES))
    return [t.write(stem.with_name(f"{stem.name}{n:05d}.parquet"),
                    [t.row(a) for a in store.articles.articles_by_key(slug, batch)], t.ARTICLES)
            for n, batch in enumerate(batches)]


def _cluster_parts(drafts):
    """Partitions of clusters for the finish stage, cut only between origin articles (so that
    each is in the document's order as a whole)."""
    part: list = []
    for c in drafts:
        if len(part) >= CLUSTERS_PER_PART and c.origin.article != part[-1].origin.article:
            yield part
            part = []
        part.append(c)
    if part:
        yield part


def _finished(parts: list[Path]):
    """Every finished cluster as the comparison JSON's dict (finish wrote it), in the document's
    order, its id made unique in the story (compare.align.unique_id), with its cite words."""
    seen: set[str] = set()
    for part in parts:
        for row in t.read(part):
            doc = _loads(row["cluster"])
            doc["id"] = unique_id(doc["id"], seen)
            yield doc, row["words"]


def _loads(text: str):
    """json.loads(text), by orjson where it reads the same (not past 64-bit integers, nor NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _boilerplate(store: Store, slug: str, parts: list[Path], lexicon, meta) -> dict[str, tuple[str, ...]]:
    """The clusters that are publisher boilerplate (compare/boilerplate.py), with their evidence:
    read from the finished clusters, and the texts of the articles that could carry some."""
    return stage.boilerplate((passage_of_doc(c) for c, _ in _finished(parts)), lexicon, len(meta),
                             {a.id: a.outlet for a in meta},
                             lambda ids: {a.id: a.text for a in store.articles.articles_by_key(slug, sorted(ids))})


def _clusters(store: Store, slug: str, parts: list[Path], boilerplate: dict[str, tuple[str, ...]],
              edited: dict[str, list[dict]]):
    """Every finished cluster in the document's order (_finished), marked (compare.comparison.mark:
    boilerplate, edits after publication) and written as the comparison JSON's, stored as it
    goes. Only a cluster that a mark changes is read back into a Cluster record: finish wrote the
    rest as the document holds them."""
    position = 0
    batch, words = [], []
    for c, w in _finished(parts):
        if c["id"] in boilerplate or any(v["article"] in edited for v in c["variants"]):
            c = cluster_doc(stage.mark(cluster_of(c), boilerplate, edited))
        batch.append(c)
        words.append(w)
        yield c
        if len(batch) >= CLUSTERS_PER_PART:
            store.findings.add_clusters(slug, batch, position, words)
            position, batch, words = position + len(batch), [], []
    store.findings.add_clusters(slug, batch, position, words)


def _credits(store: Store, slug: str, work: Path, parts: list[Path]):
    for kind in ("credits-text", "credits-lines"):
        for part in parts:
            batch = [Credit(**r) for r in t.read(work / kind / f"{part.stem}.parquet")]
            store.findings.add_credits(slug, batch)
            yield from map(fields_doc, batch)


def _pairs(store: Store, slug: str, counted: Stage, summed: Stage, rank: dict[str, int]):
    """The reuse stage's pairs (begun before the document), in origin order, stored as they are written."""
    for _ in counted:
        pass  # in this process, the runs are counted as this is iterated, before their sums
    pairs = sorted((p for found in summed for p in found), key=lambda p: (rank[p.a], rank[p.b]))
    store.findings.add_pairs(slug, pairs)
    yield from map(fields_doc, pairs)


def _quotes(store: Store, slug: str, work: Path, parts: list[Path], versions: dict):
    for part in parts:
        batch = [Quote(**r) for r in t.read(work / "quotes" / f"{part.stem}.parquet")]
        store.findings.add_quotes(slug, batch, versions)
        yield from (quote_doc(q) for q in batch)


def _attributions(work: Path, parts: list[Path]):
    """Attributions in storage order: a merge of each rank partition's, sorted by storage index."""
    runs = [(r for r in t.read(work / "attributions" / f"{p.stem}.parquet")) for p in parts]
    for row in heapq.merge(*runs, key=lambda r: r["storage"]):
        yield {k: v for k, v in row.items() if k != "storage"}


def store_comparison(store: Store, comparison) -> str:
    """Store a Comparison made in memory (compare_story's, or a benchmark's generated one) as
    compare_staged would: the document file and the findings. Returns the document's digest."""
    from pressdiff.compare.cite import normalize
    from pressdiff.compare.report import to_document

    slug = comparison.story
    doc_path = Path(DOCUMENTS) / f"{slug}.json"
    document = to_document(comparison)
    with store.transaction():
        store.findings.clear(slug)
        store.findings.add_quotes(slug, comparison.quotes, {a.id: a.version for a in comparison.articles})
        store.findings.add_clusters(slug, document["clusters"], 0, [[normalize(v.text) for v in c.variants]
                                                                    for c in comparison.clusters])
        store.findings.add_credits(slug, comparison.credits)
        store.findings.add_pairs(slug, comparison.pairs)
        digest = write_document(store.data_dir / doc_path, slug, document)
        store.findings.set_document(slug, doc_path.as_posix(), digest)
    return digest
