"""The Speakers pages (#34): speakers grouped across spellings, bounded pages, hostile names kept text.
The pages in Chromium: tests/test_browser.py."""

from __future__ import annotations

import copy
from html.parser import HTMLParser

import markdown

from pressdiff.core.store import Store
from pressdiff.publish import speakers
from pressdiff.publish.escape import marked_context
from pressdiff.publish.fragments import Fragments
from pressdiff.publish.hooks import TOKEN
from pressdiff.publish.speakers import OTHER, group_speakers, speaker_initial, speaker_key, speaker_pages, speaker_slug
from pressdiff.publish.story import story_view
from pressdiff.publish.templating import environment
from pressdiff.publish.views import ClusterView, VariantView


def cluster(cid: str, speaker: str | None, said_by: list[str | None]) -> ClusterView:
    """A cluster whose i-th variant is article ai's, naming said_by[i] (invented: behaviour only)."""
    variants = tuple(VariantView.of(cid, {"article": f"a{i}", "text": f"words {cid}", "start": 10 * i,
                                          "end": 10 * i + 5, "quoted": True, "speaker": s, "relation": "verbatim",
                                          "changes": [], "similarity": 100.0}, f"Outlet {i}")
                     for i, s in enumerate(said_by))
    return ClusterView(id=cid, canonical=f"words {cid}", speaker=speaker, origin="a0", origin_outlet="Outlet 0",
                       quoted=True, variants=variants, carriers=len(variants), altered=0,
                       page=f"quotes/{cid}/", permalink="", csl={}, apa="", bibtex="")


def test_speaker_key_ignores_case_titles_and_apostrophes_but_not_words():
    assert speaker_key("Mr. Trump") == speaker_key("TRUMP") == speaker_key("President  Trump") == "trump"
    assert speaker_key("Sen. Ted Cruz") == speaker_key("ted cruz")
    assert speaker_key("Beto O’Rourke") == speaker_key("beto o'rourke")
    assert speaker_key("the Home Office") == speaker_key("Home Office") != speaker_key("the home office")
    assert speaker_key("The memo") == speaker_key("the memo") != speaker_key("memo")
    assert speaker_key("a spokesperson") != speaker_key("a spokesperson for the authority")
    assert speaker_key("Donald Trump") != speaker_key("Trump")  # the comparison resolves names, not the site
    assert speaker_key(None) == speaker_key("  ") == ""


def test_group_speakers_lists_a_remark_under_every_speaker_its_outlets_name():
    found = group_speakers([cluster("q1", "Mr. Trump", ["Trump", "President Trump", "Trump"]),
                            cluster("q2", None, ["TRUMP", "Ms. Okafor"]),
                            cluster("q3", "the memo", ["The memo", None]),
                            cluster("q4", None, [None, None])])
    by_key = {s.key: s for s in found}
    assert set(by_key) == {"trump", "okafor", "the memo"}  # no speaker for q4: no one's remark
    trump = by_key["trump"]
    assert [r.cluster.id for r in trump.remarks] == ["q1", "q2"]  # most widely carried first
    assert trump.name == "Trump"  # the spelling printed most often
    assert trump.forms == ("Mr. Trump", "President Trump", "TRUMP")
    assert [r.own for r in trump.remarks] == [3, 1]  # q2's other wording names Okafor
    assert [r.cluster.id for r in by_key["okafor"].remarks] == ["q2"]
    assert found[0] is trump  # the most remarks first
    assert trump.wordings == 5 and trump.outlets == 3 and trump.quoted == 5 and trump.reported == 0
    assert len({s.slug for s in found}) == 3


def test_a_speaker_stops_showing_wordings_after_their_row_limit_and_a_page_after_its_own(monkeypatch):
    monkeypatch.setattr(speakers, "SPEAKER_ROWS", 4)
    monkeypatch.setattr(speakers, "REMARK_ROWS", 3)
    monkeypatch.setattr(speakers, "PAGE_ROWS", 8)
    clusters = [cluster(f"q{i}", "Kat Hall", ["Kat Hall"] * (5 - i)) for i in range(4)]
    clusters += [cluster("q8", "Kim Lee", ["Kim Lee"] * 2), cluster("q9", "Kim Lee", ["Kim Lee"] * 2),
                 cluster("qa", "Kai Moss", ["Kai Moss"] * 2)]
    hall, lee, moss = group_speakers(clusters)
    assert [len(r.variants) for r in hall.remarks] == [3, 3, 0, 0]  # 3 of 5, then 3 of 4, then past the limit
    assert [len(r.cluster.variants) for r in hall.remarks] == [5, 4, 3, 2]
    # the K page's 8 rows: 6 for Kat Hall (the most remarks), 2 for Kim Lee, none for Kai Moss
    assert [len(r.variants) for r in lee.remarks] == [2, 0] and [len(r.variants) for r in moss.remarks] == [0]
    assert list(speaker_pages((hall, lee, moss))) == ["k"]
    assert [p.name for p in speaker_pages((hall, lee, moss))["k"]] == ["Kai Moss", "Kat Hall", "Kim Lee"]
    assert hall.page == f"speakers/k/#{hall.slug}"


def test_speakers_are_paged_by_the_first_letter_of_their_name():
    assert speaker_initial("the memo") == "t" and speaker_initial("émile zola") == "e"
    assert speaker_initial("2013 article") == speaker_initial("王毅") == OTHER


def test_speaker_slugs_are_stable_distinct_and_plain():
    assert speaker_slug("kat hall") == speaker_slug("kat hall")
    assert speaker_slug("kat hall").startswith("kat-hall-")
    assert speaker_slug("zoë") != speaker_slug("zoe") and speaker_slug("zoë").startswith("zoe-")
    for key in ("<script>alert(1)</script>", "../../etc", "王毅", "a|b|c", ""):
        assert all(ch.isalnum() or ch == "-" for ch in speaker_slug(key)) and speaker_slug(key)


HOSTILE = ("Ms. <script>alert('s')</script> *Bold* [x](javascript:alert(1)) | a | {{ config }} "
           "<img src=x onerror=alert(2)>")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def test_hostile_speaker_names_render_as_text(demo_build):
    """A speaker name full of markup and Markdown, on the Speakers pages and a quotation's page,
    rendered by the site's templates and converted by Python-Markdown with the site's extensions."""
    data, _, _ = demo_build
    with Store(data) as store:
        story = store.articles.get_story("harbour-memo")
        doc = copy.deepcopy(store.findings.comparison("harbour-memo"))
        c = next(c for c in doc["clusters"] if len(c["variants"]) > 1 and not c.get("boilerplate"))
        c["speaker"] = HOSTILE
        for v in c["variants"]:
            v["speaker"] = HOSTILE.upper()  # another spelling of the same name
        view = story_view(story, doc, store)
    (hostile,) = [p for p in view.speakers if p.key == speaker_key(HOSTILE)]
    fragments = Fragments()
    env = environment(fragments)
    pages = {"speakers": env.get_template("speakers.md.j2").render(s=view),
             "initial": env.get_template("speakers_initial.md.j2").render(
                 s=view, initial=hostile.initial, speakers=speaker_pages(view.speakers)[hostile.initial])}
    extensions = ["admonition", "attr_list", "tables", "toc"]
    for name, text in pages.items():
        html = markdown.markdown(text.split("---\n", 2)[2], extensions=extensions)
        for n, block in enumerate(fragments.blocks):  # as hooks.on_page_content puts them back
            html = html.replace(f"<p>{TOKEN.format(nonce=fragments.nonce, n=n)}</p>", block)
        parsed = _Text()
        parsed.feed(html)
        assert not {"script", "img", "strong", "em"} & set(parsed.tags), (name, parsed.tags)
        assert not [h for h in parsed.hrefs if ":" in h], name  # relative links only: no javascript: URL
        shown = " ".join("".join(parsed.text).split())
        assert hostile.name[:60] in shown, (name, shown[:400])  # as text, whole or cut where it is long
    assert "| a |" in " ".join(_rows(pages["speakers"]))  # the name's pipes stay in its cell
    assert f'href="{hostile.initial}/#{hostile.slug}"' in pages["speakers"] and hostile.slug.replace("-", "").isalnum()


def _rows(text: str) -> list[str]:
    """The Markdown table rows of a page, with the name's escaped pipes read back."""
    return [line.replace("&#124;", "|") for line in text.splitlines() if line.startswith("| ") and "&#124;" in line]


SAID = 'Staff were warned. "Do not post <b>anything</b>," said Kat Hall <i>x</i>, the memo\'s author, on Monday.'


def _span(text: str, part: str) -> dict:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part}


def test_a_wording_says_who_said_it_with_source_and_cue_marked_and_escaped():
    """A variant's attribution (SPEC.md's shape, invented values: behaviour only): the phrase in the
    article's order, the context with content, cue and source marked, every scraped character escaped."""
    content = _span(SAID, "Do not post <b>anything</b>,")
    attribution = {"kind": "direct", "speaker": "Kat Hall", "content": [content],
                   "source": _span(SAID, "Kat Hall <i>x</i>"), "cue": _span(SAID, "said")}
    variant = {"article": "a1", "text": content["text"], "start": content["start"], "end": content["end"],
               "quoted": True, "speaker": "Kat Hall", "relation": "verbatim", "changes": [], "similarity": 100.0}
    v = VariantView.of("q1", {**variant, "attribution": attribution}, "The Register", SAID)
    assert v.rendering == "quoted" and v.kind_label == "a direct quotation"
    assert str(v.said) == ('<mark class="pd-cue" title="cue">said</mark> '
                           '<mark class="pd-source" title="source">Kat Hall &lt;i&gt;x&lt;/i&gt;</mark>')
    context = str(v.context)
    assert '<mark class="pd-content" title="content">Do not post &lt;b&gt;anything&lt;/b&gt;,</mark>' in context
    assert context.count("<mark") == 3 and "<b>" not in context and "<i>" not in context
    assert context.startswith("Staff were warned.") and "on Monday." in context
    reported = dict(attribution, kind="indirect")
    assert VariantView.of("q1", {**variant, "attribution": reported}, "The Register", SAID).rendering == "reported"


def test_a_wording_without_source_or_cue_shows_no_context():
    v = VariantView.of("q1", {"article": "a1", "text": "Do", "start": 0, "end": 2, "quoted": False, "speaker": None,
                              "relation": "verbatim", "changes": [], "similarity": 100.0,
                              "attribution": {"kind": "indirect", "source": None, "cue": None, "content": []}},
                       "Outlet", SAID)
    assert v.said == "" and v.context == "" and v.rendering == "reported"
    broken = {"kind": "direct", "source": {"start": 500, "end": 510, "text": "?"}, "cue": {"start": 3, "end": 1}}
    v = VariantView.of("q1", {"article": "a1", "text": "Do", "start": 0, "end": 2, "quoted": True, "speaker": None,
                              "relation": "verbatim", "changes": [], "similarity": 100.0, "attribution": broken},
                       "Outlet", SAID)
    assert v.said == "" and "pd-source" not in v.context and "pd-cue" not in v.context  # spans off the text: unmarked


def test_a_wordings_context_stays_in_its_paragraph():
    text = 'The board met.\nA second paragraph: "We act," said Kat Hall.\nA third one, another remark.'
    said = text.index("said")
    context = str(marked_context(text, [(text.index("We"), text.index(",\"") + 1, "pd-content"),
                                        (said, said + 4, "pd-cue"), (said + 5, said + 13, "pd-source")]))
    assert context.startswith("A second paragraph:") and context.endswith("Kat Hall</mark>.")
    assert "board" not in context and "third" not in context and "…" not in context
