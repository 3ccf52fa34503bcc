"""Synonyms from WordNet: which words can stand for each other in renderings of one remark.

WordNet comes from the system (Debian's `wordnet-base`, installed by `.ci/run` as Chromium is);
nothing is downloaded. Without it, no two different words are synonyms: alignment still runs, with
lemmas and spellings alone (a one-line log notice says so).

The one question asked of WordNet here is which synsets a word belongs to, so this module reads
just that from WordNet's own files (the format of wndb(5WN)): each part of speech's index (a
lemma's synset offsets) and its exception list, with morphy's suffix rules (morphy(7WN)) for
inflections. nltk's reader answers the same (a test holds the two equal on real vocabulary) but
parses the whole database in Python when it opens, about 2 s for every compare process; reading
the four index files as lines and parsing a lemma's line when it is asked for takes under 0.2 s.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from .settings import WORDNET_DIRS

log = logging.getLogger(__name__)

_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

# morphy's detachment rules, by part of speech: an inflected ending and what replaces it
_SUFFIXES = {
    "n": (("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
          ("shes", "sh"), ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
          ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}


class WordNet:
    """The lemma index and exception lists of one WordNet installation (a directory holding
    index.noun, noun.exc and the others)."""

    def __init__(self, root: Path):
        self.root = root
        self._lines: dict[str, dict[str, str]] = {}  # pos -> lemma -> its index line
        self._exceptions: dict[str, dict[str, list[str]]] = {}  # pos -> inflected form -> lemmas
        for pos, name in _FILES.items():
            text = (root / f"index.{name}").read_text(encoding="utf-8")
            # lines opening with a space are the licence; a lemma runs to the first space
            self._lines[pos] = {line[:line.index(" ")]: line for line in text.splitlines()
                                if line and not line.startswith(" ")}
            exc = root / f"{name}.exc"
            terms = (line.split() for line in exc.read_text(encoding="utf-8").splitlines()) if exc.is_file() else ()
            self._exceptions[pos] = {t[0]: t[1:] for t in terms if t}

    def offsets(self, lemma: str, pos: str) -> tuple[int, ...]:
        """The data-file offsets of the synsets a lemma (as indexed) has in one part of speech.
        An index line: lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt offset…"""
        line = self._lines[pos].get(lemma)
        if line is None:
            return ()
        fields = line.split()
        count = int(fields[2])
        return tuple(int(f) for f in fields[len(fields) - count:])

    def morphy(self, form: str, pos: str) -> list[str]:
        """The indexed lemmas a form can be in one part of speech: the form itself, then its
        exception list's lemmas or, when it has none there, the forms morphy's rules give."""
        found = self._exceptions[pos].get(form)
        if found is None:
            found = [form[:-len(old)] + new for old, new in _SUFFIXES[pos] if form.endswith(old)]
        return list(dict.fromkeys(f for f in (form, *found) if f in self._lines[pos]))

    def synsets(self, word: str) -> frozenset[str]:
        """The synsets a word (any inflection, any part of speech) belongs to, each named by its
        part of speech and offset ("v00939277")."""
        word = word.lower()
        return frozenset(f"{pos}{offset:08d}" for pos in _FILES for lemma in self.morphy(word, pos)
                         for offset in self.offsets(lemma, pos))


@lru_cache(maxsize=1)
def wordnet() -> WordNet | None:
    """The system's WordNet, or None where it is not installed."""
    root = next((Path(d) for d in WORDNET_DIRS if (Path(d) / "index.noun").is_file()), None)
    if root is None:
        log.info("WordNet not found (%s): renderings match on lemmas and spellings, without synonyms",
                 ", ".join(WORDNET_DIRS))
        return None
    try:
        return WordNet(root)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.info("WordNet at %s not readable (%s): renderings match without synonyms", root, exc)
        return None


@lru_cache(maxsize=200_000)
def senses(word: str) -> frozenset[str]:
    """The WordNet synsets a word (any inflection) belongs to ("said" -> the synsets of "say":
    v00939277, v01009240, ...); empty without WordNet. Two words sharing one are synonyms."""
    wn = wordnet()
    if wn is None or not word.isalpha():
        return frozenset()
    return wn.synsets(word)


def synonyms(a: str, b: str) -> bool:
    """Whether two different words are WordNet synonyms (share a synset)."""
    return a != b and bool(senses(a) & senses(b))
