"""Credits: phrases in which an article names another outlet as its source."""

from __future__ import annotations

import re

from pressdiff.core.records import Credit

from .text import fold

# Canonical names for outlets that copy writes in more than one way.
OUTLET_ALIASES = {
    "telegraph": "The Daily Telegraph", "daily telegraph": "The Daily Telegraph",
    "the telegraph": "The Daily Telegraph", "the daily telegraph": "The Daily Telegraph",
    "register": "The Register", "the register": "The Register", "el reg": "The Register",
    "bbc": "BBC", "the bbc": "BBC", "bbc news": "BBC",
    "guardian": "The Guardian", "the guardian": "The Guardian",
    "times": "The Times", "the times": "The Times",
    "ibtimes": "International Business Times UK", "ibtimes uk": "International Business Times UK",
    "international business times": "International Business Times UK",
    "rt": "RT", "russia today": "RT",
    "mashable": "Mashable", "reuters": "Reuters", "associated press": "Associated Press", "ap": "Associated Press",
}
# Words that make a capitalised name an outlet rather than a person or an office.
_OUTLET_WORDS = re.compile(
    r"\b(?:Times|Post|News|Telegraph|Guardian|Register|Journal|Herald|Mail|Express|Mirror|Independent|"
    r"Courier|Gazette|Tribune|Chronicle|Observer|Standard|Sun|Star|Wire|Daily|Weekly|Press|Review|"
    r"Lantern|Ledger|Record|Bulletin|Dispatch|Examiner|Inquirer|Monitor|Reuters|BBC|CNN|Mashable|"
    r"Buzzfeed|BuzzFeed|Bloomberg|Politico|Axios|Vice|Verge|Wired)\b")

# Capitalised words on one line ("the Daily Telegraph", "The Wall Street Journal").
_NAME = r"(?P<name>(?:[Tt]he[ \t]+)?[A-Z][\w&'’-]*(?:[ \t]+(?:[A-Z][\w&'’-]*|of|and|on)){0,5})"
_PATTERNS = [
    rf"\b(?i:seen|obtained|accessed|reported|revealed|published|broken|uncovered|acquired|leaked to|first reported|first published|first revealed)\s+by\s+{_NAME}",
    rf"\b(?i:told|telling|speaking to|spoke to|speaking with|in a statement to|confirmed to|said to)\s+{_NAME}",
    rf"\b(?i:according to|as reported by|reports?\s+from|via|h/t|hat tip to|originally (?:published|appeared) (?:by|in|on))\s+{_NAME}",
    rf"^\s*(?i:Source|Sources|Via|Originally published (?:by|in|at)|Credit)\s*:\s*{_NAME}",
    # active voice: "The Register has obtained an email", "the BBC revealed"
    r"(?P<name>(?:[Tt]he[ \t]+)?[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){0,4})[ \t]+(?:(?:has|had|have)[ \t]+(?:obtained|seen|revealed|reported|uncovered)|revealed|first reported)\b",
]
_CREDIT_RES = [re.compile(p, re.M) for p in _PATTERNS]


def normalize_outlet(name: str, known: dict[str, str] | None = None) -> str:
    """One name per outlet: 'the Telegraph' and 'The Daily Telegraph' are the same."""
    clean = re.sub(r"[’']s$", "", name.strip(" .,;:"))
    key = fold(re.sub(r"\s+", " ", clean))
    for names in (known or {}, OUTLET_ALIASES):  # the story's own names first
        for k in (key, key.removeprefix("the ")):
            if k in names:
                return names[k]
    words = clean.split()
    if words and words[0].lower() == "the":
        words[0] = "The"
    return " ".join(words)


# Last words too common to stand for one outlet ("the Times" could be any of several).
_GENERIC_LAST = {"news", "daily", "online", "uk", "today", "weekly", "media", "network", "magazine",
                 "times", "post", "press", "review", "journal", "group"}


def known_outlets(names) -> dict[str, str]:
    """Lookup keys for a story's own outlet names: with and without 'the' and 'daily', and the
    distinctive last word when only one outlet has it ("the Lantern" = "The Calloway Lantern")."""
    out: dict[str, str] = {}
    last: dict[str, set[str]] = {}
    for name in names:
        if not name:
            continue
        key = fold(name)
        for variant in {key, key.removeprefix("the "), key.replace("daily ", ""),
                        key.removeprefix("the ").replace("daily ", "")}:
            out.setdefault(variant, name)
        words = key.split()
        if len(words) > 1 and words[-1] not in _GENERIC_LAST:
            last.setdefault(words[-1], set()).add(name)
    for word, owners in last.items():
        if len(owners) == 1:
            out.setdefault(word, next(iter(owners)))
    return out


def find_credits(article: str, text: str, outlets=(), own_outlet: str | None = None,
                 known: dict[str, str] | None = None) -> list[Credit]:
    """Credit records for every phrase that names an outlet as a source, in text order.

    known: known_outlets(outlets), when the caller looks at many articles of one story.
    """
    known = known if known is not None else known_outlets(outlets)
    own = _own(own_outlet, known)
    found = {}
    for pattern in _CREDIT_RES:
        for m in pattern.finditer(text):
            name = _trim_name(m.group("name"))
            if not name or not _is_outlet(name, known):
                continue
            outlet = normalize_outlet(name, known)
            if fold(outlet) == own:
                continue
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            end = m.end() if m.end("name") < m.end() else m.start("name") + len(name)
            found.setdefault((start, outlet), Credit(article=article, credits=outlet,
                                                     phrase=text[start:end], start=start, end=end))
    return [found[k] for k in sorted(found)]


def credit_line_credits(article: str, lines, own_outlet: str | None, known: dict[str, str]) -> list[Credit]:
    """Credits from "Source: X" lines that extraction kept out of the text (no offsets)."""
    own = _own(own_outlet, known)
    return [Credit(article=article, credits=outlet, phrase=f"Source: {src}", start=None, end=None)
            for src in lines if fold(outlet := normalize_outlet(src, known)) != own]


def _own(own_outlet: str | None, known: dict[str, str]) -> str | None:
    """The article's own outlet, folded for comparison (an outlet never credits itself)."""
    return fold(normalize_outlet(own_outlet, known)) if own_outlet else None


def _is_outlet(name: str, known: dict[str, str]) -> bool:
    key = fold(name)
    bare = key.removeprefix("the ")
    return (key in known or bare in known or bare.replace("daily ", "") in known
            or key in OUTLET_ALIASES or bare in OUTLET_ALIASES or bool(_OUTLET_WORDS.search(name)))


def _trim_name(name: str) -> str:
    """Cut a captured name at joining words left dangling at its end ("the BBC and")."""
    words = name.split()
    while words and words[-1] in ("of", "and", "on"):
        words.pop()
    return " ".join(words)
