"""The compare stages' tasks: each reads partitions from Parquet, runs compare/'s pure functions
over them, writes its results to Parquet and returns something small.

Every task is a top-level function of plain arguments (paths, small values, the shared
Lexicon), so that Dask can send it to any worker, and is deterministic: run again (a worker
died), it writes the same files.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from pathlib import Path

from pressdiff.compare import comparison as stage
from pressdiff.compare.align import Lexicon, word_counts
from pressdiff.compare.cite import normalize
from pressdiff.compare.origin import Dating
from pressdiff.compare.report import cluster_doc
from pressdiff.compare.reuse import pair_of, shared_shingles, shingles
from pressdiff.compare.text import Vocabulary

from . import tables as t


def analyse(part: Path, out: Path, known: dict[str, str]) -> dict:
    """Stage 1 (comparison.analyse), per partition of the archive (storage order): the credits of each article, and
    its word counts for the Lexicon."""
    articles = [t.article(r) for r in t.read(part)]
    text_credits, line_credits = [], []
    df: Counter = Counter()
    cf: Counter = Counter()
    for a in articles:
        text, lines = stage.analyse(a, known)
        text_credits += text
        line_credits += lines
        d, c = word_counts(a.text)
        df.update(d)
        cf.update(c)
    t.write(out / f"credits-text/{part.stem}.parquet", [t.row(c) for c in text_credits], t.CREDITS)
    t.write(out / f"credits-lines/{part.stem}.parquet", [t.row(c) for c in line_credits], t.CREDITS)
    credits_of: dict[str, set[str]] = defaultdict(set)
    for c in text_credits + line_credits:
        credits_of[c.article].add(c.credits)
    return {"df": dict(df), "cf": dict(cf), "credited": stage.credited_counts(text_credits + line_credits),
            "credits_of": {a: sorted(names) for a, names in credits_of.items()}}


def prepare(part: Path, out: Path, lexicon: Lexicon, storage: dict[str, int], buckets: int) -> dict[str, int]:
    """Stage 3 (comparison.prepare), per partition in origin order (rank): quotations and speakers, attributions,
    each article's prepared units for the ordered pass, and its 5-word runs, dealt into
    `buckets` files by hash for the reuse stage. Returns each article's number of runs."""
    articles = [t.article(r) for r in t.read(part)]
    quotes, attributions = [], []
    # a bucket's runs as two columns, not a dict per run: a partition has about a million runs
    runs: dict[int, tuple[array, list[str]]] = defaultdict(lambda: (array("q"), []))
    counts = {}
    with t.Writer(out / f"units/{part.stem}.parquet", t.UNITS) as units:
        for a in articles:
            found, attributed, prepared = stage.prepare(a, lexicon)
            quotes += [t.row(q) for q in found]
            attributions += [t.row(x, storage=storage[a.id]) for x in attributed]
            units.add([t.unit_row(u) for u in prepared])
            grams = shingles(a.text)
            counts[a.id] = len(grams)
            for g in grams:
                hashes, carriers = runs[g % buckets]
                hashes.append(g)
                carriers.append(a.id)
    t.write(out / f"quotes/{part.stem}.parquet", quotes, t.QUOTES)
    attributions.sort(key=lambda r: r["storage"])  # stable: each article's in text order
    t.write(out / f"attributions/{part.stem}.parquet", attributions, t.ATTRIBUTIONS)
    for b in range(buckets):
        hashes, carriers = runs.get(b, (array("q"), []))
        t.write(out / f"runs/{b:04d}/{part.stem}.parquet", {"hash": hashes, "article": carriers}, t.SHINGLES)
    return counts


def finish(part: Path, out: Path, facts: dict[str, Dating]) -> Path:
    """Stage 5 (comparison.finish), per partition of the pass's clusters (in the document's order): each cluster's
    variants classified (drift) and its origin's basis, as SPEC's cluster dicts, with the cite
    index's words."""
    import json

    vocab = Vocabulary()
    rows = []
    for row in t.read(part):
        cluster = stage.finish(t.draft(row), facts, vocab)
        rows.append({"cluster": json.dumps(cluster_doc(cluster), ensure_ascii=False),
                     "words": [normalize(v.text) for v in cluster.variants]})
    return t.write(out / f"clusters/{part.stem}.parquet", rows, t.CLUSTERS)


def count_pairs(bucket: Path, out: Path, rank: dict[str, int], reducers: int) -> int:
    """Stage 7a, per bucket of 5-word runs: the runs each pair of articles shares, dealt into
    `reducers` files by pair."""
    shared = shared_shingles(t.carriers(sorted(bucket.glob("*.parquet"))), rank)
    dealt = defaultdict(list)
    for (a, b), n in shared.items():
        dealt[_pair_bucket(a, b, reducers)].append({"a": a, "b": b, "n": n})
    for j in range(reducers):
        t.write(out / f"pair-counts/{j:04d}/{bucket.name}.parquet", dealt.get(j, []), t.PAIR_COUNTS)
    return len(shared)


def _pair_bucket(a: str, b: str, reducers: int) -> int:
    import zlib

    return zlib.crc32(f"{a}\0{b}".encode("utf-8")) % reducers


def sum_pairs(folder: Path, runs: dict[str, int], outlet: dict[str, str | None]) -> list:
    """Stage 7b, per bucket of pairs: each pair's shared runs summed, and the pairs worth reporting."""
    total: Counter = Counter()
    for f in sorted(folder.glob("*.parquet")):
        for r in t.read(f):
            total[(r["a"], r["b"])] += r["n"]
    return [p for (a, b), n in total.items() if (p := pair_of(a, b, n, runs[b], outlet))]
