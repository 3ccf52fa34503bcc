"""What a later version of an article changed (compare/edits.py), and the watch's smaller parts:
its story settings, its arguments, its webhook."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

import pytest

from pressdiff.compare.edits import (
    ADDED,
    BYLINE,
    CORRECTION,
    DATE,
    HEADLINE,
    QUOTE_ADDED,
    QUOTE_CHANGED,
    QUOTE_REMOVED,
    REMOVED,
    REWORDED,
    UPDATE,
    Side,
    classify_version,
    mark_edited,
)
from pressdiff.compare.report import cluster_doc, cluster_of
from pressdiff.core.errors import InputError, StoryError
from pressdiff.core.records import Cluster, Variant
from pressdiff.core.store import Store
from pressdiff.core.story import MIN_CHANGED_WORDS, parse_story
from pressdiff.watch import Notifier, parse_every, parse_until

from .loopback import Site

TEXT = """Port staff were told to stop criticising the ferry firm, an email seen by the Courier shows.
Updated 5 minutes ago
"Staff should not post negative comments about our partners on social media," the email said.
The authority declined to comment further when it was asked about the email on Tuesday.
Ferry fares to rise again this spring
Harbour tunnel works begin in May
1,204 views"""


def side(text=TEXT, **kw) -> Side:
    return Side(text, **{"title": "Port staff told to stop criticising ferry firm", "author": "Ann Reed",
                         "published": "2026-03-03T09:00:00+00:00", **kw})


def classes(after: Side, before: Side | None = None, words: int = MIN_CHANGED_WORDS, ignore=()) -> tuple:
    return classify_version(before or side(), after, words, ignore).classes


def test_noise_alone_is_no_edit():
    # a timestamp that ticks, a view counter, a rotated box of related links, a spelling, a time of day
    after = side(TEXT.replace("5 minutes", "52 minutes").replace("1,204", "1,388")
                 .replace("Ferry fares to rise again this spring", "Council elections: who is standing")
                 .replace("criticising", "criticizing"), published="2026-03-03T17:45:00+00:00")
    found = classify_version(side(), after, MIN_CHANGED_WORDS)
    assert found.kind == "noise" and found.classes == ()
    assert found.detail["noise_lines"] == 4  # the stamp, the counter, two link-like lines


def test_each_class_is_named():
    quote = "Staff should not post negative comments about our partners on social media,"
    assert classes(side(TEXT.replace(quote, "Staff must not post anything critical of partners online,"))) \
        == (QUOTE_CHANGED,)
    assert classes(side(TEXT + '\nA union official said: "We will tell members to ignore the instruction."')) \
        == (QUOTE_ADDED, ADDED)
    assert classes(side(TEXT.replace(f'"{quote}" the email said.', "The email was shared with staff."))) \
        == (QUOTE_REMOVED, REWORDED)
    assert classes(side(TEXT + "\nCorrection: an earlier version of this article misnamed the ferry operator.")) \
        == (CORRECTION,)
    assert classes(side(TEXT + "\nUpdate, 14:05: the authority has since withdrawn the email.")) == (UPDATE,)
    assert classes(side(TEXT.replace("The authority declined to comment further when it was asked about the "
                                     "email on Tuesday.\n", ""))) == (REMOVED,)
    assert classes(side(title="Port staff told to stop criticising ferry operator")) == (HEADLINE,)
    assert classes(side(author="Ann Reed and Tom Hale")) == (BYLINE,)
    assert classes(side(published="2026-03-04")) == (DATE,)


def test_the_threshold_and_a_storys_override():
    three = side(TEXT.replace("declined to comment further", "would not comment"))  # 3 words out, 2 in
    assert classes(three) == (REWORDED,)  # 5 changed words: at least the default 4
    assert classes(three, words=6) == ()
    one = side(TEXT.replace("on Tuesday", "on Wednesday"))
    assert classes(one) == ()  # a day's name: 2 changed words, below the threshold
    assert classes(side(TEXT.replace("1,204 views", "Staff were told on 3 March."))) == (ADDED,)
    assert classes(side(TEXT.replace("5 minutes", "9 minutes"))) == ()
    figure = side(TEXT.replace("an email seen", "one of 3 emails seen"))
    assert classes(figure, words=50) == (REWORDED,)  # a changed number alerts whatever its size
    listen = side(TEXT + "\nListen to this article: 4 minutes and 12 seconds of narration by our presenter.")
    assert classes(listen) == (ADDED,)
    assert classes(listen, ignore=(r"^Listen to this article",)) == ()


def test_a_variant_edited_after_publication_is_marked():
    words = "Staff must not post anything critical of partners online"
    cluster = Cluster(id="q1", canonical=words, origin="a1", variants=tuple(
        Variant(article=a, text=words, start=0, end=len(words), quoted=True, relation="verbatim") for a in ("a1", "a2")))
    edited = {"a1": [{"version": 2, "before": 1, "text": "Staff must not post anything critical of partners online,",
                      "earlier": "Staff should not post negative comments about our partners,"}]}
    doc = cluster_doc(mark_edited(cluster, edited))
    assert doc["variants"][0]["changes"] == ["edited"]
    assert doc["variants"][0]["earlier"] == [{"version": 1, "edited_in": 2,
                                              "text": "Staff should not post negative comments about our partners,"}]
    assert "earlier" not in doc["variants"][1] and doc["variants"][1]["changes"] == []
    assert cluster_of(doc) == mark_edited(cluster, edited), "the JSON reads back as the record it was written from"


def test_story_watch_table():
    base = 'slug = "s"\ntitle = "T"\n'
    story = parse_story(base + '[watch]\nmin_changed_words = 9\nignore = ["^Listen"]\n')
    assert story.watch.min_changed_words == 9 and story.watch.ignore == ("^Listen",)
    assert parse_story(base).watch.min_changed_words == MIN_CHANGED_WORDS
    with pytest.raises(StoryError, match="watch.ignore"):
        parse_story(base + '[watch]\nignore = ["(unclosed"]\n')
    with pytest.raises(StoryError, match="watch.min_changed_words"):
        parse_story(base + "[watch]\nmin_changed_words = 0\n")
    with pytest.raises(StoryError, match="watch.every"):
        parse_story(base + '[watch]\nevery = "30m"\n')


def test_watch_arguments():
    assert parse_every("30m") == 1800 and parse_every("2h") == 7200 and parse_every("90s") == 90
    for bad in ("30", "5s", "soon", "-1m"):
        with pytest.raises(InputError):
            parse_every(bad)
    end = parse_until("2026-12-31")
    assert (end.year, end.month, end.day, end.hour) == (2026, 12, 31, 23) and end.tzinfo is not None
    assert parse_until("2026-12-31T18:00+00:00") == dt.datetime(2026, 12, 31, 18, tzinfo=dt.timezone.utc)
    with pytest.raises(InputError):
        parse_until("next week")


def test_watch_cli_refuses_bad_arguments_in_one_line(cli, workspace):
    for args, word in ((["--every", "5s"], "--every"), (["--until", "someday"], "--until"),
                       (["--notify", "ftp://x"], "--notify")):
        code, out, err = cli("watch", "nosuch", "--data", workspace, *args)
        assert code == 2 and err.count("\n") == 1 and word in err, err
    code, _, err = cli("watch", "nosuch", "--once", "--data", workspace)
    assert code == 2 and "no story file or workspace story named 'nosuch'" in err


def _edit_workspace(workspace) -> None:
    with Store(workspace) as store:
        store.articles.save_story(parse_story('slug = "s"\ntitle = "T"\n'))
        store.edits.add("s", "a1", 2, 1, "edit", ["quotation changed"],
                        {"url": "https://example.org/a", "outlet": "Example", "quotations": []}, notify=True)


def test_the_webhook_never_blocks_and_retries_with_backoff(workspace):
    _edit_workspace(workspace)
    story = parse_story('slug = "s"\ntitle = "T"\n')
    release = threading.Event()
    lines: list[str] = []
    with Site() as hook:
        hook.post_answers = [503, 503]  # two failures, then the webhook takes it
        hook.post_gate = release  # it holds every POST until the test releases it
        notifier = Notifier(f"{hook.base}/hook", workspace, story, lines.append, backoff=0.01)
        assert notifier.send_pending() == 1  # returns at once, while the webhook holds the POST
        assert not notifier.wait(0.2)
        release.set()
        assert notifier.wait(10)
        bodies = [json.loads(b) for _, b in hook.posts]
    assert len(bodies) == 3 and bodies[-1]["classes"] == ["quotation changed"] and bodies[-1]["story"] == "s"
    with Store(workspace) as store:
        [e] = store.edits.of_story("s")
    assert e.notify == "sent" and not lines


def test_a_refusing_or_dead_webhook_is_given_up_or_kept_for_the_next_pass(workspace):
    _edit_workspace(workspace)
    story = parse_story('slug = "s"\ntitle = "T"\n')
    lines: list[str] = []
    with Site() as dead:
        url = f"{dead.base}/hook"
    notifier = Notifier(url, workspace, story, lines.append, backoff=0.01)  # the port is closed now
    notifier.send_pending()
    assert notifier.wait(30)
    with Store(workspace) as store:
        [e] = store.edits.of_story("s")
        attempts = store.db.execute("SELECT attempts FROM edit").fetchone()[0]
    assert e.notify == "pending" and attempts == 5 and "the next pass tries again" in lines[0], lines
    with Site() as refusing:
        refusing.post_answers = [400]
        notifier = Notifier(f"{refusing.base}/hook", workspace, story, lines.append, backoff=0.01)
        notifier.send_pending()
        assert notifier.wait(10)
        assert len(refusing.posts) == 1  # a 400 is not tried again
    with Store(workspace) as store:
        [e] = store.edits.of_story("s")
    assert e.notify == "failed" and "given up" in lines[-1]


def test_new_extraction_rules_are_not_an_edit_by_the_outlet(cli, tmp_path, workspace):
    post = ("<blockquote class='twitter-tweet'><p>We will not be gagged by a memo from the harbour board, and our "
            "members will go on saying so in public.</p>&mdash; Harbour Union (@harbourunion) "
            "<a href='https://twitter.com/harbourunion/status/1'>March 2, 2026</a></blockquote>")
    state = {"stamp": "Updated 2 minutes ago"}

    def page() -> str:
        return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ferry staff memo</title></head><body>"
                f"<article><h1>Ferry staff memo</h1><p class='stamp'>{state['stamp']}</p><p>{TEXT}</p>"
                f"<div class='embed widget'>{post}</div>"
                "<p>The operator said the memo had been sent to every member of staff on Monday morning.</p>"
                "</article></body></html>")

    with Site() as site:
        site.versioned("/news/memo.html", page)
        story = tmp_path / "ferry.toml"
        story.write_text(f'slug = "ferry"\ntitle = "Ferry memo"\n[[coverage]]\nurl = "{site.base}/news/memo.html"\n'
                         'outlet = "Calloway Lantern"\n', encoding="utf-8")
        code, out, err = cli("crawl", story, "--data", workspace)
        assert code == 0 and "1 new versions" in out, out + err
        # the version as a pressdiff that dropped embedded posts stored it: no post, no rules' version
        with Store(workspace) as store:
            text, = store.db.execute("SELECT text FROM article_version").fetchone()
            assert "We will not be gagged" in text
            older = "\n\n".join(p for p in text.split("\n\n") if "gagged" not in p and "@harbourunion" not in p)
            store.db.execute("UPDATE article_version SET text = ?, text_sha256 = ?, meta = '{}'",
                             (older, hashlib.sha256(older.encode("utf-8")).hexdigest()))
            store.db.commit()
        state["stamp"] = "Updated 9 minutes ago"  # the page's bytes change: it is extracted again
        code, out, err = cli("crawl", story, "--data", workspace)
    assert code == 0 and "1 new versions" in out, out + err
    assert "no alert: Calloway Lantern" in out and "edited" not in out, out
