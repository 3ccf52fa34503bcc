"""Mojibake repaired at the door: text decoded with the wrong charset somewhere upstream
("RaÃºl" for "Raúl", "â€™" for "’"), double-encoded UTF-8 and Windows-1252 punctuation in C1
controls, fixed by ftfy (the maintained library for it) and nothing else: quotes stay curly,
ligatures, widths, line breaks and HTML entities stay as they are, so only broken characters
change."""

from __future__ import annotations

import re

from ftfy import TextFixerConfig, fix_text
from ftfy.badness import BADNESS_RE

_ONLY_ENCODING = TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
                                 restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
                                 fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
                                 uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
                                 remove_control_chars=False, normalization=None, explain=False)


# C1 controls (Windows-1252 punctuation decoded as Latin-1) and surrogates, which ftfy's badness
# measure does not count but its fixers mend
_CONTROLS = re.compile("[\x80-\x9f\ud800-\udfff]")


def repair(text: str) -> str:
    """text with its mojibake repaired (the same string when there is none). ftfy's own badness
    test decides first whether there is any to repair: most text is clean, and fixing costs more."""
    if not text or text.isascii() or not (is_bad(text) or _CONTROLS.search(text)):
        return text
    return fix_text(text, _ONLY_ENCODING)


# ftfy's badness test (ftfy.badness.is_bad) searches a whole text with one large expression, which
# Python's engine tries at every character: 3.7 ms of a 2,200-word English article whose only
# non-ASCII characters are its curly quotes. Each sequence it looks for holds a non-ASCII
# character and is at most seven characters long (ftfy 6: "ГўВЂВ.[A-Za-z ]"), so the same
# search is run only around the runs of non-ASCII characters, BADNESS_REACH characters either
# side; the search keeps the whole text (its "^" still means the text's start). The same answer
# as ftfy's on every text tried: the Dragnet set's gold texts, their mojibake and pieces of both
# (tests/test_origin.py), and the 42,158 texts of the extraction benchmarks (gold and extracted, with their
# mojibake and pieces), on which it took a fifth of ftfy's time (1.4 s against 7.6 s).
BADNESS_REACH = 16
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def is_bad(text: str) -> bool:
    """ftfy's is_bad: whether the text holds a sequence that looks like mojibake (see BADNESS_REACH)."""
    start = end = -1
    for run in _NON_ASCII_RUN.finditer(text):
        if run.start() - BADNESS_REACH > end:  # a window of its own: search the last one
            if end >= 0 and BADNESS_RE.search(text, start, end):
                return True
            start = max(0, run.start() - BADNESS_REACH)
        end = run.end() + BADNESS_REACH
    return end >= 0 and BADNESS_RE.search(text, start, end) is not None

