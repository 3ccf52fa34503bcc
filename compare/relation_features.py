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


def quote_depth(words: tuple[str, ...] | list[str]) -> list[int]:
    """Quotation depth of each token (marks themselves count as outside), one paragraph at a time.

    Unbalanced marks never carry past the paragraph; a closer with nothing open is ignored.
    """
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
def _word(word: str) -> tuple[str, ...]:
    """A word's own features (cached: words repeat)."""
    w = word.lower().replace("’", "'").replace("‘", "'")
    shape = _shape(word)
    own = ["w=" + w, "l=" + lemma(w), "sh=" + shape, "s3=" + w[-3:], "p2=" + w[:2]]
    if word[:1].isupper():
        own.append("cap")
    if w in PRONOUNS:
        own.append("pron")
    if w in TITLES:
        own.append("title")
    return tuple(own)


_EDGE = {k: (f"w{k}=<edge>",) for k in (-2, -1, 1, 2)}  # lent by no word: the paragraph ends


# An entry is about 1.4 KB (four tuples of feature strings): 50,000 of them, the commonest words
# of a long compare, bound each worker's cache near 70 MB (200,000 held 280 MB).
@lru_cache(maxsize=50_000)
def _lent(word: str, cue: str, depth: int) -> dict[int, tuple[str, ...]]:
    """The features a word lends the token k places away (k = -2, -1, 1, 2), given its cue band and
    quotation depth: computed once per such word, since news repeats its words."""
    w = word.lower().replace("’", "'").replace("‘", "'")
    shape = _shape(word)
    return {k: ((f"w{k}=" + w, f"sh{k}=" + shape) if k in (-1, 1) else (f"w{k}=" + w,))
            + (f"cue{k}=" + cue, f"q{k}=" + str(depth)) for k in (-2, -1, 1, 2)}


def _bucket(n: int | None) -> str:
    if n is None:
        return "none"
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "far"


def sentence_starts(words: tuple[str, ...] | list[str]) -> list[bool]:
    """Whether each token opens a sentence: after . ? ! (and a closing mark) before a capital or mark."""
    out = [False] * len(words)
    if words:
        out[0] = True
    for i in range(1, len(words)):
        prev = words[i - 1]
        j = i - 1
        while j > 0 and (words[j] in CLOSERS or words[j] in ('"', "’", "'", ")")):
            j -= 1
        if words[j] in (".", "?", "!", "...") and (words[i][:1].isupper() or words[i] in OPENERS
                                                     or words[i] == STRAIGHT or words[i][:1].isdigit()):
            out[i] = prev not in OPENERS
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


def features(words: tuple[str, ...] | list[str], cues: dict[str, str]) -> list[list[str]]:
    """The CRF's features for each token of one paragraph; cues maps a lowercased word to how often
    it is a cue in the training data ("hi", "mid", "lo"), keyed by lemma()."""
    n = len(words)
    words = straight_doubles(words)
    depth = quote_depth(words)
    words = english_marks(words, depth)
    low = [w.lower().replace("’", "'").replace("‘", "'") for w in words]
    starts = sentence_starts(words)
    lemmas = [lemma(w) for w in low]
    cue_at = [cues.get(w, "") for w in lemmas]
    quoted_par = any(d > 0 for d in depth)
    # per token: index of sentence, position in it, nearest strong cue to the left and right in it
    sent_idx, pos_in, left_cue, commas = [], [], [], []
    s, p, last_cue, c = -1, 0, None, 0
    for i in range(n):
        if starts[i]:
            s, p, last_cue, c = s + 1, 0, None, 0
        sent_idx.append(s)
        pos_in.append(p)
        left_cue.append(None if last_cue is None else i - last_cue)
        commas.append(c)
        if cue_at[i] in ("hi", "mid") and depth[i] == 0:
            last_cue = i
        if low[i] == ",":
            c += 1
        p += 1
    to_end = [0] * n  # tokens left in the sentence: content in PolNeAR runs to the sentence's end
    left = 0
    for i in range(n - 1, -1, -1):
        to_end[i] = left
        left = 0 if starts[i] else left + 1
    right_cue = [None] * n
    nxt = None
    for i in range(n - 1, -1, -1):
        right_cue[i] = None if nxt is None else nxt - i
        if starts[i]:
            nxt = None
        if cue_at[i] in ("hi", "mid") and depth[i] == 0:
            nxt = i
    # the clause around each token: the last mark before it and the next after it in its sentence
    # (", X said ," and "said : “" frame sources, cues and contents)
    before_mark, after_mark = [""] * n, [""] * n
    mark = ""
    for i in range(n):
        if starts[i]:
            mark = ""
        before_mark[i] = mark
        if low[i] in _CLAUSE_MARKS:
            mark = _CLAUSE_MARKS[low[i]]
    mark = ""
    for i in range(n - 1, -1, -1):
        after_mark[i] = mark
        if low[i] in _CLAUSE_MARKS:
            mark = _CLAUSE_MARKS[low[i]]
        if starts[i]:
            mark = ""
    out = []
    statics = [_word(w) for w in words]
    lent = [_lent(w, c, min(d, 2)) for w, c, d in zip(words, cue_at, depth)]
    for i in range(n):
        own = statics[i]
        w = low[i]
        lc, rc = _bucket(left_cue[i]), _bucket(right_cue[i])
        f = ["b", *own, "q=" + str(min(depth[i], 2)), "cue=" + cue_at[i], "cl=" + lc, "cr=" + rc,
             "cl|cr=" + lc + "|" + rc, "sent=" + str(min(sent_idx[i], 3)), "pos=" + _bucket(pos_in[i]),
             "com=" + str(min(commas[i], 3)), "end=" + _bucket(to_end[i])]
        f.append("pm=" + before_mark[i] + "|" + after_mark[i])
        if left_cue[i] is not None and left_cue[i] <= 3:
            f.append(f"cl{left_cue[i]}|w=" + w)
        if right_cue[i] is not None and right_cue[i] <= 3:
            f.append(f"cr{right_cue[i]}|w=" + w)
        if words[i][:1].isupper() and ((i and words[i - 1][:1].isupper()) or (i + 1 < n and words[i + 1][:1].isupper())):
            f.append("caprun")
        if starts[i]:
            f.append("start")
        if quoted_par:
            f.append("qpar")
        if words[i] in OPENERS or (words[i] == STRAIGHT and i + 1 < n and depth[i + 1] > depth[i]):
            f.append("open")
        if words[i] in CLOSERS or (words[i] == STRAIGHT and i and depth[i - 1] > depth[i]):
            f.append("close")
        if depth[i] > 0:
            f.append("q|cl=" + lc)
            f.append("q|cr=" + rc)
        for k in (-2, -1, 1, 2):
            j = i + k
            f.extend(lent[j][k] if 0 <= j < n else _EDGE[k])
        if i > 0:
            f.append("w-1|w=" + low[i - 1] + "|" + w)
        if i + 1 < n:
            f.append("w|w+1=" + w + "|" + low[i + 1])
        if i + 2 < n and low[i + 1] == ",":
            f.append("w|,|w+2=" + w + "|" + low[i + 2])
        if left_cue[i] is not None and left_cue[i] <= 4 and w == "that":
            f.append("that_after_cue")
        out.append(f)
    return out
