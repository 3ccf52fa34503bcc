"""Author strings that name no person, as other tools' byline heuristics write them.

newspaper3k (and newspaper4k, news-please through it) reads authors from whatever a page marks
as a byline, and real records carry what that catches: a month ("January"), a form's
placeholder ("Please Enter Your Name Here"), a share box ("Social Links For Jane Doe"), the
outlet's own name, or the whole staff list of a page (dozens of names). A citation built from
them reads "January. (2020, January 1)". These are dropped, each with the reason; what is left
is kept as given.
"""

from __future__ import annotations

import calendar
import re

from pressdiff.core.repair import repair

MAX_AUTHORS = 10  # a list of this many names or more is a page's staff list, not a byline

_CALENDAR = {w.lower() for w in [*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name,
                                 *calendar.day_abbr, "sept"]}
_DATE_WORDS = _CALENDAR | {"updated", "published", "posted", "on", "at", "am", "pm", "a.m", "p.m", "gmt", "utc",
                           "bst", "est", "edt", "cet", "pst", "pdt", "of", "the", "th", "st", "nd", "rd"}
_PLACEHOLDER = re.compile(r"\b(enter|type)\s+(your|a)\s+(name|author)\b|\byour\s+name\s+here\b|^(name|author|by)$",
                          re.I)
_SHARE_BOX = re.compile(r"^(social\s+links?\s+for|follow|view\s+(all\s+)?(posts|articles)\s+by|more\s+(articles|"
                        r"stories)\s+by|contact|email)\b", re.I)


def clean_authors(names: list[str], outlet_names: tuple[str | None, ...] = ()) -> tuple[list[str], list[str]]:
    """(the names kept, a warning for each dropped one)."""
    names = [" ".join(n.split()) for n in names if isinstance(n, str) and n.strip()]
    if len(names) >= MAX_AUTHORS:
        return [], [f"author: a list of {len(names)} names (a page's staff list, not a byline); left out"]
    own = {_outlet_form(o) for o in outlet_names if o}
    kept, warnings = [], []
    for name in names:
        why = _not_a_name(name, own)
        if why:
            warnings.append(f"author: {name!r} is {why}, not a person's name; left out")
        elif name not in kept:
            kept.append(name)
    return kept, warnings


def _not_a_name(name: str, own: set[str]) -> str | None:
    words = re.findall(r"[\w.]+", name.lower())
    if not any(ch.isalpha() for ch in name):
        return "no name"
    if all(w.rstrip(".") in _DATE_WORDS or w.rstrip(".").isdigit() for w in words):
        return "a date"
    if _PLACEHOLDER.search(name):
        return "a form's placeholder"
    if _SHARE_BOX.search(name):
        return "a share or follow box"
    if _outlet_form(name) in own:
        return "the outlet's own name"
    return None


def _outlet_form(text: str) -> str:
    """An outlet's name, its site name or its host as one comparable form ("The Guardian",
    "theguardian.com", "www.theguardian.com" -> "theguardian")."""
    text = repair(text).lower().strip()
    text = re.sub(r"^(https?://)?(www\d?\.)?", "", text)
    text = re.sub(r"\.(com|co\.uk|org|net|co|news|uk|us|info)(/.*)?$", "", text)
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", text))
