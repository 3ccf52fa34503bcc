"""Indirect speech with a cue: "it told staff to avoid …", "a spokesperson said that …".

Direct quotations are quotes.py's; this finds what reporters paraphrase and credit without
quotation marks, so that a paraphrase can be traced to its speaker too.
"""

from __future__ import annotations

import re

from pressdiff.core.records import Attribution, Quote

from .quotes import RESOLVED
from .settings import PASSIVE
from .speakers import document_before
from .text import sentences_outside

_SUBJECT = (r"(?P<who>(?:[Tt]he |[Aa]n? |[Hh]is |[Hh]er |[Ii]ts )?(?:[A-Z][\w.'’-]*|[a-z][\w'’-]*)"
            r"(?: (?:[A-Z][\w.'’-]*|[a-z][\w'’-]*)){0,4}?)")
_TELL = r"told|warned|urged|advised|ordered|reminded|instructed|asked|encouraged"
_SAY = r"said|says|added|claimed|argued|stated|reported|wrote|noted|insisted|explained|announced|confirmed|revealed"
_PATTERNS = [
    # "it told staff to avoid …", "the email warned contractors not to …"
    re.compile(rf"(?:^|,\s|\bthat\s){_SUBJECT}\s(?P<cue>{_TELL})\s(?P<whom>[\w'’ -]{{1,40}}?)\s(?P<content>(?:not\s)?to\s.+|that\s.+)$"),
    # "a Home Office spokesperson said that …", "It said key things … are …"
    re.compile(rf"(?:^|,\s){_SUBJECT}\s(?P<cue>{_SAY})\s(?P<content>(?:that\s)?.+)$"),
    # "… , the spokesperson said."
    re.compile(rf"^(?P<content>.+?),\s{_SUBJECT}\s(?P<cue>{_SAY})\.?$"),
    # "According to the BBC, …"
    re.compile(r"^(?P<cue>[Aa]ccording to)\s(?P<who>[^,]{2,60}),\s(?P<content>.+)$"),
]
_AUXILIARY = {"has", "have", "had", "also", "would", "will", "did", "does", "then", "later", "had"}
_NOT_SUBJECTS = {"and", "but", "or", "so", "then", "which", "who", "that", "this", "there", "what", "when"}


def find_attributions(article: str, text: str, quotes: list[Quote] = ()) -> list[Attribution]:
    """Unquoted content credited to a speaker by a cue, one per sentence at most."""
    out = []
    for s, e in sentences_outside(text, quotes):  # sentences with quotations are quotes.py's
        sentence = text[s:e]
        for pattern in _PATTERNS:
            m = pattern.search(sentence)
            if not m:
                continue
            words = m.group("who").strip(" ,").split()
            if words and words[-1].lower() in PASSIVE:
                continue  # "The staff are advised to …": the addressee, not the speaker
            while len(words) > 1 and words[-1].lower() in _AUXILIARY:
                words.pop()  # "She has argued" -> "She"
            who = " ".join(words)
            if not words or words[0].lower() in _NOT_SUBJECTS or len(m.group("content").split()) < 3:
                continue
            speaker = who
            if who.lower() in RESOLVED:
                speaker = document_before(text, s) or who
            c_start = s + m.start("content")
            c_end = s + m.end("content")
            content = text[c_start:c_end].rstrip(" .")
            out.append(Attribution(article=article, start=c_start, end=c_start + len(content), text=content,
                                   speaker=speaker, cue=m.group("cue")))
            break
    return out
