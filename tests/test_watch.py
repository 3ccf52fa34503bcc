"""`pressdiff watch` over loopback: an outlet's page served in versions over several passes.

Each pass is `watch --once`, as cron or a systemd timer runs it. What must come out: a silently
reworded quotation and an appended correction alert with their classes; a timestamp that ticks
alerts nothing; a layout change that breaks extraction is an extraction problem, not an edit;
the Atom feed (read by feedparser) and the Changes page show exactly the two edits; an
unchanged page is a 304 and a WARC revisit record; the webhook gets each edit, through a
failure; a watch killed mid-pass resumes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import feedparser
from warcio.archiveiterator import ArchiveIterator

from pressdiff.core.store import Store

from .invariants import check_comparison
from .loopback import Site
from .processes import MARK, left_after, new_mark, threads_of

QUOTE = "Staff must not post anything negative about the ferry contractor on their own accounts"
REWORDED = "Staff should not post negative comments about the ferry contractor on any accounts"
BODY = [
    "The Calloway Harbour Authority told its staff in a memo not to criticise the ferry contract online.",
    f'"{QUOTE}," the memo said, according to a copy seen by this newspaper.',
    "Unions said they would raise the memo with managers at their next meeting on the quayside.",
    "The contract was awarded to Greyline Marine in January after a long and contested tender process.",
]
CORRECTION = ("Correction: an earlier version of this article misnamed the contractor's parent company; "
              "it is Greyline Holdings.")


def page(title: str, paragraphs: list[str], stamp: str = "Updated 2 minutes ago", broken: bool = False) -> str:
    if broken:  # a redesign: the article is now rendered by script; the page holds a teaser and menus
        return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                "<div id='app' data-props='{}'></div><nav><ul><li><a href='/'>Home</a></li><li><a href='/news/'>News"
                "</a></li><li><a href='/sport/'>Sport</a></li></ul></nav><p>Enable JavaScript to read this story.</p>"
                "</body></html>")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            "<meta property='article:published_time' content='2026-03-02T09:00:00+00:00'></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
            f"<p class='byline'>By A. Reporter</p><p class='stamp'>{stamp}</p>{body}</article>"
            "<footer>Copyright 2026 Example News</footer></body></html>")


def story_file(tmp_path, site) -> str:
    path = tmp_path / "watched.toml"
    path.write_text(f'''slug = "watched"
title = "Harbour staff told not to criticise the ferry contractor"

[[coverage]]
url = "{site.base}/news/memo.html"
outlet = "Calloway Lantern"

[[coverage]]
url = "{site.base}/world/memo.html"
outlet = "Meridian Wire"

[crawl]
retries = 0
''', encoding="utf-8")
    return str(path)


class Outlet:
    """The watched page's current state, which each pass's test step changes."""

    def __init__(self):
        self.paragraphs, self.stamp, self.broken, self.empty = list(BODY), "Updated 2 minutes ago", False, False

    def __call__(self) -> str:
        if self.empty:
            return "<!DOCTYPE html><html><head><title>Harbour</title></head><body><div id='root'></div></body></html>"
        return page("Harbour staff told to stop criticising ferry firm", self.paragraphs, self.stamp, self.broken)


def revisit_profiles(workspace) -> list[str]:
    found = []
    for path in sorted((workspace / "warc").rglob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type == "revisit":
                    found.append(record.rec_headers.get_header("WARC-Profile"))
    return found


def test_watch_passes_name_edits_ignore_noise_and_report_broken_extraction(cli, tmp_path, workspace):
    outlet = Outlet()
    other = page("Port authority orders staff to stop criticising contractor", BODY, stamp="")
    with Site() as site, Site() as hook:
        hook.post_answers = [500]  # the webhook's first answer is a failure: the edit is sent again
        site.versioned("/news/memo.html", outlet)
        site.route("/world/memo.html", body=other, headers=[("ETag", '"fixed"')])
        story = story_file(tmp_path, site)
        code, out, err = cli("crawl", story, "--data", workspace)
        assert code == 0 and "2 new versions" in out, out + err

        def watch(*extra):
            code, out, err = cli("watch", "watched", "--once", "--no-site", "--data", workspace,
                                 "--notify", f"{hook.base}/hook", *extra)
            assert code == 0, out + err
            return out, err

        # 1. nothing changed: the page whose server honours validators is answered 304, the other
        # (an ETag it never checks) sends the same bytes again; both are revisit records, no version
        out, _ = watch()
        assert "1 not modified (HTTP 304)" in out and "1 unchanged" in out and "0 new versions" in out, out
        assert "0 edits, 0 below the noise threshold, 0 extraction problems" in out
        assert sorted(p.rsplit("/", 1)[1] for p in revisit_profiles(workspace)) == ["identical-payload-digest",
                                                                                    "server-not-modified"]
        # a replay tool finds the page the 304 confirmed, not an empty 304: those are not indexed
        assert '"status": "304"' not in (workspace / "warc" / "index.cdxj").read_text("utf-8")
        # 2. a quotation reworded silently
        outlet.paragraphs[1] = BODY[1].replace(QUOTE, REWORDED)
        out, _ = watch()
        assert "edited: Calloway Lantern" in out and "v1→v2: quotation changed" in out, out
        # 3. a correction appended
        outlet.paragraphs.append(CORRECTION)
        out, _ = watch()
        assert "v2→v3: correction added" in out, out
        # 4. only the timestamp ticks: a new version, no alert
        outlet.stamp = "Updated 47 minutes ago"
        out, _ = watch()
        assert "no alert: Calloway Lantern" in out and "1 below the noise threshold" in out, out
        # 5. a redesign breaks extraction: an extraction problem, not an edit
        outlet.broken = True
        out, err = watch()
        assert "0 edits" in out and "1 extraction problems" in out, out
        assert "extraction may be broken for Calloway Lantern" in err, err
        # ... and the comparison keeps reading the last sound version, quotations and all
        code, _, err = cli("compare", "watched", "--json", tmp_path / "c.json", "--data", workspace)
        assert code == 0, err
        doc = json.loads((tmp_path / "c.json").read_text("utf-8"))
        memo = next(a for a in doc["articles"] if a["url"].endswith("/news/memo.html"))
        assert memo["version"] == 4 and any(v["article"] == memo["id"] and v["text"].startswith(REWORDED)
                                            for c in doc["clusters"] for v in c["variants"])
        # 6. the layout comes back with the same text: set against the last sound version, no edit
        outlet.broken = False
        out, _ = watch()
        assert "0 edits" in out and "1 below the noise threshold" in out, out
        # 7. another redesign leaves no article text at all: no version, an extraction problem
        outlet.empty = True
        out, err = watch("--site")
        assert "0 new versions" in out and "0 edits" in out and "1 extraction problems" in out, out
        assert "extraction may be broken for Calloway Lantern" in err and "0 words" in err, err
        posts = [json.loads(body) for _, body in hook.posts]

    # the webhook: each edit once it answered 200 (the first edit was tried twice)
    assert len(posts) == 3 and posts[0] == posts[1], posts
    assert [p["classes"] for p in posts[1:]] == [["quotation changed"], ["correction added"]]
    assert posts[1]["quotations"][0]["before"].startswith(QUOTE) and posts[1]["url"].endswith("/news/memo.html")
    with Store(workspace) as store:
        kinds = [(e.version, e.kind, e.classes) for e in store.edits.of_story("watched")]
        assert [e.notify for e in store.edits.of_story("watched") if e.kind == "edit"] == ["sent", "sent"]
    assert kinds == [(2, "edit", ("quotation changed",)), (3, "edit", ("correction added",)), (4, "noise", ()),
                     (5, "extraction", ("extraction may be broken",)), (6, "noise", ())], kinds

    # the feed and the Changes page: exactly the two edits
    site_dir = workspace / "public" / "watched"
    feed = feedparser.parse((site_dir / "changes.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [sorted(t.term for t in e.tags) for e in feed.entries] == [["correction added"], ["quotation changed"]]
    assert all("Calloway Lantern" in e.title for e in feed.entries)
    changes = (site_dir / "changes" / "index.html").read_text("utf-8")
    assert "Edits (2)" in changes and "Extraction problems, not edits (2)" in changes
    assert "Below the noise threshold (2)" in changes and changes.count('class="pd-chip"') == 2
    assert "Greyline Holdings" in changes and "server-not-modified" not in changes
    # the article page's version timeline, and the comparison: the reworded quotation is `edited`
    with Store(workspace) as store:
        key = store.articles.key_of("watched", f"{site.base}/news/memo.html")
        doc = store.findings.comparison("watched")
    article = (site_dir / "articles" / key / "index.html").read_text("utf-8")
    assert "extraction may be broken" in article and "changes below the noise threshold" in article
    assert "pd-timeline" in article and f"../../changes/#{key}-v2" in article
    # every page names the feed in its head, for feed readers to find
    assert 'type="application/atom+xml" title="Edits after publication" href="../../changes.xml"' in article
    assert 'href="../changes.xml"' in changes.split("</head>")[0]
    quote_pages = [p.read_text("utf-8") for p in (site_dir / "quotes").glob("*/index.html")]
    assert sum("Edited after publication:" in p for p in quote_pages) == 1
    assert any(f'href="../../changes/#{key}-v2">changed in version 2</a>' in p for p in quote_pages)
    edited = [v for c in doc["clusters"] for v in c["variants"] if "edited" in v["changes"]]
    assert len(edited) == 1 and edited[0]["article"] == key and edited[0]["text"].startswith(REWORDED)
    assert edited[0]["earlier"] == [{"version": 1, "text": QUOTE + ",", "edited_in": 2}]
    with Store(workspace) as store:
        check_comparison(doc, {a.id: a.text for a in store.articles.articles("watched")})


def test_a_watch_killed_mid_pass_resumes_and_classifies(tmp_path, workspace):
    """kill -9 of the watch command's one process (not its group) while its crawl waits on a slow
    page: no process is left, and the next `watch --once` resumes the pass and names the edit."""
    outlet = Outlet()
    with Site() as site:
        site.versioned("/news/memo.html", outlet)
        slow = page("Port authority orders staff to stop criticising contractor", BODY, stamp="")
        site.route("/world/memo.html", body=slow)
        story = story_file(tmp_path, site)
        mark = new_mark()
        env = dict(os.environ, **{MARK: mark})

        def run(*args):
            return subprocess.run([sys.executable, "-m", "pressdiff", *args, "--data", str(workspace)],
                                  capture_output=True, text=True, env=env, timeout=120)

        first = run("crawl", story)
        assert first.returncode == 0, first.stderr
        outlet.paragraphs[1] = BODY[1].replace(QUOTE, REWORDED)
        site.route("/world/memo.html", body=slow, delay=30)  # holds the pass open
        proc = subprocess.Popen([sys.executable, "-m", "pressdiff", "watch", "watched", "--once", "--no-site",
                                 "--data", str(workspace)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)
        deadline = time.monotonic() + 60
        while site.hits["/news/memo.html"] < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # the changed page is archived while the slow one is still awaited
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        assert not left_after(mark, 15), left_after(mark, 0)
        site.route("/world/memo.html", body=slow)
        again = run("watch", "watched", "--once", "--no-site")
    assert again.returncode == 0, again.stderr
    assert "resuming interrupted crawl run" in again.stderr, again.stderr
    assert "v1→v2: quotation changed" in again.stdout, again.stdout


def test_a_watch_runs_until_its_date_and_stops_cleanly_on_ctrl_c(tmp_path, workspace):
    """--every with --until: passes until the next would start after the date. Ctrl-C (SIGINT to
    the terminal's process group) between passes: exit 130, one line, no process left."""
    with Site() as site:
        site.versioned("/news/memo.html", Outlet())
        site.route("/world/memo.html", body=page("Port authority orders staff to stop criticising contractor", BODY))
        story = story_file(tmp_path, site)
        mark = new_mark()
        env = dict(os.environ, **{MARK: mark})
        base = [sys.executable, "-m", "pressdiff", "watch", "--data", str(workspace), "--no-site", "--every", "1m"]
        soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=20)).isoformat()
        done = subprocess.run([*base, story, "--until", soon], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.count("watch watched: 0 edits") == 1 and "stopping, the next pass would start after" \
            in done.stdout, done.stdout
        # SIGINT at its default in the watch, as a terminal leaves it: a suite run in the background of
        # a non-interactive shell inherits SIGINT ignored, and Python then installs no KeyboardInterrupt
        # handler (the watch slept through Ctrl-C in fresh-clone suites so started, never alone)
        proc = subprocess.Popen([*base, "watched"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        for line in proc.stdout:
            if "next pass at" in line:
                break
        os.killpg(proc.pid, signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # seen in fresh-clone suites, never alone: say what the watch was doing
            threads = threads_of(proc.pid)
            proc.kill()
            proc.communicate()
            raise AssertionError(f"the watch outlived Ctrl-C by 30 s:\n{threads}") from None
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == ("pressdiff: error: watch stopped; the next watch resumes the pass "
                                            "it left"), err
    assert "Traceback" not in err and not left_after(mark, 10)
