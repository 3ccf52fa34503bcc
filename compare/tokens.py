"""Words and punctuation with their character offsets, split as the Penn Treebank does.

The attribution model (compare/relations.py) tags tokens, and the field scores attribution on
Stanford CoreNLP's Penn-Treebank tokens (CofeNet on PolNeAR): splitting the same way ("Trump" "'s",
"do" "n't", "U.S." whole, "." apart) puts our span boundaries where the field's are. Hand-written
because no maintained tokenizer that ships without downloaded data gives offsets and PTB clitics.
"""

from __future__ import annotations

import re

# Titles and month abbreviations that keep their full stop ("Mr." "Sept."), as CoreNLP's do.
_ABBREVIATIONS = (r"Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Capt|Sgt|Rev|Prof|Jr|Sr|St|No|vs|v|"
                  r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|"
                  r"Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo|"
                  r"Inc|Corp|Co|Ltd|Bros|Mt|Ft|Ave|Blvd|etc")
_CLITIC = r"['’](?:s|S|re|RE|ve|VE|ll|LL|d|D|m|M)(?![\w])"
_TOKEN = re.compile(
    rf"""\w+(?=[nN]['’][tT](?!\w))               # "do" of "don't", "ca" of "can't"
    | [nN]['’][tT](?!\w)                           # n't
    | {_CLITIC}                                    # 's 're 've 'll 'd 'm
    | (?:[A-Za-z]\.){{2,}}(?![\w])                 # U.S. p.m. D.C.
    | (?:{_ABBREVIATIONS})\.(?=\s|$)               # Mr. Sept. Calif.
    | [A-Z]\.(?=\s+[A-Z])                          # an initial: "J. Smith"
    | \d+(?:[.,:/]\d+)+                            # 100,000 1.6 1:30 9/11
    | \w+(?:(?:[-/&]|['’](?!(?:s|S|re|ve|ll|d|m)(?![\w])))\w+)*   # words, hyphenated words, O'Neill
    | ''|``|-{{2,}}|\.{{2,}} | [^\w\s]              # '' `` -- ... and any other single mark
    """, re.VERBOSE)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every token of text[start:end], in order."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: PolNeAR's and CofeNet's unit of tagging."""
    return [m.span() for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
