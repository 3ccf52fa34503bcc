"""Speakers as entities: a source mention as the name of whoever it refers to, or nothing.

A date ("Wednesday", "Black Friday"), an award, a headline fragment ("AUSTRALIAN OLYMPIC TEAM
REFUSES TO STAY …") or a name cut off mid-word ("Jun" of "Ai Jun", "J.J" of "J.J. MacNab") is never
a speaker: each of these was read as one on PolNeAR's train split by the cue rules. A name is
normalised: its title dropped ("Sen. Ted Cruz" -> "Ted Cruz"), words of time cut ("Gowdy earlier
Thursday" -> "Gowdy") and the full name taken from its first mention in the article ("Clinton" ->
"Hillary Clinton"). Pronouns and descriptions resolve to the name they stand for. Dates, datelines
and a headline's capitals are told apart in compare/headlines.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pressdiff.core.repair import repair

from .headlines import (
    CUE_WORD,
    DATE,
    DATE_WORDS,
    LEADING_DATE,
    MONTH_ABBREVIATIONS,
    OPENERS,
    WEEKDAYS,
    body_named,
    datelines,
    is_date,
    opens_sentence,
    outside_dateline,
    past_date,
    sentence_word,
    undated,
    without_cue,
)
from .settings import FUNCTION_WORDS, NAME_PARTICLE, NOT_NAMES, ORG_ROLES, PERSON_ROLES
from .speakers import _described, document_before, is_pronoun, name_parts, uncontracted
from .text import title_case, title_end

# Leading titles dropped from a name; "President" and "Secretary" too ("President Obama" is Obama).
_TITLES = frozenset("""mr mrs ms miss dr sen sens senator rep reps representative gov governor gen general lt
col capt sgt rev prof president vice secretary judge justice mayor chairman chairwoman speaker
attorney former candidate nominee lady sir dame lord""".split())
# Prizes and honours: "the most valuable player award", "the Nobel Prize".
_AWARD = re.compile(r"\b(?:award|awards|prize|prizes|medal|trophy|oscars?|emmys?|grammys?|tonys?|pulitzer|"
                    r"nobel|honou?r|cup|championship)\b", re.I)
# Words of time and manner that trail a subject before its cue: "Gowdy earlier Thursday said".
_TRAILING = frozenset(f"""{WEEKDAYS.replace('|', ' ')} earlier later also then again previously recently
on in at last this next night morning afternoon evening today tonight yesterday""".split())
_DETERMINERS = frozenset("the a an his her its their one another".split())
# Words of an office printed before a name, in capitals ("Senate Minority Leader", "White House Chief
# Of Staff", "Secretary of State"): dropped from the name, with the titles.
_OFFICE = _TITLES | PERSON_ROLES | frozenset("""leader minority majority whip chief of staff press deputy assistant
house senate white state national security homeland foreign defense treasury justice general u.s. us
democratic republican gop dnc rnc campaign party first""".split())
_DESCRIBES = re.compile(r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Oo]ne|[Aa]nother)\s")
_PRONOUNS = frozenset("i he she we they it you".split())
_PERSONAL = frozenset({"i", "he", "she"})
# Adverbs a source mention may run into before its cue: "The email further goes on to say".
_ADVERBS = frozenset("further also then now still however meanwhile again later earlier previously".split())
# A run of capitalised words on one line (a line break ends a name: a headline, a byline, a new
# paragraph); _runs cuts it at sentence ends and before a pronoun.
_CAP_RUN = re.compile(rf"\b(?:[A-Z][\w'’.-]*|{NAME_PARTICLE})(?:[^\S\r\n](?:[A-Z][\w'’.-]*|{NAME_PARTICLE}))*")


def _words(name: str) -> list[str]:
    return name.replace("’", "'").split()


def _runs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, list[str]]]:
    """The capitalised runs of text[start:end] (_CAP_RUN) with where each starts, cut where no name
    runs on (speakers.name_parts: a sentence's end, a pronoun)."""
    return [(m.start() + at, part.split()) for m in _CAP_RUN.finditer(text, start, len(text) if end is None else end)
            for at, part in name_parts(m.group())]


def is_entity(name: str) -> bool:
    """Whether a speaker string can name someone: not a date, an award, a headline or a broken name."""
    name = name.strip(" ,.;:\"“”‘’'")
    words = _words(name)
    if not words or DATE.search(name) or _AWARD.search(name) or (len(words) == 1 and is_pronoun(name)):
        return False  # an unresolved pronoun ("He", "they") names no one
    if uncontracted(words[0]) != words[0] and uncontracted(words[0]).lower() in _PRONOUNS:
        return False  # "I’m sure you’ve", "You're Voting": a contracted pronoun opens a clause, never a name
    bare = [w.strip(".,") for w in words]  # a date is fewer than DATE_WORDS words: a run's end is read
    if all(w[:1].isupper() for w in bare) and (bare[-1].lower() in MONTH_ABBREVIATIONS or any(
            is_date(" ".join(bare[i:])) for i in range(max(1, len(bare) - DATE_WORDS), len(bare) - 1))):
        return False  # a name run ending in a date ("Celebrating New Years Eve", "Suspect Caught Apr"): no one's
    letters = [w for w in words if any(c.isalpha() for c in w)]
    if not letters:
        return False
    # a headline fragment: three or more words in capitals, or a capitalised run of seven words
    if sum(1 for w in letters if w.isupper() and len(w) > 1) >= 3 or len(words) > 8:
        return False
    # a broken name: a single letter with no full stop ("J" of "J. Smith"), a word ending in a
    # hyphen or inner full stop ("J.J" of "J.J. MacNab", "N.C"), a lone title ("Mr")
    for i, w in enumerate(words):
        bare = w.rstrip(",")
        if (len(bare) == 1 and bare.isalpha() and bare != "I" and not (i == 0 and bare in "aA")) or bare.endswith("-") \
                or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", bare):
            return False
    first = words[0].strip(".,").lower()
    if len(words) == 1 and first in _TITLES | NOT_NAMES | FUNCTION_WORDS:
        return False
    if first in (NOT_NAMES | FUNCTION_WORDS) - _DETERMINERS and words[0][:1].isupper():
        return False  # "Across town", "On Friday": a clause's opening words
    return not (first in _DETERMINERS and len(words) == 1)


def name_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The mention text[start:end] widened to whole words and, for a name, over the initials and
    capitalised words it was cut from ("Jun" -> "Ai Jun", "J.J" -> "J.J. MacNab")."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    if not text[start:start + 1].isupper() or is_pronoun(text[start:end]):
        return start, end  # a pronoun is never widened into a name ("Fusion He")
    if re.search(r"(?:^|[\s.])[A-Z]\.?$", text[start:end]):  # ends on an initial: the surname follows
        m = re.match(r"\.?(?:\s?[A-Z]\.)*\s[A-Z][\w'’-]+", text[end:end + 60])
        if m:
            end += m.end()
    if title_case(text, start):
        return start, end  # a headline's capitals say nothing of names ("Senate Donor Group and Governor")
    # capitalised words just before, on the same line and in the same clause ("columnist Ai Jun")
    m = re.search(r"(?:\b(?:[A-Z][\w'’-]*|[A-Z]\.)[^\S\r\n])+$", text[max(0, start - 60):start])
    if m:
        words = m.group().split()
        while words and (words[0].strip(".").lower() in NOT_NAMES | _TITLES | OPENERS
                         or CUE_WORD.fullmatch(words[0].lower())):
            words.pop(0)  # "On Friday Ai Jun", "Sen. Ted Cruz", "Stated Stone": the name starts after them
        if words:
            start -= len(" ".join(words)) + 1
    return start, end


def normalise(name: str, text: str = "") -> str:
    """A name as an entity: apposition, possessive, cue verb (without_cue), title and trailing time
    words dropped, and the fullest form from its first mention in the article ("Mrs. Clinton" ->
    "Hillary Clinton")."""
    name = re.split(r",\s|\s\(|\s[—–]\s|\s[—–]$", name)[0].strip(" ,.;:\"“”‘’'—–")
    name = re.sub(r"['’]s?$", "", name)
    owner = re.match(r".+?['’]s\s((?:[A-Z][\w'’.-]*\s)+[A-Z][\w'’-]+)$", name.replace("’", "'"))
    if owner:  # "The Media Research Center's Dan Gainor": the person, not the employer
        name = owner.group(1)
    words = without_cue(text, _words(name)) if text else _words(name)  # "Stated Stone", "Dean Tells …"
    while len(words) > 1 and words[0].strip(".").lower() in _TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1].strip(".,").lower() in _TRAILING:
        words.pop()
    if words and words[0][:1].isupper():
        # a capitalised subject ends where words of time begin ("Gowdy earlier Thursday"); a lower-case
        # noun after it makes it a description, kept whole ("Democratic leaders")
        cut = next((i for i, w in enumerate(words) if i and w[:1].islower() and w.lower() in _TRAILING), len(words))
        words = words[:cut]
        while len(words) > 1 and words[-1].strip(".,").lower() in _TRAILING | NOT_NAMES:
            words.pop()
    if len(words) > 1 and words[-1][:1].isupper():
        # "Senate Minority Leader Harry Reid", "Secretary of State John Kerry": the office is not the name
        name_start = next((i for i, w in enumerate(words) if w.strip(".,").lower() not in _OFFICE), len(words))
        if 0 < name_start <= len(words) - 2:
            words = words[name_start:]
    name = " ".join(words)
    if not text or not name[:1].isupper() or len(words) > 3 or is_pronoun(name):
        return name
    last = words[-1]
    for run in _runs_ending(text).get(last, ()):
        if len(run) > len(words) and len(run) <= 4 and all(w in run for w in words) and is_entity(" ".join(run)):
            return " ".join(run)
    return name


@lru_cache(maxsize=4)
def _runs_ending(text: str) -> dict[str, list[list[str]]]:
    """The text's distinct capitalised runs of two words or more (_name_runs), in the order of
    their first mention, by their last word: a name's fuller forms end as it does, and looking
    them up by it keeps a long article's names linear."""
    out: dict[str, list[list[str]]] = {}
    seen = set()
    for run in _name_runs(text):
        if len(run) > 1 and tuple(run) not in seen:
            seen.add(tuple(run))
            out.setdefault(run[-1], []).append(run)
    return out


@lru_cache(maxsize=4)
def _name_runs(text: str) -> tuple[list[str], ...]:
    """Every capitalised run of the text as name words, in order (titles and possessives off)."""
    out = []
    text = text.replace("’", "'")
    for at, run in _runs(text):
        if title_case(text, at):
            continue  # a headline's capitals say nothing of names ("Senate Donor Group And Governor …")
        if at < title_end(text):
            run = body_named(text, run)  # "Absent Trump derides …": the name as the body prints it, or none
        date = LEADING_DATE.match(" ".join(run))
        if date:  # "10:15 AM EDT Lindsay Lohan", "9:30 PM President Barack Obama": a time is no part of a name
            run = " ".join(run)[date.end():].split()
        run = without_cue(text, run)  # "Howard Dean Tells Democratic Convention": a cue ends a name
        if not run:
            continue
        if len(run) > 1 and opens_sentence(text, at) and sentence_word(text, run[0]):
            run = run[1:]  # "Is Sanders finally …", "Top Clinton adviser sent …": the sentence's word, not the name's
        owned = [i for i, w in enumerate(run[:-1]) if w.endswith("'s") or w.endswith("'")]
        if owned:  # "Media Research Center's Dan Gainor": the name after the owner (or a closing
            # quotation mark: "'Thin-skinned' Trump quells critics" names Trump)
            run = run[owned[-1] + 1:]
        while run and run[0].strip(".").lower() in _TITLES | NOT_NAMES:
            run.pop(0)
        while len(run) > 2 and run[0].strip(".").lower() in _OFFICE:
            run.pop(0)  # "House Speaker Paul Ryan"
        titled = [i for i, w in enumerate(run[:-1]) if w.strip(".").lower() in _TITLES | _OFFICE
                  or (w.isupper() and 1 < len(w.strip(".")) <= 3)]
        if titled:  # "Virginia Sen. Tim Kaine", "UN Ambassador John Bolton", "AG Mukasey": the name after
            run = run[titled[-1] + 1:]
        if any(w.lower() in NOT_NAMES | FUNCTION_WORDS for w in run):
            continue  # "Trump As Politico": a headline's words, not a name
        run = [w.rstrip(".,") if not re.fullmatch(r"[A-Z]\.", w) else w for w in run]
        out.append([re.sub(r"['’]s$", "", w) for w in run])
    return tuple(out)


def speaker_entity(text: str, start: int, end: int) -> str | None:
    """The entity a name or description at text[start:end] refers to, or None if it names no one
    (a dateline names no one: outside_dateline, undated)."""
    if not any(c.isalpha() for c in text[start:end]):
        return None  # a mark or a zero-width space names no one, and is never widened into the word beside it
    kept = outside_dateline(text, start, end)
    text = undated(text)
    found = _entity_at(text, *kept) if kept else None
    if found and kept[0] < title_end(text) and not any(w[:1].islower() for w in found.split()):
        found = _named_in_body(text, found, labelled=bool(re.match(r"[^\S\n]*:", text[kept[1]:])))
    return repair(found) if found else found  # "RaÃºl M. Grijalva" in a text kept as given is Raúl


def _named_in_body(text: str, name: str, labelled: bool) -> str | None:
    """A name read in a title line, as the body names it (headlines.body_named): a headline capitalises every
    word, so "Absent Trump derides debate;" names Trump and a run the body never prints names no one
    ("New Poll Shows …", "Polls suggest …", "Top Climate Group Will …": shapes of real headlines).
    A name before the headline's colon ("Jane Roe: …", labelled) is its speaker even where the body
    does not name it again (a column's author)."""
    kept = body_named(text, name.split())
    if not kept:
        return name if labelled else None
    if kept == name.split():
        return name
    name = normalise(" ".join(kept), text)
    return name if is_entity(name) else None


def _entity_at(text: str, start: int, end: int) -> str | None:
    s, e = name_at(text, start, end)
    s = past_date(text, s, e)
    mention = text[s:e].strip(" ,;:")
    # "The senator from Ohio, Jane Okafor": a description in apposition to a name is the name's
    parts = [p.strip() for p in re.split(r",\s|\s\(|\)|\s[—–]\s", mention) if p.strip()]
    named = [p for p in parts if p[:1].isupper() and not _DESCRIBES.match(p) and is_entity(p)]
    if len(parts) > 1 and named:
        s += mention.index(named[0])
        mention = named[0]
    elif parts and mention[:1].islower():
        # "former White House Chief Of Staff Rahm Emanuel", "state Rep. Gilda Cobb-Hunter": a name at the end
        m = re.search(r"(?:[A-Z][\w'’.-]*\s)+[A-Z][\w'’-]+$", parts[0])
        if m and len(m.group().split()) >= 2:
            s += mention.index(m.group())
            mention = m.group()
    owner = re.search(r"['’]s\s((?:[A-Z][\w'’.-]*\s)+[A-Z][\w'’-]+)$", mention)
    if owner:  # "The Media Research Center's Dan Gainor": the person, not the employer
        s += owner.start(1)
        mention = owner.group(1)
    inner = re.search(r"\s(?:The|An?)\s[A-Z]", mention)
    if inner and mention[:1].isupper():  # "Exclusive The Home Office": a kicker before the name
        s += inner.start() + 1
        mention = mention[inner.start() + 1:]
    if mention[:1].islower() or _DESCRIBES.match(mention):
        words = mention.split()
        while len(words) > 2 and words[-1].lower().strip(".,") in _ADVERBS:
            words.pop()  # "The email further"
        mention = " ".join(words)
        if _DESCRIBES.match(mention) and len(words) > 1 and words[1][:1].isupper():
            name = _holder(text, s, normalise(" ".join(words[1:]), text))  # "The Home Office": a name
            return name if is_entity(name) else None
        if _DESCRIBES.match(mention):  # "The email" is "the email" wherever it stands
            mention = mention[:1].lower() + mention[1:]
        head = words[-1].lower().strip(".,")
        if head in PERSON_ROLES | ORG_ROLES:
            found = _described(text, s, head)
            return found[1] if found else mention
        return mention if is_entity(mention) and len(words) <= 8 else None
    titled = re.search(r"[”\"]\s(.*)$", mention)
    if titled:  # "“Orange is the New Black” star Dascha Polanco": a title of a work, then the name
        m = re.search(r"(?:[A-Z][\w'’.-]*\s)+[A-Z][\w'’-]+$", titled.group(1))
        if not m:
            return None  # "“Broad City” Star", "… “Dumbledore Is Time-Traveling Ron” Theory": a work's title
        s += mention.rindex(m.group())
        mention = m.group()
    if DATE.search(mention.strip(" ,.")) or _AWARD.search(mention):
        return None  # before trailing time words are cut: "Black Friday" is a date, not "Black"
    name = _holder(text, s, normalise(mention, text))
    return name if is_entity(name) else None


def _holder(text: str, pos: int, name: str) -> str:
    """An office printed as a speaker ("Union Law Minister also said that …", "The Law Minister
    said"): its holder, as the text named them before pos with the office's words before the name
    ("Law Minister Ravi Shankar Prasad"), as a description ("the minister") is resolved; any other
    name as it is. An office names no one (speakers.holder_names), so its holder is the evidence
    another outlet's "Prasad" agrees with."""
    words = name.split()
    if not (words and name[:1].isupper() and words[-1].lower() in PERSON_ROLES):
        return name
    return _office_holder(text, pos, words) or name


def _office_holder(text: str, pos: int, words: list[str]) -> str | None:
    """The name an office's words stand before in text[:pos], for the longest ending of them that
    does ("Union Law Minister": "Law Minister Ravi Shankar Prasad"), the nearest such mention; None
    where no name of two to four words follows them. An ending keeps two words of an office of two
    or more ("Prime Minister" is not any "Minister Javad Zarif"), and its words as printed but for
    the first one's capital: a title-case headline's "Greek Prime Minister Calls Bank Workers' Riot
    Deaths" names no "Greek prime minister"."""
    window = text[max(0, pos - 3000):pos]
    for k in range(max(1, len(words) - 1)):
        first, rest = words[k], words[k + 1:]
        initial = f"(?:{re.escape(first[0].upper())}|{re.escape(first[0].lower())})"
        head = r"\s+".join([initial + re.escape(first[1:]), *map(re.escape, rest)])
        found = None
        for m in re.finditer(rf"\b{head}\s+(?P<name>[A-Z][\w'’.-]*(?:[^\S\r\n][A-Z][\w'’.-]*)+)", window):
            found = m.group("name")
        if found:
            name = normalise(name_parts(found)[0][1], text)
            return name if 2 <= len(name.split()) <= 4 and is_entity(name) else None
    return None


def resolve_speakers(text: str, sources: list[tuple]) -> list[str | None]:
    """The speaker of each relation, given (source span or None, content start) in text order: a
    name normalised, a pronoun resolved to the person or document named before it."""
    out: list[str | None] = []
    people: list[tuple[int, str]] = []  # (where, name) of persons named as speakers so far
    text = undated(text)  # a dateline's place is no one's name (datelines)
    for source, pos in sources:
        if source is None:
            out.append(None)
            continue
        low = uncontracted(source.text.strip()).lower()  # "I’d" is "I"
        if low in _PRONOUNS:
            who = None
            if low in _PERSONAL:
                earlier = [n for at, n in people if at < source.start]
                who = earlier[-1] if earlier else _person_before(text, source.start)
            elif low == "it":
                who = document_before(text, source.start)
            out.append(who)
            continue
        who = speaker_entity(text, source.start, source.end)
        if who and who[:1].isupper():
            people.append((source.start, who))
        out.append(who)
    return out


def _person_before(text: str, pos: int) -> str | None:
    """The nearest name of two or more words (a person's, most likely) before pos."""
    found = None
    for _, run in _runs(text, max(title_end(text), pos - 1500), pos):  # a headline's words name no one
        words = [w for w in without_cue(text, run) if w.strip(".").lower() not in NOT_NAMES | _TITLES]
        if len(words) >= 2 and is_entity(" ".join(words)):
            found = " ".join(words)
    return normalise(found, text) if found else None


def quote_speaker(text: str, speaker: str | None, mention: tuple[int, int] | None) -> str | None:
    """A quotation's speaker (quotes.py's, given with its mention's offsets) as an entity: a name as
    printed widened and normalised (speaker_entity), the name a pronoun or description was resolved
    to normalised, and nothing that names no one (a date, an award, a headline, a broken name)."""
    if speaker is None:
        return None
    if any(speaker.strip().upper() == place.upper() for _, _, place in datelines(text)):
        return None  # a description or pronoun resolved to the dateline's place (quotes.py's)
    printed = text[mention[0]:mention[1]].strip() if mention else ""
    if printed[:1].isupper() and printed.lower() not in _PRONOUNS and not _DESCRIBES.match(printed):
        return speaker_entity(text, *mention)  # "His" is no pronoun quotes.py resolves: the relation's speaker
    if speaker.lower() in _PRONOUNS:
        return speaker  # unresolved: kept as printed, no one for certain (no entity: align.py)
    if speaker[:1].isupper() and not _DESCRIBES.match(speaker):
        speaker = normalise(speaker, text)
    return speaker if is_entity(speaker) else None
