"""Mojibake repaired at the door: text decoded with the wrong charset somewhere upstream
("RaÃºl" for "Raúl", "â€™" for "’"), double-encoded UTF-8 and Windows-1252 punctuation in C1
controls, fixed by ftfy (the maintained library for it) and nothing else: quotes stay curly,
ligatures, widths, line breaks and HTML entities stay as they are, so only broken characters
change."""

from __future__ import annotations

import re

from ftfy import TextFixerConfig, fix_text
from ftfy.badness import is_bad

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

