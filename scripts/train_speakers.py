"""Learn compare/speaker_model.json from PolNeAR's train split (never from dev, which is held out).

For every quotation that quotes.py finds and PolNeAR marks as a direct quotation, the training
example is the list of candidate mentions around it (compare/speakers.py) plus "no speaker";
the right answer is the candidate that overlaps the gold Source span, or "no speaker" where the
gold has none or marks no attribution there at all (titles, scare quotes). Quotations whose gold Source is not among the candidates teach nothing and are
left out. The model is a softmax over a quotation's candidates with one weight per binary
feature, fitted by AdaGrad with L2 regularisation in a fixed order: the same data gives the same
weights, byte for byte. Usage (about a minute on two cores):

    python scripts/train_speakers.py [--shared ../shared] [--epochs 12] [--out compare/speaker_model.json]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from attribution import core, is_direct, overlaps, read_ann  # noqa: E402  (bench/attribution.py)

from pressdiff.compare.quotes import find_quotes  # noqa: E402
from pressdiff.compare.speakers import _Layout, options, score, softmax  # noqa: E402

OUT = ROOT / "compare" / "speaker_model.json"


def examples(shared: Path):
    """(feature rows, index of the right row) for every usable quotation of the train split."""
    base = shared / "data" / "attribution" / "polnear" / "train"
    out, skipped = [], 0
    for ann in sorted((base / "attributions").glob("*.ann")):
        text = (base / "text" / (ann.stem.rsplit("_", 1)[0] + ".txt")).read_text("utf-8")
        contents = read_ann(ann)
        gold = [(core(text, *c), src) for c, src in contents if is_direct(text, *c)]
        spans = [core(text, *c) for c, _ in contents]
        quotes = find_quotes("x", text, weights={})  # the cue rules alone
        layout = _Layout(text, quotes)
        previous = None
        for q in quotes:
            cands, _, rows = options(layout, q, previous)
            previous = q.speaker or previous
            g = next((src for span, src in gold if overlaps(core(text, q.start, q.end), span)), "no gold")
            if g == "no gold":
                if not any(overlaps(core(text, q.start, q.end), span) for span in spans):
                    out.append((rows, len(cands)))  # quoted words nobody is said to have said: a title, a scare quote
                continue
            if g is None:
                out.append((rows, len(cands)))
                continue
            right = [i for i, m in enumerate(cands) if overlaps((m.start, m.end), g)]
            if not right:
                skipped += 1
                continue
            out.append((rows, right[0]))
    return out, skipped


def train(data, epochs: int, rate: float = 0.3, l2: float = 1e-4) -> dict[str, float]:
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    order = list(range(len(data)))
    rng = random.Random(20170313)  # the day the Register broke the founding story
    for epoch in range(epochs):
        rng.shuffle(order)
        loss = 0.0
        for i in order:
            rows, right = data[i]
            scores = [score(row, weights) for row in rows]
            probs = softmax(scores)
            loss -= math.log(max(probs[right], 1e-12))
            grad: dict[str, float] = {}
            for k, row in enumerate(rows):
                g = (1.0 if k == right else 0.0) - probs[k]
                if g:
                    for f in row:
                        grad[f] = grad.get(f, 0.0) + g
            for f, g in grad.items():
                g -= l2 * weights.get(f, 0.0)
                squares[f] = squares.get(f, 0.0) + g * g
                weights[f] = weights.get(f, 0.0) + rate * g / math.sqrt(squares[f] + 1e-8)
        print(f"epoch {epoch + 1}: mean loss {loss / len(data):.4f}", file=sys.stderr)
    return {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 5e-4}


def accuracy(data, weights) -> float:
    ok = 0
    for rows, right in data:
        scores = [score(row, weights) for row in rows]
        ok += max(range(len(scores)), key=lambda i: (scores[i], -i)) == right
    return ok / len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the weights (JSON)")
    args = parser.parse_args()
    data, skipped = examples(args.shared)
    print(f"train split: {len(data)} quotations ({skipped} whose gold speaker is no candidate left out)",
          file=sys.stderr)
    weights = train(data, args.epochs)
    print(f"choice accuracy on the training examples: {accuracy(data, weights):.3f}", file=sys.stderr)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(weights)} weights", file=sys.stderr)


if __name__ == "__main__":
    main()
