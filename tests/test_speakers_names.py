"""The names speakers.py proposes to its model, and the mentions quotes.py's cue rules read, never
begin or end inside a word (#34): a name particle ("de", "la", "al") is a name's word only before the
name's next capitalised word. Invented sentences and generated runs (behaviour only)."""

from __future__ import annotations

import random

import pytest

from pressdiff.compare.quotes import find_quotes
from pressdiff.compare.settings import NAME_PARTICLES
from pressdiff.compare.speakers import _NAME_RE, _Layout, candidates


def _inside_a_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or \
        (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())


@pytest.mark.parametrize("text,name", [("Max Boot laments the lack of a strategy.", "Max Boot"),
                                       ("Mr. Putin also praised the pilots.", "Mr. Putin"),
                                       ("The Journal's deputy editor wrote it.", "The Journal's"),
                                       ("Mayor Bill de Blasio vowed to act.", "Mayor Bill de Blasio"),
                                       ("Ursula von der Leyen said so.", "Ursula von der Leyen")])
def test_a_particle_is_a_names_word_only_before_its_next_capitalised_word(text, name):
    assert _NAME_RE.match(text).group() == name


def test_no_proposed_name_ends_inside_a_word_on_generated_runs():
    # capitalised words, particles and lower-case words opening with a particle's letters ("deputy",
    # "laments", "also", "details"), in random order: every name found ends where a word does
    rng = random.Random(34)
    words = ["Jane", "Okafor", "Boot", "Putin", "Journal's"] + list(NAME_PARTICLES) + \
        [p + tail for p in NAME_PARTICLES for tail in ("puty", "ments", "so", "tails")]
    for _ in range(500):
        text = " ".join(rng.choice(words) for _ in range(12))
        for m in _NAME_RE.finditer(text):
            assert not _inside_a_word(text, *m.span()), (text, m.group())
            assert m.group().split()[-1] not in NAME_PARTICLES, (text, m.group())


def test_the_models_candidates_never_cut_a_word():
    text = "“We will not back down,” Max Boot laments in the column, adding that “it is late.”"
    quotes = find_quotes("x", text, weights={})
    layout = _Layout(text, quotes)
    names = [m for q in quotes for m in candidates(layout, q) if m.kind == "name"]
    assert names and not [m for m in names if _inside_a_word(text, m.start, m.end)]


def test_a_cue_rules_mention_opens_and_ends_on_a_word():
    # "Another intelligence source": the determiner phrase once began inside "Another" ("her …")
    text = "Another intelligence source speaking to the paper said, “The agents are looking into it.”"
    (q,) = find_quotes("x", text, weights={})
    assert q.mention_start is not None and not _inside_a_word(text, q.mention_start, q.mention_end)
    assert text[q.mention_start:q.mention_end] != "her intelligence source"


@pytest.mark.parametrize("text", [
    "Fans were stunned by “Eclipse” news, as the director was told her services would end.",
    "Fans were stunned by “Eclipse” news, as the director was also told her services would end.",
    "Fans were stunned by “Eclipse” news, as she was told the show would end.",
])
def test_after_a_passive_cue_neither_side_of_it_is_the_speaker(text):
    # whoever "was told" is told, and what follows "told" is whom or what: no one here says it
    (q,) = find_quotes("x", text, weights={})
    assert q.speaker is None
