"""Who said what: every attribution relation of an article, as PolNeAR defines one.

A relation is a content (what was said, written or thought: quoted, partly quoted or reported),
its source (who, exactly as printed: "Clinton", "she", "the spokesman") and its cue ("said",
"according to", "told reporters", "wants"). A BiLSTM-CRF (compare/lstm_tagger.py, numpy) tags each
paragraph's tokens B/I-source, B/I-cue, B/I-content, as CofeNet and the field do on PolNeAR (learned
as BILOU, bilou(), and read back as BIO), over the features of relation_features.py; its model,
attribution_lstm.npz, was trained by scripts/train_attribution_lstm.py on PolNeAR's train split
only (dev is for choices, bench/attribution.py scores both). model= may name the linear-chain CRF
that tagged before it (attribution.crfsuite, CRFsuite, scripts/train_attribution.py, which also
writes the cue lexicon both read). The tagged spans are then grouped into
relations around their cue, and the source is resolved to an entity (compare/entities.py).

The comparison (compare/comparison.py, stage 3) takes its quotations' speakers, the `attribution`
of its variants, the units of indirect speech and the top-level `attributions` from here.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pressdiff.core.records import Attribution, Quote, Relation, TextSpan

from .entities import quote_speaker, resolve_speakers
from .headlines import outside_dateline
from .lstm_tagger import LSTM_MODEL, LstmTagger
from .relation_features import CLOSERS, OPENERS, STRAIGHT, features, lemma, sentence_starts
from .settings import (
    ALONE_CUE_LEVELS,
    CHAINED_CLAUSE_OPENERS,
    CLITIC_SUBJECTS,
    CRF_CUE_CONFIDENCE,
    CRF_CUE_LEVELS,
    CRF_SOURCE_CONFIDENCE,
    CRF_WINDOW_TOKENS,
    CUE_CONTENT_MIN_WORDS,
    DIRECTIVES,
    FRAME_CUE_LEVELS,
    FRONTED_GAP,
    PASSIVE,
    SIGNATURE_DASHES,
    SIGNATURE_NAME,
    SOURCE_TAIL_ADVERBS,
    VERB_CLITICS,
)
from .text import word_bounds
from .tokens import paragraphs, tokenize

CRF_MODEL = Path(__file__).with_name("attribution.crfsuite")
MODEL = LSTM_MODEL  # the shipped tagger
CUES = Path(__file__).with_name("attribution_cues.json")
ROLES = ("source", "cue", "content")
_OPEN_MARKS = set(OPENERS) | {STRAIGHT}
_CLOSE_MARKS = CLOSERS | {STRAIGHT}
_ANY_MARK = _OPEN_MARKS | _CLOSE_MARKS | {"‘", "’", "'"}
_MARK_CHARS = {m for m in _OPEN_MARKS | _CLOSE_MARKS if len(m) == 1}


def _mark_starts(s: str) -> bool:
    """Whether s starts with a double quotation mark: “ ” " « », or '' and `` (two apostrophes,
    as archive copy and Penn Treebank text print them; one is no mark)."""
    return s[:2] in ("''", "``") or s[:1] in _MARK_CHARS


def _mark_ends(s: str) -> bool:
    """Whether s ends with a double quotation mark (as _mark_starts)."""
    return s[-2:] in ("''", "``") or s[-1:] in _MARK_CHARS
_SENTENCE_END = re.compile(r"[.?!][\"”’']?\s")


@lru_cache(maxsize=2)
def _tagger(model: Path = MODEL):
    if model.suffix == ".npz":  # the BiLSTM-CRF (compare/lstm_tagger.py)
        return LstmTagger(model)
    import pycrfsuite  # the CRF's compiled CRFsuite, for model=CRF_MODEL

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return tagger


@lru_cache(maxsize=2)
def cue_lexicon(path: Path = CUES) -> dict[str, str]:
    """How often each word is a cue in PolNeAR train: "hi", "mid" or "lo" (written with the model)."""
    return json.loads(path.read_text("utf-8"))


def units(text: str) -> list[list[tuple[int, int]]]:
    """The token spans the tagger labels together: each paragraph, long ones cut into windows."""
    return [spans[i:i + CRF_WINDOW_TOKENS] for p_start, p_end in paragraphs(text)
            for spans in [tokenize(text, p_start, p_end)] for i in range(0, len(spans), CRF_WINDOW_TOKENS)]


def tag_spans(text: str, model: Path = MODEL, cues: Path = CUES) -> list[tuple[str, int, int]]:
    """(role, start, end) character spans the CRF tags, in text order, roles never overlapping."""
    tagger, lexicon = _tagger(model), cue_lexicon(cues)
    out = []
    # no quotation mark, no likely cue: the tagger would find nothing, at its cost
    todo = [(spans, words) for spans in units(text) for words in [[text[s:e] for s, e in spans]]
            if _may_attribute(words, lexicon)]

    def tag(part: list[str]) -> list[str]:
        return _tag_alone(tagger, lexicon, part)

    for (spans, words), (raw, marginal) in zip(todo, _tagged(tagger, (_features(tagger, lexicon, w) for _, w in todo))):
        labels = _read(words, raw, marginal)
        labels = sentences_alone(words, labels, tag, lexicon)
        labels = quotations_apart(words, labels, tag, lexicon)
        labels = trimmed_sources(words, signed_quotations(words, labels))
        out.extend((role, spans[b][0], spans[e - 1][1]) for role, b, e in bio_spans(labels))
    return whole_words(text, out)


def whole_words(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The spans, each widened to whole words as the alignment tokenises them (compare/text.py: a
    source the tagger ends before a possessive, "Bolivia's public defender|'s office said", takes
    the "'s"), none overlapping the one before it: a unit of the comparison cut inside a word would
    hold a word no article has. But a verb's clitic the next span opens with stays its own ("He|’s
    claiming", "She|’ll present": settings.VERB_CLITICS), as PolNeAR marks it, where the widened
    source took it from the cue (dev's gold spans laid on our tokens and widened lost 23 sources and
    21 cues of 2,061 and 2,318 so)."""
    out: list[tuple[str, int, int]] = []
    for k, (role, s, e) in enumerate(spans):
        s, e = word_bounds(text, s, e)
        if k + 1 < len(spans) and spans[k][2] <= spans[k + 1][1] < e and _verb_clitic(text, spans[k + 1][1]):
            e = spans[k + 1][1]
        if out and s < out[-1][2]:
            s = out[-1][2]
            while s < e and text[s].isspace():  # a span never opens on the space its neighbour left
                s += 1
        if s < e:
            out.append((role, s, e))
    return out


def _verb_clitic(text: str, at: int) -> bool:
    """Whether the clitic at offset at (inside a word: "He|’s", "she|’ll") is a verb's, not a
    possessive ("Cruz|’s refusal"): "’ll", "’re", "’ve", "’d", "’m", or "’s" after a subject pronoun."""
    m = re.match(r"[’']([A-Za-z]+)\b", text[at:at + 4])
    if not m:
        return False
    clitic = "'" + m.group(1).lower()
    before = re.search(r"(\w+)$", text[max(0, at - 12):at])
    return clitic in VERB_CLITICS or (clitic == "'s" and before is not None and before.group(1).lower() in CLITIC_SUBJECTS)


def bilou(labels: list[str]) -> list[str]:
    """BIO labels as the tagger learns them, BILOU: a span's last token L-, a one-token span U-, so
    that the tagger weighs where a span ends on the token that ends it."""
    out = list(labels)
    for i, lab in enumerate(labels):
        if lab != "O" and (i + 1 == len(labels) or labels[i + 1] != "I-" + lab[2:]):
            out[i] = ("U-" if lab[0] == "B" else "L-") + lab[2:]
    return out


def bio(labels: list[str]) -> list[str]:
    """The tagger's BILOU labels as BIO (L- is I-, U- is B-)."""
    return [("I-" if lab[0] == "L" else "B-" if lab[0] == "U" else lab[:2]) + lab[2:] if lab != "O" else lab
            for lab in labels]


def sources_without_figures(words: list[str], labels: list[str]) -> list[str]:
    """The labels, each source that opens with a run of figures and a comma ("14, [31 and 923, a
    spokesman for the office] said") starting after that comma: figures name nobody, and the words
    before the source are what was said (fronted_content() reads them up to the comma it finds)."""
    out = labels
    for role, b, e in bio_spans(labels):
        if role != "source":
            continue
        comma = next((k for k in range(b, e) if words[k] == ","), None)
        if comma is None or comma == b or comma + 1 == e:
            continue
        if all(w[:1].isdigit() or w.lower() in ("and", "or", "to", "%") for w in words[b:comma]):
            out = list(out)
            out[b:comma + 1] = ["O"] * (comma + 1 - b)
            out[comma + 1] = "B-source"
    return out


def fronted_content(words: list[str], labels: list[str]) -> list[str]:
    """The labels, with the content PolNeAR marks before an attribution that follows a comma: the
    words from the sentence's start to that comma, where the tagger found the source and cue but
    nothing before them, and the attribution ends the sentence ("The driver gave a blood sample,
    Sergeant X said.") or cuts it ("The museum, Mr. Bush said, celebrated …", the rest content too);
    and where it ends the sentence after a content the tagger did find but began too late, at a
    cue of its own ("Secret Service protocol called for [the nominee to be taken …], sources said.")."""
    if not any(lab.endswith("-cue") for lab in labels):
        return labels  # no attribution to read a sentence's words before (a cue may open on I-)
    bounds = sentence_bounds(words)
    out = labels
    for s0, s1 in zip(bounds, bounds[1:]):
        found = None
        for cue in (i for i in range(s1 - 1, s0 - 1, -1) if labels[i] == "B-cue"):
            begin = cue  # the attribution: the cue and the source right before it ("Sergeant X said")
            while begin > s0 and labels[begin - 1].endswith("-source"):
                begin -= 1
            after = cue + 1
            while after < s1 and labels[after] == "I-cue":
                after += 1
            if begin < cue or (after < s1 and labels[after] == "B-source"):
                found = cue, begin, after
                break  # the last cue with its source beside it; one without ("…, saying …") ends no sentence
        if found is None:
            continue
        cue, begin, after = found
        while after < s1 and labels[after].endswith("-source"):
            after += 1
        comma = next((i for i in range(begin - 1, max(s0, begin - 1 - FRONTED_GAP), -1) if words[i] == ","), None)
        if comma is None or comma == s0:
            continue
        end = s1 - (words[s1 - 1] in (".", "?", "!"))
        rest = labels[after + 1:end]
        if any(lab != "O" for lab in labels[s0:begin]):
            # a content found up to the comma but begun at a cue of its own: the sentence is what the
            # attribution at its end reports (not where quotation marks bound what was said)
            inner = comma - 1
            while inner > s0 and labels[inner] == "I-content":
                inner -= 1
            if not (labels[comma - 1].endswith("-content") and all(lab == "O" for lab in labels[after:end])
                    and not any(w in _ANY_MARK for w in words[s0:begin])
                    and any(lab[2:] in ("source", "cue") for lab in labels[s0:inner])):
                continue
            out = list(out)
        elif after + 1 < end and words[after] == "," and not any(lab[2:] in ("source", "cue") for lab in rest):
            out = list(out)
            if all(lab == "O" for lab in rest):
                out[after + 1:end] = ["B-content"] + ["I-content"] * (end - after - 2)
        else:
            clause = next((i for i in range(after, s1) if words[i] == ","), s1)
            if any(lab != "O" for lab in labels[after:clause]):
                continue  # the cue's content follows it ("In a statement, Smith said the …")
            out = list(out)
        out[s0:comma] = ["B-content"] + ["I-content"] * (comma - s0 - 1)
    return out


def sentence_bounds(words: list[str]) -> list[int]:
    """Where each sentence of a paragraph's words opens (relation_features.sentence_starts: 0 first),
    and the words' count after them: sentence k is words[bounds[k]:bounds[k + 1]]."""
    return [i for i, s in enumerate(sentence_starts(words)) if s] + [len(words)]


def _features(tagger, lexicon: dict[str, str], words: list[str]) -> list[list[bytes]]:
    """The features the tagger reads for a paragraph's words: a BiLSTM reads the neighbours' for itself
    (LstmTagger.context), the CRF is given them."""
    return features(words, lexicon, getattr(tagger, "context", True))


def _tagged(tagger, paragraphs):
    """(raw labels, marginal(label, i)) of each paragraph's features, in order: the BiLSTM-CRF tags
    them all at once (its steps run side by side); CRFsuite's Tagger one at a time, each read
    before the next is tagged (its marginals are of the paragraph it tagged last)."""
    if hasattr(tagger, "tag_many"):
        yield from ((t.labels, t.marginal) for t in tagger.tag_many(list(paragraphs)))
        return
    for feats in paragraphs:
        yield tagger.tag(feats), tagger.marginal


def _read(words: list[str], raw: list[str], marginal) -> list[str]:
    """A paragraph's raw BILOU labels as BIO, its unsure cues and sources dropped, its fronted
    contents read and a content given to a source's cue that has none."""
    return cue_contents(words, confident_spans(fronted_content(words, sources_without_figures(words, bio(raw))),
                                               lambda i: marginal(raw[i], i)))


def cue_contents(words: list[str], labels: list[str]) -> list[str]:
    """The labels, with the rest of a sentence as the content of a cue that opens it ("Constable Tim
    Fanning says at least a dozen teenagers were …"): a cue right after its source, in a sentence
    that holds no content, followed by CUE_CONTENT_MIN_WORDS words or more to the sentence's end
    that hold no role. Every relation has a content, and PolNeAR's guidelines run it from after
    the cue to the sentence's end, its full stop left out."""
    spans = bio_spans(labels)
    if not any(role == "cue" for role, _, _ in spans):
        return labels
    out = labels
    bounds = sentence_bounds(words)
    for k, (role, b, e) in enumerate(spans):
        if role != "cue" or k == 0 or spans[k - 1][0] != "source" or spans[k - 1][2] != b:
            continue
        at = bisect.bisect_right(bounds, b)
        s0, end = bounds[at - 1], bounds[at]  # the cue's sentence
        stop = end - 1 if words[end - 1] in (".", "?", "!") else end
        if stop - e < CUE_CONTENT_MIN_WORDS or any(lab != "O" for lab in out[e:end]):
            continue
        if any(lab.endswith("content") for lab in out[s0:end]):
            continue
        out = list(out)
        out[e:stop] = ["B-content"] + ["I-content"] * (stop - e - 1)
    return out


def _tag_alone(tagger, lexicon: dict[str, str], words: list[str]) -> list[str]:
    """The labels the tagger gives words as a paragraph of their own (a paragraph, or a part of one
    tagged again), read by _read()."""
    raw, marginal = next(_tagged(tagger, [_features(tagger, lexicon, words)]))
    return _read(words, raw, marginal)


def sentences_alone(words: list[str], labels: list[str], tag, lexicon: dict[str, str]) -> list[str]:
    """The labels, with each sentence the tagger left without a role in its paragraph but which
    holds a word whose lemma is often a cue (settings.ALONE_CUE_LEVELS) tagged again on its own
    (tag(sentence words) -> labels), and those labels taken where they hold a cue: a paragraph's
    first sentence is the commonest attribution in news, and the tagger reads a sentence there
    unswayed by the relation before it ("… shows they are not compliant. The email further goes
    on to say the new guidance applies …")."""
    out = labels
    if len(words) > CRF_WINDOW_TOKENS:
        return out
    bounds = sentence_bounds(words)
    if len(bounds) < 3:
        return out  # one sentence: tagged alone already
    for s0, s1 in zip(bounds, bounds[1:]):
        if any(lab != "O" for lab in labels[s0:s1]):
            continue
        if not any(lexicon.get(lemma(w.lower())) in ALONE_CUE_LEVELS for w in words[s0:s1]):
            continue
        alone = tag(words[s0:s1])
        if any(lab.endswith("-cue") for lab in alone):
            out = list(out)
            out[s0:s1] = alone
    return out


def confident_spans(labels: list[str], marginal) -> list[str]:
    """The labels without the cues and sources the tagger is unsure of: a cue span whose tokens'
    marginal probability of their label (marginal(i), CRFsuite's forward-backward) averages under
    settings.CRF_CUE_CONFIDENCE is no cue, a source span under CRF_SOURCE_CONFIDENCE no source."""
    out = labels
    for role, b, e in bio_spans(labels):
        if role not in ("cue", "source"):
            continue  # a content keeps its span whatever its marginals: none are computed for it
        floor = CRF_CUE_CONFIDENCE if role == "cue" else CRF_SOURCE_CONFIDENCE
        if sum(marginal(i) for i in range(b, e)) / (e - b) < floor:
            out = list(out)
            out[b:e] = ["O"] * (e - b)
    return out


def signed_quotations(words: list[str], labels: list[str]) -> list[str]:
    """The labels, with a quotation signed after its closing mark by a dash and a name (“…” ― Sonya
    Herridge) as a relation: the dash its cue, the name its source, the quotation, marks included,
    its content, as PolNeAR marks them: the tagger finds none of dev's 24 (train has none of this form)."""
    out = labels
    if SIGNATURE_DASHES.isdisjoint(words):
        return out  # no dash to sign with
    for i in range(1, len(words) - 1):
        if not (words[i] in SIGNATURE_DASHES and words[i - 1] in _CLOSE_MARKS and words[i + 1][:1].isupper()):
            continue
        end = i + 1
        while end < len(words) and end - i <= SIGNATURE_NAME and words[end][:1].isupper() and words[end][:1].isalpha():
            end += 1
        if end < len(words) and words[end] not in (".", ",", "(") and words[end] not in _ANY_MARK:
            continue  # the name runs on into a sentence: not a signature
        opening = next((k for k in range(i - 2, -1, -1) if words[k] in _OPEN_MARKS or k == 0), 0)
        if words[opening] not in _ANY_MARK or any(lab[2:] in ("source", "cue") for lab in labels[opening:end]):
            continue
        out = list(out)
        out[opening:i] = ["B-content"] + ["I-content"] * (i - opening - 1)
        out[i] = "B-cue"
        out[i + 1:end] = ["B-source"] + ["I-source"] * (end - i - 2)
    return out


def quotations_apart(words: list[str], labels: list[str], tag, lexicon: dict[str, str]) -> list[str]:
    """The labels, with an unquoted content after its cue that runs on past its sentence's end into
    a quotation, where those later words hold a cue the tagger labels or a likely cue word
    (settings.ALONE_CUE_LEVELS), cut at that sentence's start, and the later sentences tagged again
    on their own (tag(words) -> labels), the quotation's opening mark with them ("X said the deaths
    were a reminder … . 'I can't speak for …,' Gaskin told the Herald."): what one cue reports does
    not run into a quotation another introduces, and its relation would read as mixed."""
    out = labels
    spans = bio_spans(labels)
    if not {"content", "cue"} <= {role for role, _, _ in spans}:
        return out  # no content after a cue of its own
    bounds = sentence_bounds(words)
    for role, b, e in spans:
        if role != "content" or words[b] in _ANY_MARK:
            continue
        opened = max(i for i in bounds if i <= b)
        if not any(lab.endswith("-cue") for lab in labels[opened:b]):
            continue  # only a content after its own cue, unquoted where it starts
        for k in (i for i in bounds if b < i < e):
            # the opening mark may end the sentence before it, as sentence_starts reads a lone "'"
            at = k - 1 if words[k - 1] in _ANY_MARK and words[k - 2] in (".", "?", "!") and k - 1 > b else k
            if any(w in _ANY_MARK for w in words[b:at]):
                break  # quoted before this sentence: a mixed content in its own right
            if not any(w in _ANY_MARK for w in words[at:e]):
                break  # no quotation after it: a report of several sentences
            end = min(i for i in bounds if i >= e)
            if not any(lab.endswith("-cue") for lab in labels[e:end]) and not any(
                    lexicon.get(lemma(w.lower())) in ALONE_CUE_LEVELS for w in words[at:end]):
                continue
            out = list(out)
            out[at:end] = tag(words[at:end])
            break
    return out


def trimmed_sources(words: list[str], labels: list[str]) -> list[str]:
    """The labels, each source without a comma after it ("The mayor ," -> "The mayor"; an appositive's
    closing comma, "Mr. Frum , a former speechwriter ... ,", stays, as PolNeAR keeps it) and without
    an adverb at its end ("Ms. Capito also")."""
    out = labels
    for role, b, e in bio_spans(labels):
        if role == "source" and e - b > 1 and ((words[e - 1] == "," and "," not in words[b:e - 1])
                                              or words[e - 1].lower() in SOURCE_TAIL_ADVERBS):
            out = list(out)
            out[e - 1] = "O"
    return out


def _may_attribute(words: list[str], lexicon: dict[str, str]) -> bool:
    """Whether a paragraph may hold an attribution: a quotation mark, or a word whose lemma the cue
    lexicon rates at one of settings.CRF_CUE_LEVELS."""
    return any(w in _ANY_MARK or lexicon.get(lemma(w.lower())) in CRF_CUE_LEVELS for w in words)


def reporting_cue(cue: TextSpan) -> bool:
    """Whether a cue holds a word whose lemma the cue lexicon rates as a reporting verb
    (settings.FRAME_CUE_LEVELS: "said", "confirmed", "according to"), not a verb the tagger
    sometimes reads as one ("addressed", "extended")."""
    lexicon = cue_lexicon()
    return any(lexicon.get(lemma(w.lower())) in FRAME_CUE_LEVELS for w in re.findall(r"[A-Za-z]+", cue.text))


def bio_spans(labels: list[str], inside_starts: bool = True) -> list[tuple[str, int, int]]:
    """(role, first token, one past last token) of each BIO span.

    inside_starts: an I- after O or another role starts a span too, as the tagger reads its own
    labels (the CRF allows the transition, and reading it as a start keeps the span). False reads
    them as CofeNet's evaluation (get_element) does: a span starts only at B-, and such an I- ends
    the open span and starts none."""
    if labels.count("O") == len(labels):
        return []  # many a paragraph the tagger reads holds no role: one pass in C, not a loop here
    out, role, begin = [], None, 0
    starts = ("B", "I") if inside_starts else ("B",)
    for i, lab in enumerate(labels):
        if lab == "O":  # most tokens: the open span ends here
            if role is not None:
                out.append((role, begin, i))
                role = None
            continue
        kind, _, r = lab.partition("-")
        if kind == "I" and role == r:
            continue
        if role is not None:
            out.append((role, begin, i))
        role, begin = (r, i) if kind in starts else (None, 0)
    if role is not None:
        out.append((role, begin, len(labels)))
    return out


def kind_of(text: str, content: tuple[TextSpan, ...]) -> str:
    """direct: every part inside quotation marks; mixed: some quoted words; indirect: none. Two
    apostrophes ('' in archive copy, `` '' in Penn Treebank text) are a mark as " is."""
    inside = []
    for c in content:
        body = text[c.start:c.end].strip(" .,;:")
        before = text[max(0, c.start - 3):c.start].strip()
        opened = _mark_starts(body) or _mark_ends(before)
        closed = _mark_ends(body) or _mark_starts(text[c.end:c.end + 3].lstrip(" .,"))
        inside.append(opened and closed)
        if not (opened and closed) and any(ch in _MARK_CHARS for ch in body.replace("''", '"').replace("``", '"')):
            return "mixed"
    return "direct" if all(inside) else "mixed" if any(inside) else "indirect"


def group(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[list, tuple | None, tuple | None]]:
    """Tagged spans as (contents, source, cue) relations: each content and source joins the nearest cue
    of its paragraph (same sentence first). A cue whose content the tagger missed still makes a
    relation (with no content): its source and cue are right where they are. A paragraph
    with no cue that continues a quotation left open (one opening mark per paragraph) joins it."""
    paras = paragraphs(text)
    out: list[tuple[list, tuple | None, tuple | None]] = []
    by_para: dict[int, list] = {}
    pi = 0
    for span in spans:
        while pi + 1 < len(paras) and span[1] >= paras[pi][1]:
            pi += 1
        by_para.setdefault(pi, []).append(span)
    for pi in sorted(by_para):
        items = by_para[pi]
        cues = [s for s in items if s[0] == "cue"]
        if not cues:
            contents = [s for s in items if s[0] == "content"]
            sources = [s for s in items if s[0] == "source"]
            if contents and not sources and out and _continues(text, out[-1], contents[0]):
                out[-1][0].extend(contents)
                continue
            for c in contents:
                out.append(([c], sources[0] if sources else None, None))
            continue  # a source with neither cue nor content in its paragraph says nothing
        rel: dict[tuple, tuple[list, tuple | None]] = {c: ([], None) for c in cues}
        p_start, p_end = paras[pi]
        breaks = [m.end() for m in _SENTENCE_END.finditer(text, p_start, p_end)]
        starts = [c[1] for c in cues]
        for s in items:
            if s[0] == "cue":
                continue
            k = bisect.bisect_left(starts, s[1])
            near = cues[max(0, k - 2):k + 2]  # the nearest cues either side: a cue farther off never wins
            here = bisect.bisect_right(breaks, s[1])
            cue = min(near, key=lambda c: (bisect.bisect_right(breaks, c[1]) != here, _gap(s, c)))
            contents, source = rel[cue]
            if s[0] == "content":
                contents.append(s)
            elif source is None or _gap(s, cue) < _gap(source, cue):
                source = s
            rel[cue] = (contents, source)
        for cue in cues:
            contents, source = rel[cue]
            out.append((sorted(contents), source, cue))
    return out


def _continues(text: str, previous: tuple, content: tuple) -> bool:
    """Whether content opens a paragraph with a quotation mark that continues the previous relation's
    quotation, left open at the end of its paragraph."""
    if not previous[0] or not text[content[1]:content[1] + 2].lstrip()[:1] in _OPEN_MARKS:
        return False
    last = previous[0][-1]
    tail = text[last[1]:last[2]].rstrip(" .,")
    return bool(tail) and tail[-1] not in _CLOSE_MARKS and "\n" in text[last[2]:content[1]]


def _gap(a: tuple, b: tuple) -> int:
    return max(a[1] - b[2], b[1] - a[2], 0)


def find_relations(text: str, quotes: Sequence[Quote] = (), model: Path = MODEL, cues: Path = CUES) -> list[Relation]:
    """Every attribution relation in an article's text, in text order, with character offsets.

    quotes (quotes.py's, with their speakers) lend their speaker mention to a quotation whose source
    is printed in another sentence or paragraph, which the tagger (one paragraph at a time) cannot see.
    """
    grouped = group(text, tag_spans(text, model, cues))

    def span(s):
        return TextSpan(s[1], s[2], text[s[1]:s[2]]) if s else None

    rows = []
    for contents, source, cue in grouped:
        content = tuple(span(c) for c in contents)
        source = span(source)
        if cue is not None and source is not None and _addressed(text, cue[1], cue[2]):
            source = None  # "staff were told to …": the staff are told, someone unnamed tells them
        if source is None and content:
            source = _quoted_mention(text, content, quotes)
        source = _undated_source(text, source)
        where = min(x.start for x in (*content, source, span(cue)) if x is not None)
        rows.append((content, source, span(cue), where))
    speakers = resolve_speakers(text, [(r[1], r[3]) for r in rows])
    out = [Relation(kind=kind_of(text, c) if c else "indirect", content=c, source=s, cue=q, speaker=who)
           for (c, s, q, _), who in zip(rows, speakers)]
    out = chained_sources(text, out)
    return [out[i] for i in sorted(range(len(out)), key=lambda i: (rows[i][3], i))]


def chained_sources(text: str, relations: list[Relation]) -> list[Relation]:
    """The relations, each with a cue but no source whose cue is chained to the relation's cue just
    before it in its sentence given that relation's source and speaker: a participle opening a
    clause after a comma, "and", a dash or a preposition (settings.CHAINED_CLAUSE_OPENERS: "Trump
    said …, adding that …", "McAuliffe said in making his announcement, noting that …"), or a cue
    joined to it by "and" ("A spokesman defended the route and said the police had …"). The clause
    shares its subject with the cue before it, and PolNeAR marks that subject as both relations'
    source; the tagger marks a span once and leaves the second relation without. In PolNeAR train's
    other nine tenths, a participle or "and"-joined cue with an earlier cue in its sentence has the
    earlier relation's very source span in 807 of 1,002 relations, and no source in 66. A chain is
    read in text order, so a third cue ("…, adding … and warning …") takes what the second took."""
    order = sorted((i for i, r in enumerate(relations) if r.cue is not None), key=lambda i: relations[i].cue.start)
    out = list(relations)
    for k, i in enumerate(order):
        r = out[i]
        if r.source is not None or k == 0:
            continue
        before = out[order[k - 1]]
        if before.source is None or before.cue.end > r.cue.start:
            continue
        between = text[before.cue.end:r.cue.start]
        if "\n" in between or _SENTENCE_END.search(between + " "):
            continue  # the cue before it ends another sentence
        words = re.findall(r"\w+|--|[^\w\s]", between)
        while words and words[-1] in _ANY_MARK:
            words.pop()  # a quotation closed before the clause: "… “deal is bad,” adding that …"
        opener = words[-1:]
        first = (r.cue.text.split() or [""])[0].lower()
        participle = first.endswith("ing") and len(first) > 4 and first != "according"
        if (participle and opener and opener[0].lower() in CHAINED_CLAUSE_OPENERS) or opener == ["and"]:
            out[i] = replace(r, source=before.source, speaker=before.speaker)
    return out


def _undated_source(text: str, source: TextSpan | None) -> TextSpan | None:
    """A source mention without the dateline it runs into (headlines.outside_dateline: "RALEIGH —
    The federal judge" is the judge), or None where it is all dateline ("PATNA")."""
    if source is None:
        return None
    kept = outside_dateline(text, source.start, source.end)
    return TextSpan(kept[0], kept[1], text[kept[0]:kept[1]]) if kept else None


def _addressed(text: str, start: int, end: int) -> bool:
    """Whether the cue text[start:end] is a passive directive ("were told", "was ordered"): its
    subject is the addressee."""
    words = (text[max(0, start - 12):start].split()[-1:] + text[start:end].split())[-2:]
    return len(words) == 2 and words[0].lower() in PASSIVE and words[1].lower() in DIRECTIVES


def _quoted_mention(text: str, content: tuple[TextSpan, ...], quotes: Sequence[Quote]) -> TextSpan | None:
    """The speaker mention quotes.py found for a quotation inside this content, if any."""
    for q in quotes:
        if q.mention_start is not None and any(c.start <= q.start < c.end for c in content):
            return TextSpan(q.mention_start, q.mention_end, text[q.mention_start:q.mention_end])
    return None


class Contents:
    """The content spans of an article's relations, sorted, so that the relation covering a
    stretch of text is found by bisection (an article of 2 MB has thousands of each)."""

    def __init__(self, relations: Sequence[Relation]):
        self.relations = list(relations)
        self.spans = sorted((c.start, c.end, i) for i, r in enumerate(self.relations) for c in r.content)
        self.starts = [s for s, _, _ in self.spans]
        self.longest = max((e - s for s, e, _ in self.spans), default=0)

    def covering(self, start: int, end: int) -> Relation | None:
        """The relation whose content spans hold most of text[start:end] (at least half of it; the
        first such relation on a tie), or None: the attribution of a quotation or unit there."""
        held: dict[int, int] = {}
        lo, hi = bisect.bisect_left(self.starts, start - self.longest), bisect.bisect_left(self.starts, end)
        for s, e, i in self.spans[lo:hi]:  # every span that may overlap starts in [start - longest, end)
            held[i] = held.get(i, 0) + max(0, min(end, e) - max(start, s))
        best, most = None, max(1, (end - start) / 2)
        for i in sorted(held):
            if held[i] >= most and (best is None or held[i] > most):
                best, most = i, held[i]
        return None if best is None else self.relations[best]


def quoted_speakers(text: str, quotes: Sequence[Quote], relations: Sequence[Relation]) -> list[Quote]:
    """The quotations with their speakers as entities (entities.quote_speaker); one that quotes.py
    gave no speaker takes the source and speaker of the relation that holds it, where it has both."""
    out, contents = [], Contents(relations)
    for q in quotes:
        mention = (q.mention_start, q.mention_end) if q.mention_start is not None else None
        speaker = quote_speaker(text, q.speaker, mention)
        if speaker is None:
            r = contents.covering(q.start, q.end)
            if r is not None and r.source is not None and r.speaker:
                q = replace(q, speaker=r.speaker, cue=r.cue.text if r.cue else None,
                            mention_start=r.source.start, mention_end=r.source.end)
                out.append(q)
                continue
            q = replace(q, cue=None, mention_start=None, mention_end=None)
        out.append(replace(q, speaker=speaker))
    return out


def quote_attribution(text: str, q: Quote, contents: Contents) -> Relation | None:
    """A quotation's attribution: the relation that holds it, with the quotation's own source and
    speaker (so a variant and its attribution name one speaker); a quotation with a speaker but no
    relation is a direct one of its own, with no cue span."""
    r = contents.covering(q.start, q.end)
    if q.mention_start is None or not q.speaker:
        return r if r is not None and r.source is not None else None
    source = TextSpan(q.mention_start, q.mention_end, text[q.mention_start:q.mention_end])
    if r is None:
        return Relation(kind="direct", content=(TextSpan(q.start, q.end, q.text),), source=source, cue=None,
                        speaker=q.speaker)
    return replace(r, source=source, speaker=q.speaker)


def attributions(article: str, text: str, relations: Sequence[Relation]) -> list[Attribution]:
    """The comparison's top-level `attributions`: each indirect relation with a content, a cue and a
    speaker, its content from the first span's start to the last one's end."""
    out = []
    for r in relations:
        if r.kind == "indirect" and r.content and r.cue is not None and r.speaker:
            start, end = r.content[0].start, r.content[-1].end
            out.append(Attribution(article=article, start=start, end=end, text=text[start:end], speaker=r.speaker,
                                   cue=r.cue.text))
    return out
