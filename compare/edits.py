"""What an outlet changed in its own article after publication: one version against the one before.

News articles are edited after they are published (NewsEdits, NAACL 2022: 4.6 million versions
of 1.28 million articles). A watch re-crawls them; each new version is classified here:

- `headline changed`;
- `quotation changed`, `quotation added`, `quotation removed` (quotations as compare/quotes.py
  finds them, reported speech only: no scare quotes or titles);
- `correction added`, `update note added` (a new line that says so: "Correction: …",
  "Update, 14:05: …", "This article has been amended …");
- `paragraphs added`, `paragraphs removed`, `wording changed` (the body's words);
- `byline changed`, `date changed` (the publication day, not the time).

Noise is what no reader would call an edit, and makes no alert:

- lines that only say when or how often: "Updated 5 minutes ago", "Last modified 14:32 GMT",
  "1,204 views", "23 comments" (NOISE_LINES), and the story's own [watch] ignore patterns;
- link-like lines (LINK_WORDS words or fewer, no sentence end, no quotation marks): a rotated
  "related stories" box that extraction let through;
- changes of case, punctuation, spelling or quotation-mark style only;
- fewer than the threshold's changed words in the body (min_changed_words, default
  core.story.MIN_CHANGED_WORDS = 4), unless a number changed: a changed figure is an edit.

How the threshold was set: the smallest edit worth telling a reader about is a sentence added,
dropped or rewritten. In PolNeAR's training articles (840 articles, 33,604 sentences) the
shortest tenth of sentences have 4 words or fewer, the median 17; a typo fix, a tense, an
article ("a" for "the") changes one to three. Four changed words is the shortest sentence;
every quotation change, headline, correction note, byline and date alerts whatever its size.
A story overrides it with `[watch] min_changed_words = N`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from pressdiff.core.dates import latest_day
from pressdiff.core.records import Cluster, Earlier

from .quotes import find_quotes
from .settings import EDITED_MATCH
from .text import fold, normalize_word

HEADLINE, BYLINE, DATE = "headline changed", "byline changed", "date changed"
QUOTE_CHANGED, QUOTE_ADDED, QUOTE_REMOVED = "quotation changed", "quotation added", "quotation removed"
CORRECTION, UPDATE = "correction added", "update note added"
ADDED, REMOVED, REWORDED = "paragraphs added", "paragraphs removed", "wording changed"
# In the order a reader is told them.
CLASSES = (HEADLINE, QUOTE_CHANGED, QUOTE_ADDED, QUOTE_REMOVED, CORRECTION, UPDATE, ADDED, REMOVED, REWORDED,
           BYLINE, DATE)

_TIME_WORDS = (r"(?:\d{1,2}[:.]\d{2}|\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago|"
               r"just now|today|yesterday|\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})")
NOISE_LINES = (
    # a line that only says when: "Updated 5 minutes ago", "Last modified: 14:32 GMT, 3 March 2026"
    re.compile(rf"^(?:(?:last\s+)?(?:updated|modified|published|posted|edited)\s*(?:on|at|:)?\s*)?{_TIME_WORDS}"
               r"(?:[\s,:]*(?:gmt|utc|bst|[ecmp][sd]t|[ap]\.?m\.?|on|at|\d{1,2}[:.]\d{2}|" + _TIME_WORDS + r"))*\W*$",
               re.I),
    re.compile(rf"^(?:last\s+)?(?:updated|modified|published|posted)\b.{{0,40}}{_TIME_WORDS}.{{0,20}}$", re.I),
    # counters: "1,204 views", "Comments (23)", "23 comments", "5 min read"
    re.compile(r"^\W*(?:[\d.,]+\s*[km]?\s+(?:views?|reads?|comments?|shares?|likes?|reactions?|min(?:ute)?s?\s+read)"
               r"|(?:views?|comments?|shares?|likes?)\W*[\d.,]+\s*[km]?\W*)\W*$", re.I),
)
_CORRECTION_RE = re.compile(
    r"^\W*(?:correction|clarification|editor'?s note|corrigendum)\b"
    r"|\b(?:this|the|an earlier version of this)\s+(?:article|story|report|post|piece)\b.{0,60}?"
    r"\b(?:corrected|amended|misstated|incorrectly|wrongly|erroneously)\b", re.I)
_UPDATE_RE = re.compile(
    r"^\W*(?:update[ds]?)\b\W"
    r"|\b(?:this|the)\s+(?:article|story|report|post|piece)\s+(?:has been|was|will be)\s+updated\b", re.I)
LINK_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)]\s*$")
_QUOTE_MARKS = re.compile(r"[\"“”«»„]")
QUOTE_MATCH = 60  # rapidfuzz ratio of folded wordings: the same quotation, reworded


@dataclass(frozen=True)
class Side:
    """One version of an article, as the classifier reads it."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Classified:
    """What a new version changed: kind `edit` (classes worth an alert) or `noise`, and the detail."""

    kind: str
    classes: tuple[str, ...]
    detail: dict = field(default_factory=dict)


def classify_version(before: Side, after: Side, min_changed_words: int, ignore: tuple[str, ...] = ()) -> Classified:
    """Classify the change from before to after (two versions of one article)."""
    noise = [*NOISE_LINES, *(re.compile(p, re.I) for p in ignore)]
    found: set[str] = set()
    detail: dict = {}
    if _folded(before.title) != _folded(after.title) and after.title:
        found.add(HEADLINE)
        detail["headline"] = {"before": before.title, "after": after.title}
    if _folded(before.author) != _folded(after.author):
        found.add(BYLINE)
        detail["byline"] = {"before": before.author, "after": after.author}
    if latest_day(before.published) != latest_day(after.published) and after.published:
        found.add(DATE)
        detail["date"] = {"before": before.published, "after": after.published}
    old_quotes, new_quotes = _quoted(before.text), _quoted(after.text)
    quotations = _quotations(old_quotes, new_quotes)
    if quotations:
        found.update(q["change"] for q in quotations)
        detail["quotations"] = quotations
    old_lines, new_lines = _lines(before.text, noise), _lines(after.text, noise)
    old_notes = {line for line in old_lines if _note(line)}
    new_notes = {line: kind for line in new_lines if (kind := _note(line))}
    notes = [line for line in new_notes if line not in old_notes]
    found.update(new_notes[line] for line in notes)
    if notes:
        detail["notes"] = notes
    old_body = [line for line in old_lines if line not in old_notes]
    new_body = [line for line in new_lines if line not in new_notes]
    # a quotation's words are its own classes' business, not the body's
    words = _body_changes(_without(old_body, old_quotes), _without(new_body, new_quotes))
    detail["words"] = words
    if words["added"] >= min_changed_words:
        found.add(ADDED)
    if words["removed"] >= min_changed_words:
        found.add(REMOVED)
    if words["reworded"] >= min_changed_words or words["numbers"]:
        found.add(REWORDED)
    detail["noise_lines"] = sum(1 for line in after.text.splitlines() if line.strip()) - len(new_lines)
    classes = tuple(c for c in CLASSES if c in found)
    return Classified("edit" if classes else "noise", classes, detail)


def _folded(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", fold(text or "")))


def _lines(text: str, noise: list[re.Pattern]) -> list[str]:
    """The text's lines that can carry an edit: not empty, not a timestamp or counter, not link-like."""
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line or any(p.search(line) for p in noise):
            continue
        if len(line.split()) <= LINK_WORDS and not _SENTENCE_END.search(line) and not _QUOTE_MARKS.search(line):
            continue  # link-like: a related-stories box, a tag list, a share prompt
        out.append(line)
    return out


def _note(line: str) -> str | None:
    """CORRECTION or UPDATE when a line is such a note."""
    return CORRECTION if _CORRECTION_RE.search(line) else UPDATE if _UPDATE_RE.search(line) else None


def _tokens(lines: list[str]) -> list[str]:
    return [normalize_word(w) for line in lines for w in re.findall(r"\w+(?:['’]\w+)*", line)]


def _wording(text: str) -> str:
    """A wording's spelling-, case- and punctuation-free form: what two wordings are compared by."""
    return " ".join(_tokens([text]))


def _body_changes(old: list[str], new: list[str]) -> dict:
    """Words in paragraphs added, removed, and changed inside paragraphs kept (case, punctuation
    and spelling variants are the same word); whether a number changed."""
    added = removed = reworded = 0
    numbers = False
    folded_old, folded_new = [_folded(x) for x in old], [_folded(x) for x in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, folded_old, folded_new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        a, b = _tokens(old[i1:i2]), _tokens(new[j1:j2])
        if op == "insert":
            added += len(b)
            continue
        if op == "delete":
            removed += len(a)
            continue
        for wop, k1, k2, m1, m2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if wop == "equal":
                continue
            reworded += (k2 - k1) + (m2 - m1)
            if any(w.isdigit() for w in a[k1:k2]) or any(w.isdigit() for w in b[m1:m2]):
                numbers = True
    return {"added": added, "removed": removed, "reworded": reworded, "numbers": numbers}


def _quoted(text: str) -> list[str]:
    """A text's reported-speech quotations (no scare quotes or titles), as printed."""
    return [q.text.strip() for q in find_quotes("v", text) if q.attributed]


def _without(lines: list[str], quotes: list[str]) -> list[str]:
    for q in quotes:
        lines = [line.replace(" ".join(q.split()), " ") for line in lines]
    return lines


def _quotations(before: list[str], after: list[str]) -> list[dict]:
    """Quotations changed, added or removed between two texts' lists, in the new text's order."""
    key = {t: _wording(t) for t in [*before, *after]}
    same = set(key[t] for t in before) & set(key[t] for t in after)
    gone = [t for t in before if key[t] not in same]
    came = [t for t in after if key[t] not in same]
    pairs = sorted(((fuzz.ratio(key[a], key[b]), i, j) for i, a in enumerate(gone) for j, b in enumerate(came)),
                   reverse=True)
    matched_old, matched_new, out = set(), set(), []
    for score, i, j in pairs:
        if score < QUOTE_MATCH or i in matched_old or j in matched_new:
            continue
        matched_old.add(i)
        matched_new.add(j)
        out.append((j, {"change": QUOTE_CHANGED, "before": gone[i], "after": came[j], "similarity": round(score, 1)}))
    out += [(j, {"change": QUOTE_ADDED, "before": None, "after": t}) for j, t in enumerate(came) if j not in matched_new]
    out.sort(key=lambda x: x[0])
    return [q for _, q in out] + [{"change": QUOTE_REMOVED, "before": t, "after": None}
                                  for i, t in enumerate(gone) if i not in matched_old]


EDITED = "edited"  # the change SPEC.md names for a variant its outlet changed after publication


def edited_quotations(edits) -> dict[str, list[dict]]:
    """The quotations each article changed or added after publication, from its classified
    versions (store.edits rows of kind edit): article -> [{version, before, text, earlier}]."""
    found: dict[str, list[dict]] = {}
    for e in edits:
        for q in e.detail.get("quotations", ()):
            if q["after"] is not None:
                found.setdefault(e.article, []).append(
                    {"version": e.version, "before": e.before, "text": q["after"], "earlier": q["before"]})
    return found


def mark_edited(cluster: Cluster, edited: dict[str, list[dict]]) -> Cluster:
    """The cluster with each variant whose words its article changed or added after publication
    given the change `edited` and `earlier`: the wordings it replaced, oldest first (version: the
    one that printed it; text: None for a quotation that was added; edited_in: the version that
    changed it). edited: edited_quotations'."""
    if cluster.boilerplate or not any(v.article in edited for v in cluster.variants):
        return cluster
    variants = []
    for v in cluster.variants:
        key = _wording(v.text)
        earlier = tuple(Earlier(version=q["before"], text=q["earlier"], edited_in=q["version"])
                        for q in edited.get(v.article, ()) if fuzz.ratio(key, _wording(q["text"])) >= EDITED_MATCH)
        variants.append(replace(v, changes=v.changes if EDITED in v.changes else (*v.changes, EDITED),
                                earlier=earlier) if earlier else v)
    return replace(cluster, variants=tuple(variants))
