"""#23: publisher boilerplate is named and shown apart, not counted as reuse or drift.

Invented articles in the shapes the issue reports (a newspaper group's newsletter block, a
standing editor's note) and a passage two outlets really reuse (never boilerplate); PolNeAR's
HuffPost editor's note is checked in test_real_corpora.py, on its 924-article comparison.
"""

from __future__ import annotations

import json

from pressdiff.compare.boilerplate import Carriage, Passage, candidate, furniture_form, sentence_rest
from pressdiff.compare.comparison import compare_story
from pressdiff.compare.report import count
from pressdiff.core.records import Article

NEWSLETTER = ("Sign up to our daily newsletter and get the best Bayside stories delivered to your inbox "
              "every morning.")
NOTE = ("Editor's note: the harbour board chair is a long-serving ally of the ferry operator and has "
        "twice refused to publish the board's minutes.")
REUSED = ("The ferry contract was signed without a tender in a closed session of the harbour board on "
          "the first Monday of March, minutes show.")
STORIES = [
    "Ferry workers at Calloway will strike next week over the new timetable, the union said after the talks "
    "at the port broke down on Friday evening.",
    "The harbour board says the new timetable for the Calloway ferries starts in May, with two fewer sailings "
    "a day and a later last boat.",
    "Passengers on the island queued for an hour at the Calloway terminal as the ticket machines failed again "
    "on Saturday morning.",
]


def article(i: int, text: str, outlet: str, day: int = 1) -> Article:
    return Article(id=f"a{i}", url=f"https://{outlet.lower().replace(' ', '')}.example/{i}", text=text,
                   outlet=outlet, published=f"2026-03-0{day}")


def boilerplate(comparison) -> dict[str, tuple[str, ...]]:
    return {c.canonical: c.boilerplate for c in comparison.clusters if c.boilerplate}


def test_a_newsletter_block_on_a_groups_sites_is_boilerplate_and_counted_apart():
    """Three sites of one group print one syndicated article and the group's newsletter prompt;
    three other outlets cover the story. The prompt is boilerplate (off topic, in furniture
    form, though the sites share the article); the syndicated passages are reuse."""
    syndicated = "\n\n".join([REUSED, *STORIES, "Reporting by the group's island desk."])
    sites = ["Bayside Post", "Harbour Herald", "Island Echo"]
    articles = [article(i, f"{syndicated}\n\n{NEWSLETTER}", site, 1) for i, site in enumerate(sites)]
    articles += [article(3 + i, f"{body} The Calloway ferry timetable and the harbour board's contract are the "
                                f"talk of the island, desk {i} reports.", name, 2)
                 for i, (body, name) in enumerate(zip(STORIES, ["Quay Times", "Ferry News", "Island Radio"]))]
    comparison = compare_story("s", articles)
    found = boilerplate(comparison)
    assert list(found) == [NEWSLETTER]
    assert {"at the edge", "off topic", "furniture form"} <= set(found[NEWSLETTER])
    assert "standing" not in found[NEWSLETTER]  # the sites share the syndicated article too
    prompt = next(c for c in comparison.clusters if c.canonical == NEWSLETTER)
    assert {(v.relation, v.changes) for v in prompt.variants} == {("boilerplate", ())}  # SPEC: no drift finding
    document = {"articles": [], "credits": [], "pairs": [],
                "clusters": [{"boilerplate": list(c.boilerplate),
                              "variants": [{"article": v.article, "relation": v.relation, "changes": list(v.changes)}
                                           for v in c.variants]} for c in comparison.clusters]}
    counts = count(document)
    shared = sum(1 for c in comparison.clusters if len({v.article for v in c.variants}) > 1)
    assert counts["boilerplate"] == 1 and counts["shared_clusters"] == shared - 1 >= 4


def test_a_standing_editors_note_of_one_publisher_is_boilerplate():
    articles = [article(i, f"{body}\n\nReporting by desk {i}.\n\n{NOTE}", "Bayside Post")
                for i, body in enumerate(STORIES)]
    found = boilerplate(compare_story("s", articles))
    assert list(found) == [NOTE] and {"one publisher", "furniture form"} <= set(found[NOTE])


def test_a_passage_two_outlets_reuse_is_never_boilerplate():
    """What pressdiff exists to show: a sentence about the story, reused at the top of another
    outlet's article and at the end of a third, is reuse whatever its place."""
    articles = [article(0, f"{REUSED}\n\n{STORIES[0]}", "Bayside Post", 1),
                article(1, f"{REUSED}\n\n{STORIES[1]}", "Harbour Herald", 2),
                article(2, f"{STORIES[2]}\n\n{REUSED}", "Island Echo", 3),
                article(3, f"{STORIES[1]} The ferry contract and the closed session of the harbour board are "
                           "the talk of the island.", "Quay Times", 4)]
    comparison = compare_story("s", articles)
    assert boilerplate(comparison) == {}
    # "…, minutes show.": the minutes are its source, so the unit is what they show (an attribution's
    # content is a unit of the comparison, #34)
    assert any(REUSED.startswith(c.canonical) and len(c.variants) == 3 for c in comparison.clusters)


def test_the_rest_of_a_sentence_is_never_boilerplate():
    """An attribution's content is a unit (#34): what follows it in its sentence is a passage of its
    own, carried by the same articles, and never page furniture."""
    carriages = (Carriage("a", 10, False), Carriage("b", 12, False))
    assert not candidate(Passage("p", ", with two fewer sailings a day and a later last boat.", carriages))
    assert candidate(Passage("p", NEWSLETTER, carriages))
    # the same rest as its own unit opens at its first word (align._outside): its carriers print the comma
    rest = "the union said after the talks at the port broke down."
    texts = {"a": "The ferry workers will strike, " + rest, "b": "Ferry workers will strike next week; " + rest}
    at = (Carriage("a", texts["a"].index(rest), False), Carriage("b", texts["b"].index(rest), False))
    assert sentence_rest(Passage("p", rest, at), texts)
    texts = {"a": "Editor's note: Ferry workers regularly strike " + rest, "b": "Ferry workers strike. " + rest}
    at = (Carriage("a", texts["a"].index(rest), False), Carriage("b", texts["b"].index(rest), False))
    assert not sentence_rest(Passage("p", rest, at), texts)  # a line's later words, or a line: furniture may be


def test_a_passage_reported_as_someones_speech_is_never_boilerplate():
    # #35: an attribution's content ("Inspector X said the deaths were a reminder that …") is an
    # utterance, however many outlets print it at the edge of their pages
    carriages = (Carriage("a", 10, False), Carriage("b", 12, False, reported=True))
    assert not candidate(Passage("p", REUSED, carriages))
    assert candidate(Passage("p", REUSED, (Carriage("a", 10, False), Carriage("b", 12, False))))
    assert candidate(Passage("p", NEWSLETTER, carriages))  # a prompt the tagger read as a report is still furniture


def test_furniture_forms():
    assert furniture_form("Subscribe here, and listen to the latest episode below.")
    assert furniture_form("Mike Huckabee Makes Sexist Wife Joke To Bash Fed Chair Janet Yellen")
    assert furniture_form("Editor's note: this story was updated.")
    assert not furniture_form("and Gordon Hanson at the University of California, San Diego -- raised")
    assert not furniture_form(REUSED)


def test_a_long_sentence_addressing_the_reader_is_prose_not_furniture():
    # a column's sentence that turns to its reader (#35: syndicated by a second outlet, it was named
    # boilerplate on `off topic` and its form); a prompt of a line still is furniture
    column = ("If at the start of the decade someone had told you to sell your house, give away your car, quit "
              "your job and put every penny into a digital token nobody had heard of, and then to wait and "
              "watch it grow, you would have laughed at them, right?")
    assert not furniture_form(column)
    assert furniture_form("Get the best of the harbour's news delivered to your inbox every morning!")


def test_the_site_lists_boilerplate_apart_and_leaves_it_out_of_the_drift_matrix(cli, tmp_path, workspace):
    prompt = "Follow us on Facebook and Twitter for every update as it happens, and tell your friends."
    rows = [{"url": f"https://site{i}.example/a", "outlet": f"Group Site {i}", "published": "2026-03-01",
             "title": f"Ferry story {i}",
             "text": f"{STORIES[i]}\n\n{REUSED if i else ''} The island waits, desk {i} says.\n\n{NOTE}\n\n{prompt}"}
            for i in range(3)]
    rows += [{"url": f"https://other{i}.example/a", "outlet": f"Other {i}", "published": "2026-03-02",
              "text": f"{body} The Calloway ferry timetable and the harbour board are the talk of the island."}
             for i, body in enumerate(STORIES)]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "s.toml").write_text('slug = "ferries"\ntitle = "Ferries"\n', encoding="utf-8")
    assert cli("import", src, "--story", tmp_path / "s.toml", "--data", workspace)[0] == 0
    code, out, err = cli("compare", "ferries", "--data", workspace)
    assert code == 0 and "2 publisher boilerplate, counted apart" in out, out + err
    code, out, err = cli("cite", "Follow us on Facebook and Twitter for every update as it happens", "--data", workspace,
                         "--format", "json")
    assert json.loads(out)["matches"] == []  # furniture is not cited
    code, out, err = cli("export", "ferries", "--data", workspace, "--csv", workspace / "tables")
    assert code == 0, err
    rows = (workspace / "tables" / "clusters.csv").read_text("utf-8").splitlines()
    assert rows[0].endswith(",boilerplate") and sum(1 for r in rows[1:] if "furniture form" in r) == 2
    code, out, err = cli("site", "ferries", "--data", workspace)
    assert code == 0, err
    page = (workspace / "public" / "ferries" / "index.html").read_text("utf-8")
    section = page[page.index('id="publisher-boilerplate"'):]
    matrix = page[page.index('class="pd-figure"'):page.index('id="timeline"')]
    assert "Follow us on Facebook" in section and "Editor&#39;s note" in section.replace("&#x27;", "&#39;")
    assert "Follow us" not in matrix and "Editor" not in matrix and "ferry contract was signed" in matrix
    assert not any("Follow us" in p.read_text("utf-8") for p in (workspace / "public" / "ferries" / "quotes").rglob("*.html"))


def test_a_page_that_speaks_of_itself_is_in_furniture_form():
    # #35: one outlet's series note and syndication disclaimer, printed in its articles on other events
    assert furniture_form("This series features three stories that helped to define each year of the 2010s.")
    assert furniture_form("This story has been sourced from a third party syndicated feed, agencies.")
    assert not furniture_form("This series of attacks has shaken the harbour town since the spring.")


def test_the_later_sentences_of_an_editors_note_are_in_its_furniture_form():
    # "Editor's note: This story is part of our series … This series features three stories …": a
    # SemEval outlet prints its series note atop articles of different stories; the note runs to
    # its paragraph's end, and its second sentence is as much furniture as its labelled first
    from pressdiff.compare.boilerplate import FORM, Judge
    # (its second sentence in words that do not speak of the page, which furniture_form reads alone)
    series = "These can retell the events that helped to define each year of the decade."
    texts = {a: f"Headline {a}\n\nEditor's note: This story is part of our series. {series}\n\nThe story {a}."
             for a in ("a", "b")}
    at = {a: t.index(series) for a, t in texts.items()}
    judge = Judge({}, 10, 1000, {"a": "Post", "b": "Post"}, texts)
    passage = Passage("p", series, tuple(Carriage(a, at[a], False) for a in texts))
    assert FORM in judge.evidence(passage, {})
    texts["b"] = texts["b"].replace("Editor's note: ", "")  # no note in one carrier: no form from it
    at["b"] = texts["b"].index(series)
    judge = Judge({}, 10, 1000, {"a": "Post", "b": "Post"}, texts)
    assert FORM not in judge.evidence(Passage("p", series, tuple(Carriage(a, at[a], False) for a in texts)), {})
