"""#35: synonyms come from WordNet (Debian's wordnet-base); without it, alignment runs without them."""


import re

import pytest

from pressdiff.compare import synonyms as syn
from pressdiff.compare.comparison import compare_story
from pressdiff.compare.drift import classify_variant
from pressdiff.compare.text import Vocabulary, tokenize, words
from pressdiff.core.records import Article

from .invariants import SCHEMAS

needs_wordnet = pytest.mark.skipif(syn.wordnet() is None, reason="WordNet (Debian's wordnet-base) is not installed")


def _nltk_senses():
    """nltk's WordNet reader on the same files, as a function of a word to its synsets named as
    synonyms.senses names them (a satellite adjective is in the adjectives' data file)."""
    corpus_reader = pytest.importorskip("nltk.corpus.reader.wordnet")
    import io

    import nltk.data

    root = syn.wordnet().root

    class Reader(corpus_reader.WordNetCorpusReader):
        def open(self, fileid):  # Debian's copy lacks lexnames, whose names nothing reads
            if fileid == "lexnames" and not (root / "lexnames").is_file():
                return io.StringIO("".join(f"{i:02d}\tlexfile{i:02d}\t0\n" for i in range(45)))
            return super().open(fileid)

        def map_wn(self, version="wordnet"):
            return None  # the map to other WordNets' synsets: not installed, not used

    nltk.data.path.append(str(root))
    with pytest.warns(UserWarning, match="multilingual"):
        reader = Reader(str(root), None)
    return lambda word: frozenset(f"{'a' if s.pos() == 's' else s.pos()}{s.offset():08d}" for s in reader.synsets(word))


# inflections morphy's rules detach, exception-list forms and words WordNet lacks
FORMS = ("said stated geese mice ran went better best happier happiest larger largest taxes churches wives "
         "women studies studied tried dying lying hoping hopped making axes boxes buses analyses criteria "
         "data news was were has am is are been being quickly well Trump tweeted retweets xyzzy").split()


@needs_wordnet
def test_each_word_has_the_synsets_nltks_wordnet_reader_gives(corpus_dir):
    from .conftest import SHARED

    texts = [p.read_text("utf-8") for p in corpus_dir.glob("*.json")]
    texts += [p.read_text("utf-8") for p in (SHARED / "data/attribution/polnear/dev/text").glob("*.txt")]
    vocabulary = {*FORMS, *(w for t in texts for w in re.findall(r"[A-Za-z]+", t))}
    reference = _nltk_senses()
    differ = [w for w in sorted(vocabulary) if syn.senses(w) != reference(w)]
    assert len(vocabulary) > 5000 and not differ, differ[:10]
    # an exception list's form and a rule's reach their lemmas
    assert syn.senses("geese") and syn.senses("geese") <= syn.senses("goose") and syn.synonyms("ran", "run")
    assert syn.synonyms("churches", "church") and not syn.senses("xyzzy")


def _drift(origin: str, variant: str):
    return classify_variant(words(tokenize(origin)), words(tokenize(variant)), Vocabulary(), origin_quoted=True,
                            variant_quoted=True, origin_text=origin, variant_text=variant)


@needs_wordnet
def test_wordnet_synonyms_share_a_synset_and_other_words_do_not():
    assert syn.synonyms("big", "large") and syn.synonyms("said", "stated")
    assert not syn.synonyms("big", "small") and not syn.synonyms("pier", "pier")


@needs_wordnet
def test_the_word_diff_names_a_synonym_swap_and_a_spelling_variant():
    d = _drift("We favour a big review of the harbour", "We favor a large review of the harbour")
    ops = [(op, a.strip(), b.strip()) for op, a, b in d.diff]
    assert ("synonym", "big", "large") in ops and ("spelling", "favour", "favor") in ops
    assert set(d.changes) == {"substituted", "normalized"}  # SPEC's change list is unchanged
    other = _drift("We favour a big review of the harbour", "We favour a green review of the harbour")
    assert ("replace", "big", "green") in [(op, a.strip(), b.strip()) for op, a, b in other.diff]


def test_case_alone_stays_normalized_not_spelling():
    ops = [op for op, *_ in _drift("the Harbour board", "the harbour board").diff]
    assert ops == ["equal", "normalized", "equal"]


def _renderings_linked() -> bool:
    texts = ['Ortega said: "The enormous crowd cheered the players before the final whistle."',
             'Ortega told the radio: "The huge crowd applauded the players before the last whistle."']
    arts = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=t, outlet=f"O{i}", published="2026-03-01")
            for i, t in enumerate(texts)]
    return any(len({v.article for v in c.variants}) == 2 for c in compare_story("s", arts).clusters)


def _without_wordnet(monkeypatch, tmp_path):
    monkeypatch.setattr(syn, "WORDNET_DIRS", (str(tmp_path / "absent"),))
    syn.wordnet.cache_clear()
    syn.senses.cache_clear()


@needs_wordnet
def test_renderings_with_synonyms_link_where_lemmas_alone_do_not(monkeypatch, tmp_path):
    assert _renderings_linked()
    _without_wordnet(monkeypatch, tmp_path)
    try:
        assert not _renderings_linked()
    finally:
        syn.wordnet.cache_clear()
        syn.senses.cache_clear()


def test_without_wordnet_no_words_are_synonyms_and_compare_runs(monkeypatch, tmp_path):
    _without_wordnet(monkeypatch, tmp_path)
    try:
        assert syn.wordnet() is None and not syn.synonyms("big", "large")
        d = _drift("a big review", "a large review")
        assert ("replace", "big", "large") in [(op, a.strip(), b.strip()) for op, a, b in d.diff]
    finally:
        syn.wordnet.cache_clear()
        syn.senses.cache_clear()


@needs_wordnet
def test_synonym_and_spelling_ops_are_schema_valid_and_marked_on_the_quote_page():
    import json

    import jsonschema

    from pressdiff.publish.escape import diff_html

    d = _drift("We favour a big review of the harbour", "We favor a large review of the harbour")
    schema = json.loads((SCHEMAS / "comparison.schema.json").read_text("utf-8"))
    jsonschema.validate([list(op) for op in d.diff], schema["$defs"]["variant"]["properties"]["diff"])
    html = str(diff_html(d.diff))
    assert '<span class="pd-synonym" title="synonym of: big">large</span>' in html
    assert 'title="other spelling of: favour">favor</span>' in html


def _linked(texts: list[str], published=("2026-03-01", "2026-03-01")) -> bool:
    arts = [Article(id=f"a{i}", url=f"https://o{i}.example/", text=t, outlet=f"O{i}", published=p)
            for i, (t, p) in enumerate(zip(texts, published))]
    return any(len({v.article for v in c.variants}) == 2 for c in compare_story("s", arts).clusters)


@needs_wordnet
def test_a_remark_quoted_once_and_reported_once_by_one_speaker_is_one_rendering():
    quoted = 'Coach Ignatius Ortega said: "The enormous crowd cheered the players before the final whistle."'
    reported = "Coach Ignatius Ortega said the huge crowd applauded the players before the last whistle."
    assert _linked([quoted, reported], (None, None))  # one speaker for certain: no dates needed
    assert not _linked([quoted, reported.replace("Coach Ignatius Ortega", "Mayor Ptolemy Hargreave")], (None, None))


def test_renderings_must_agree_on_more_than_the_names_they_share():
    texts = ['Ortega said: "We will restore the Endangered Species Act of Calloway to its place this spring."',
             'Ortega told the radio: "Nobody should be rewriting the Endangered Species Act of Calloway now."']
    assert not _linked(texts)


def test_one_speakers_rendering_with_clauses_in_another_order_is_compared_whole():
    first = "Constable Tim Fanning said the gunman entered the party of at least a dozen teenagers around midnight."
    second = ("Constable Tim Fanning says at least a dozen teenagers were at the party when the gunman "
              "entered about midnight.")
    assert _linked([first, second], (None, None))  # one speaker for certain: the words agree in any order
    assert not _linked([first, second.replace("Constable Tim Fanning", "Mayor Ptolemy Hargreave")], (None, None))
    other = "Constable Tim Fanning says the party was a quiet one and the teenagers went home early."
    assert not _linked([first, other], (None, None))  # one speaker, another remark
