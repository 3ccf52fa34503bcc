"""Quote conventions, attribution and credits on short invented examples and on the real corpus."""

import json

import pytest

from pressdiff.archive.extract import clean_text
from pressdiff.compare.credits import find_credits, normalize_outlet
from pressdiff.compare.quotes import find_quotes
from pressdiff.compare.relations import attributions, find_relations


def test_nested_quotes_stay_inside_the_outer_quotation():
    (q,) = find_quotes("a", 'The minister said: "They called it \'a betrayal\' and left," adding nothing.')
    assert q.text == "They called it 'a betrayal' and left,"


def test_elisions_and_bracketed_insertions_are_kept_and_marked():
    (q,) = find_quotes("a", 'It said staff were "posting [Harbour] work […] whilst sharing posts … about Greyline."')
    assert "[Harbour]" in q.text and "[…]" in q.text
    assert q.elided and q.insertions == ("[Harbour]",)
    (plain,) = find_quotes("a", 'He said "nothing was dropped here at all."')
    assert not plain.elided and plain.insertions == ()


def test_doubled_apostrophes_are_quotation_marks_as_in_archive_copy():
    t = "''This isn't reform,'' said Jon Smith, an economist. ''It is a mess.''"
    qs = find_quotes("a", t)
    assert [q.text for q in qs] == ["This isn't reform,", "It is a mess."]
    assert all(q.speaker == "Jon Smith" for q in qs)


@pytest.mark.parametrize("text, speaker", [
    ('"We are watching," Flynn, a top Trump surrogate, said Thursday.', "Flynn"),
    ('"It is a dog whistle," Rep. Gwen Moore (D-Wis.) said Friday.', "Rep. Gwen Moore"),
    ('"It is wrong," said Ana Ruiz.', "Ana Ruiz"),
    ('Said Ellis: "I do not get the sense she is interested."', "Ellis"),
    ('"We will be there." ― Carla Sanchez', "Carla Sanchez"),
    ('He said:\n\n"We have a situation in our cities."', "He"),
    ('"The heat," Rendell recalled, "was too much."', "Rendell"),
])
def test_speaker_conventions(text, speaker):
    qs = find_quotes("a", text)
    assert qs[0].speaker == speaker
    assert text[qs[0].mention_start:qs[0].mention_end].startswith(speaker.split()[0])


def test_short_titles_and_scare_quotes_are_not_attributed():
    qs = find_quotes("a", 'He appeared on "Fox News Sunday" and called them "deplorables" again.')
    assert [q.attributed for q in qs] == [False, False]


def test_indirect_speech_with_a_cue_is_listed_with_its_speaker_and_cue():
    t = ("The memo went to every team last week.\n\n"
         "A spokesperson said that the guidance had been refreshed for all staff.\n\n"
         "Staff were told to stay quiet about the tender.")
    found = attributions("a", t, find_relations(t))
    assert [(x.speaker, x.cue) for x in found] == [("a spokesperson", "said")]
    assert t[found[0].start:found[0].end] == found[0].text and "refreshed for all staff" in found[0].text
    # "were told": the staff are the addressees, not the speaker (the founding story's RT and OBV copy)
    told = next(r for r in find_relations(t) if r.cue is not None and r.cue.text.endswith("told"))
    assert told.source is None and told.speaker is None


@pytest.mark.parametrize("phrase, outlet", [
    ("in an email seen by The Register.", "The Register"),
    ("a letter obtained by the Guardian shows", "The Guardian"),
    ("An email accessed by The Register outlines", "The Register"),
    ("a spokesman told the Daily Telegraph that", "The Daily Telegraph"),
    ("according to the BBC, staff", "BBC"),
    ("the story, first reported by the Calloway Lantern, spread", "The Calloway Lantern"),
    ("Source: Mashable", "Mashable"),
    ("Speaking to the Telegraph, a spokesperson said", "The Daily Telegraph"),
])
def test_credit_phrases_name_the_outlet(phrase, outlet):
    (c,) = find_credits("a", phrase, outlets=["The Calloway Lantern"])
    assert c.credits == outlet and phrase[c.start:c.end] == c.phrase


def test_outlet_names_are_normalised_and_people_are_not_outlets():
    assert normalize_outlet("the Telegraph") == normalize_outlet("The Daily Telegraph") == "The Daily Telegraph"
    assert find_credits("a", "according to John Smith, the memo was sent") == []
    assert find_credits("a", "it told staff to avoid") == []


def test_extraction_clean_up_keeps_credit_lines_as_metadata():
    text, credit_lines, captions = clean_text("Headline\nicon menu icon search icon facebook icon twitter icon mail\nBody one.\n"
                            "Body one.\nComments\nPost a Comment\nSource: Northgate Courier\nBody two.", "Headline")
    assert text == "Body one.\n\nBody two."
    assert credit_lines == ("Northgate Courier",) and captions == ()


def test_real_corpus_quote_conventions(corpus_dir):
    texts = {f.stem: json.loads(f.read_text("utf-8"))["text"] for f in corpus_dir.glob("*.json")}
    rt = find_quotes("rt", texts["rt"])
    unclosed = next(q for q in rt if q.text.startswith("giving personal opinions"))
    assert not unclosed.closed  # RT never closed it: it ends at the paragraph end, flagged
    assert any(q.text == "the heat die down" and not q.closed for q in rt)
    obv = find_quotes("obv", texts["obv"])
    first = next(q for q in obv if q.text.startswith("A quick look"))
    second = next(q for q in obv if q.text.startswith("We need to be careful"))
    assert first.mark == "‘" and not first.closed and second.continued  # one opening mark per paragraph
    assert first.elided and "[...]" in first.text
    reg = find_quotes("reg", texts["theregister"])
    assert {q.speaker for q in reg if "Home Office" in q.text or "careful" in q.text} == {"the missive"}
    ib = next(q for q in find_quotes("ib", texts["ibtimes"]) if q.text.startswith("Accounts are"))
    assert ib.insertions == ("[US President]",) and ib.speaker == "the guidance email"
    assert all("Register's" not in q.text[:12] for q in reg)  # apostrophes are not quotation marks


def test_caption_and_photo_credit_lines_are_kept_out_of_the_text():
    text, _, captions = clean_text("Ferry staff gagged\n45th President of the United States Donald Trump Reuters\n"
                            "Photo: Bayside Daily/J. Ortega\nStaff were told on Monday to stop posting, Reuters reported.",
                            "Ferry staff gagged")
    assert text == "Staff were told on Monday to stop posting, Reuters reported."
    assert list(captions) == ["45th President of the United States Donald Trump Reuters", "Photo: Bayside Daily/J. Ortega"]


@pytest.mark.parametrize("text, speaker, mention", [
    # cue fragments never stay in a speaker: the email is the speaker, as an entity
    ('The memo was leaked on Monday. More of the email read: "Accounts are personal and staff must be careful."',
     "the email", "More of the email"),
    ("The email to the department's Digital, Data and Technology unit stated: \"We must be careful here.\"",
     "the email", "The email"),
    # a pronoun whose antecedent is named a paragraph earlier
    ('Grace Okafor chaired the meeting on Monday.\n\n"We will appeal the ruling as soon as we can," she said.',
     "Grace Okafor", "she"),
    # a speaker named a sentence later, closing a paraphrase of the same statement
    ('The board met on Monday. "We will appeal the ruling." The decision was unfair, said Ms. Okafor, the chair.',
     "Ms. Okafor", "Ms. Okafor"),
    # descriptions resolved to the nearest compatible name
    ('Immigration minister Robert Goodwill visited the port. "We have done nothing wrong at all," the minister '
     'told reporters.', "Robert Goodwill", "the minister"),
    ('The Home Office said in a statement that it was reviewing the guidance. "We expect all staff to follow the '
     'rules," the department said.', "Home Office", "the department"),
    # a speaker introduced in the sentence before the quotation
    ('Ms. Okafor spoke to reporters after the vote on Monday. "We will appeal the ruling as soon as we can."',
     "Ms. Okafor", "Ms. Okafor"),
])
def test_speakers_are_entities_named_where_the_text_names_them(text, speaker, mention):
    (q,) = find_quotes("a", text)
    assert q.speaker == speaker
    assert text[q.mention_start:q.mention_end] == mention


def test_no_speaker_is_guessed_where_the_text_names_none():
    (q,) = find_quotes("a", 'The report ran to 40 pages.\n\n"Accounts are personal and staff must be careful."')
    assert q.speaker is None


def test_the_rules_alone_and_the_model_agree_on_plain_cues():
    text = '"It is wrong," said Ana Ruiz. Ruiz, a teacher, added: "We will go on."'
    assert [q.speaker for q in find_quotes("a", text)] == [q.speaker for q in find_quotes("a", text, weights={})]


def test_a_remark_one_outlet_quotes_and_another_reports_is_one_cluster():
    from pressdiff.compare.comparison import compare_story
    from pressdiff.core.records import Article

    quoted = Article(id="a1", url="https://one.example/1", outlet="The Calloway Lantern", published="2026-05-01",
                     text="The harbour board met on Monday.\n\nMayor Ana Ruiz said: \"The harbour ferry will run every "
                          "hour from the first of June, and tickets will cost two pounds.\"\n\nThe board agreed.")
    reported = Article(id="a2", url="https://two.example/2", outlet="Bayside Daily", published="2026-05-02",
                       text="Ferry news from the harbour.\n\nRuiz said that the harbour ferry would run every hour from "
                            "the first of June and that tickets would cost two pounds.\n\nCritics were unconvinced.")
    (cluster,) = [c for c in compare_story("s", [quoted, reported]).clusters if len(c.variants) > 1]
    origin, later = cluster.variants
    assert (origin.article, origin.quoted, origin.speaker) == ("a1", True, "Ana Ruiz")
    assert origin.attribution.kind == "direct" and origin.attribution.source.text == "Mayor Ana Ruiz"
    assert (later.article, later.quoted) == ("a2", False)
    assert later.relation in ("altered", "paraphrase") and "unquoted" in later.changes
    a = later.attribution
    assert a.kind == "indirect" and a.speaker == "Ruiz" and a.cue.text == "said"
    for span in (a.source, a.cue, *a.content):
        assert reported.text[span.start:span.end] == span.text
    assert any(c.start <= later.start and later.end <= c.end for c in a.content)


def test_the_founding_storys_quotations_keep_their_speakers(corpus_dir):
    """Checked by reading the corpus: the Register prints the leaked email's lines after "it said" (the
    missive), RT and OBV after "the email", IBTimes after "the guidance email"; the Register and IBTimes
    report "the guidance applies to all staff including contractors" without quotation marks."""
    import unicodedata

    from pressdiff.compare.comparison import compare_story
    from pressdiff.core.records import Article

    articles = []
    for f in sorted(corpus_dir.glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        articles.append(Article(id=f.stem, url=d["url"], text=unicodedata.normalize("NFC", d["text"]),
                                outlet=d["outlet"], published=d.get("published")))
    clusters = compare_story("home-office-trump", articles).clusters

    def speakers(start: str) -> dict[str, str | None]:
        cluster = next(c for c in clusters if c.canonical.lower().startswith(start))
        return {v.article: v.speaker for v in cluster.variants if v.quoted}

    assert speakers("we need to be careful here") == {"theregister": "the missive", "rt": "the email",
                                                      "obv": "the email", "ibtimes": "the email"}
    assert speakers("a quick look through") == {"theregister": "the missive", "rt": "the email", "obv": "the email"}
    assert speakers("stating that they work for")["ibtimes"] == "the guidance email"
    reported = next(c for c in clusters if "applies to all staff including contractors" in c.canonical)
    assert {v.article for v in reported.variants} == {"theregister", "ibtimes"}
    assert all(not v.quoted and v.attribution.kind == "indirect" for v in reported.variants)
    texts = {a.id: a.text for a in articles}
    for v in (v for c in clusters for v in c.variants if v.attribution):  # every span is the stored text's
        for span in (v.attribution.source, v.attribution.cue, *v.attribution.content):
            assert span is None or texts[v.article][span.start:span.end] == span.text
