"""Is extraction still working for an outlet? Each page's text against that outlet's earlier captures.

A site that changes its layout does not tell anyone: trafilatura then finds a teaser, a cookie
notice or the template's menus where the article was, and a tool that stores it silently loses
the quotations (and may call the loss an edit). So each text a crawl or an import stores is set
against the article's previous version and the latest texts of its outlet's most recently added
articles (any story of the workspace), and an alert is recorded and printed ("extraction may be broken for OUTLET") when:

- its text collapsed against its previous version: fewer than COLLAPSE_SHARE of its words (an
  edit adds, corrects or trims; it does not lose three quarters of an article);
- the outlet's text collapsed: this page and the outlet's RUN - 1 newest articles before it all
  have fewer than COLLAPSE_SHARE of the words of the median of the EARLIER before them (once
  there are MIN_EARLIER). One short page is news (a video caption, a brief); a run of them is
  a layout that changed;
- it reads like menus: at least MENU_SHARE of its words stand in lines of MENU_WORDS words or
  fewer, where the outlet's earlier texts' median share is under a third of that.

The text is stored all the same: the alert says what to look at, it decides nothing. Set on
PolNeAR's 924 articles of seven outlets, stored in date order: one short page against its
outlet's median fires 27 times (briefs, video posts), a run of three none, and the menu rule
none.

The same history shows an outlet's template (template_lines): a line that stands in more than
TEMPLATE_SHARE of the outlet's other pages, once there are TEMPLATE_MIN_PAGES of them, is the
template's furniture (a standing welcome, "Post written by …", a book promotion), not the
article's. When a page is stored (archive/capture.py save_page), the lines of its text that stand
in most of the latest texts, as extracted, of its outlet's EARLIER most recently added other
articles are taken out of it before it is stored (drop_template), so that every offset refers to
the text as stored; the lines taken out are kept in the version's meta (TEMPLATE_KEY), from which
the outlet's texts as extracted are read again. A line that quotes someone (a pair of quotation
marks) is the article's whatever the template says: an outlet's follow-ups repeat a quotation in
each. A line the article's previous version holds stays, so that a page stored before its outlet
had a template is never rewritten, nor its next version taken for an edit of it. Measured on the
Dragnet set, its pages grouped by site within each half (bench/extraction.py; about five pages a
site): see site/methodology.md.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from pressdiff.core.store import Store

from .extract import line_key

EARLIER = 20
MIN_EARLIER = 3
RUN = 3
COLLAPSE_SHARE = 0.25
MENU_WORDS = 4
MENU_SHARE = 0.4

COLLAPSED, MENUS = "text collapsed", "menu-like text"
TEMPLATE_MIN_PAGES = 3
TEMPLATE_SHARE = 0.5

def template_lines(texts: list[str]) -> frozenset[str]:
    """The keys of the lines that stand in more than TEMPLATE_SHARE of an outlet's texts (none
    before there are TEMPLATE_MIN_PAGES of them): its template's furniture."""
    if len(texts) < TEMPLATE_MIN_PAGES:
        return frozenset()
    counts = Counter(k for text in texts for k in {line_key(line) for line in text.splitlines()} - {""})
    return frozenset(k for k, n in counts.items() if n > TEMPLATE_SHARE * len(texts))


def without_template(text: str, template: frozenset[str]) -> str:
    """A text without its outlet's template lines (template_lines); its paragraphs still apart by blank lines."""
    if not template:
        return text
    return "\n\n".join(line for line in text.split("\n\n") if line_key(line) not in template)


# In a stored version's meta: the lines its outlet's template took out of its text as extracted.
TEMPLATE_KEY = "outlet_template_lines"
_QUOTED = re.compile(r"[\"“”«»„].{2,}[\"“”«»]")


def outlet_template(store: Store, outlet: str, url: str) -> frozenset[str]:
    """The template lines of the texts, as extracted, of the outlet's EARLIER most recently added
    articles other than the one at url (one text an article: its latest version)."""
    return template_lines(["\n\n".join([text, *meta.get(TEMPLATE_KEY, ())])
                           for text, meta in store.articles.outlet_latest(outlet, EARLIER, url)])


def drop_template(text: str, template: frozenset[str], previous: str | None = None) -> tuple[str, tuple[str, ...]]:
    """(the text without its outlet's template lines, the lines taken out): not a line that quotes
    someone, nor one the article's previous version holds; the text as it was when the template
    would take all of it."""
    if not template:
        return text, ()
    kept = {line_key(line) for line in (previous or "").splitlines()}
    keep, dropped = [], []
    for line in text.split("\n\n"):
        key = line_key(line)
        (dropped if key in template and key not in kept and not _QUOTED.search(line) else keep).append(line)
    if not dropped or not any(line_key(line) for line in keep):
        return text, ()
    return "\n\n".join(keep), tuple(dropped)


def menu_share(text: str) -> float:
    """The share of a text's words that stand in lines of MENU_WORDS words or fewer."""
    lines = [len(line.split()) for line in text.splitlines() if line.strip()]
    total = sum(lines)
    return sum(n for n in lines if n <= MENU_WORDS) / total if total else 0.0


def diagnose(text: str, earlier: list[str], previous: str | None = None) -> tuple[str, str] | None:
    """(kind, why) when a text looks like broken extraction: against the article's previous
    version, or against its outlet's earlier texts (newest first) of which the newest RUN - 1
    are the outlet's latest pages and the rest the baseline they are all set against."""
    words = len(text.split())
    if previous is not None and words < COLLAPSE_SHARE * len(previous.split()):
        return COLLAPSED, f"{words} words, against {len(previous.split())} in its previous version"
    recent, baseline = earlier[:RUN - 1], earlier[RUN - 1:]
    if len(baseline) < MIN_EARLIER or len(recent) < RUN - 1:
        return None
    median = statistics.median(len(t.split()) for t in baseline)
    if all(len(t.split()) < COLLAPSE_SHARE * median for t in [text, *recent]):
        return COLLAPSED, (f"{words} words, and its outlet's {RUN - 1} pages before it as few, against a median of "
                           f"{median:g} in its {len(baseline)} earlier captures")
    usual = statistics.median(menu_share(t) for t in baseline)
    return _menu_like(text, usual, f"its {len(baseline)} earlier captures")


def _menu_like(text: str, usual: float, where: str) -> tuple[str, str] | None:
    """(MENUS, why) when a text reads like menus where `where` (whose menu share is `usual`) did not."""
    share = menu_share(text)
    if share >= MENU_SHARE and usual < MENU_SHARE / 3:
        return MENUS, (f"{share:.0%} of its words in lines of {MENU_WORDS} words or fewer, against {usual:.0%} "
                       f"in {where}")
    return None


def against_previous(text: str, previous: str) -> tuple[str, str] | None:
    """(kind, why) when a page's new text looks like broken extraction against the article's own
    earlier version: it collapsed, or it reads like menus where the earlier one did not."""
    return diagnose(text, [], previous) or _menu_like(text, menu_share(previous), "its previous version")


def check_version(store: Store, story: str, url: str, outlet: str | None, text: str, previous: str,
                  since: str) -> tuple[str, str] | None:
    """(kind, line) when a page's new version looks like broken extraction against its previous
    one (against_previous); its alert is recorded unless one was for the page since `since` (the
    crawl's own check, when it stored the version)."""
    found = against_previous(text, previous)
    if found is None:
        return None
    kind, why = found
    line = f"extraction may be broken for {outlet or url}: {url} gave {why} ({kind}); not counted as an edit"
    if not store.articles.alerted(story, url, since):
        store.articles.add_alert(story, url, outlet or "", None, kind, line)
    return kind, line


def check(store: Store, story: str, url: str, outlet: str | None, text: str, run: int | None) -> str | None:
    """Record an alert when a page about to be stored looks like broken extraction for its outlet
    (not when its text is the article's latest already); returns the alert's line, or None. A page
    with no text at all is checked only against the article's own earlier text: a page that never
    was an article is no broken extraction."""
    previous = store.articles.latest_text(story, url)
    if not outlet or previous == text or not (text or previous):
        return None
    found = diagnose(text, store.articles.outlet_texts(outlet, EARLIER + RUN), previous)
    if found is None:
        return None
    kind, why = found
    line = f"extraction may be broken for {outlet}: {url} gave {why} ({kind})"
    store.articles.add_alert(story, url, outlet, run, kind, line)
    return line
