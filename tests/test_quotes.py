"""Quote mining on short invented examples of each newsroom convention."""

from pressdiff.compare.quotes import find_quotes


def texts(text):
    return [q.text for q in find_quotes("a", text)]


def test_straight_and_curly_double_quotes():
    assert texts('He said "we will go" and “we will stay”.') == ["we will go", "we will stay"]


def test_single_quotes_but_not_apostrophes():
    t = "The port's staff were told to be ‘careful’ and it's the Lantern's view that staff members’ posts matter."
    assert texts(t) == ["careful"]


def test_unclosed_quote_ends_at_paragraph_end_and_is_flagged():
    qs = find_quotes("a", 'They wanted to let "the heat die down\n\nNext paragraph.')
    assert [q.text for q in qs] == ["the heat die down"] and qs[0].closed is False


def test_multi_paragraph_quotation_opens_each_paragraph():
    t = '“First part of a long statement.\n\n“Second part,” the memo added.'
    qs = find_quotes("a", t)
    assert [q.text for q in qs] == ["First part of a long statement.", "Second part,"]
    assert qs[0].closed is False and qs[1].continued is True
    assert qs[0].speaker == qs[1].speaker == "the memo"


def test_interrupted_quotation_and_pronoun_speaker():
    t = ('The memo was sent on Friday. "We must be careful," it said, "and follow the guidance."')
    qs = find_quotes("a", t)
    assert [q.text for q in qs] == ["We must be careful,", "and follow the guidance."]
    assert qs[0].speaker == "the memo" and qs[0].cue == "said"


def test_speaker_after_and_before():
    qs = find_quotes("a", '"It is fine," said Jon Smith.\n\nA spokesperson told reporters: "No comment."')
    assert qs[0].speaker == "Jon Smith"
    assert qs[1].speaker == "A spokesperson"


def test_offsets_point_into_the_text():
    t = 'Intro. Staff are "identifying themselves [...] while sharing" posts.'
    (q,) = find_quotes("a", t)
    assert t[q.start:q.end] == q.text == "identifying themselves [...] while sharing"


def test_a_pronoun_after_another_person_named_as_a_subject_is_no_one_for_certain():
    t = ('"We will not pay for it," said Giannis Panagopoulos, the union leader.\n\n'
         'Fighting accusations of delay, German Chancellor Angela Merkel said the crisis showed the need for new rules. '
         '"The future of Europe is at stake," she told parliament.')
    qs = find_quotes("a", t)
    assert qs[0].speaker == "Giannis Panagopoulos"
    assert qs[1].speaker == "she"  # Merkel or Panagopoulos: unsure, so it neither blocks nor links
    kept = t.replace("German Chancellor Angela Merkel said", "the chancellor said")
    assert find_quotes("a", kept)[1].speaker == "Giannis Panagopoulos"  # no one else named: the last speaker


def test_a_pronoun_after_a_place_or_a_group_keeps_the_last_speaker():
    t = ('"We want a deal," said Jon Smith.\n\nThe talks in New York ended late and American Marines responded '
         'to the protest. "I like peace," he said.')
    assert find_quotes("a", t)[1].speaker == "Jon Smith"


def test_a_description_named_before_the_last_speaker_is_unsure():
    t = ('President Bill Clinton visited in 1994.\n\nDonald Trump spoke on Tuesday. "He likes me," Trump said.\n\n'
         '"He is a man of his word," the president added.')
    assert find_quotes("a", t)[1].speaker == "the president"
    named = t.replace("Donald Trump spoke on Tuesday. \"He likes me,\" Trump said.", "Nothing happened.")
    assert find_quotes("a", named)[0].speaker == "Bill Clinton"
