"""`pressdiff watch`: re-crawl a story over time, name what each outlet changed, tell whoever asked.

A pass is a crawl of the story (its coverage, its discovery sources and every article it has
crawled, with conditional requests: crawler/run.py --watch), then the classification of every
new version (compare/edits.py) against the article's last version whose extraction was sound,
then, when anything changed, compare and the site (the Changes page, the Atom feed). Edits
worth an alert go to the webhook from a thread of their own, with retries and backoff: a slow
or dead webhook never holds up a pass. Everything a pass does is in the workspace before it is
reported, so a pass killed at any point is finished by the next one (the crawl resumes; the
versions it stored are classified; undelivered notifications are sent).
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from pressdiff import __version__
from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.store import EditRow, Store
from pressdiff.core.store.edits import EDIT, EXTRACTION, NOISE
from pressdiff.core.story import Story

from .pipeline import Echo, compare, crawl
from .publish.build import build_site

MIN_EVERY = 60.0  # s: a watch is polite; a pass more often than once a minute is refused
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$", re.I)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """Seconds in "30m", "2h", "90s", "1d"."""
    m = _DURATION_RE.match(text or "")
    if not m:
        raise InputError(f"--every expects a duration like 30m, 2h, 90s or 1d, got {text!r}")
    seconds = float(m.group(1)) * _UNITS[m.group(2).lower()]
    if seconds < MIN_EVERY:
        raise InputError(f"--every {text} is more often than once a minute; a watch must stay polite")
    return seconds


def parse_until(text: str) -> dt.datetime:
    """The moment a watch stops: an ISO date (the end of that day, local time) or date and time."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            moment = dt.datetime.combine(dt.date.fromisoformat(text.strip()), dt.time.max)
        else:
            moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--until expects a date like 2026-12-31 or 2026-12-31T18:00, got {text!r}") from None
    return moment if moment.tzinfo else moment.astimezone()


# -- the webhook --------------------------------------------------------------------------------

RETRIES = 4  # attempts per pass beyond the first, waiting BACKOFF, 2×BACKOFF, … between them
BACKOFF = 1.0
GIVE_UP = 20  # attempts in all (over passes) before an edit's notification is marked failed
TIMEOUT = 10.0
GRACE = 30.0  # s a --once pass waits at its end for deliveries still being tried


def payload(story: Story, e: EditRow, site_url: str | None = None) -> dict:
    """The JSON a webhook receives for one edit."""
    d = e.detail
    body = {"story": story.slug, "article": e.article, "url": d.get("url"), "outlet": d.get("outlet"),
            "title": d.get("title"), "version": e.version, "before": e.before, "classes": list(e.classes),
            "detected_at": e.detected_at, "captures": d.get("captures"),
            **{k: d[k] for k in ("headline", "quotations", "notes", "byline", "date", "words") if k in d},
            "pressdiff": __version__}
    if site_url:
        body["page"] = f"{site_url.rstrip('/')}/{story.slug}/changes/#{e.anchor}"
    return body


class Notifier:
    """POSTs each edit to a webhook from a thread of its own: retries with backoff, records the
    outcome in the workspace (its own connection), never blocks the caller."""

    def __init__(self, url: str, data_dir: str | Path, story: Story, warn: Echo, site_url: str | None = None,
                 backoff: float = BACKOFF):
        self.url, self.data_dir, self.story, self.warn = url, Path(data_dir), story, warn
        self.site_url, self.backoff = site_url, backoff
        self.todo: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="pressdiff-notify", daemon=True)
        self.thread.start()

    def send_pending(self) -> int:
        """Queue every edit the webhook has not taken yet (this pass's, and earlier passes' failures)."""
        with Store(self.data_dir) as store:
            pending = store.edits.pending(self.story.slug)
        for e in pending:
            self.todo.put(e)
        return len(pending)

    def wait(self, timeout: float) -> bool:
        """Wait up to timeout for the queue to empty; False if deliveries are still being tried."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.todo.unfinished_tasks == 0:
                return True
            time.sleep(0.05)
        return self.todo.unfinished_tasks == 0

    def _run(self) -> None:
        while True:
            e = self.todo.get()
            try:
                self._deliver(e)
            except Exception as exc:  # noqa: BLE001 - a webhook must never take the watch down
                self.warn(f"webhook: {type(exc).__name__}: {exc}")
            finally:
                self.todo.task_done()

    def _deliver(self, e: EditRow) -> None:
        body = json.dumps(payload(self.story, e, self.site_url), ensure_ascii=False).encode("utf-8")
        attempts, error, final = 0, None, False
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            attempts += 1
            error, final = self._post(body)
            if error is None or final:
                break
        with Store(self.data_dir) as store:
            state = store.edits.delivered(e.id, error is None, attempts, GIVE_UP, final)
        if error is not None:
            self.warn(f"webhook {self.url} did not take the edit of {e.detail.get('url')} "
                      f"v{e.version} ({error}, {attempts} attempts); "
                      + ("given up" if state == "failed" else "the next pass tries again"))

    def _post(self, body: bytes) -> tuple[str | None, bool]:
        """(None, _) when the webhook took it; else (why, whether retrying is pointless)."""
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": f"pressdiff/{__version__} (watch webhook)"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read(1024)
            return None, False
        except urllib.error.HTTPError as exc:  # 4xx but timeouts and rate limits: the payload is refused
            return f"HTTP {exc.code}", 400 <= exc.code < 500 and exc.code not in (408, 429)
        except (urllib.error.URLError, OSError) as exc:
            return str(getattr(exc, "reason", exc)) or type(exc).__name__, False


# -- passes ---------------------------------------------------------------------------------------

def watch_pass(data_dir: str | Path, story: Story, echo: Echo, notifier: Notifier | None = None,
               progress: Echo | None = None, warn: Echo | None = None, site: bool = True,
               site_url: str | None = None) -> list[EditRow]:
    """One pass: crawl (conditional requests), classify new versions, notify, compare and build
    the site when anything changed (a version, an extraction alert) or was never built. Returns
    the versions it classified."""
    with Store(data_dir) as store:
        last, last_alert = store.edits.last_id(story.slug), store.articles.last_alert(story.slug)
    summary = crawl(data_dir, story, echo, progress=progress, warn=warn, watch=True, label="watch: ",
                    notify=notifier is not None)
    with Store(data_dir) as store:
        found = store.edits.of_story(story.slug, after=last)
        broken = {a["url"] for a in store.articles.alerts(story.slug, last_alert)}  # a page with no text has no version
        stale = store.findings.comparison_digest(story.slug) is None
    built = (Path(data_dir) / "public" / story.slug / "index.html").is_file()
    counts = {k: sum(1 for e in found if e.kind == k) for k in (EDIT, NOISE)}
    counts[EXTRACTION] = len(broken | {e.detail.get("url") for e in found if e.kind == EXTRACTION})
    echo(f"watch {story.slug}: {counts[EDIT]} edits, {counts[NOISE]} below the noise threshold, "
         f"{counts[EXTRACTION]} extraction problems")
    if notifier is not None:
        notifier.send_pending()
    if site and (found or broken or summary.new_versions or stale or not built):
        compare(data_dir, story, echo, progress=progress)
        build_site(data_dir, [story.slug], echo=echo, site_url=site_url)
    return found


def watch(data_dir: str | Path, story: Story, echo: Echo, every: float | None = None,
          until: dt.datetime | None = None, once: bool = False, notify: str | None = None,
          progress: Echo | None = None, warn: Echo | None = None, site: bool = True,
          site_url: str | None = None) -> int:
    """Passes until --until, one every `every` seconds (or one, with once); returns how many ran.

    A failed pass (the network is down, nothing could be fetched) is reported and the next one
    runs on time; with once, it is the command's failure.
    """
    notifier = Notifier(notify, data_dir, story, warn or echo, site_url) if notify else None
    passes, grace = 0, GRACE if once else 2.0
    try:
        while True:
            started = time.time()
            passes += 1
            try:
                watch_pass(data_dir, story, echo, notifier, progress, warn, site, site_url)
            except WorkError as exc:
                if once:
                    raise
                (warn or echo)(f"pass {passes} failed: {exc}")
            if once:
                break
            wake = started + (every or 0)
            if until is not None and dt.datetime.fromtimestamp(wake, dt.timezone.utc) > until:
                echo(f"watch {story.slug}: stopping, the next pass would start after {until.isoformat()}")
                break
            echo(f"watch {story.slug}: next pass at "
                 f"{dt.datetime.fromtimestamp(wake).astimezone().isoformat(timespec='seconds')}")
            # short naps, not one long sleep: the kernel may hand Ctrl-C to another thread (numpy's
            # BLAS pool), and Python raises it only when the main thread next runs
            while (left := wake - time.time()) > 0:
                time.sleep(min(left, 0.5))
    except KeyboardInterrupt:
        grace = 2.0  # whoever pressed Ctrl-C is waiting: deliveries not done are left for the next pass
        raise
    finally:
        if notifier is not None and not notifier.wait(grace):
            (warn or echo)("webhook deliveries still being tried were left for the next pass")
    return passes
