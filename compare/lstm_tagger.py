"""A BiLSTM-CRF attribution tagger in numpy, read from a model scripts/train_attribution_lstm.py writes.

The attribution tagger compare/relations.py ships (#34; how it was chosen over the CRF before it:
scripts/train_attribution.py's docstring). scripts/train_attribution_lstm.py learns it in torch;
this reads its weights (attribution_lstm.npz) and tags as
pycrfsuite's Tagger does for compare/relations.py: tag(features) gives a paragraph's BILOU labels
(Viterbi), marginal(label, i) the probability of a label at a token (forward-backward). Each
token's input is the sum of the learnt vectors of its feature strings (relation_features.
features(); strings train saw too rarely have none), read by a one-layer bidirectional LSTM, a
linear layer to the labels and a CRF's transition scores.
"""

from __future__ import annotations

from itertools import chain, repeat
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

LSTM_MODEL = Path(__file__).with_name("attribution_lstm.npz")
LABELS = ("O", *(f"{p}-{role}" for role in ("source", "cue", "content") for p in "BILU"))


class LstmTagger:
    """What compare/relations.py uses of pycrfsuite.Tagger: tag() and marginal()."""

    def __init__(self, path: Path = LSTM_MODEL):
        z = np.load(path)
        self._labels = [str(x) for x in z["labels"]]
        # whether it reads features(context=True): the neighbours' strings too
        self.context = bool(z["context"]) if "context" in z.files else True
        self._label_id = {lab: i for i, lab in enumerate(self._labels)}
        # each feature string's row of the embedding; row 0 (zeros) is for one the model does not have
        self.index = {str(s).encode(): i + 1 for i, s in enumerate(z["vocab"])}
        w = {k: z[k].astype(np.float32) for k in z.files if k not in ("vocab", "labels", "context")}
        # sigmoid(x) = (tanh(x / 2) + 1) / 2: the input, forget and output gates' weights halved, so
        # that one tanh over all four gates gives them all (torch's order: input, forget, cell, output)
        half = np.repeat(np.array([0.5, 0.5, 1.0, 0.5], np.float32), w["w_hh_f"].shape[1])
        for k in ("w_ih_f", "w_hh_f", "b_f", "w_ih_b", "w_hh_b", "b_b"):
            w[k] = w[k] * (half[:, None] if w[k].ndim == 2 else half)
        self.emb = w["emb"]
        self.hidden = w["w_hh_f"].shape[1]
        # input to the four gates (torch's order: input, forget, cell, output) of both directions at once
        self.w_ih = np.concatenate([w["w_ih_f"], w["w_ih_b"]]).T.copy()
        self.b = np.concatenate([w["b_f"], w["b_b"]])
        self.w_hh = np.stack([w["w_hh_f"].T, w["w_hh_b"].T])  # (direction, hidden, 4 x hidden)
        self.out_w, self.out_b = w["out_w"].T.copy(), w["out_b"]
        self.trans, self.start, self.end = w["trans"], w["start"], w["end"]
        self._exp_trans = np.exp(self.trans)
        self._exp_both = np.stack([self._exp_trans, self._exp_trans.T])  # forward and backward steps' products
        # numpy's BLAS on one thread while tagging: the products here are small, and OpenBLAS's
        # threads would spin for them (six times the CPU time per paragraph on a 2-core machine)
        controller = ThreadpoolController()
        self._one_thread = lambda: controller.limit(limits=1, user_api="blas")
        self._last = Tagged([], np.zeros((0, len(self._labels)), np.float32), self._label_id)

    def batch_emissions(self, paragraphs: list[list[list[bytes]]]) -> list[np.ndarray]:
        """Each paragraph's token scores for each label (tokens x labels), before the transitions: the
        LSTM steps through the paragraphs side by side, so that an article costs as many steps as its
        longest paragraph has tokens, not as all of them."""
        if not paragraphs:
            return []
        h, lengths = self.hidden, [len(p) for p in paragraphs]
        tokens = [tok for feats in paragraphs for tok in feats]
        sizes = np.fromiter(map(len, tokens), np.intp, len(tokens))
        # each string's row, looked up in one pass (a string train saw too rarely is row 0, zeros)
        flat = np.fromiter(map(self.index.get, chain.from_iterable(tokens), repeat(0)), np.intp, int(sizes.sum()))
        if len(flat) and sizes.all():  # every token has a string (features() always gives its bias)
            x = np.add.reduceat(np.take(self.emb, flat, axis=0), np.cumsum(sizes) - sizes, axis=0)
        else:  # reduceat would read a string-less token as its next token's first string
            x = np.array([self.emb[flat[s - n:s]].sum(0) for n, s in zip(sizes, np.cumsum(sizes))],
                         np.float32).reshape(len(tokens), self.emb.shape[1])
        gx = (x @ self.w_ih + self.b).reshape(-1, 2, 4, h)
        # longest first: at step t the paragraphs still running are the first `running[t]`
        order = sorted(range(len(lengths)), key=lambda k: -lengths[k])
        at = np.cumsum([0, *lengths])
        width, count = max(lengths, default=0), len(lengths)
        running = np.searchsorted(-np.array([lengths[k] for k in order]), -np.arange(width), side="left")
        # step t: the forward direction at token t of each paragraph, the backward at its token n - 1 - t
        # each token's column (its paragraph's place in that order), its step forward and backward
        column = np.empty(count, np.intp)
        column[order] = np.arange(count)
        n_of = np.repeat(lengths, lengths)
        ahead = np.arange(len(tokens)) - np.repeat(at[:-1], lengths)
        backward, col = n_of - 1 - ahead, np.repeat(column, lengths)
        gates = np.empty((width, 2, count, 4, h), np.float32)  # past a paragraph's end: never read
        gates[ahead, 0, col] = gx[:, 0]
        gates[backward, 1, col] = gx[:, 1]
        w_hh = self.w_hh
        # each step reads the states of the step before (hs[t - 1], c) of the paragraphs still
        # running, which are the first ones: a paragraph that has ended is never read again, so the
        # states are not copied into arrays of their own (numpy's calls per step are its cost)
        c = np.zeros((2, count, h), np.float32)
        hs = np.empty((width, 2, count, h), dtype=np.float32)
        hs[-1] = 0  # the step before the first: read as hs[t - 1] at t = 0, written last
        for t in range(width):
            r = running[t]
            th = np.tanh(gates[t, :, :r] + np.matmul(hs[t - 1, :, :r], w_hh).reshape(2, r, 4, h))
            s = th * 0.5 + 0.5  # the input, forget and output gates' sigmoid (their weights are halved)
            c = s[:, :, 1] * c[:, :r] + s[:, :, 0] * th[:, :, 2]
            hs[t, :, :r] = s[:, :, 3] * np.tanh(c)
        scores = np.concatenate([hs[ahead, 0, col], hs[backward, 1, col]], axis=1) @ self.out_w + self.out_b
        return np.split(scores, at[1:-1])

    def labels(self) -> list[str]:
        """The labels the model tags with, as pycrfsuite's Tagger.labels()."""
        return list(self._labels)

    def tag_many(self, paragraphs: list[list[list[bytes]]]) -> list[Tagged]:
        """Each paragraph's best labels (Viterbi) and their marginals (forward-backward), all
        paragraphs stepped through side by side."""
        if not paragraphs:
            return []
        lengths = [len(p) for p in paragraphs]
        live = [k for k, n in enumerate(lengths) if n]
        with self._one_thread():
            ems = self.batch_emissions([paragraphs[k] for k in live]) if live else []
        out = [Tagged([], np.zeros((0, len(self._labels)), np.float32), self._label_id)] * len(paragraphs)
        if not live:
            return out
        count, width, n_lab = len(live), max(lengths), len(self._labels)
        ns = np.array([lengths[k] for k in live])
        em = np.zeros((width, count, n_lab), np.float32)
        for j, e in enumerate(ems):
            em[:len(e), j] = e
        # Viterbi, all paragraphs at once: each one's scores are read at its last token (final)
        trans, last = self.trans, ns - 1
        score = self.start + em[0]
        final = np.where((last == 0)[:, None], score, 0)
        back = np.zeros((width, count, n_lab), np.intp)
        ending = {int(t): last == t for t in set(last.tolist()) if t}  # the paragraphs whose last token is t
        for t in range(1, width):
            cand = score[:, :, None] + trans
            back[t] = cand.argmax(1)
            score = cand.max(1) + em[t]
            if t in ending:
                final[ending[t]] = score[ending[t]]
        # marginals: forward at token t and backward at token n - 1 - t of each paragraph, scaled
        p = np.exp(em - em.max(2, keepdims=True))
        rev = np.ones_like(p)  # past its end a paragraph's backward pass reads ones (never used)
        for j, n in enumerate(ns):
            rev[:n, j] = p[:n, j][::-1]
        # both passes in one product a step: ab[t, 0] is the forward (alpha), ab[t, 1] the backward (beta)
        ab = np.empty((width, 2, count, n_lab), np.float32)
        a = np.exp(self.start - self.start.max()) * p[0]
        b = np.broadcast_to(np.exp(self.end - self.end.max()), (count, n_lab))
        ab[0, 0], ab[0, 1] = a / a.sum(1, keepdims=True), b / b.sum(1, keepdims=True)
        both = self._exp_both
        u = np.empty((2, count, n_lab), np.float32)
        for t in range(1, width):
            u[0] = ab[t - 1, 0]
            np.multiply(ab[t - 1, 1], rev[t - 1], out=u[1])
            y = np.matmul(u, both)
            y[0] *= p[t]
            ab[t] = y / y.sum(2, keepdims=True)
        alpha, beta = ab[:, 0], ab[:, 1]
        out = list(out)
        for j, k in enumerate(live):
            n = int(ns[j])
            state = int((final[j] + self.end).argmax())
            path, steps = [state], back[:n, j].tolist()  # Python's lists index faster than numpy's scalars
            for t in range(n - 1, 0, -1):
                state = steps[t][state]
                path.append(state)
            m = alpha[:n, j] * beta[:n, j][::-1]
            out[k] = Tagged([self._labels[i] for i in reversed(path)], m / m.sum(1, keepdims=True), self._label_id)
        return out

    def tag(self, feats: list[list[bytes]]) -> list[str]:
        """The best labels of one paragraph's tokens (Viterbi); marginal() then reads its marginals."""
        self._last = self.tag_many([feats])[0]
        return self._last.labels

    def marginal(self, label: str, i: int) -> float:
        """The probability of label at token i of the paragraph last tagged, as pycrfsuite's."""
        return self._last.marginal(label, i)


class Tagged:
    """One paragraph's labels and the marginal probability of each label at each token."""

    __slots__ = ("labels", "marginals", "_label_id")

    def __init__(self, labels: list[str], marginals: np.ndarray, label_id: dict[str, int]):
        self.labels, self.marginals, self._label_id = labels, marginals, label_id

    def marginal(self, label: str, i: int) -> float:
        """The probability of label at token i (forward-backward)."""
        return float(self.marginals[i, self._label_id[label]])
