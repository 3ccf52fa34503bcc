"""Learn a BiLSTM-CRF attribution tagger (compare/attribution_lstm.npz) from PolNeAR's train split only.

A trial of #34 beside the CRF of scripts/train_attribution.py: the same data, the same paragraphs
(compare/relations.py units()), the same BILOU labels and the same features (compare/
relation_features.py features(), with the cue bands of the other folds' files, as that script
does; by default without the strings a token's neighbours lend it, context=False), but each token's input is the sum of learnt vectors of its feature strings (those seen at
least --minfreq times in the training files; the rest dropped), read by a one-layer bidirectional
LSTM across the whole paragraph, then a linear layer to the 13 labels and a CRF transition layer
(Viterbi and forward-backward marginals, as CRFsuite's Tagger gives them). 10% of train's articles
(by article, every --holdout-th of the sorted names) are held out for early stopping and for every
choice; --holdout 0 learns all of train for the number of epochs they chose (tried, not kept:
below). Dev is never read.

Tried and not kept (figures in scripts/train_attribution.py's docstring). Its defaults are the
last of the three models tried: without the neighbours' feature strings (32,002 strings seen 3 times
or more), 64 LSTM units each way, 3.1 MB; 347 s on one thread of a busy two-core machine (features
24 s from --cache, then 9 epochs of 32 to 43 s; 2 epochs without gain on the held-out articles stop
it, the best kept). The features of train take about 30 s more without --cache, which keeps them
for the next run.

Regularised (#34), each setting chosen on the held-out tenth of train (84 articles, 1,492
paragraphs; the exact F1 content / source / cue this script prints, of the tagger's own spans,
before compare/relations.py's repairs), dev read only for the one kept. The model before (dropout
0.3 on the summed inputs and on the LSTM's outputs, --feature-dropout 0.1): best at epoch 7 of 9,
0.582 / 0.712 / 0.653 (mean 0.649; the epochs' means move by 0.01 either way from one to the next).
Not kept, each from those defaults: --feature-dropout 0.25, 0.583 / 0.714 / 0.645 (0.648, epoch 5 of
7); --dropout 0.5, 0.589 / 0.706 / 0.643 (0.646, epoch 7 of 9); fixed word vectors from unlabelled
news (--vectors: scripts/word_classes.py --vectors --words 30000 --min-count 3, 25,775 words' 100
SVD dimensions of the PPMI of their neighbours, from PolNeAR train and no other split of it, SemEval
dev, ECB+, Dragnet's gold texts and the shared corpus; each token's word's vector through a learnt
100 x 48 layer added to its input, folded into the "w=" rows of the saved model, so that the numpy
tagger reads it unchanged, 4.5 MB), 0.590 / 0.705 / 0.652 (0.649, epoch 5 of 7), and with the
average below, 0.590 / 0.715 / 0.659 (0.655, epoch 5 of 7) at 0.999 and 0.588 / 0.721 / 0.657 (0.656,
epoch 8 of 11, against 0.662 without them) at 0.9997: the vectors add nothing the feature
strings lack, as the word classes of scripts/train_attribution.py added little. Kept: a moving
average of the weights (Polyak averaging; judged and saved instead of the last step's weights, as
an averaged perceptron is), which smooths the epoch-to-epoch swings of the held-out figures. At
0.999 each step: 0.594 / 0.720 / 0.657 (0.657, epoch 6 of 8, and every epoch from the 5th above the
model before's best); at 0.9997 (--average, the shipped model): 0.598 / 0.725 / 0.663 (0.662,
epoch 9 of 11), 564 s on a busy machine (a second run from the defaults, 621 s, wrote the same bytes), 3.1 MB, the same size and tagging time (bench/
attribution.py --timing 200, back to back twice with the model before: PolNeAR dev 20.8 / 18.8 ms
per article against 20.6 / 20.3, generated articles 4.2 / 4.0 against 4.2 / 3.9). PolNeAR dev exact
F1 content / source / cue 0.642 / 0.750 / 0.702 -> 0.653 / 0.764 / 0.713 (overlap 0.853 / 0.802 /
0.792 -> 0.866 / 0.815 / 0.812; indirect 0.506 / 0.673 / 0.624 -> 0.528 / 0.689 / 0.635; content
direct 0.943 -> 0.938, mixed 0.643 -> 0.658), direct quotations' source 407 of 435 -> 408 of 436;
train (90% of it seen) 0.767 / 0.840 / 0.806 -> 0.764 / 0.846 / 0.812.

A stronger model (#34), judged on the same held-out tenth, but by what compare/relations.py
find_relations makes of the tagger's spans (bench/attribution.py's CofeNet scoring of those 84
articles' 89 annotation files), exact F1 content / source / cue (their mean; the tagger's own mean
this script prints): the shipped model above (seed 1) 0.602 / 0.728 / 0.669 (0.666; 0.662). Not kept:
seed 2, the same settings, 0.605 / 0.724 / 0.666 (0.665; 0.662, epoch 10 of 12, 773 s); those
two as an ensemble (their weights stacked in one file of 6.1 MB, both LSTMs stepped side by side by
a trial's compare/lstm_tagger.py, as four directions of one, each label path scored by the mean of
its two scores: emissions, transitions, start and end; not merged), 0.601 / 0.728 / 0.672 (0.667; 0.664), at 1.28x to 1.31x the
find_relations time per PolNeAR dev article (bench/attribution.py --timing 200: 29.9 / 31.3 ms
against 22.9 / 23.4), 1.22x to 1.25x once the embedding sum and the gates' order were made cheaper
(23.2 / 23.8 ms against 19.2 / 19.1 for the shipped code and model on a quieter machine; generated
articles 3.8 / 3.9 against 3.6 / 3.5): two seeds' models err alike (the moving average already
smooths one run), and averaging them gained a thousandth for a fifth more time; a three-model
ensemble cost 1.5x before those savings, past #34's room of 1.3x. --hidden 128, 0.608 / 0.725 /
0.659 (0.664; 0.662, epoch 10 of 12, 792 s, 3.4 MB, about 1.2x the time). Nor the model above's
settings learnt from all of train, the held-out tenth included (--holdout 0 --epochs 9, the epoch
the held-out tenth chose for it): 19,438 paragraphs, 33,701 feature strings seen 3 times or more,
3.3 MB, 529 s on a busy two-core machine (a second run, 450 s, wrote the same bytes). It cannot be judged on the tenth it learnt;
PolNeAR dev, read once for it, against the shipped nine-tenths model (with today's compare/
relations.py): exact F1 content / source / cue 0.653 / 0.767 / 0.716 -> 0.654 / 0.775 / 0.719 (overlap 0.869 /
0.818 / 0.815 -> 0.867 / 0.824 / 0.812; direct 0.941 / 0.919 / 0.900 -> 0.943 / 0.923 / 0.892;
mixed 0.655 / 0.856 / 0.810 -> 0.638 / 0.828 / 0.786; indirect 0.531 / 0.695 / 0.640 -> 0.535 /
0.714 / 0.652), direct quotations' source 409 -> 411 of 436, at the same tagging time
(bench/attribution.py --timing 200, back to back twice: PolNeAR dev 24.0 / 22.3 ms per article
against 22.6 / 23.6, generated articles 4.1 / 4.3 against 4.4 / 4.1): a tenth more data found a
little more of the commonest relations (indirect) and a little less of mixed ones, a mean gain of
0.004, within what a seed moves, and no held-out figure to back it; and it took a lead's
dateline into its source ("WASHINGTON — The senator from Ohio, Jane Okafor, said ...": tests/
test_relations.py's report, whose "she" then resolved to WASHINGTON).

Where exact and overlap F1 part (#34: dev content 0.653 exact against 0.869 overlap), read on the
held-out tenth (exact F1 content / source / cue 0.6017 / 0.7281 / 0.6689 with the shipped model and
code). The measurement first: dev's gold character spans laid on CofeNet's tokens through the
bench's own path (bench/polnear.py align_tokens, project) scored 0.9935 / 0.9966 / 0.9981 against
CofeNet's labels; now 0.9966 / 0.9995 / 1.000 (CoreNLP's one token for ’” unaligned, a paragraph
valid.txt lists out of the text's order, the "." CoreNLP adds after "Del." breaking a span; what is
left is annotation CofeNet's copy has and PolNeAR's files lack): dev 0.653 / 0.767 / 0.716 ->
0.655 / 0.768 / 0.717 with nothing else changed. The training labels are clean: of train's 69,634
gold span boundaries, 206 fall inside one of our tokens (93 an annotator's cut inside a word, 60
a pair of apostrophes, 10 an abbreviation's full stop), and dev's gold laid on our tokens and back
onto CofeNet's loses two content spans of 2,769. But relations.whole_words, widening each span to
whole words, gave a verb's clitic to the source before it ("[He’s] [claiming]", PolNeAR "[He]
[’s claiming]": 23 dev sources and 21 cues of the gold so laid); kept, a verb's clitic stays with
the span that opens with it (train's other nine tenths: 125 of 132 such clitics in the cue, while
183 of 234 possessives are the source's, as before): held-out tenth 0.6017 / 0.7311 / 0.6708, dev
0.655 / 0.771 / 0.720 (overlap 0.871 / 0.818 / 0.815), bench/links.py remarks dev unchanged (298 of
372 pairs, precision 0.993, 1 near miss, 1 link between different events), the same time.
Each predicted span of the held-out tenth that overlaps a gold span of its role but not exactly,
counted by what its two ends differ by (456 content, 73 source, 159 cue spans): of the content
ends (556), 290 run over or stop at another relation's source and cue (a nested or a second
relation the tagger missed or found where the gold has none), 67 a clause after a comma or dash,
55 another content or the cue's border, 52 three words or more of other kinds, 37 gold contents
split in two, 36 one or two words, 13 punctuation or quotation marks only, 6 a sentence; of the
cue ends (166), 71 the cue-content border ("[expressed] [his condolences over the …]" against
PolNeAR's "[expressed his condolences over] [the …]"), 35 one or two words, 27 longer, 24 another
relation; of the source ends (78), 21 another relation, 16 a clause, 16 one or two words, 11
punctuation. So the gap is the tagger's relations, not its edges: a quotation mark, a full stop or a
leading "that" costs 13 content ends in 556. Tried on the tenth and not kept: the clitic rule at the
tagger's labels too (a verb's clitic into the cue, a possessive into the source: fired once in 84
articles, no change); an infinitive joined to its cue before a clause of what was said ("[sought to
convey] [that he …]", train's other nine tenths 71 to 16): fired 3 times, cue +0.0006; each of
compare/relations.py's label repairs switched off in turn moves a role by 0.006 at most (confident_spans
off: source -0.006, cue -0.004; fronted_content off: content -0.003; cue_contents off: content +0.001,
two spans, left on). Ruled out by train's gold before any try, annotators disagreeing: a time or
medium after the cue ("said Tuesday", "said in a statement") is the cue's 338 times and outside it
252; an unquoted content continues past ", [verb]-ing" 135 times and stops before it 88 (besides
"including" and the cues "according", "saying"); a source's appositive keeps its closing comma 835
times and drops it 66 (the held-out tenth's 10 such misses are one annotator's files).

Needs torch, which pressdiff itself does not (its inference is numpy: compare/lstm_tagger.py):
`pip install torch==2.13.0` (its CPU build is enough). Deterministic given
--seed: one thread, torch.use_deterministic_algorithms, the batches drawn from a seeded generator.

    python scripts/train_attribution_lstm.py [--shared ../shared] [--epochs 12] [--average 0.9997] [--seed 1] [--out PATH] [--cache PATH]
    python scripts/train_attribution_lstm.py --holdout 0 --epochs 9   # all of train, for the epochs chosen
    python bench/attribution.py --split dev --relations-only --model compare/attribution_lstm.npz
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_attribution import FOLDS, cue_lexicon, labelled  # noqa: E402

from pressdiff.compare.lstm_tagger import LABELS, LSTM_MODEL  # noqa: E402
from pressdiff.compare.relation_features import features  # noqa: E402


def prepare(shared: Path):
    """(article, feature strings per token, BILOU labels) per paragraph of train, the cue bands of
    each file from the other folds' files (as scripts/train_attribution.py)."""
    from pressdiff.compare.relations import bilou

    files = labelled(shared, "train")
    fold = {a: i % FOLDS for i, a in enumerate(sorted({a for a, _ in files}))}
    data = []
    for k in range(FOLDS):
        lex = cue_lexicon([unit for a, f in files if fold[a] != k for unit in f])
        data.extend((a, [[x.decode() for x in t] for t in features(w, lex)], bilou(lab))
                    for a, f in files if fold[a] == k for w, lab in f)
    return data


# What features(context=False) leaves out: the strings a token's neighbours lend it, and word pairs.
CONTEXT = tuple(f"{name}{k}=" for name in ("w", "sh", "cue", "q") for k in (-2, -1, 1, 2)) + ("w-1|w=", "w|w+1=", "w|,|w+2=")


def spans(labels: list[str]) -> set[tuple[str, int, int]]:
    """(role, start, end) of BILOU labels read as relations.bio_spans reads BIO."""
    from pressdiff.compare.relations import bio, bio_spans

    return set(bio_spans(bio(labels)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--epochs", type=int, default=12, help="at most this many passes over train")
    parser.add_argument("--patience", type=int, default=2, help="stop after this many epochs without gain")
    parser.add_argument("--minfreq", type=int, default=3, help="feature strings seen fewer times are dropped")
    parser.add_argument("--dim", type=int, default=48, help="size of each feature's vector")
    parser.add_argument("--hidden", type=int, default=64, help="LSTM units each way")
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--feature-dropout", type=float, default=0.1,
                        help="share of a token's feature strings left out at random while training")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch", type=int, default=16, help="paragraphs per step")
    parser.add_argument("--holdout", type=int, default=10,
                        help="every n-th train article held out for stopping; 0: none, all of train learnt for "
                             "exactly --epochs epochs (the number the held-out articles chose), the last kept")
    parser.add_argument("--context", action="store_true",
                        help="keep the neighbours' feature strings too (relation_features.features(context=True)), "
                             "as the CRF reads them; by default the BiLSTM reads its neighbours itself")
    parser.add_argument("--vectors", type=Path,
                        help="fixed word vectors (scripts/word_classes.py --vectors) read beside the feature strings: "
                             "each token's word's vector through a learnt linear layer, folded into the \"w=\" rows "
                             "of the saved model")
    parser.add_argument("--average", type=float, default=0.9997,
                        help="keep a moving average of the weights, this much of the old each step (0.9997: the "
                             "last 3,300 steps or so, three epochs), and judge and save it instead of the last "
                             "step's weights; 0: off")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="train on this many paragraphs only (a test's run)")
    parser.add_argument("--cache", type=Path, help="a pickle of the prepared features, made if absent")
    parser.add_argument("--out", type=Path, default=LSTM_MODEL)
    parser.add_argument("--torch-copy", type=Path, help="also save torch's state here (to check the numpy tagger)")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    began = time.time()
    if args.cache and args.cache.exists():
        data = pickle.loads(args.cache.read_bytes())
    else:
        data = prepare(args.shared)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(data))
    if not args.context:
        data = [(a, [[x for x in tok if not x.startswith(CONTEXT)] for tok in f], lab) for a, f, lab in data]
    articles = sorted({a for a, _, _ in data})
    held = {a for i, a in enumerate(articles) if args.holdout and i % args.holdout == args.holdout - 1}
    train = [(f, lab) for a, f, lab in data if a not in held]
    valid = [(f, lab) for a, f, lab in data if a in held]
    if args.limit:
        train, valid = train[:args.limit], valid[:max(1, args.limit // 10)]
    counts = Counter(x for f, _ in train for tok in f for x in tok)
    vocab = sorted(x for x, n in counts.items() if n >= args.minfreq)
    index = {x: i + 1 for i, x in enumerate(vocab)}  # 0: the empty slot no feature uses
    label_id = {lab: i for i, lab in enumerate(LABELS)}
    if args.vectors:
        z = np.load(args.vectors)
        vec_words = [str(w) for w in z["words"]]
        vec_row = {"w=" + w: i + 1 for i, w in enumerate(vec_words)}  # 0: a word without a vector
        vec_table = np.concatenate([np.zeros((1, z["vectors"].shape[1]), np.float32), z["vectors"]])
    else:
        vec_words, vec_row, vec_table = [], {}, np.zeros((1, 1), np.float32)

    def encode(seq):
        feats, labs = seq
        ids = [[index[x] for x in tok if x in index] for tok in feats]
        words = [next((vec_row[x] for x in tok if x in vec_row), 0) for tok in feats]
        return ids, [label_id[lab] for lab in labs], words

    train_e, valid_e = [encode(s) for s in train], [encode(s) for s in valid]
    print(f"{len(train_e)} train paragraphs ({sum(len(e[1]) for e in train_e)} tokens), {len(valid_e)} held out, "
          f"{len(vocab)} feature strings; prepared in {time.time() - began:.0f} s", file=sys.stderr, flush=True)

    from torch import nn

    n_lab = len(LABELS)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.EmbeddingBag(len(vocab) + 1, args.dim, mode="sum", padding_idx=0)
            nn.init.normal_(self.emb.weight, std=0.05)
            with torch.no_grad():
                self.emb.weight[0].zero_()
            self.lstm = nn.LSTM(args.dim, args.hidden, batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(args.dropout)
            self.out = nn.Linear(2 * args.hidden, n_lab)
            if args.vectors:
                self.vec = nn.Embedding.from_pretrained(torch.tensor(vec_table), freeze=True)
                self.proj = nn.Linear(vec_table.shape[1], args.dim, bias=False)
            self.trans = nn.Parameter(torch.zeros(n_lab, n_lab))  # [from, to]
            self.start = nn.Parameter(torch.zeros(n_lab))
            self.end = nn.Parameter(torch.zeros(n_lab))

        def emissions(self, batch, train_mode):
            lengths = [len(e[1]) for e in batch]
            width = max(lengths)
            flat, offsets, words = [], [], []
            for ids, lab, wv in batch:
                for tok in ids + [[]] * (width - len(lab)):
                    if train_mode and args.feature_dropout:
                        tok = [x for x in tok if rng.random() >= args.feature_dropout]
                    offsets.append(len(flat))
                    flat.extend(tok)
                if args.vectors:
                    if train_mode and args.feature_dropout:
                        wv = [w if rng.random() >= args.feature_dropout else 0 for w in wv]
                    words.extend(wv + [0] * (width - len(lab)))
            x = self.emb(torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long))
            if args.vectors:
                x = x + self.proj(self.vec(torch.tensor(words, dtype=torch.long)))
            x = self.drop(x.view(len(batch), width, args.dim))
            packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                                       enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=width)
            return self.out(self.drop(h)), torch.tensor(lengths)

        def nll(self, em, lengths, gold):
            b, t, _ = em.shape
            mask = torch.arange(t)[None, :] < lengths[:, None]
            gold = gold.masked_fill(~mask, 0)
            # gold path score
            score = self.start[gold[:, 0]] + em[:, 0].gather(1, gold[:, :1]).squeeze(1)
            for i in range(1, t):
                step = self.trans[gold[:, i - 1], gold[:, i]] + em[:, i].gather(1, gold[:, i:i + 1]).squeeze(1)
                score = score + step * mask[:, i]
            last = gold.gather(1, (lengths - 1)[:, None]).squeeze(1)
            score = score + self.end[last]
            # partition
            alpha = self.start[None, :] + em[:, 0]
            for i in range(1, t):
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[:, i]
                alpha = torch.where(mask[:, i:i + 1], nxt, alpha)
            z = torch.logsumexp(alpha + self.end[None], dim=1)
            return (z - score).sum() / lengths.sum()

    def viterbi(em, n, net):
        e = em[:n].numpy()
        tr = net.trans.detach().numpy()
        score = net.start.detach().numpy() + e[0]
        back = []
        for i in range(1, n):
            cand = score[:, None] + tr
            back.append(cand.argmax(0))
            score = cand.max(0) + e[i]
        best = [int((score + net.end.detach().numpy()).argmax())]
        for bp in reversed(back):
            best.append(int(bp[best[-1]]))
        return [LABELS[k] for k in reversed(best)]

    def evaluate(net, seqs):
        net.eval()
        tp = Counter()
        n_pred = Counter()
        n_gold = Counter()
        with torch.no_grad():
            for s in range(0, len(seqs), 64):
                batch = seqs[s:s + 64]
                em, lengths = net.emissions(batch, False)
                for k, (_, lab, _) in enumerate(batch):
                    pred = spans(viterbi(em[k], len(lab), net))
                    gold = spans([LABELS[x] for x in lab])
                    for role, _, _ in pred:
                        n_pred[role] += 1
                    for role, _, _ in gold:
                        n_gold[role] += 1
                    for role, _, _ in pred & gold:
                        tp[role] += 1
        net.train()
        return {r: 2 * tp[r] / max(1, n_pred[r] + n_gold[r]) for r in ("content", "source", "cue")}

    rng = random.Random(args.seed)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    # batches of like length (less padding), in a seeded order each epoch
    order = sorted(range(len(train_e)), key=lambda i: (len(train_e[i][1]), i))
    batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
    best, best_state, since = -1.0, None, 0
    # the moving average's copy of every trained weight (the frozen word vectors are not trained)
    avg = {k: v.detach().clone() for k, v in net.named_parameters() if v.requires_grad} if args.average else None
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(batches)
        total, t0 = 0.0, time.time()
        for bi in batches:
            batch = [train_e[i] for i in bi]
            em, lengths = net.emissions(batch, True)
            width = em.shape[1]
            gold = torch.tensor([e[1] + [0] * (width - len(e[1])) for e in batch], dtype=torch.long)
            loss = net.nll(em, lengths, gold)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            if avg is not None:
                with torch.no_grad():
                    for k, v in net.named_parameters():
                        if k in avg:
                            avg[k].mul_(args.average).add_(v.detach(), alpha=1 - args.average)
            total += float(loss.detach()) * len(bi)
        if avg is not None:  # judge the average: swap it in, and the last step's weights back after
            last = {k: v.detach().clone() for k, v in net.state_dict().items()}
            net.load_state_dict({**last, **avg})
        f = evaluate(net, valid_e) if valid_e else {"content": 0.0, "source": 0.0, "cue": 0.0}
        mean = sum(f.values()) / 3 if valid_e else epoch  # none held out: the last epoch is kept
        judged = (f"held-out exact F1 content {f['content']:.3f} source {f['source']:.3f} cue {f['cue']:.3f}"
                  if valid_e else "none held out")
        print(f"epoch {epoch}: loss {total / len(train_e):.4f}, {judged} ({time.time() - t0:.0f} s)",
              file=sys.stderr, flush=True)
        if mean > best:
            best, since = mean, 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            since += 1
        if avg is not None:
            net.load_state_dict(last)
        if since >= args.patience:
            break
    net.load_state_dict(best_state)
    lstm = net.lstm
    emb, saved_vocab = net.emb.weight.detach().numpy(), vocab
    if args.vectors:
        # the word vectors through their linear layer are a fixed row per word: added to its "w=" row,
        # a word train saw too rarely gets a row of its own, so the numpy tagger reads them unchanged
        projected = net.proj(net.vec.weight).detach().numpy()
        rows = {x: emb[i + 1] for i, x in enumerate(vocab)}
        for i, w in enumerate(vec_words):
            rows["w=" + w] = rows.get("w=" + w, 0) + projected[i + 1]
        saved_vocab = sorted(rows)
        emb = np.concatenate([emb[:1], np.array([rows[x] for x in saved_vocab], np.float32)])
    weights = {
        "emb": emb,
        "w_ih_f": lstm.weight_ih_l0.detach().numpy(), "w_hh_f": lstm.weight_hh_l0.detach().numpy(),
        "b_f": (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy(),
        "w_ih_b": lstm.weight_ih_l0_reverse.detach().numpy(), "w_hh_b": lstm.weight_hh_l0_reverse.detach().numpy(),
        "b_b": (lstm.bias_ih_l0_reverse + lstm.bias_hh_l0_reverse).detach().numpy(),
        "out_w": net.out.weight.detach().numpy(), "out_b": net.out.bias.detach().numpy(),
        "trans": net.trans.detach().numpy(), "start": net.start.detach().numpy(), "end": net.end.detach().numpy(),
    }
    np.savez_compressed(args.out, vocab=np.array(saved_vocab), labels=np.array(LABELS), context=args.context,
                        **{k: v.astype(np.float16) for k, v in weights.items()})
    if args.torch_copy:
        torch.save({"state": net.state_dict(), "vocab": vocab, "vectors": vec_words}, args.torch_copy)
    judged = f"held-out mean exact F1 {best:.3f}" if valid_e else f"all of train, {best:.0f} epochs"
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), {judged}, in {time.time() - began:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
