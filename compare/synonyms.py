"""Synonyms from WordNet: which words can stand for each other in renderings of one remark.

WordNet comes from the system (Debian's `wordnet-base`, installed by `.ci/run` as Chromium is),
read with nltk's WordNetCorpusReader; nothing is downloaded. Without it, no two different words
are synonyms: alignment still runs, with lemmas and spellings alone (a one-line log notice says so).
"""

from __future__ import annotations

import io
import logging
import warnings
from functools import lru_cache
from pathlib import Path

from .settings import WORDNET_DIRS

log = logging.getLogger(__name__)

# Debian's wordnet-base ships WordNet's data and index files but not `lexnames`, the names of the
# lexicographer files, which nltk reads when it opens the database. Nothing here uses those names:
# numbered stand-ins (WordNet 3.0 has 45 files, 00-44) let the reader open Debian's copy as it is.
_LEXNAMES = "".join(f"{i:02d}\tlexfile{i:02d}\t0\n" for i in range(45))


def _reader(root: Path):
    import nltk.data
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class DebianWordNet(WordNetCorpusReader):
        """WordNet as Debian installs it (see _LEXNAMES)."""

        def open(self, fileid):
            if fileid == "lexnames" and not (root / "lexnames").is_file():
                return io.StringIO(_LEXNAMES)
            return super().open(fileid)

        def map_wn(self, version="wordnet"):
            return None  # a map to another WordNet's synsets (Open Multilingual Wordnet): not used

    if str(root) not in nltk.data.path:
        nltk.data.path.append(str(root))  # nltk reads corpora only under its data paths
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available": not used
        return DebianWordNet(str(root), None)


@lru_cache(maxsize=1)
def wordnet():
    """nltk's reader of the system's WordNet, or None where it (or nltk) is not installed."""
    root = next((Path(d) for d in WORDNET_DIRS if (Path(d) / "index.noun").is_file()), None)
    if root is None:
        log.info("WordNet not found (%s): renderings match on lemmas and spellings, without synonyms",
                 ", ".join(WORDNET_DIRS))
        return None
    try:
        return _reader(root)
    except (ImportError, OSError) as exc:
        log.info("WordNet at %s not readable (%s): renderings match without synonyms", root, exc)
        return None


@lru_cache(maxsize=200_000)
def senses(word: str) -> frozenset[str]:
    """The WordNet synsets a word (any inflection) belongs to, by name ("said" -> say.v.01,
    state.v.01, ...); empty without WordNet. Two words sharing one are synonyms."""
    wn = wordnet()
    if wn is None or not word.isalpha():
        return frozenset()
    return frozenset(s.name() for s in wn.synsets(word))


def synonyms(a: str, b: str) -> bool:
    """Whether two different words are WordNet synonyms (share a synset)."""
    return a != b and bool(senses(a) & senses(b))
