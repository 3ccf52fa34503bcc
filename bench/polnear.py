"""Read PolNeAR's attribution relations and CofeNet's tokenised PolNeAR, with character offsets.

Shared by bench/attribution.py (scoring) and scripts/train_attribution.py (training on the train
split only). PolNeAR: BRAT standoff, one .ann file per article and annotator, character offsets
into text/<article>.txt. CofeNet's valid.txt: CoreNLP tokens and BIO labels per paragraph, which
align_tokens() places back onto the article's characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pressdiff.compare import relations

ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class GoldRelation:
    """One annotated attribution: each role a tuple of (start, end) fragments."""

    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]


def read_relations(path: Path) -> list[GoldRelation]:
    """Every attribution relation of one BRAT .ann file, in file order. A relation may name a span
    defined further down the file (27 roles of train's files do), so the spans are read first."""
    spans, events = {}, []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 2:
            tid, info, _ = line.split("\t", 2)
            kind, ranges = info.split(" ", 1)
            spans[tid] = tuple(tuple(map(int, r.split())) for r in ranges.split(";"))
        elif line.startswith("E") and "\t" in line:
            events.append(dict(p.split(":", 1) for p in line.split("\t")[1].split() if ":" in p))
    return [GoldRelation(**{r: spans.get(parts.get(r.capitalize(), ""), ()) for r in ROLES}) for parts in events]


def split_files(shared: Path, split: str) -> list[tuple[str, Path, Path]]:
    """(annotation id, .ann path, text path) of every annotation file of a PolNeAR split."""
    base = shared / "data" / "attribution" / "polnear" / split
    return [(ann.stem, ann, base / "text" / (ann.stem.rsplit("_", 1)[0] + ".txt"))
            for ann in sorted((base / "attributions").glob("*.ann"))]


# CoreNLP's renderings of characters it normalises, and what the text may have had.
_PTB = {"``": ("“", '"', "``", "‘‘", "„", "«"), "''": ("”", '"', "''", "’’", "»"), "`": ("‘", "'", "`"),
        "'": ("’", "'", "‘"), "-LRB-": ("(",), "-RRB-": (")",), "-LSB-": ("[",), "-RSB-": ("]",),
        "-LCB-": ("{",), "-RCB-": ("}",), "--": ("—", "–", "―", "--", "-"), "...": ("…", "...", ". . .")}


def _variants(token: str) -> list[str]:
    out = list(_PTB.get(token, ()))
    if token in ("'''", "```"):  # CoreNLP's one token for two adjacent marks: ’” closing, “‘ opening
        two, one = ("''", "'") if token[0] == "'" else ("``", "`")
        out += [a + b for a in _PTB[two] for b in _PTB[one]] + [b + a for a in _PTB[two] for b in _PTB[one]]
    out.append(token)
    if "'" in token:
        out.append(token.replace("'", "’"))
    if token.endswith(".") and len(token) > 1:
        out.append(token[:-1])  # "U.S" + "." in CoreNLP's output of "U.S."
    return out


def _run(tokens: list[str]) -> re.Pattern:
    return re.compile(r"\s*".join("(" + "|".join(re.escape(v) for v in _variants(t)) + ")" for t in tokens))


def align_tokens(text: str, tokens: list[str], cursor: int) -> tuple[list[tuple[int, int] | None], int]:
    """Character (start, end) of each CoreNLP token in text from cursor on (None: not found). A
    paragraph that does not align from cursor is aligned again from the text's start, and the better
    of the two kept: CofeNet's valid.txt has a few paragraphs in another order than the article's
    text (a quotation block of one dev article comes after the paragraph that follows it)."""
    out, end = _align_from(text, tokens, cursor)
    if cursor and None in out:
        again, end_again = _align_from(text, tokens, 0)
        if again.count(None) < out.count(None):
            return again, end_again
    return out, end


def _align_from(text: str, tokens: list[str], cursor: int) -> tuple[list[tuple[int, int] | None], int]:
    out: list[tuple[int, int] | None] = []
    i = 0
    while i < len(tokens):
        at = cursor
        while at < len(text) and text[at].isspace():
            at += 1
        found = next(((at, at + len(v)) for v in _variants(tokens[i]) if text.startswith(v, at)), None)
        if found is None and any(c.isalnum() for c in tokens[i]):
            # text CoreNLP dropped or rewrote (an embedded tweet's markup): find this token and the next
            # two further on; a lone mark is never looked for ahead (CoreNLP adds "." after "Del.")
            m = _run(tokens[i:i + 3]).search(text, at, at + 6000)
            if m:
                for k in range(len(m.groups())):
                    out.append(m.span(k + 1))
                cursor = m.end()
                i += len(m.groups())
                continue
        out.append(found)
        if found:
            cursor = found[1]
        i += 1
    return out, cursor


def bio_spans(labels: list[str]) -> list[tuple[str, int, int]]:
    """(role, first token, one past last token) of each BIO span, read as CofeNet's get_element does:
    a span starts only at B-; an I- of another role (or after O) ends the open span and starts none."""
    return relations.bio_spans(labels, inside_starts=False)


def cofenet_docs(path: Path) -> dict[str, list[dict]]:
    """valid.txt's paragraphs grouped by annotation id, in file order."""
    docs: dict[str, list[dict]] = {}
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        docs.setdefault(row["id"], []).append(row)
    return docs


def gold_labels(text: str, relations: list[GoldRelation], units: list[list[tuple[int, int]]]) -> list[list[str]]:
    """BIO labels of each unit's tokens from one file's relations: a token takes the role of the span
    it overlaps (PolNeAR's spans of a file never overlap, but for one span shared by two relations)."""
    owner: dict[int, tuple] = {}
    for k, rel in enumerate(relations):
        for role in ROLES:
            for n, (s, e) in enumerate(getattr(rel, role)):
                for ch in range(s, e):
                    owner.setdefault(ch, (role, k, n))
    out = []
    for spans in units:
        labels, prev = [], None
        for s, e in spans:
            hit = next((owner[ch] for ch in range(s, e) if ch in owner), None)
            labels.append("O" if hit is None else ("I-" if prev == hit else "B-") + hit[0])
            prev = hit
        out.append(labels)
    return out


def project(spans: list[tuple[str, int, int]], offsets: list[tuple[int, int] | None]) -> list[str]:
    """BIO labels over tokens (offsets; None for a token not found in the text) for character spans.
    A token not found between two tokens of one span is inside it: the "." CoreNLP adds after an
    abbreviation that ends a sentence ("Del." "." "Stacey") has no characters of its own."""
    labels = ["O"] * len(offsets)
    for role, s, e in spans:
        inside = [i for i, o in enumerate(offsets) if o is not None and o[0] < e and s < o[1]]
        if inside:
            found = set(inside)
            inside = [i for i in range(inside[0], inside[-1] + 1) if offsets[i] is None or i in found]
        for n, i in enumerate(inside):
            labels[i] = ("I-" if n else "B-") + role
    return labels
