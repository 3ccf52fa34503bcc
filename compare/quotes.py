"""Direct quotations: the words between quotation marks, with speaker and cue.

Newsroom conventions handled here:
- straight and curly marks, double and single ('…' is common in British copy);
- one opening mark per paragraph of a long quotation, the closing mark only at the end;
- a quotation left unclosed: it ends at the paragraph end and is flagged;
- apostrophes (it's, the Register's, staff members') are not quotation marks.
"""

from __future__ import annotations

import re

from .records import Quote
from .text import paragraphs

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
# What may stand right before an opening mark: start, space, an opening bracket, a dash, a colon.
_OPEN_BEFORE = set(" \t\n([{—–-:/")

_CUE_VERBS = (r"said|says|added|adds|stated|states|wrote|writes|told|tells|warned|warns|explained|"
              r"explains|reads|read|continued|continues|insisted|insists|argued|argues|claimed|claims|"
              r"noted|notes|asked|asks|declared|remarked|replied|urged|concluded|admitted")
_SPEAKER = r"(?:[Tt]he |[Aa]n? |[Hh]is |[Hh]er |[Ii]ts |[Tt]heir )?[A-Za-z][\w.'’-]*(?: [A-Za-z][\w.'’-]*){0,5}?"
# "…," the email added.   "…," said Jon Smith.   "…," it told staff.
_AFTER_RE = re.compile(rf"^[\s,.:;—–-]*(?:(?P<who>{_SPEAKER})\s+(?P<cue>{_CUE_VERBS})\b|(?P<cue2>{_CUE_VERBS})\s+(?P<who2>{_SPEAKER})\s*[.,;:]|(?P<cue3>{_CUE_VERBS})\b)")
# Jon Smith said: "…"   it told staff "…"   According to the email, "…"
_BEFORE_RE = re.compile(rf"(?:(?P<who>{_SPEAKER})\s+(?P<cue>(?:{_CUE_VERBS})(?: [\w'’]+){{0,3}}?)|(?P<acc>[Aa]ccording to)\s+(?P<who2>{_SPEAKER}))\s*[:,]?\s*(?:that\s+)?$")
PRONOUNS = {"it", "he", "she", "they", "this", "which"}
_DOCUMENT_RE = re.compile(r"\b(?:the |a |an |its |in an? )?((?:[\w-]+ ){0,2}(?:email|e-mail|memo|missive|letter|statement|guidance|note|report|document|message|post|tweet|notice))\b", re.I)
_PASSIVE = {"was", "were", "been", "being", "be", "is", "are"}
_NOT_SPEAKERS = {"and", "but", "or", "so", "then", "as", "when", "while", "who", "that", "which", "has", "had", "have"}


def find_quotes(article: str, text: str) -> list[Quote]:
    """Every direct quotation in a text, in order, with speakers resolved where a cue says who."""
    quotes: list[Quote] = []
    previous_unclosed = False
    for p_start, p_end in paragraphs(text):
        found = _scan_paragraph(article, text, p_start, p_end, continues=previous_unclosed)
        quotes.extend(found)
        previous_unclosed = bool(found) and not found[-1].closed
    return _attribute(text, quotes)


def _scan_paragraph(article: str, text: str, p_start: int, p_end: int, continues: bool) -> list[Quote]:
    out: list[Quote] = []
    i = p_start
    open_at = None  # index of the first character inside the current quotation
    mark = ""
    first = True
    while i < p_end:
        ch = text[i]
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
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Quote(article=article, start=s, end=e, text=text[s:e], mark=mark, closed=closed, continued=continued)


def _attribute(text: str, quotes: list[Quote]) -> list[Quote]:
    """Speaker and cue from the words around each quotation; pronouns resolved backwards."""
    out = []
    last_speaker = None
    for q in quotes:
        speaker, cue = _speaker_near(text, q)
        if speaker and speaker.lower() in PRONOUNS:
            speaker = last_speaker or _document_before(text, q.start) or speaker
        if speaker is None and q.continued and out:
            speaker, cue = out[-1].speaker, out[-1].cue
        if speaker:
            last_speaker = speaker
        out.append(Quote(**{**q.__dict__, "speaker": speaker, "cue": cue}))
    # A long quotation is attributed once, after its last paragraph: carry that back.
    for i in range(len(out) - 1, 0, -1):
        cur, prev = out[i], out[i - 1]
        if cur.continued and cur.speaker and not prev.closed and prev.speaker is None:
            out[i - 1] = Quote(**{**prev.__dict__, "speaker": cur.speaker, "cue": cur.cue})
    return out


def _speaker_near(text: str, q: Quote) -> tuple[str | None, str | None]:
    para_end = text.find("\n", q.end)
    para_end = len(text) if para_end < 0 else para_end
    after = text[q.end + 1: para_end][:120]
    m = _AFTER_RE.match(after)
    if m:
        who = m.group("who") or m.group("who2")
        cue = m.group("cue") or m.group("cue2") or m.group("cue3")
        if who and who.split()[0].lower() not in _NOT_SPEAKERS:
            return _clean(who), cue
    para_start = text.rfind("\n", 0, q.start) + 1
    before = text[max(para_start, q.start - 160): q.start - 1]
    # only the sentence the quotation sits in: "… on social media. They have been told to be 'careful'"
    before = re.split(r"[.!?]\s+(?=[A-Z])", before)[-1]
    m = _BEFORE_RE.search(before)
    if m:
        who = m.group("who") or m.group("who2")
        cue = m.group("cue") or m.group("acc")
        who = _clean(who)
        # keep the subject: "In a missive to the unit last week, it told staff" -> "it"
        who = re.split(r",\s*", who)[-1]
        if who.split()[-1].lower() in _PASSIVE:
            return None, None  # "staff were told to 'avoid …'": the subject is the addressee
        if who.split()[0].lower() in PRONOUNS - {"it"} and len(who.split()) > 1:
            return None, None  # "They have been told": the quotation is what they were told, not said by them
        if who.split()[0].lower() not in _NOT_SPEAKERS:
            return who, cue
    return None, None


def _clean(who: str) -> str:
    return who.strip(" ,.;:").removeprefix("The ").removeprefix("the ") if who.lower().startswith("the ") and len(who.split()) > 1 and who.split()[1][:1].isupper() else who.strip(" ,.;:")


def _document_before(text: str, pos: int) -> str | None:
    """The nearest document named before pos ("the email", "a missive"), for 'it said'."""
    found = None
    for m in _DOCUMENT_RE.finditer(text, max(0, pos - 1500), pos):
        found = m.group(1)
    return f"the {found.split()[-1].lower()}" if found else None
