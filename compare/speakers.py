"""Who said each quotation: candidate mentions around it, ranked by a small log-linear model.

quotes.py's cue rules find the obvious speakers ("…," said Jon Smith). News copy often names
the speaker elsewhere: a sentence later ("… ,” Ms. Okafor said after the vote"), in the
sentence before ("Cruz called them on it:"), in the paragraph before a quotation that fills its
own paragraph, or as a pronoun whose antecedent came earlier. Every capitalised name, pronoun,
document ("the email") and cue-adjacent noun phrase in a window around the quotation is a
candidate; the rules' choice is one feature among the others (position, distance, an adjacent
cue verb, a colon before the quotation, a preposition before the mention, …). The weights in
speaker_model.json were learned from PolNeAR's train split by scripts/train_speakers.py (softmax
over the candidates of a quotation, plus "no speaker"); dev is held out (bench/attribution.py).

The chosen mention is kept as printed (mention_start/end); the speaker string is an entity:
pronouns and descriptions are resolved to the nearest compatible named speaker or document,
and cue words never stay in it.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from pressdiff.core.records import Quote
from pressdiff.core.repair import repair

from .settings import (
    ABBREVIATED,
    CUE_VERBS,
    DOCUMENT_NOUNS,
    GOVERNMENT_BODIES,
    NAME_PARTICLE,
    NAME_TITLES,
    NOT_NAMES,
    ORG_ROLES,
    ORGANISATION_WORDS,
    PERSON_ROLES,
    PERSONAL_PRONOUNS,
    PREPOSITIONS,
    PRONOUNS,
    VERB_CLITICS,
)
from .text import fold, paragraphs, sentences, title_end

_CUE = rf"(?:{CUE_VERBS})"
_TITLE = rf"(?:(?:{NAME_TITLES})\.?\s)"
_CAP = r"[A-Z][\w'’.-]*"
# "Mr. Trump", "Hillary Rodham Clinton", "Kevin D. Williamson", "Beto O’Rourke", "Bill de Blasio": a
# particle (settings.NAME_PARTICLES) is a name's word only before the name's next capitalised word,
# never the first letters of the word after a name ("Boot la|ments", "Mr. Putin al|so").
_NAME_RE = re.compile(rf"\b{_TITLE}?{_CAP}(?:\s(?:{_CAP}|{NAME_PARTICLE}))*")
_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)\b")
# Noun phrases that can speak or stand for a speaker, each opened by a determiner:
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)"
# a document, as a speaker: "the leaked email", "a statement" (the candidate and the cue rules);
_DOCUMENT_SPEAKER = re.compile(rf"\b{_DETERMINER}\s(?:[\w-]+\s){{0,2}}(?:{DOCUMENT_NOUNS})s?\b")
# a description that stands for a person or body named earlier: "the minister", "its department";
_DESCRIPTION = re.compile(rf"{_DETERMINER}\s(?:[a-z][\w'’-]*\s){{0,2}}[a-z][\w'’-]*")
# a document mentioned anywhere before a quotation, determiner optional, in any case: what
# "it said" refers to ("in an email to staff ... it said").
_DOCUMENT_MENTION = re.compile(rf"\b(?:the |a |an |its |in an? )?((?:[\w-]+ ){{0,2}}(?:{DOCUMENT_NOUNS}))\b", re.I)
# "the spokesman said", "said a spokeswoman for the campaign": a description next to a cue
_NOMINAL_BEFORE_CUE = re.compile(rf"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Oo]ne|[Aa]nother)"
                                 rf"(?:\s[a-z][\w'’-]*){{1,3}}(?=\s+(?:also\s+|later\s+|then\s+)?{_CUE}\b)")
_NOMINAL_AFTER_CUE = re.compile(rf"\b{_CUE}\s(?P<np>(?:the|an?|his|her|its|their|one|another)(?:\s[a-z][\w'’-]*){{1,3}})")
_CUE_RIGHT = re.compile(rf"^(?:,\s[^,\n]{{1,140}},)?\s*(?:(?:also|later|then|has|had|have|once|previously|"
                        rf"recently|repeatedly|simply|again|quickly|would|will)\s+)?{_CUE}\b")
_CUE_LEFT = re.compile(rf"\b{_CUE}\s*(?:,\s*)?$")
_PREP_LEFT = re.compile(rf"\b(?:{PREPOSITIONS})\s+(?:the\s+)?$", re.I)
_ACCORDING_LEFT = re.compile(r"\baccording to\s+$", re.I)
_TOLD_LEFT = re.compile(r"\b(?:told|asked|to|interviewed|by)\s+(?:the\s+)?$")  # "told the Daily Telegraph"
PERSONAL = {"he", "she", "i"}
# A name at a sentence's opening, in the subject's place: at most four words after the sentence
# begins, none of them a preposition ("The German Chancellor, Angela Merkel, …"); "The talks in
# New York" is not.
_SUBJECT = re.compile(rf"(?:^|[.!?\n][\"”’']?\s+)(?:(?!(?:{PREPOSITIONS})\b)[\w'’-]+,?\s+){{0,4}}$")
# ... or the source of a reporting verb ("Fighting accusations …, Angela Merkel said the crisis …").
# Only the plain verbs of saying: "American Marines responded" is no one's remark.
_CUE_AFTER = re.compile(r",?\s+(?:\w+ly\s+)?(?:said|says|told|tells|added|adds|stated|states|wrote|writes)\b")
NONE = "NONE"
# The model's weights (speaker_model.json), written by scripts/train_speakers.py from PolNeAR's
# train split; regenerate, never edit by hand.
WEIGHTS: dict[str, float] = json.loads(Path(__file__).with_name("speaker_model.json").read_text("utf-8"))


@dataclass(frozen=True)
class Mention:
    """A stretch of text that may name a quotation's speaker."""

    start: int
    end: int
    text: str
    kind: str  # name | pronoun | document | nominal


class _Layout:
    """Sentence, paragraph and quotation spans of one text, for quick look-ups."""

    def __init__(self, text: str, quotes: list[Quote]):
        self.text = text
        self.sents = sentences(text)
        self.sent_starts = [s for s, _ in self.sents]
        self.paras = paragraphs(text)
        self.para_starts = [s for s, _ in self.paras]
        self.quote_spans = sorted((q.start - 1, q.end + 1) for q in quotes)
        self.quote_starts = [s for s, _ in self.quote_spans]

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def paragraph_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def in_quote(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a quotation (marks included)."""
        # quotations do not nest: the last one starting before end reaches furthest
        i = bisect.bisect_left(self.quote_starts, end) - 1
        return i >= 0 and self.quote_spans[i][1] > start


def candidates(layout: _Layout, q: Quote) -> list[Mention]:
    """Mentions in the window around q: two sentences before its own, one after."""
    text = layout.text
    first = layout.sentence_at(q.start)
    last = layout.sentence_at(max(q.start, q.end - 1))
    lo = layout.sents[max(0, first - 2)][0] if layout.sents else 0
    hi = layout.sents[min(len(layout.sents) - 1, last + 1)][1] if layout.sents else len(text)
    para = layout.paras[layout.paragraph_at(q.end)] if layout.paras else (0, len(text))
    if layout.sents and layout.sents[min(len(layout.sents) - 1, last + 1)][0] >= para[1]:
        hi = max(q.end, para[1])  # the sentence after belongs to the next paragraph: not there
    found: dict[tuple[int, int], Mention] = {}
    for kind, pattern in (("document", _DOCUMENT_SPEAKER), ("nominal", _NOMINAL_BEFORE_CUE), ("nominal", _NOMINAL_AFTER_CUE),
                          ("name", _NAME_RE), ("pronoun", _PRONOUN_RE)):
        for m in pattern.finditer(text, lo, hi):
            s, e = m.span("np") if "np" in pattern.groupindex else m.span()
            if q.start - 1 < e and s < q.end + 1:
                continue  # inside the quotation itself
            if kind == "name":
                words = m.group().split()
                while words and words[0].strip(".").lower() in NOT_NAMES:
                    s += len(words[0]) + 1
                    words.pop(0)
                if not words:
                    continue
                e = s + len(" ".join(words))
                if len(words) == 1 and words[0].lower() in PRONOUNS:
                    continue
            if layout.in_quote(s, e) or any(s < o[1] and o[0] < e for o in found):
                continue
            found[(s, e)] = Mention(s, e, text[s:e], kind)
    return sorted(found.values(), key=lambda m: m.start)


def features(layout: _Layout, q: Quote, m: Mention, rank: int, rule: tuple[int, int] | None,
             previous_speaker: str | None) -> list[str]:
    """The binary features of one candidate mention for quotation q."""
    text = layout.text
    after = m.start >= q.end
    direction = "after" if after else "before"
    q_first, q_last = layout.sentence_at(q.start), layout.sentence_at(max(q.start, q.end - 1))
    ms = layout.sentence_at(m.start)
    if q_first <= ms <= q_last:
        where = "same"
    elif ms < q_first:
        where = f"prev{min(q_first - ms, 2)}"
    else:
        where = "next"
    if layout.paragraph_at(m.start) != layout.paragraph_at(q.start if not after else max(q.start, q.end - 1)):
        where += "P"
    gap = (q.start - m.end) if not after else (m.start - q.end)
    dist = "d0" if gap < 4 else "d1" if gap < 20 else "d2" if gap < 60 else "d3" if gap < 150 else "d4"
    right = text[m.end:m.end + 160]
    left = text[max(0, m.start - 40):m.start]
    words = m.text.split()
    f = [f"k={m.kind}", f"{direction}", f"{direction}&{where}", f"{direction}&{where}&k={m.kind}",
         f"{direction}&{dist}", f"{direction}&r{min(rank, 3)}", f"{direction}&r{min(rank, 3)}&k={m.kind}",
         f"w{min(len(words), 3)}&k={m.kind}"]
    if _overlaps(m, rule):
        f += ["rule", f"rule&k={m.kind}"]
    if _CUE_RIGHT.match(right):
        f += ["cueR", f"cueR&{direction}&{where}", f"cueR&k={m.kind}"]
    if _CUE_LEFT.search(left):
        f += ["cueL", f"cueL&{direction}&{where}", f"cueL&k={m.kind}"]
    if re.match(r"^['’]s\b", right):
        f.append("possessive")
    if _ACCORDING_LEFT.search(left):
        f.append("according")
    elif _TOLD_LEFT.search(left):
        f.append(f"object&k={m.kind}")
    elif _PREP_LEFT.search(left):
        f.append(f"prep&k={m.kind}")
    if not after:
        between = text[m.end:q.start - 1].rstrip()
        if between.endswith(":"):
            f += ["colon", f"colon&{where}"]
        elif between.endswith(","):
            f.append("comma_before_quote")
        if "\n" not in between and len(between) < 3:
            f.append("adjacent_before")
    sent_start = layout.sents[ms][0] if layout.sents else 0
    if not text[sent_start:m.start].strip(" \"“‘'(—–-"):
        f.append(f"sentence_initial&{direction}")
    if words and words[0].rstrip(".") in NAME_TITLES_SET:
        f.append("title")
    if m.kind == "pronoun":
        f.append(f"pron={m.text.lower()}&{direction}")
    if previous_speaker and _same_entity(m.text, previous_speaker):
        f.append(f"previous_speaker&{where}")
    return f


def quote_features(layout: _Layout, q: Quote, rule: tuple[int, int] | None, n: int) -> list[str]:
    """The features of choosing no speaker at all for q."""
    text = layout.text
    p = layout.paras[layout.paragraph_at(q.start)] if layout.paras else (0, len(text))
    f = [NONE, f"{NONE}&n{min(n, 6)}"]
    if rule is None:
        f.append(f"{NONE}&no_rule")
    if not text[p[0]:q.start].strip(" \"“‘'"):
        f.append(f"{NONE}&para_initial")
    if not text[q.end:p[1]].strip(" \"”’'.,;:!?"):
        f.append(f"{NONE}&para_final")
    nwords = len(q.text.split())
    size = f"qw{0 if nwords <= 3 else 1 if nwords <= 8 else 2}"
    # speech is a clause: it opens with a capital and ends in punctuation inside the marks;
    # a title or a scare quote ("called them 'deplorables'") usually does neither
    shape = ("cap" if q.text[:1].isupper() else "low") + ("_punct" if q.text.rstrip()[-1:] in ",.?!…" else "")
    f += [f"{NONE}&{size}", f"{NONE}&{shape}", f"{NONE}&{size}&{shape}"]
    if q.continued:
        f.append(f"{NONE}&continued")
    return f


def score(feats: list[str], weights: dict[str, float]) -> float:
    return sum(weights.get(x, 0.0) for x in feats)


def rank_speakers(text: str, quotes: list[Quote], weights: dict[str, float]) -> list[Quote]:
    """Each quotation with the speaker mention the model prefers (or none), resolved to an entity."""
    if not quotes or not weights:
        return quotes
    layout = _Layout(text, quotes)
    out: list[Quote] = []
    previous = None  # the rules' speaker of the quotation before, as in training
    for q in quotes:
        cands, rule, rows = options(layout, q, previous)
        previous = q.speaker or previous
        if rule is not None and not any(_overlaps(m, rule) for m in cands):
            out.append(q)  # the rules carried a speaker over from beyond the window (a long quotation's end)
            continue
        scores = [score(r, weights) for r in rows]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        if best == len(cands) and rule is not None and _in_later_sentence(layout, q, rule):
            out.append(q)  # quotes.py's "…” The ruling was wrong, said Ms. Okafor.": PolNeAR's train split has none to learn from
            continue
        if best == len(cands):
            q = replace(q, speaker=None, cue=None, mention_start=None, mention_end=None)
        elif not _overlaps(cands[best], rule):
            m = cands[best]
            if _inside_document_subject(text, rule, m):
                out.append(q)  # "The email to the … Technology unit stated:": the email speaks
                continue
            q = replace(q, speaker=m.text, cue=_cue_near(text, m), mention_start=m.start, mention_end=m.end)
        out.append(q)
    return resolve(text, _share_across_paragraphs(out))


def _share_across_paragraphs(quotes: list[Quote]) -> list[Quote]:
    """A quotation that runs over several paragraphs has one speaker: its parts share it."""
    out = list(quotes)
    for i in range(1, len(out)):  # forwards: the part that names the speaker first wins
        if out[i].continued and not out[i - 1].closed and out[i - 1].mention_start is not None:
            out[i] = attributed_as(out[i], out[i - 1])
    for i in range(len(out) - 1, 0, -1):  # then backwards: a long quotation attributed at its end
        if out[i].continued and not out[i - 1].closed and out[i - 1].mention_start is None \
                and out[i].mention_start is not None:
            out[i - 1] = attributed_as(out[i - 1], out[i])
    return out


def attributed_as(q: Quote, other: Quote) -> Quote:
    """q attributed as other is: the same speaker, cue and mention."""
    return replace(q, speaker=other.speaker, cue=other.cue, mention_start=other.mention_start,
                   mention_end=other.mention_end)


def options(layout: _Layout, q: Quote, previous: str | None):
    """(candidates, the rules' mention, feature rows: one per candidate, then "no speaker")."""
    rule = (q.mention_start, q.mention_end) if q.mention_start is not None else None
    cands = candidates(layout, q)
    before = [m for m in cands if m.end <= q.start]
    after = [m for m in cands if m.start >= q.end]
    ranks = {id(m): i + 1 for i, m in enumerate(reversed(before))}
    ranks.update({id(m): i + 1 for i, m in enumerate(after)})
    rows = [features(layout, q, m, ranks[id(m)], rule, previous) for m in cands]
    rows.append(quote_features(layout, q, rule, len(cands)))
    return cands, rule, rows


def _overlaps(m: Mention, span: tuple[int, int] | None) -> bool:
    return span is not None and m.start < span[1] and span[0] < m.end


def _in_later_sentence(layout: _Layout, q: Quote, span: tuple[int, int]) -> bool:
    return span[0] >= q.end and layout.sentence_at(span[0]) > layout.sentence_at(max(q.start, q.end - 1))


def _inside_document_subject(text: str, rule: tuple[int, int] | None, m: Mention) -> bool:
    """Whether m sits in the tail of the rules' document subject, before the quotation's cue."""
    if rule is None or not _DOCUMENT_SPEAKER.match(text, rule[0]) or not rule[1] <= m.start:
        return False
    # a second clause would end the subject; "and" inside a name ("Data and Technology") does not
    return not re.search(r"[.;!?]|\band\b(?!\s+[A-Z])|\b(?:but|while|who|which|was|were|is|are|has|had)\b",
                         text[rule[1]:m.end])


def _cue_near(text: str, m: Mention) -> str | None:
    right = re.match(rf"^(?:,\s[^,\n]{{1,140}},)?\s*(?:\w+\s+)?(?P<cue>{_CUE})\b", text[m.end:m.end + 160])
    if right:
        return right.group("cue")
    left = re.search(rf"\b(?P<cue>{_CUE})\s*,?\s*$", text[max(0, m.start - 30):m.start])
    return left.group("cue") if left else None


# -- entities -------------------------------------------------------------------------------

NAME_TITLES_SET = frozenset(NAME_TITLES.split("|"))
# lower-case anywhere, capitalised only where it opens the string ("Stated Stone"): "United States"
_CUE_INSIDE = re.compile(rf"\b(?:{CUE_VERBS})\b|^(?i:{CUE_VERBS})\b")
_LEADING_CUE_WORDS = re.compile(r"^(?:(?:more|much|some|part|parts|most|rest|all|one|another)\s+of\s+)", re.I)


def entity(mention: str) -> str:
    """A speaker string as an entity: no apposition, no cue words, no "the" before a proper name,
    no mojibake ("RaÃºl M. Grijalva" -> "Raúl M. Grijalva")."""
    who = re.split(r",\s|\s\(|\s[—–-]\s", repair(mention))[0].strip(" ,.;:\"“”‘’'")
    who = _LEADING_CUE_WORDS.sub("", who)  # "More of the email" -> "the email"
    # a cue verb caught inside ("said Jim Bopp", "Cruz said as the heckler", a headline's
    # "Obama Says …"): the name is the part that looks like one
    parts = [p.strip() for p in _CUE_INSIDE.split(who) if p.strip()]
    if len(parts) <= 1:
        who = parts[0] if parts else ""
    else:
        who = next((p for p in parts if re.match(r"[A-Z]|(?:the|an?|one|another|his|her|its|their)\s", p)), "")
        if _NAME_RE.match(who):
            who = _NAME_RE.match(who).group()
    words = who.split()
    # "percent", "out of the car and repeatedly": no entity at all
    if words and (words[0].lower() in NOT_NAMES or _PREP_LEFT.match(words[0] + " ")) and not re.match(r"(?:the|an?|one|another)\b", words[0], re.I):
        return ""
    if len(words) == 1 and words[0].islower() and words[0] not in PERSON_ROLES | ORG_ROLES | PRONOUNS:
        return ""
    if len(words) > 1 and words[0].lower() == "the" and words[1][:1].isupper():
        who = who[4:]
    doc = _DOCUMENT_SPEAKER.search(who)
    if doc and doc.start() == 0:
        return doc.group()[:1].lower() + doc.group()[1:]  # "The email" -> "the email"
    return who


def name_parts(run: str) -> list[tuple[int, str]]:
    """A run of capitalised words cut where no name runs on, each part with its offset in run: at a
    line break, after a word that ends a sentence (not an initial, a dotted acronym or a title), and
    before a pronoun ("Fusion.\nHe", "Fusion. He" and "Fusion He" are "Fusion" and "He")."""
    out: list[tuple[int, str]] = []
    start = end = None
    for m in re.finditer(r"\S+", run):
        w = m.group()
        if start is not None and ("\n" in run[end:m.start()] or "\r" in run[end:m.start()]
                                  or (is_pronoun(w) and w != "I")):
            out.append((start, run[start:end]))
            start = None
        if start is None:
            start = m.start()
        end = m.end()
        stem = w.rstrip(".")
        if w.endswith(".") and len(stem) > 1 and "." not in stem and stem.lower() not in ABBREVIATED:
            out.append((start, run[start:end]))  # "Fusion." ends its sentence; "J.", "U.S.", "Sen." do not
            start = None
    if start is not None:
        out.append((start, run[start:end]))
    return out


def _name_words(name: str) -> list[str]:
    """A capitalised run's words that can be part of a name ("On Friday Mr. Trump" -> Mr. Trump)."""
    return [w for w in name.split() if w.strip(".").lower() not in NOT_NAMES]


def _same_entity(mention: str, speaker: str) -> bool:
    a, b = entity(mention).lower().split(), speaker.lower().split()
    return bool(a) and bool(b) and a[-1] == b[-1]


def resolve(text: str, quotes: list[Quote]) -> list[Quote]:
    """Speaker strings as entities: a pronoun or description takes the nearest compatible name."""
    out = []
    named: list[str] = []  # the speakers named so far, as entities
    last_at = 0  # where the last of them was named
    for q in quotes:
        if q.speaker is None:
            out.append(q)
            continue
        mention = text[q.mention_start:q.mention_end] if q.mention_start is not None else q.speaker
        low = mention.lower()
        if low in PRONOUNS:
            speaker = _antecedent(text, q, low, named)
            if speaker and low in PERSONAL and _other_person_since(text, last_at, q.start, speaker):
                speaker = None  # another person named since: "she" may be either, so no one for certain
            speaker = speaker or mention
        elif _DESCRIPTION.fullmatch(mention.strip()):
            found = _described(text, q.mention_start or q.start, mention.split()[-1].lower())
            if found is None:
                speaker = entity(q.speaker)
            elif named and found[0] < last_at and not speakers_agree(found[1], named[-1]):
                speaker = mention  # named before the last speaker, who is someone else: either may be meant
            else:
                speaker = found[1]
        else:
            speaker = entity(q.speaker)
            if not speaker:
                out.append(replace(q, speaker=None, cue=None, mention_start=None, mention_end=None))
                continue
            if speaker[:1].isupper() or speaker.startswith("the ") and _DOCUMENT_SPEAKER.match(speaker):
                named.append(speaker)
                last_at = q.mention_end if q.mention_end is not None else q.end
        out.append(replace(q, speaker=speaker or None))
    return out


def _antecedent(text: str, q: Quote, pronoun: str, named: list[str]) -> str | None:
    """The entity a pronoun refers to: a document or organisation for "it", a person for he/she."""
    if pronoun == "it":
        return document_before(text, q.start)
    if pronoun in PERSONAL:
        for who in reversed(named):
            if not who.startswith("the ") and who[:1].isupper():
                return who
        # no speaker named yet: the nearest person-like name before the quotation, unless the nearest
        # is a description's capitalised words ("The veteran Ohio senator vowed …", invented): whose
        # name that is, is not read here, so the pronoun names no one for certain
        runs = []
        for m in _NAME_RE.finditer(text, max(title_end(text), q.start - 600), q.start):  # a headline names no antecedent
            parts = name_parts(m.group())
            described = bool(_ROLE_AFTER.match(text, m.end()))
            runs += [(part, described and k == len(parts) - 1) for k, (_, part) in enumerate(parts)]
        for run, described in reversed(runs):
            words = _name_words(run)
            if len(words) >= 2 or (words and words[0].rstrip(".") in NAME_TITLES_SET):
                return None if described else " ".join(words)
    return None


# A person's role in lower case right after capitalised words: they describe, they do not name.
_ROLE_AFTER = re.compile(rf"[^\S\r\n]+(?:{'|'.join(sorted(PERSON_ROLES))})\b")


def _described(text: str, pos: int, head: str) -> tuple[int, str] | None:
    """The name a description ("the minister", "the department") stands for, from before pos, and
    where it is named."""
    base = max(0, pos - 3000)
    window = text[base:pos]
    found = None
    if head in PERSON_ROLES:
        # "Immigration minister Robert Goodwill", "Senator Bernie Sanders"
        for m in re.finditer(rf"\b(?i:{head})\s+(?P<name>{_CAP}(?:\s{_CAP})*)", window):
            found = (m.start(), name_parts(m.group("name"))[0][1])
        # "Robert Goodwill, the immigration minister"
        for m in re.finditer(rf"(?P<name>{_CAP}(?:\s{_CAP})+),\s(?:the|a|an)\s(?:[\w'’-]+\s){{0,4}}{head}\b", window):
            if found is None or m.start() > found[0]:
                found = (m.start(), name_parts(m.group("name"))[-1][1])
    elif head in ORG_ROLES:
        # "the Home Office" for "the department"; "the Clinton Campaign" for "the campaign"
        heads = {head} | (GOVERNMENT_BODIES if head in GOVERNMENT_BODIES else set())
        for m in _NAME_RE.finditer(window):
            for at, part in name_parts(m.group()):
                words = _name_words(part)
                if len(words) >= 2 and words[-1].lower() in heads:
                    found = (m.start() + at, " ".join(words))
    return (base + found[0], found[1]) if found else None


def _other_person_since(text: str, start: int, end: int, speaker: str) -> bool:
    """Whether text[start:end] names a person (two name words or a title and a name) who is not
    speaker: the antecedent of a "he" or "she" after it is then unsure ("Angela Merkel ... said
    today that …. 'The future of Europe …,' she told" after another speaker's quotation)."""
    for m in _NAME_RE.finditer(text, max(start, end - 600), end):
        words = _name_words(m.group())
        if (len(words) >= 2 or (words and words[0].rstrip(".") in NAME_TITLES_SET)) \
                and (_SUBJECT.search(text, max(0, m.start() - 80), m.start()) or _CUE_AFTER.match(text, m.end())) \
                and not speakers_agree(" ".join(words), speaker):
            return True
    return False


def document_before(text: str, pos: int) -> str | None:
    """The nearest document named before pos ("the email", "a missive"), for 'it said'."""
    found = None
    for m in _DOCUMENT_MENTION.finditer(text, max(0, pos - 1500), pos):
        found = m.group(1)
    return f"the {found.split()[-1].lower()}" if found else None


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def is_pronoun(mention: str) -> bool:
    """Whether a speaker string is one personal pronoun, in any case ("He", "SHE", "themselves"),
    contracted or not ("I’d", "We'll"): unresolved, it names no one. "US" in capitals is the United States."""
    word = uncontracted(mention.strip(" ,.;:\"“”‘’'"))
    return word.lower() in PERSONAL_PRONOUNS and word != "US"


def uncontracted(word: str) -> str:
    """A word without a contraction's ending ("I’d" -> "I", "We'll" -> "We", "They’re" -> "They"):
    a pronoun so printed is still the pronoun, never a name."""
    return _CONTRACTION.sub("", word)


# A contraction's ending: a verb's clitic (settings.VERB_CLITICS) or "'s" ("He's", "It’s").
_CONTRACTION = re.compile(rf"['’](?:{'|'.join(sorted(c[1:] for c in VERB_CLITICS))}|s)$", re.I)


def person_names(speaker: str | None) -> frozenset[str]:
    """The name words of a speaker that names someone ("Rep. Elijah Cummings" -> elijah, cummings),
    folded; empty for a description ("a party spokesman", "the email"), an unresolved pronoun ("He")
    or nothing."""
    if not speaker or is_pronoun(speaker):
        return frozenset()
    words = [w.strip(".,'’") for w in speaker.split()]
    if not words or words[0].lower() in ("the", "a", "an", "one", "another", "his", "her", "its", "their"):
        return frozenset()
    names = [w for w in words if w[:1].isupper() and w.lower() not in NOT_NAMES and w not in NAME_TITLES_SET
             and len(w) > 1]
    return frozenset(fold(w) for w in names)


def holder_names(speaker: str | None) -> frozenset[str]:
    """A speaker's name words as evidence of who spoke (align's speaker evidence): person_names
    without the titles and roles (settings.PERSON_ROLES), and none for an office ("Union Law
    Minister", "US president", "North Korea official": its last word a title or a role), whose
    holder another outlet names ("Prasad"). Read as names, an office disagreed with its holder and
    agreed with another office ("Law Minister" / "Prime Minister" on "minister")."""
    words = [w.strip(".,'’") for w in speaker.split()] if speaker else []
    if not words or _is_title(words[-1]):
        return frozenset()
    return frozenset(w for w in person_names(speaker) if w not in PERSON_ROLES)


def _is_title(word: str) -> bool:
    """Whether a word of a speaker is a title or a role ("Minister", "president", "Sen"), not a name."""
    return word in NAME_TITLES_SET or word.lower() in PERSON_ROLES


def speakers_agree(a: str | None, b: str | None) -> bool:
    """Whether two resolved speakers name one person: both name someone and share a name word
    ("Trump" and "President Donald Trump")."""
    return bool(person_names(a) & person_names(b))


def speakers_disagree(a: str | None, b: str | None) -> bool:
    """Whether two resolved speakers are surely different people: both name someone, and no name
    word is shared ("Luis Miranda" and "Rep. Elijah Cummings"; not "Trump" and "Donald Trump",
    nor a name and a description, which may be the same person, nor an organisation and a
    person, who may speak for it: "California Highway Patrol" and its spokesman "Brian Pennings")."""
    x, y = person_names(a), person_names(b)
    if not (x and y) or x & y:
        return False
    return is_organisation(a) == is_organisation(b)


def is_organisation(speaker: str) -> bool:
    """Whether a speaker's name is an organisation's (settings: ORGANISATION_WORDS): its last word
    names a body ("California Highway Patrol"), its first does before "of" ("Department of
    Justice"), or it is one acronym ("NYPD")."""
    words = [w.strip(".,'’") for w in speaker.split()]
    words = [w for w in words if w]
    if len(words) == 1 and len(words[0]) > 1 and words[0].isupper():
        return True
    lowered = [w.lower() for w in words]
    return bool(lowered) and (lowered[-1] in ORGANISATION_WORDS
                              or (len(lowered) > 2 and lowered[1] == "of" and lowered[0] in ORGANISATION_WORDS))
