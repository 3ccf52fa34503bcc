"""What the attribution tagger sees of each token: the word, its neighbours, the quotation marks
around it, the sentence it sits in and how far it is from a reporting cue.

compare/relations.py tags one paragraph at a time (PolNeAR's and CofeNet's unit) with a linear-
chain CRF (CRFsuite); scripts/train_attribution.py computes the same features on PolNeAR's train
split. Everything here is a pure function of the paragraph's text, so training and use agree.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getLemma

# Opening and closing double quotation marks as news copy and other languages print them. "
# is both; „ (German) is closed by “, which in English opens; 「 」 『 』 are Japanese/Chinese.
OPENERS = {"“": "”", "«": "»", "„": "“", "「": "」", "『": "』", "``": "''", "‹": "›"}
CLOSERS = {"”", "»", "」", "』", "''", "›"}
STRAIGHT = '"'
PRONOUNS = frozenset("i you he she it we they me him her us them".split())
# Titles before a name; cue words the tagger should not need to learn from scratch are learned
# from the data instead (the cue lexicon shipped with the model).
TITLES = frozenset("mr. mrs. ms. dr. sen. rep. gov. gen. lt. col. capt. rev. prof. president senator "
                   "secretary governor judge".split())
# Marks that bound a clause, by kind, for the clause features.
_CLAUSE_MARKS = {",": ",", ":": ":", ";": ";", "(": "(", ")": ")", "--": "-", "—": "-", "–": "-",
                 **{m: "open" for m in OPENERS}, **{m: "close" for m in CLOSERS}, '"': "q"}


_OPENING = frozenset(OPENERS) | {STRAIGHT}


def quote_depth(words: tuple[str, ...] | list[str]) -> list[int]:
    """Quotation depth of each token (marks themselves count as outside), one paragraph at a time.

    Unbalanced marks never carry past the paragraph; a closer with nothing open is ignored.
    """
    if _OPENING.isdisjoint(words):
        return [0] * len(words)  # nothing opens a quotation (a closer with nothing open is ignored)
    depth: list[int] = []
    stack: list[str] = []  # the closer each open quotation waits for
    for i, w in enumerate(words):
        closes = w if w in stack else "“" if w == "”" and "“" in stack else None  # „…” closes as „…“ does
        if closes and (w != STRAIGHT or stack[-1] == STRAIGHT):
            while stack[-1] != closes:  # a quotation left open inside this one ends with it
                stack.pop()
            stack.pop()
            depth.append(len(stack))
        elif w in OPENERS or (w == STRAIGHT and (not stack or (i and words[i - 1] in "([—–-:"))):
            depth.append(len(stack))
            if len(stack) < 3:  # nested deeper than three is noise, not quotation
                stack.append(OPENERS.get(w, STRAIGHT))
        else:
            depth.append(len(stack))
    return depth


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """A lower-case word's verb lemma ("said" -> "say", "according" -> "accord"): cues in any tense."""
    if not word.isalpha():
        return word
    found = getLemma(word, upos="VERB", lemmatize_oov=False)  # no guessing: a name stays itself, fast
    return found[0] if found else word


def _shape(w: str) -> str:
    out = []
    for ch in w[:6]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, str, bytes, tuple[bytes, ...]]:
    """A word's lower-case form (curly apostrophes straight), its lemma(), that form encoded, and its
    own features (cached: words repeat)."""
    w = word.lower().replace("’", "'").replace("‘", "'")
    lem = lemma(w)
    own = ["w=" + w, "l=" + lem, "sh=" + _shape(word), "s3=" + w[-3:], "p2=" + w[:2]]
    if word[:1].isupper():
        own.append("cap")
    if w in PRONOUNS:
        own.append("pron")
    if w in TITLES:
        own.append("title")
    return w, lem, w.encode(), tuple(f.encode() for f in own)


_EDGE = {k: (f"w{k}=<edge>".encode(),) for k in (-2, -1, 1, 2)}  # lent by no word: the paragraph ends


# An entry is about 1.4 KB (four tuples of feature strings): 50,000 of them, the commonest words
# of a long compare, bound each worker's cache near 70 MB (200,000 held 280 MB).
@lru_cache(maxsize=50_000)
def _lent(word: str, cue: str, depth: int) -> dict[int, tuple[bytes, ...]]:
    """The features a word lends the token k places away (k = -2, -1, 1, 2), given its cue band and
    quotation depth: computed once per such word, since news repeats its words."""
    w = word.lower().replace("’", "'").replace("‘", "'")
    shape = _shape(word)
    return {k: tuple(f.encode() for f in ((f"w{k}=" + w, f"sh{k}=" + shape) if k in (-1, 1) else (f"w{k}=" + w,))
                     + (f"cue{k}=" + cue, f"q{k}=" + str(depth))) for k in (-2, -1, 1, 2)}


def _bucket(n: int | None) -> str:
    if n is None:
        return "none"
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "far"


_BUCKETS = tuple(_bucket(n) for n in range(13))


def _buckets(ns: list[int | None]) -> list[str]:
    """_bucket() of each n, by table."""
    return ["none" if n is None else _BUCKETS[n] if n < 13 else "far" for n in ns]


class _Encoded(dict):
    """The feature "name=value" of each value (values joined by "|"), encoded the first time it is
    asked for: features() looks up the features of a few values each instead of building them per
    token (a paragraph of 500 tokens would build and encode 5,000 such strings)."""

    def __init__(self, name: str, shown=str):
        super().__init__()
        self.name, self.shown = name, shown  # shown(value): the value as the feature prints it

    def __missing__(self, value) -> bytes:
        text = "|".join(value) if isinstance(value, tuple) else self.shown(value)
        self[value] = found = f"{self.name}={text}".encode()
        return found


# depth over 2, sentence and commas over 3 show as 2 and 3
_Q, _CUE = _Encoded("q", lambda d: str(min(d, 2))), _Encoded("cue")
_SENT, _COM = _Encoded("sent", lambda s: str(min(s, 3))), _Encoded("com", lambda c: str(min(c, 3)))
_CL, _CR, _CL_CR = _Encoded("cl"), _Encoded("cr"), _Encoded("cl|cr")  # by _bucket(), as the pair for cl|cr
_POS, _END = _Encoded("pos", _bucket), _Encoded("end", _bucket)
_PM, _Q_CL, _Q_CR = _Encoded("pm"), _Encoded("q|cl"), _Encoded("q|cr")
_CUE_W = {n: (f"cl{n}|w=".encode(), f"cr{n}|w=".encode()) for n in (1, 2, 3)}  # + the word


# What may follow a sentence's last word before the next sentence: closing marks, a bracket.
_TRAILING = CLOSERS | {'"', "’", "'", ")"}
_ENDS = (".", "?", "!", "...")


def sentence_starts(words: tuple[str, ...] | list[str]) -> list[bool]:
    """Whether each token opens a sentence: after . ? ! (and a closing mark) before a capital or mark."""
    n = len(words)
    out = [False] * n
    if words:
        out[0] = True
    # from each sentence end forward over the marks that may close it: a token there that may open a
    # sentence does, unless an opening mark comes right before it (one pass, not one per token)
    for end, w in enumerate(words):
        if w not in _ENDS:
            continue
        for i in range(end + 1, n):
            nxt = words[i]
            if nxt[:1].isupper() or nxt in OPENERS or nxt == STRAIGHT or nxt[:1].isdigit():
                out[i] = words[i - 1] not in OPENERS
            if nxt not in _TRAILING:
                break
    return out


_FOREIGN = frozenset(OPENERS) - {"“", "``"} | CLOSERS - {"”", "''"}


def english_marks(words: tuple[str, ...] | list[str], depth: list[int]) -> tuple[str, ...] | list[str]:
    """The words with other languages' quotation marks as the English curly ones they stand for
    (« „ 「 open as “, » 」 close as ”, and so does the “ that closes a „): PolNeAR train has none of
    them, so the tagger knows them only as “ and ”. depth: quote_depth(words)."""
    if not any(w in _FOREIGN for w in words):
        return words
    out = list(words)
    for i, w in enumerate(words):
        if w in _FOREIGN:
            out[i] = "“" if w in OPENERS else "”"
        elif w == "“" and i and depth[i - 1] > depth[i] and not (i + 1 < len(words) and depth[i + 1] > depth[i]):
            out[i] = "”"
    return out


def straight_doubles(words: tuple[str, ...] | list[str]) -> tuple[str, ...] | list[str]:
    """The words with '' as the straight mark " where the paragraph has no `` to open it: archive
    copy (the New York Times' in PolNeAR, 116 of train's 840 articles) opens and closes quotations
    with two apostrophes, as quotes.py reads them, which quote_depth() would take as closers only."""
    if "''" not in words or "``" in words:
        return words
    return [STRAIGHT if w == "''" else w for w in words]


def features(words: tuple[str, ...] | list[str], cues: dict[str, str], context: bool = True) -> list[list[bytes]]:
    """The tagger's features for each token of one paragraph; cues maps a lowercased word to how often
    it is a cue in the training data ("hi", "mid", "lo"), keyed by lemma(). context=False leaves out
    what a token's neighbours lend it (their words, shapes, cue bands, quotation depths, and the word
    pairs), which a BiLSTM reads for itself (compare/lstm_tagger.py).

    Each feature is its string UTF-8 encoded, as CRFsuite stores it: python-crfsuite takes bytes as
    they are and encodes every str it is given, and most features are a word's (cached) or one of
    a few values' (_Encoded), so they are encoded once, not once per token."""
    n = len(words)
    words = straight_doubles(words)
    depth = quote_depth(words)
    words = english_marks(words, depth)
    known = [_word(w) for w in words]
    low = [k[0] for k in known]
    starts = sentence_starts(words)
    cue_at = [cues.get(k[1], "") for k in known]
    quoted_par = any(d > 0 for d in depth)
    strong = [c in ("hi", "mid") and d == 0 for c, d in zip(cue_at, depth)]
    # per token: index of sentence, position in it, commas before it in it, nearest strong cue to the
    # left, and the clause around it: the last mark before it in its sentence (", X said ," and
    # "said : “" frame sources, cues and contents)
    sent_idx, pos_in, left_cue, commas, before_mark = [], [], [], [], []
    s, p, last_cue, c, mark = -1, 0, None, 0, ""
    for i in range(n):
        if starts[i]:
            s, p, last_cue, c, mark = s + 1, 0, None, 0, ""
        sent_idx.append(s)
        pos_in.append(p)
        left_cue.append(None if last_cue is None else i - last_cue)
        commas.append(c)
        before_mark.append(mark)
        if strong[i]:
            last_cue = i
        if low[i] == ",":
            c += 1
        if low[i] in _CLAUSE_MARKS:
            mark = _CLAUSE_MARKS[low[i]]
        p += 1
    # and from the sentence's end: tokens left in it (content in PolNeAR runs to the sentence's
    # end), the nearest strong cue to the right, the next clause mark after it
    to_end, right_cue, after_mark = [0] * n, [None] * n, [""] * n
    left, nxt, mark = 0, None, ""
    for i in range(n - 1, -1, -1):
        to_end[i] = left
        right_cue[i] = None if nxt is None else nxt - i
        after_mark[i] = mark
        if low[i] in _CLAUSE_MARKS:
            mark = _CLAUSE_MARKS[low[i]]
        if starts[i]:
            left, nxt, mark = 0, None, ""
        else:
            left += 1
        if strong[i]:
            nxt = i
    lcs, rcs = _buckets(left_cue), _buckets(right_cue)
    cap = [w[:1].isupper() for w in words]
    # what each word lends its neighbours, two edges either side: token i's word sits at i + 2
    lent = [_EDGE, _EDGE, *(_lent(w, c, min(d, 2)) for w, c, d in zip(words, cue_at, depth)), _EDGE, _EDGE] \
        if context else []
    out = []
    for i in range(n):
        w, wb, lc, rc = low[i], known[i][2], lcs[i], rcs[i]
        f = [b"b", *known[i][3], _Q[depth[i]], _CUE[cue_at[i]], _CL[lc], _CR[rc], _CL_CR[lc, rc],
             _SENT[sent_idx[i]], _POS[pos_in[i]], _COM[commas[i]], _END[to_end[i]],
             _PM[before_mark[i], after_mark[i]]]
        if left_cue[i] is not None and left_cue[i] <= 3:
            f.append(_CUE_W[left_cue[i]][0] + wb)
        if right_cue[i] is not None and right_cue[i] <= 3:
            f.append(_CUE_W[right_cue[i]][1] + wb)
        if cap[i] and ((i and cap[i - 1]) or (i + 1 < n and cap[i + 1])):
            f.append(b"caprun")
        if starts[i]:
            f.append(b"start")
        if quoted_par:
            f.append(b"qpar")
        if words[i] in OPENERS or (words[i] == STRAIGHT and i + 1 < n and depth[i + 1] > depth[i]):
            f.append(b"open")
        if words[i] in CLOSERS or (words[i] == STRAIGHT and i and depth[i - 1] > depth[i]):
            f.append(b"close")
        if depth[i] > 0:
            f.append(_Q_CL[lc])
            f.append(_Q_CR[rc])
        if context:
            f += lent[i][-2]
            f += lent[i + 1][-1]
            f += lent[i + 3][1]
            f += lent[i + 4][2]
            if i > 0:
                f.append(b"w-1|w=" + known[i - 1][2] + b"|" + wb)
            if i + 1 < n:
                f.append(b"w|w+1=" + wb + b"|" + known[i + 1][2])
            if i + 2 < n and low[i + 1] == ",":
                f.append(b"w|,|w+2=" + wb + b"|" + known[i + 2][2])
        if left_cue[i] is not None and left_cue[i] <= 4 and w == "that":
            f.append(b"that_after_cue")
        out.append(f)
    return out
