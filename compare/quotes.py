"""Direct quotations: the words between quotation marks, with speaker and cue.

Newsroom conventions handled here:
- straight and curly marks, double and single ('…' is common in British copy);
- one opening mark per paragraph of a long quotation, the closing mark only at the end;
- a quotation left unclosed: it ends at the paragraph end and is flagged;
- apostrophes (it's, the Register's, staff members') are not quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pressdiff.core.records import Quote

from .settings import CUE_VERBS, FIRST_PERSON, NAME_PARTICLE, NAME_TITLES, PASSIVE, PRONOUNS
from .speakers import WEIGHTS, attributed_as, document_before, rank_speakers
from .text import ends_with_abbreviation, paragraphs

DOUBLE_OPEN = "“„«"
_DOUBLED = ("''", "``")
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
# What may stand right before an opening mark: start, space, an opening bracket, a dash, a colon.
_OPEN_BEFORE = set(" \t\n([{—–-:/")
# Every character that can open, close or double a mark: the scan skips straight from one to the
# next, as no other character changes its state.
_MARK_CHARS = re.compile("[" + re.escape(DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\"'`") + "]")

# A speaker mention opens a word: never "her intelligence source" of "Another intelligence source", nor
# "th graders" of "9th graders".
_SPEAKER = r"\b(?:[Tt]he |[Aa]n? |[Hh]is |[Hh]er |[Ii]ts |[Tt]heir )?[A-Za-z][\w.'’-]*(?: [A-Za-z][\w.'’-]*){0,5}?"
# A name with what news copy puts after it: "Flynn, a top Trump surrogate," "Quina Jones, 25,"
# "Rep. Gwen Moore (D-Wis.)".
_APPOSED = rf"{_SPEAKER}(?:,\s[^,\"“”\n]{{1,90}},)?(?:\s\([^)\n]{{1,30}}\))?"
# "…," the email added.   "…," said Jon Smith.   "…," it told staff.
# "said X" is tried first: in '"…," said Ana Ruiz. Ruiz, a teacher, added:' the speaker is
# Ana Ruiz, not a stretch that starts with the cue and runs to the next one.
_AFTER_RE = re.compile(rf"^[\s,.:;—–-]*(?:(?P<cue2>{CUE_VERBS})\s+(?P<who2>{_APPOSED})\s*[.,;:]"
                       rf"|(?P<who>{_APPOSED})\s+(?:also\s+|later\s+)?(?P<cue>{CUE_VERBS})\b|(?P<cue3>{CUE_VERBS})\b)")
# "…” ― Carla Sanchez": a credit line after a quotation
_DASH_RE = re.compile(r"^[\s.,]*[―—–]\s*(?P<who>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,4})")
# "Said Ellis: “…”"
_INVERTED_RE = re.compile(rf"(?:^|[.!?]\s+)(?P<cue>[Ss]aid|[Aa]dded|[Ss]ays|[Aa]sked|[Ww]rote)\s+(?P<who>{_APPOSED})\s*[:,]\s*$")
# Not speakers: "said Friday", "said on Fox News"
_WHEN = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
         "tonight", "on", "in", "at", "during", "earlier", "later", "this", "last", "after", "before", "while",
         "when", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december", "of", "to", "that", "it", "so", "as"}
# Jon Smith said: "…"   it told staff "…"   According to the email, "…"
_BEFORE_RE = re.compile(rf"(?:(?P<who>{_SPEAKER})\s+(?P<cue>(?:{CUE_VERBS})(?: [\w'’]+){{0,3}}?)|(?P<acc>[Aa]ccording to)\s+(?P<who2>{_SPEAKER}))\s*[:,]?\s*(?:that\s+)?$")
RESOLVED = (PRONOUNS - FIRST_PERSON) | {"this", "which"}  # speakers that stand for the previous one
# A sentence whose subject is a determiner phrase with a prepositional tail: "The email to …",
# "A spokesman for …"; _CLAUSE_BREAK says a second clause began before the cue.
_HEADED_RE = re.compile(r"^\s*(?P<np>(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s(?:[\w'’-]+\s){0,2}?[\w'’-]+)"
                        r"\s(?:to|for|from|of|at|in|on|with|by)\s")
_CLAUSE_BREAK = re.compile(rf"\b(?:and|but|or|while|who|which|that|was|were|is|are|has|had|have|{CUE_VERBS})\b|[;.!?]")
# A speaker named later in the quotation's sentence: a capitalised name, a pronoun, or a
# determiner phrase ("the spokesman"), right before or after a cue verb.
_NAMED = rf"(?:(?:{NAME_TITLES})\.\s)?[A-Z][\w.'’-]*(?:\s(?:[A-Z][\w.'’-]*|{NAME_PARTICLE}))*"
_WHO_LATER = rf"\b(?:{_NAMED}|(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)\b|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er)\s[\w'’-]+(?:\s[\w'’-]+)?)"
_CUE_ADVERBS = ("also", "later", "then")  # between a subject and its cue, as _LATER_RE reads them
_ADVERB = "|".join(rf"{a}\s+" for a in _CUE_ADVERBS)
_LATER_RE = re.compile(rf"(?:(?P<who>{_WHO_LATER})\s+(?:{_ADVERB})?(?P<cue>{CUE_VERBS})\b"
                       rf"|\b(?P<cue2>{CUE_VERBS})\s+(?P<who2>{_WHO_LATER}))")
_NOT_SPEAKERS = {"and", "but", "or", "so", "then", "as", "when", "while", "who", "that", "which", "has", "had", "have"}


def find_quotes(article: str, text: str, weights: dict[str, float] | None = None) -> list[Quote]:
    """Every direct quotation in a text, in order, with speakers where the text says who.

    The cue rules below propose a speaker; speakers.py's model (weights: speaker_model.json by
    default, {} for the rules alone) then chooses among every mention around the quotation.
    """
    quotes: list[Quote] = []
    previous_unclosed = False
    for p_start, p_end in paragraphs(text):
        found = _scan_paragraph(article, text, p_start, p_end, continues=previous_unclosed)
        quotes.extend(found)
        previous_unclosed = bool(found) and not found[-1].closed
    return rank_speakers(text, _attribute(text, quotes), WEIGHTS if weights is None else weights)


def _scan_paragraph(article: str, text: str, p_start: int, p_end: int, continues: bool) -> list[Quote]:
    out: list[Quote] = []
    i = p_start
    open_at = None  # index of the first character inside the current quotation
    mark = ""
    first = True
    while (m := _MARK_CHARS.search(text, i, p_end)) is not None:
        i = m.start()
        ch = text[i]
        pair = text[i:i + 2]
        if pair in _DOUBLED:
            # Archive copy (the New York Times' among it) writes double quotes as two
            # apostrophes or backticks: ''This isn't tax reform,'' said ...
            after = text[i + 2] if i + 2 < p_end else " "
            if open_at is None and (i == p_start or text[i - 1] in _OPEN_BEFORE) and not after.isspace():
                open_at, mark = i + 2, "''"
                is_continuation = continues and first and i == p_start
                first = False
                i += 2
                continue
            if open_at is not None and mark == "''" and not after.isalnum():
                out.append(_make(article, text, open_at, i, mark, True, is_continuation))
                open_at = None
                i += 2
                continue
        if open_at is not None and mark == "''":
            i += 1
            continue
        if open_at is None:
            kind = _opening(text, i, p_start, p_end)
            if kind:
                open_at, mark = i + 1, ch
                is_continuation = continues and first and i == p_start
                first = False
            i += 1
            continue
        if _closes(text, i, mark, p_end):
            out.append(_make(article, text, open_at, i, mark, True, is_continuation))
            open_at = None
        elif mark in DOUBLE_OPEN + '"' and ch in DOUBLE_OPEN and text[i - 1] in _OPEN_BEFORE:
            # A new opening mark before any closing one: the earlier quotation was left unclosed.
            out.append(_make(article, text, open_at, i, mark, False, is_continuation))
            open_at, mark, is_continuation = i + 1, ch, False
        i += 1
    if open_at is not None:
        out.append(_make(article, text, open_at, p_end, mark, False, is_continuation))
    return [q for q in out if q.text]


def _opening(text: str, i: int, p_start: int, p_end: int) -> bool:
    ch = text[i]
    before_ok = i == p_start or text[i - 1] in _OPEN_BEFORE or text[i - 1] in DOUBLE_OPEN + '"'
    after = text[i + 1] if i + 1 < p_end else " "
    if ch in DOUBLE_OPEN:
        return not after.isspace()
    if ch == '"':
        return before_ok and not after.isspace()
    if ch in SINGLE_OPEN or ch == "'":
        if not before_ok or after.isspace() or not (after.isalnum() or after in "…[."):
            return False
        # A single mark opens a quotation only if it closes in this paragraph, or it is
        # introduced like one (after a colon, or at a paragraph start in a long quotation);
        # otherwise it is an apostrophe as in 'tis or the '90s.
        if i == p_start or text[max(p_start, i - 2):i].rstrip().endswith(":"):
            return True
        close = SINGLE_CLOSE + "'"
        return any(text[j] in close and _closes(text, j, ch, p_end) for j in range(i + 2, p_end))
    return False


def _closes(text: str, i: int, mark: str, p_end: int) -> bool:
    ch = text[i]
    after = text[i + 1] if i + 1 < p_end else " "
    if mark in DOUBLE_OPEN or mark == '"':
        return ch in DOUBLE_CLOSE or (ch == '"' and not after.isalnum())
    if ch in SINGLE_CLOSE or ch == "'":
        # staff's / don't: a letter after the mark makes it an apostrophe
        return not after.isalnum() and not text[i - 1].isspace()
    return False


def _make(article, text, start, end, mark, closed, continued) -> Quote:
    s = start + len(text[start:end]) - len(text[start:end].lstrip())
    e = s + len(text[s:end].rstrip())
    return Quote(article=article, start=s, end=e, text=text[s:e], mark=mark, closed=closed, continued=continued)


def _attribute(text: str, quotes: list[Quote]) -> list[Quote]:
    """Speaker and cue from the words around each quotation; pronouns resolved backwards."""
    out = []
    last_speaker = None
    for q in quotes:
        speaker, cue, span = _speaker_near(text, q)
        if speaker and speaker.lower() in RESOLVED:
            speaker = last_speaker or document_before(text, q.start) or speaker
        if speaker is None and q.continued and out:
            q = attributed_as(q, out[-1])
        else:
            q = replace(q, speaker=speaker, cue=cue, mention_start=span[0] if span else None,
                        mention_end=span[1] if span else None)
        if q.speaker:
            last_speaker = q.speaker
        out.append(q)
    # An interrupted quotation ("…," he said, "…") and quotations in one paragraph with a single
    # cue share it: an unattributed one takes its paragraph neighbour's speaker.
    for i, q in enumerate(out):
        if q.speaker is not None:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(out) and out[j].speaker and _same_paragraph(text, q, out[j]):
                out[i] = attributed_as(q, out[j])
                break
    # A long quotation is attributed once, after its last paragraph: carry that back.
    for i in range(len(out) - 1, 0, -1):
        cur, prev = out[i], out[i - 1]
        if cur.continued and cur.speaker and not prev.closed and prev.speaker is None:
            out[i - 1] = attributed_as(prev, cur)
    return out


def _speaker_near(text: str, q: Quote):
    """(speaker, cue, (start, end) of the mention) from the cue after or before a quotation."""
    para_end = text.find("\n", q.end)
    para_end = len(text) if para_end < 0 else para_end
    base = q.end + len(q.mark) if q.closed else q.end
    after = text[base: para_end][:120]
    m = _AFTER_RE.match(after)
    if m:
        group = "who" if m.group("who") else "who2"
        who = _first_sentence(m.group(group)) if m.group(group) else None
        cue = m.group("cue") or m.group("cue2") or m.group("cue3")
        if who and who.split()[0].lower() not in _NOT_SPEAKERS and not (
                group == "who2" and who.split()[0].lower() in _WHEN):
            return _clean(who), cue, _span(text, base + m.start(group), who)
    m = _DASH_RE.match(after)
    if m:
        return m.group("who"), "―", _span(text, base + m.start("who"), m.group("who"))
    # later in the same sentence, before any other quotation:
    # "''I have admiration for the mechanics'' of the Clinton proposals, Mr. Holtz-Eakin said."
    rest = after
    for stop in re.finditer(r"[.!?](?=\s)|[“\"‘]|''|``", after):
        if stop.group() == "." and re.search(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|St|Jr|[A-Z])$", after[:stop.start()]):
            continue  # "Mr. Holtz-Eakin": an abbreviation, not the sentence's end
        rest = after[:stop.start()]
        break
    m = _LATER_RE.search(rest)
    if m:
        group = "who" if m.group("who") else "who2"
        who = m.group(group)
        # "… was told her services …", "the director was (also) told": after a passive "was" the cue's
        # words name whom it was said to, not who said it
        ahead = (who if group == "who" else rest[:m.start("cue2")]).split()
        while ahead and ahead[-1].lower() in _CUE_ADVERBS:
            ahead.pop()
        passive = bool(ahead) and ahead[-1].lower() in PASSIVE
        if who.split()[0].lower() not in _NOT_SPEAKERS and not passive:
            return _clean(who), m.group("cue") or m.group("cue2"), _span(text, base + m.start(group), who)
    para_start = text.rfind("\n", 0, q.start) + 1
    lo = max(para_start, q.start - 160)
    before = text[lo: q.start - 1]
    # only the sentence the quotation sits in: "… on social media. They have been told to be 'careful'"
    cut = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z])", before)]
    offset = lo + (cut[-1] if cut else 0)
    before = text[offset: q.start - 1]
    m = _INVERTED_RE.search(before)
    if m:
        return _clean(m.group("who")), m.group("cue").lower(), _span(text, offset + m.start("who"), m.group("who"))
    if not before.strip() and para_start > 1:
        # a quotation opening its paragraph after "He said:" at the end of the one before
        prev_end = text[:para_start].rstrip()
        if prev_end.endswith(":"):
            prev_start = prev_end.rfind("\n") + 1
            last = re.split(r"(?<=[.!?])\s+", prev_end[prev_start:-1])[-1]
            m2 = _BEFORE_RE.search(last + " ")
            if m2 and (m2.group("who") or m2.group("who2")):
                group = "who" if m2.group("who") else "who2"
                who = m2.group(group)
                start = len(prev_end) - 1 - len(last) + m2.start(group)
                if who.split()[0].lower() not in _NOT_SPEAKERS:
                    return _clean(who), m2.group("cue") or m2.group("acc"), _span(text, start, who)
    m = _BEFORE_RE.search(before)
    if m:
        group = "who" if m.group("who") else "who2"
        who = m.group(group)
        cue = m.group("cue") or m.group("acc")
        start = offset + m.start(group)
        head = _HEADED_RE.match(before)
        if head and head.end("np") < m.start(group) and not _CLAUSE_BREAK.search(before, head.end("np"), m.start(group)):
            # "The email to the department's Digital, Data and Technology unit stated:": the
            # speaker is the head of the subject, not the last words before the cue
            who, start = head.group("np"), offset + head.start("np")
        # keep the subject: "In a missive to the unit last week, it told staff" -> "it"
        parts = re.split(r",\s*", who)
        start += len(who) - len(parts[-1])
        who = parts[-1]
        if who.split()[-1].lower() in PASSIVE:
            return None, None, None  # "staff were told to 'avoid …'": the subject is the addressee
        if who.split()[0].lower() in RESOLVED - {"it"} and len(who.split()) > 1:
            return None, None, None  # "They have been told": the quotation is what they were told
        if who.split()[0].lower() not in _NOT_SPEAKERS:
            return _clean(who), cue, _span(text, start, who)
    return _next_sentence_speaker(text, base, para_end)


# "“We will appeal.” The ruling ignored the evidence, said Ms. Okafor." A quotation followed by a
# paraphrase whose own attribution closes the next sentence: both are that speaker's.
_NEXT_RE = re.compile(rf"(?:,\s(?P<cue>{CUE_VERBS})\s(?P<who>{_NAMED})|,\s(?P<who2>{_NAMED})\s(?P<cue2>{CUE_VERBS}))"
                      rf"(?:,[^.!?\"“”]{{0,80}})?[.!?]$")


def _next_sentence_speaker(text: str, base: int, para_end: int):
    """The speaker named at the end of the sentence after the quotation's, in its paragraph."""
    end = re.search(r"[.!?][\"'”’]?\s+", text[base:para_end])
    if end is None or text[base:base + end.start()].strip(" ,;:—–-"):
        return None, None, None  # the quotation's own sentence goes on: not a quotation standing alone
    start = base + end.end()
    stop = next((m for m in re.finditer(r"[.!?](?=\s|$)", text[start:para_end])
                 if m.group() != "." or not ends_with_abbreviation(text[start:start + m.start()])), None)
    if stop is None:
        return None, None, None
    sentence = text[start:start + stop.end()]
    m = _NEXT_RE.search(sentence)
    if not m or re.search(r"[\"“”]", sentence):
        return None, None, None
    group = "who" if m.group("who") else "who2"
    who = m.group(group)
    if who.split()[0].lower() in _NOT_SPEAKERS or who.split()[0].lower() in _WHEN:
        return None, None, None
    return _clean(who), m.group("cue") or m.group("cue2"), _span(text, start + m.start(group), who)


def _first_sentence(who: str) -> str:
    """A speaker match cut where a sentence ends inside it: "Ana Ruiz. Ruiz" -> "Ana Ruiz"."""
    for m in re.finditer(r"\.\s", who):
        if not ends_with_abbreviation(who[:m.start()]):
            return who[:m.start()]
    return who


def _same_paragraph(text: str, a: Quote, b: Quote) -> bool:
    return "\n" not in text[min(a.start, b.start):max(a.end, b.end)]


def _span(text: str, start: int, who: str) -> tuple[int, int]:
    stripped = who.strip(" ,.;:")
    start += len(who) - len(who.lstrip(" ,.;:"))
    return start, start + len(stripped)


def _clean(who: str) -> str:
    """The speaker's name: no apposition, no "the" before a proper name ("the Telegraph")."""
    who = re.split(r",\s|\s\(", who)[0].strip(" ,.;:")  # the name, without its apposition
    words = who.split()
    if len(words) > 1 and words[0].lower() == "the" and words[1][:1].isupper():
        return who[4:]
    return who
