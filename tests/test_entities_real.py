"""Speakers are entities on real coverage nobody here wrote (#34): an audit of every speaker the
comparison's attribution gives on SemEval dev, ECB+ and PolNeAR train found places from datelines,
names cut inside the next word, pronouns read as names when contracted, and a headline's words taken
as a name's. Articles are named by id or url and only short strings (a place, a name) live here;
each test is skipped where ../shared is absent."""

from __future__ import annotations

import re

import pytest

from pressdiff.compare.entities import is_entity, normalise, resolve_speakers, speaker_entity
from pressdiff.compare.headlines import datelines
from pressdiff.compare.quotes import find_quotes
from pressdiff.compare.relations import TextSpan, find_relations, quoted_speakers
from pressdiff.compare.speakers import is_pronoun
from pressdiff.compare.text import title_end

from .conftest import SHARED, ecbplus_text, semeval_text

DATA = SHARED / "data"


def _polnear(article: str) -> str:
    path = DATA / "attribution" / "polnear" / "train" / "text" / f"{article}.txt"
    if not path.is_file():
        pytest.skip(f"PolNeAR train not found under {path.parent}")
    return path.read_text("utf-8")


def _text(source: str) -> str:
    return semeval_text(source) if source.startswith("http") else _polnear(source)


def _speakers(text: str) -> list[tuple[TextSpan | None, str | None]]:
    """(source mention, speaker) of every relation and quotation, as the comparison gives them."""
    quotes = find_quotes("a", text)
    relations = find_relations(text, quotes)
    out = [(r.source, r.speaker) for r in relations]
    for q in quoted_speakers(text, quotes, relations):
        mention = None if q.mention_start is None else TextSpan(q.mention_start, q.mention_end,
                                                                text[q.mention_start:q.mention_end])
        out.append((mention, q.speaker))
    return out


# (article, its dateline's place): each was once a speaker, as the source itself ("PATNA"), the
# start of a source that ran into the lead ("RALEIGH — The federal judge …", "ATLANTIC CITY —
# Hillary Clinton"), or the antecedent of a pronoun or a description ("she", "the minister").
DATELINED = [
    ("https://www.channelnewsasia.com/news/asia/india-targets-new-moon-mission-in-2020-12225344", "BANGALORE"),
    ("https://arynews.tv/en/omar-ayub-khan-cng-stations-intermittent-gas-supply/", "ISLAMABAD"),
    ("https://timesofindia.indiatimes.com/city/patna/akhand-path-and-nagar-kirtan-mark-guru-gobind-singhs-birth-"
     "anniversary/articleshow/73061191.cms", "PATNA"),
    ("https://nsjonline.com/article/2020/01/judge-blocks-nc-voter-id-law/", "RALEIGH"),
    ("https://economictimes.indiatimes.com/news/defence/india-pakistan-exchange-list-of-nuclear-installations/"
     "articleshow/73056333.cms", "NEW DELHI"),
    ("https://timesofindia.indiatimes.com/city/chennai/caa-cops-probing-kolam-protesters-pak-link/articleshow/"
     "73064323.cms", "CHENNAI"),
    ("nyt_2016-01-18_a-one-person-job-now-divided-amo", "LOS ANGELES"),
    ("politico_2016-01-31_clinton-rolls-out-special-charac", "DES MOINES"),
    ("politico_2016-07-06_atlantic-city-officials-welcome-", "ATLANTIC CITY"),
]


@pytest.mark.parametrize("source,place", DATELINED, ids=[p for _, p in DATELINED])
def test_a_dateline_is_no_part_of_a_source_and_no_speaker(source, place):
    text = _text(source)
    found = datelines(text)
    assert [p.split(",")[0].strip() for _, _, p in found] == [place]
    start, end, _ = found[0]
    for mention, speaker in _speakers(text):
        assert mention is None or mention.end <= start or mention.start >= end, mention
        assert speaker is None or place not in speaker, (mention, speaker)  # "Atlantic City" in the text may speak


def test_a_source_that_runs_into_a_dateline_keeps_what_follows_it():
    # PolNeAR train (politico): "ATLANTIC CITY — Hillary Clinton …" was one source, the place its speaker
    text = _text("politico_2016-07-06_atlantic-city-officials-welcome-")
    got = [(m.text, s) for m, s in _speakers(text) if m is not None and s == "Hillary Clinton"]
    assert got and all(not m.startswith("ATLANTIC") for m, _ in got)


def test_a_transcripts_speaker_labels_are_no_dateline():
    # PolNeAR train (breitbart): a TV interview's transcript, each turn opened by its speaker in
    # capitals and a colon; they are the speakers, and no paragraph of them is a dateline
    text = _text("breitbart_2016-07-10_ok-gov-fallin-trump-is-trying-to")
    assert datelines(text) == ()
    assert any(s and "TAPPER" in s for _, s in _speakers(text))


def test_the_shape_of_a_dateline_and_a_pronoun_after_it():
    text = ("WASHINGTON — The senator from Ohio, Jane Okafor, said on Tuesday the bill would fail.\n\n"
            "She said it again later.")
    assert datelines(text)[0][2] == "WASHINGTON"
    she = text.index("She")
    got = resolve_speakers(text, [(TextSpan(0, 50, text[:50]), 60), (TextSpan(she, she + 3, "She"), she + 8)])
    assert got == ["Jane Okafor", "Jane Okafor"]
    assert speaker_entity(text, 0, 10) is None


# (article, the name, a cue word the name was once read with): the name particles ("de", "la",
# "al") were read inside the word after a name ("Boot la|ments", "Mr. Putin al|so"), cutting the
# mention there; widened back to whole words, the cue became part of the speaker ("Boot laments").
CUT = [
    ("https://www.alternet.org/2020/01/trump-has-no-coherent-strategy-to-solve-the-escalating-crisis-with-iran-"
     "conservative-columnist/", "Boot"),
    ("nyt_2015-12-19_putin-chides-turkey-and-praises-", "Putin"),
    ("nyt_2016-06-09_ryan-calls-trump-line-racist-but", "McConnell"),
]


@pytest.mark.parametrize("source,name", CUT, ids=[n for _, n in CUT])
def test_a_mention_never_ends_inside_the_word_after_a_name(source, name):
    text = _text(source)
    named = [(m, s) for m, s in _speakers(text) if m is not None and name in m.text]
    assert named
    for mention, speaker in named:
        assert not text[mention.end:mention.end + 1].isalnum(), mention
        assert speaker is None or speaker.split()[-1][:1].isupper(), speaker  # not "Boot laments"


def test_a_contracted_pronoun_is_the_pronoun():
    # PolNeAR train (politico): a Q&A where "I'd", "I'm", "we're" were each a speaker's name
    text = _text("politico_2016-02-19_q-a-with-vice-president-joe-bide")
    contracted = re.compile(r"^(?:I|We|You|They|She|He)['’]", re.I)
    assert not [s for _, s in _speakers(text) if s and contracted.match(s)]
    assert is_pronoun("I’d") and is_pronoun("We'll") and not is_entity("They’re")


# (article, a name as printed, the fuller form): a headline's words ("Is Sanders finally …", "Top
# Clinton adviser …", "Republican Donor Adelson and Trump May be …") were taken as the name's.
HEADLINED = [
    ("wash-post_2016-06-05_is-sanders-finally-connecting-wi", "Sanders", "Bernie Sanders"),
    ("politico_2016-02-10_top-clinton-adviser-sent-top-sec", "Clinton", "Hillary Clinton"),
    ("usa-today_2016-06-07_did-donald-trump-really-scam-stu", "Trump", "Donald Trump"),
    ("breitbart_2015-12-20_republican-donor-adelson-and-tru", "Adelson", "Sheldon Adelson"),
    ("wash-post_2016-07-15_thin-skinned-trump-quells-critic", "Trump", "Donald Trump"),
]


@pytest.mark.parametrize("article,name,full", HEADLINED, ids=[a[:30] for a, _, _ in HEADLINED])
def test_a_headlines_words_are_not_a_names(article, name, full):
    assert normalise(name, _polnear(article)) == full


@pytest.mark.parametrize("article", ["huff-post_2015-12-22_of-the-most-powerful-things-lati",
                                     "huff-post_2016-08-12_isis-truther-donald-trump-is-lik"])
def test_a_title_of_a_work_is_no_part_of_a_speaker(article):
    # PolNeAR train: "“<a show>” star <a name>", "“<a show>” host <a name>" were speakers with the show's
    # title in them, and "“<a show>” Star" one of its own; the name after the title is the speaker
    text = _polnear(article)
    named = [s for _, s in _speakers(text) if s and s[:1].isupper()]  # "the “…” actress" is a description
    assert named and not [s for s in named if re.search(r"[“”\"]", s)]


@pytest.mark.parametrize("day", ["New Year’s Eve", "New Year's Day", "New Year"])
def test_a_holiday_in_any_apostrophe_is_a_date(day):
    assert not is_entity(day)


def test_a_description_before_a_pronoun_lends_it_no_name():
    """HuffPost's article on Sanders names him first by a description (capitalised words, then
    "senator") and later quotes him with "he said": the nearest capitalised words before "he"
    describe someone (a role in lower case follows them); they are no name, so "he" names no one for
    certain, and does not block the link to the Washington Post's rendering of the same remark."""
    text = _polnear("huff-post_2016-06-09_clinton-and-sanders-aren-t-butti")
    speakers = {speaker for _, speaker in _speakers(text)}
    assert "Independent Vermont" not in speakers
    assert not any(s and s.endswith("Vermont") for s in speakers)


# (PolNeAR train article, how many words open its title line as a source mention): a headline
# capitalises every word, and the words the body never prints as a name were a speaker's ("Absent
# <name>", "Top Climate Group", "New Poll", "New Detail"; "Conservative Icon <name>", "Benghazi Widow
# <name>" kept the headline's description). The speaker is the name as the body prints it, or none.
TITLE_SOURCES = [
    ("usa-today_2016-01-29_absent-trump-derides-debate-cruz", 2),
    ("huff-post_2015-11-10_top-climate-group-will-run-ads-d", 3),
    ("west-journal_2016-07-14_new-poll-shows-large-gap-emergin", 2),
    ("west-journal_2015-12-31_new-detail-just-emerged-about-wh", 2),
    ("breitbart_2016-01-10_conservative-icon-morton-blackwe", 4),
    ("west-journal_2016-08-05_benghazi-widow-dorothy-woods-def", 4),
]


@pytest.mark.parametrize("article,words", TITLE_SOURCES, ids=[a[:34] for a, _ in TITLE_SOURCES])
def test_a_headlines_source_is_a_name_only_as_the_body_prints_it(article, words):
    text = _polnear(article)
    end = len(" ".join(text.split(" ")[:words]))
    assert 0 < end < title_end(text)
    speaker = speaker_entity(text, 0, end)
    first = text.split()[0]
    assert speaker is None or (first not in speaker.split() and speaker.split()[-1] in text[title_end(text):])


def test_a_title_case_headline_before_a_quotation_lends_its_words_to_no_speaker():
    # Breitbart: "<Name>: <Adjective> <Noun> <Noun> Appeals to ‘…’": the quotation's speaker was read
    # as the headline's capitalised words before "to"; the body prints none of them as a name
    text = _polnear("breitbart_2015-12-02_john-mccain-republican-populist-")
    headline_words = set(text[:title_end(text)].split()) - set(text[title_end(text):].split())
    assert headline_words
    for _, speaker in _speakers(text):
        assert not (speaker and set(speaker.split()) & headline_words), speaker


def test_a_live_blogs_time_glued_to_a_name_is_no_part_of_the_speaker():
    # HuffPost's debate live blog prints each entry as "<date> <h>:<mm>PM<Name> Says …": four such
    # names were speakers with the minutes and "PM" in front
    text = _polnear("huff-post_2016-02-07_the-latest-gop-debate-kicked-off")
    speakers = [s for _, s in _speakers(text) if s]
    assert speakers and not [s for s in speakers if re.match(r"\d|[AP]M\b", s)]


# (ECB+ document, a date or time printed before the source): "<Mon> <d>, <yyyy> Police say …",
# "<hh>:<mm> AM EDT <Name> …", "<d> <Month> <yyyy> The injury …" (a headline run into its date line).
ECB_DATED = ["21_7ecbplus", "1_7ecbplus", "1_14ecbplus", "25_10ecbplus", "9_10ecbplus", "34_3ecbplus"]


@pytest.mark.parametrize("doc", ECB_DATED)
def test_a_date_or_time_before_a_name_is_no_part_of_the_speaker(doc):
    text = ecbplus_text(doc)
    speakers = [s for _, s in _speakers(text) if s]
    assert speakers and not [s for s in speakers if re.match(r"(?:\d|AM\b|PM\b)", s)], speakers
