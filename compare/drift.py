"""Drift: how a variant's words differ from the origin's, in SPEC.md's `changes` vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .settings import CHANGE_ORDER, PARAPHRASE_SCORE
from .synonyms import synonyms
from .text import Token, Vocabulary, bracketed, fold, tokenize


@dataclass(frozen=True)
class Drift:
    """What a variant did to the origin's words."""

    relation: str
    changes: tuple[str, ...]
    similarity: float
    # (op, origin words, variant words); op: equal | normalized (case, apostrophes) | spelling
    # (British/American, "-ise"/"-ize") | synonym (a WordNet synonym, one word for one) | replace |
    # insert | delete. spelling and normalized make the change `normalized`; synonym `substituted`.
    diff: tuple[tuple[str, str, str], ...]


def word_ops(origin: list[Token], variant: list[Token], vocab: Vocabulary):
    """Levenshtein edit operations between two word-token lists (rapidfuzz on encoded words)."""
    a = vocab.encode(t.norm for t in origin)
    b = vocab.encode(t.norm for t in variant)
    return a, b, Levenshtein.opcodes(a, b)


def classify_variant(origin: list[Token], variant: list[Token], vocab: Vocabulary, *,
             origin_quoted: bool, variant_quoted: bool, origin_text: str = "", variant_text: str = "",
             spliced: bool = False, inherited: bool = False, weak_match: bool = False) -> Drift:
    """Classify a variant against the origin wording (word tokens, punctuation excluded)."""
    changes: set[str] = set()
    a, b, ops = word_ops(origin, variant, vocab)
    diff = []
    o_span = _Spans(origin, origin_text, origin[0].start if origin else 0)
    v_span = _Spans(variant, variant_text, variant[0].start if variant else 0)
    for op in ops:
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        old, new = origin[i1:i2], variant[j1:j2]
        at_edge = i1 == 0 or i2 == len(origin)
        new_words = [t for t in new if t.kind == "word"]
        if tag == "equal":
            # runs of identical words, and runs that differ only in spelling or case
            k = 0
            for kind, pairs in groupby(zip(old, new), key=lambda p: _sameness(p[0], p[1])):
                n = len(list(pairs))
                if kind != "equal":
                    changes.add("normalized")
                diff.append((kind, o_span(i1 + k, i1 + k + n), v_span(j1 + k, j1 + k + n)))
                k += n
        elif tag == "delete":
            changes.add("truncated" if at_edge else "elided")
            diff.append(("delete", o_span(i1, i2), ""))
        elif tag == "insert":
            if new_words:
                changes.add("inserted")
            diff.append(("insert", "", v_span(j1, j2)))  # words, or a bare ellipsis mark
        else:  # replace
            has_mark = any(t.kind == "ellipsis" for t in new)
            if has_mark:
                changes.add("truncated" if at_edge and (i1 == 0 and j1 == 0 or i2 == len(origin) and j2 == len(variant)) else "elided")
            if new_words:
                changes.add("substituted")
            if i2 - i1 == j2 - j1 and not has_mark:
                # word for word: name each swap that WordNet calls a synonym ("big" -> "large")
                for k, (x, y) in enumerate(zip(old, new)):
                    diff.append(("synonym" if synonyms(x.norm, y.norm) else "replace",
                                 o_span(i1 + k, i1 + k + 1), v_span(j1 + k, j1 + k + 1)))
            else:
                diff.append(("replace", o_span(i1, i2), v_span(j1, j2)))
    if diff and variant_text:
        op, old_t, new_t = diff[-1]
        diff[-1] = (op, old_t, new_t + v_span.tail())
    if not changes and origin_text and variant_text and _inner_punct(origin_text) != _inner_punct(variant_text):
        changes.add("normalized")
    if origin_quoted and not variant_quoted:
        changes.add("unquoted")
    if variant_quoted and not origin_quoted:
        changes.add("promoted")
    if spliced:
        changes.add("spliced")
    if inherited:
        changes.add("inherited")
    plain_a = "".join(ch for ch, t in zip(a, origin) if t.kind == "word")
    plain_b = "".join(ch for ch, t in zip(b, variant) if t.kind == "word")
    similarity = round(fuzz.ratio(plain_a, plain_b), 1)
    if not changes:
        relation = "verbatim"
    elif (weak_match or similarity < PARAPHRASE_SCORE) and changes & {"substituted", "inserted"} \
            and not changes & {"truncated", "spliced"}:
        # rewording, not just cutting: dropped words alone never make a paraphrase
        relation = "paraphrase"
    else:
        relation = "altered"
    ordered = tuple(c for c in CHANGE_ORDER if c in changes)
    return Drift(relation, ordered, similarity, tuple(diff))


def _sameness(a: Token, b: Token) -> str:
    """How two tokens of one normalised word differ: not at all ("equal"), in spelling
    ("spelling": "honour"/"honor", one word to compare/text.normalize_word), or only in case or
    apostrophe ("normalized")."""
    if a.raw == b.raw:
        return "equal"
    return "normalized" if fold(a.raw) == fold(b.raw) else "spelling"


class _Spans:
    """The exact characters of token runs, with the punctuation and spacing before each run.

    A word diff shows what the outlet printed: "[the ferry operator]" keeps its brackets and
    "for example," its comma.
    """

    def __init__(self, tokens: list[Token], text: str, base: int):
        self.tokens, self.text, self.base, self.cursor = tokens, text, base, 0

    def __call__(self, i: int, j: int) -> str:
        if i >= j:
            return ""
        if not self.text:
            return " ".join(t.raw for t in self.tokens[i:j])
        start, end = self.tokens[i].start - self.base, self.tokens[j - 1].end - self.base
        while end < len(self.text) and self.text[end] in ")]":  # "[US President]" stays whole
            end += 1
        piece = self.text[min(self.cursor, start):end]  # with the spacing and punctuation since the last run
        self.cursor = max(self.cursor, end)
        return piece

    def tail(self) -> str:
        return self.text[self.cursor:] if self.text else ""


def _inner_punct(text: str) -> str:
    """Punctuation inside a span, ignoring quote marks and what stands at its edges."""
    core = text.strip(" \t\n\"'“”‘’.,;:!?")
    return "".join(ch for ch in core if not ch.isalnum() and not ch.isspace() and ch not in "\"'“”‘’")


def inherited_insertions(text: str, earlier_texts: list[str]) -> bool:
    """True when text carries a bracketed editorial insertion that an earlier variant added first."""
    mine = set(bracketed(text))
    return bool(mine) and any(mine & set(bracketed(t)) for t in earlier_texts)


def version_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level changes from one version of an article to the next: (equal|delete|insert, text)."""
    a, b = tokenize(old), tokenize(new)
    vocab = Vocabulary()
    ops = Levenshtein.opcodes(vocab.encode(t.raw for t in a), vocab.encode(t.raw for t in b))
    out: list[tuple[str, str]] = []
    cursor = 0
    for op in ops:
        if op.dest_end > op.dest_start:
            start, end = b[op.dest_start].start, b[op.dest_end - 1].end
            if new[cursor:start]:
                out.append(("equal", new[cursor:start]))  # the spacing, paragraph breaks too
            cursor = end
        if op.tag == "equal":
            out.append(("equal", new[start:end]))
            continue
        if op.src_end > op.src_start:
            out.append(("delete", old[a[op.src_start].start:a[op.src_end - 1].end]))
        if op.dest_end > op.dest_start:
            out.append(("insert", new[start:end]))
    if new[cursor:]:
        out.append(("equal", new[cursor:]))
    return out


def version_diff(old: str, new: str) -> str:
    """A word diff of two versions of an article, git --word-diff style: [-dropped-]{+added+}."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in version_segments(old, new))
