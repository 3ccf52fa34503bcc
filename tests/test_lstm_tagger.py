"""The BiLSTM-CRF attribution tagger's numpy inference (compare/lstm_tagger.py) against first principles."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from pressdiff.compare.lstm_tagger import LABELS, LstmTagger
from tests.conftest import PROJECT_ROOT, SHARED

FEATURES = [b"b", b"w=said", b"w=he", b"cap", b"q=1"]


def _tiny_model(path, seed=7, dim=4, hidden=3):
    """A random model of the shipped layout (torch's LSTM weights, gates input/forget/cell/output)."""
    rng = np.random.default_rng(seed)
    w = {"emb": rng.normal(0, 1, (len(FEATURES) + 1, dim)),
         "w_ih_f": rng.normal(0, 1, (4 * hidden, dim)), "w_hh_f": rng.normal(0, 1, (4 * hidden, hidden)),
         "b_f": rng.normal(0, 1, 4 * hidden),
         "w_ih_b": rng.normal(0, 1, (4 * hidden, dim)), "w_hh_b": rng.normal(0, 1, (4 * hidden, hidden)),
         "b_b": rng.normal(0, 1, 4 * hidden),
         "out_w": rng.normal(0, 1, (len(LABELS), 2 * hidden)), "out_b": rng.normal(0, 1, len(LABELS)),
         "trans": rng.normal(0, 1, (len(LABELS), len(LABELS))), "start": rng.normal(0, 1, len(LABELS)),
         "end": rng.normal(0, 1, len(LABELS))}
    w["emb"][0] = 0
    np.savez_compressed(path, vocab=np.array([f.decode() for f in FEATURES]), labels=np.array(LABELS),
                        **{k: v.astype(np.float16) for k, v in w.items()})
    return {k: v.astype(np.float16).astype(np.float64) for k, v in w.items()}


def _emissions(w, tokens):
    """The model's label scores written out step by step, with the logistic function itself."""
    x = [w["emb"][[FEATURES.index(f) + 1 for f in tok if f in FEATURES]].sum(0) for tok in tokens]

    def run(side, order):
        h = np.zeros(w[f"w_hh_{side}"].shape[1])
        c = np.zeros_like(h)
        out = {}
        for t in order:
            i, f, g, o = np.split(w[f"w_ih_{side}"] @ x[t] + w[f"w_hh_{side}"] @ h + w[f"b_{side}"], 4)
            c = 1 / (1 + np.exp(-f)) * c + 1 / (1 + np.exp(-i)) * np.tanh(g)
            h = out[t] = 1 / (1 + np.exp(-o)) * np.tanh(c)
        return out

    fwd, bwd = run("f", range(len(x))), run("b", reversed(range(len(x))))
    return np.array([w["out_w"] @ np.concatenate([fwd[t], bwd[t]]) + w["out_b"] for t in range(len(x))])


def _paths(w, em):
    """Every label path's score: start, emissions, transitions, end."""
    for path in itertools.product(range(len(LABELS)), repeat=len(em)):
        yield path, (w["start"][path[0]] + w["end"][path[-1]] + sum(em[t, k] for t, k in enumerate(path))
                     + sum(w["trans"][a, b] for a, b in zip(path, path[1:])))


def test_batched_tags_and_marginals_equal_those_of_every_label_path_enumerated(tmp_path):
    w = _tiny_model(tmp_path / "tiny.npz")
    tagger = LstmTagger(tmp_path / "tiny.npz")
    paragraphs = [[[b"b", b"w=he"], [b"b", b"w=said", b"unseen"], [b"b", b"q=1", b"cap"]],
                  [[b"b", b"cap"]], [], [[b"b"], [b"b", b"w=said"]],
                  [[b"cap"], [], [b"w=he"]]]  # a token with no string at all reads as zeros
    tagged = tagger.tag_many(paragraphs)
    for tokens, got in zip(paragraphs, tagged):
        if not tokens:
            assert got.labels == []
            continue
        em = _emissions(w, tokens)
        scores = dict(_paths(w, em))
        best = max(scores, key=scores.get)
        assert got.labels == [LABELS[k] for k in best]
        z = np.logaddexp.reduce(list(scores.values()))
        for t in range(len(tokens)):
            for k, label in enumerate(LABELS):
                p = sum(np.exp(s - z) for path, s in scores.items() if path[t] == k)
                assert got.marginal(label, t) == pytest.approx(p, abs=1e-4)
        # one paragraph at a time, as relations.py tags a sentence again, gives the same
        assert tagger.tag(tokens) == got.labels
        assert tagger.marginal(got.labels[0], 0) == pytest.approx(got.marginal(got.labels[0], 0), abs=1e-6)


def test_a_ten_thousand_token_paragraph_is_tagged_without_overflow(tmp_path):
    _tiny_model(tmp_path / "tiny.npz")
    tagged = LstmTagger(tmp_path / "tiny.npz").tag_many([[[b"b", b"w=said"]] * 10_000])[0]
    assert len(tagged.labels) == 10_000 and np.isfinite(tagged.marginals).all()
    assert np.allclose(tagged.marginals.sum(1), 1, atol=1e-4)


@pytest.mark.skipif(not (SHARED / "data" / "attribution" / "polnear" / "train").is_dir(), reason="no PolNeAR")
def test_training_the_tagger_twice_with_one_seed_gives_the_same_weights(tmp_path):
    pytest.importorskip("torch")
    runs = []
    for k in range(2):
        out = tmp_path / f"m{k}.npz"
        subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "train_attribution_lstm.py"),
                        "--shared", str(SHARED), "--limit", "200", "--epochs", "1", "--cache",
                        str(tmp_path / "data.pkl"), "--out", str(out)], check=True, capture_output=True)
        runs.append(np.load(out))
    assert runs[0].files == runs[1].files
    for key in runs[0].files:
        assert np.array_equal(runs[0][key], runs[1][key]), key


def test_features_without_context_are_the_tokens_own_strings_of_the_full_features():
    from pressdiff.compare.relation_features import features

    words = "“ We will not stop , ” the minister said on Tuesday , adding that talks , he said , would go on .".split()
    cues = {"say": "hi", "add": "mid"}
    full, own = features(words, cues), features(words, cues, context=False)
    neighbours = tuple(f"{name}{k}=".encode() for name in ("w", "sh", "cue", "q") for k in (-2, -1, 1, 2)) \
        + (b"w-1|w=", b"w|w+1=", b"w|,|w+2=")
    assert len(own) == len(full)
    for mine, all_of in zip(own, full):
        assert mine == [f for f in all_of if not f.startswith(neighbours)]
        assert len(mine) < len(all_of)
