"""Learn distributional word classes from unlabelled news text, as bit strings whose prefixes are
classes at several granularities: tried as attribution tagger features (#34) and not kept.

Not used by the shipped tagger: scripts/train_attribution.py's docstring has the figures (dev
content +0.003, source +0.003, cue +0.004, but the founding story's "The email further goes on to
say …" lost its source). Kept to remake the try: the features were, in relation_features._word(),
"bc4=", "bc6=", "bc8=" + the first 4, 6, 8 bits of the word's class (the word lower-cased, ’ as '),
"bc=?" for a word with a letter and no class, and in _lent() "bc6-1=" / "bc61=" + the first 6 bits
of the word before / after.

Brown clustering's use in CRF taggers (Miller et al. 2004, Turian et al. 2010), reached by a
cheaper road: a word is the PPMI of the words seen just left and just right of it (the 3,000
commonest tokens each side, punctuation included, context counts smoothed to the power 0.75),
reduced to 100 dimensions by a seeded randomized SVD, the rows scaled to unit length; the words
are then split in two again and again (2-means from the split by the sign of the node's first
principal component, so no random start), eight times at most, each split adding a bit. The
first 4, 6 and 8 bits are up to 16, 64 and 256 classes; "warned" shares 8 bits with "insisted"
and "stressed" and 7 with "added" and "argued", so a cue verb train saw rarely or never could
borrow weight from those it saw often. The tree is cut top-down, so a deeper run only lengthens
the bits (--depth 10 gives 985 classes whose first 8 bits are these). A word has one class
whatever its sense: "further" sits with "out", "up", "over" (the try's one real loss).

Text (the same tokens as the tagger's, compare/relations.units(), lower-cased as its features
are): PolNeAR's train articles (never dev or test), the SemEval dev articles, ECB+'s texts,
Dragnet's gold article texts and the shared corpus's stories (55,239 paragraphs, 2.24 million
tokens); only what ../shared holds, read here and never copied: the table keeps words and bits
only. Words kept: those with a letter seen at least --min-count times, the --words commonest
(12,000: 0.955 of train's word tokens; 1,677 of them never seen in train). Deterministic: one
BLAS thread, a fixed seed, sorted output; about a minute and 1 GB.

--vectors PATH writes the words' SVD vectors themselves (before the splits), which
scripts/train_attribution_lstm.py --vectors read as a fixed input beside the feature strings: tried
with --words 30000 --min-count 3 (25,775 words) and not kept either (that script's docstring).

    python scripts/word_classes.py --out word_classes.txt [--shared ../shared] [--words 12000]
    python scripts/word_classes.py --vectors vectors.npz --words 30000 --min-count 3
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: sums in one order, the same bits each run
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressdiff.compare.relations import units  # noqa: E402

EDGE = "<s>"  # the context beyond a paragraph's first or last token


def normal(word: str) -> str:
    """A word as the tagger's features compare words: lower-cased, curly apostrophes straight."""
    return word.lower().replace("’", "'").replace("‘", "'")


def texts(shared: Path):
    """Every unlabelled text this script may read (PolNeAR train only), in a fixed order."""
    base = shared / "data"
    for path in sorted((base / "attribution" / "polnear" / "train" / "text").glob("*.txt")):
        yield path.read_text("utf-8")
    for name in ("semeval-dev", "ecbplus"):
        with open(base / name / "articles.jsonl", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)["text"]
    with gzip.open(base / "extraction" / "dragnet" / "pages.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["gold"]
    for path in sorted((shared / "corpus").glob("*/*.json")):
        yield json.loads(path.read_text("utf-8"))["text"]


def paragraphs(shared: Path):
    """Each paragraph's lower-cased tokens, as the tagger sees them."""
    for text in texts(shared):
        for spans in units(text):
            yield [normal(text[s:e]) for s, e in spans]


def ppmi(rows: np.ndarray) -> np.ndarray:
    """Positive PMI of a word x context count matrix, contexts smoothed to the power 0.75
    (Levy, Goldberg and Dagan 2015), in place."""
    total = rows.sum()
    word = rows.sum(axis=1, keepdims=True)
    ctx = rows.sum(axis=0, keepdims=True) ** 0.75
    ctx /= ctx.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log(rows * (1.0 / total) / (word / total) / ctx, out=rows, where=rows > 0)
    np.maximum(rows, 0, out=rows)
    return rows


def embed(m: np.ndarray, dims: int, seed: int) -> np.ndarray:
    """Rows of m in dims dimensions (randomized SVD, Halko et al. 2011: U S^0.5), unit length."""
    rng = np.random.default_rng(seed)
    q = m @ rng.standard_normal((m.shape[1], dims + 20)).astype(m.dtype)
    for _ in range(4):  # power iterations: the spectrum of PPMI falls slowly
        q, _ = np.linalg.qr(q)
        q = m @ (m.T @ q)
    q, _ = np.linalg.qr(q)
    u, s, _ = np.linalg.svd(q.T @ m, full_matrices=False)
    x = (q @ u[:, :dims]) * np.sqrt(s[:dims])
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def bisect(x: np.ndarray, idx: np.ndarray, bits: str, depth: int, out: dict[int, str]) -> None:
    """Split the words idx in two (2-means started from the sign of their first principal
    component) until depth bits or a node of fewer than 4 words, giving each its bit string."""
    if len(bits) == depth or len(idx) < 4:
        for i in idx:
            out[int(i)] = bits
        return
    sub = x[idx]
    centred = sub - sub.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    side = centred @ vt[0] > 0
    if side.sum() > len(side) / 2:  # the larger side is always 0: the same tree however the sign of vt falls
        side = ~side
    for _ in range(20):
        if side.all() or not side.any():
            break
        a, b = sub[~side].mean(axis=0), sub[side].mean(axis=0)
        new = ((sub - b) ** 2).sum(axis=1) < ((sub - a) ** 2).sum(axis=1)
        if (new == side).all():
            break
        side = new
    if side.all() or not side.any():
        for i in idx:
            out[int(i)] = bits
        return
    bisect(x, idx[~side], bits + "0", depth, out)
    bisect(x, idx[side], bits + "1", depth, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--words", type=int, default=12000, help="the commonest words that get a class")
    parser.add_argument("--min-count", type=int, default=5, help="rarer words get none")
    parser.add_argument("--contexts", type=int, default=3000, help="context tokens on each side")
    parser.add_argument("--dims", type=int, default=100, help="SVD dimensions")
    parser.add_argument("--depth", type=int, default=8, help="bits at most: up to 2**depth classes")
    parser.add_argument("--seed", type=int, default=20170313, help="the randomized SVD's draw")
    parser.add_argument("--out", type=Path,
                        help="the table: a line per class, its bits then its words, commonest first")
    parser.add_argument("--vectors", type=Path,
                        help="also (or only) write the words' unit-length SVD vectors (.npz: words, vectors), "
                             "scripts/train_attribution_lstm.py --vectors reads them")
    args = parser.parse_args()
    if not args.out and not args.vectors:
        parser.error("give --out, --vectors or both")
    began = time.time()
    pars = list(paragraphs(args.shared))
    counts = Counter(w for p in pars for w in p)
    vocab = sorted((w for w, n in counts.items() if n >= args.min_count and any(c.isalpha() for c in w)),
                   key=lambda w: (-counts[w], w))[:args.words]
    contexts = sorted(counts, key=lambda w: (-counts[w], w))[:args.contexts] + [EDGE]
    row = {w: i for i, w in enumerate(vocab)}
    col = {w: i for i, w in enumerate(contexts)}
    width = len(contexts)
    m = np.zeros((len(vocab), 2 * width), dtype=np.float32)  # left contexts, then right
    for p in pars:
        padded = [EDGE, *p, EDGE]
        for i, w in enumerate(p, start=1):
            r = row.get(w)
            if r is None:
                continue
            left, right = col.get(padded[i - 1]), col.get(padded[i + 1])
            if left is not None:
                m[r, left] += 1
            if right is not None:
                m[r, width + right] += 1
    print(f"{len(pars)} paragraphs, {sum(counts.values())} tokens, {len(vocab)} words, "
          f"{time.time() - began:.0f} s", file=sys.stderr)
    x = embed(ppmi(m), args.dims, args.seed)
    if args.vectors:
        np.savez_compressed(args.vectors, words=np.array(vocab), vectors=x.astype(np.float32))
        print(f"wrote {args.vectors}: {len(vocab)} words x {args.dims}, {time.time() - began:.0f} s", file=sys.stderr)
    if not args.out:
        return
    out: dict[int, str] = {}
    bisect(x, np.arange(len(vocab)), "", args.depth, out)
    leaves: dict[str, list[str]] = {}
    for i, bits in out.items():
        leaves.setdefault(bits, []).append(vocab[i])
    # one line per class: its bits, then its words (commonest first), space-separated
    lines = [bits + " " + " ".join(sorted(ws, key=lambda w: (-counts[w], w))) for bits, ws in sorted(leaves.items())]
    args.out.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(leaves)} classes, {len(vocab)} words, {args.out.stat().st_size} bytes, "
          f"{time.time() - began:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
