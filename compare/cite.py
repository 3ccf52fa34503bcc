"""Citation lookup and citation formats: find a remembered quotation, say how to cite it.

Lookup: candidates come from a full-text index of normalised wordings (the store's FTS5
table); rapidfuzz scores each against the normalised query. Formats: CSL-JSON and BibTeX are
data, written here; the human-readable reference is rendered at the edge (pressdiff/lookup.py)
by citeproc-py with a CSL style file, since reading a style is I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pressdiff.core.dates import MONTH, YEAR, bounds, precision

from .settings import STOPWORDS
from .text import normalize_word, tokenize

MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class Match:
    """One cluster that a query found, with its score."""

    story: str
    cluster: str
    score: float


def normalize(text: str) -> str:
    """Words only, case-folded, British spelling: what a remembered quote keeps."""
    return " ".join(normalize_word(t.raw) for t in tokenize(text) if t.kind == "word")


# Candidates are the indexed wordings holding any of the query's rarest words: its two rarest,
# and more of the next rarest (up to QUERY_WORDS) while together they are held by at most
# QUERY_ROWS wordings. A fragment of a quotation keeps most of its rare words, and BM25 then
# ranks thousands of wordings, not every one that holds a common word (which took 1.2 s a query
# on an archive of 100,000 articles, 750,000 wordings; bench/cite.py).
QUERY_WORDS, QUERY_ROWS = 6, 20_000


def fts_query(norm: str, counts: dict[str, int] | None = None) -> str | None:
    """An FTS5 query matching any of the query's distinctive words (all words if none is): with
    counts (how many indexed wordings hold each word), only the QUERY_WORDS rarest of those the
    index holds."""
    words = list(dict.fromkeys(norm.split()))
    rare = [w for w in words if w not in STOPWORDS] or words  # a query of nothing else searches them anyway
    if counts is not None:
        held = sorted((w for w in rare if counts.get(w)), key=lambda w: (counts[w], rare.index(w)))
        chosen, rows = [], 0
        for w in held[:QUERY_WORDS]:
            if len(chosen) >= 2 and rows + counts[w] > QUERY_ROWS:
                break
            chosen.append(w)
            rows += counts[w]
        rare = chosen or rare
    if not rare:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in rare)


def score(query: str, text: str) -> float:
    """How well a normalised wording carries a normalised query (0-100).

    A fragment scores by its best window (partial ratio); a re-ordered or misremembered
    quotation by the words it shares (token-set ratio, discounted a little). Then coverage:
    a wording that carries only a few of the query's words cannot match it well, however
    exactly it matches those few ("not compliant" against a 21-word query), and of two
    wordings that carry the whole query, the one that is little else ranks first.
    """
    if not query or not text:
        return 0.0
    part = fuzz.partial_ratio(query, text) if len(query) <= len(text) else fuzz.ratio(query, text)
    similarity = max(part, 0.95 * fuzz.token_set_ratio(query, text))
    of_query, of_text = coverage(query, text)
    return similarity * (0.4 + 0.6 * of_query) * (0.9 + 0.1 * of_text)


def coverage(query: str, text: str) -> tuple[float, float]:
    """The share of the query's words the text carries, and of the text's words the query carries.

    Content words count (stopwords only when a side has nothing else); a word counts as carried
    when the other side has it or a spelling within one edit of it (a misremembered word).
    """
    q, t = _content(query), _content(text)
    if not q or not t:
        return 0.0, 0.0
    shared_q = sum(1 for w in q if _carried(w, t))
    shared_t = sum(1 for w in t if _carried(w, q))
    return shared_q / len(q), shared_t / len(t)


def _content(norm: str) -> list[str]:
    words = norm.split()
    return [w for w in words if w not in STOPWORDS] or words


def _carried(word: str, others: list[str]) -> bool:
    return word in others or (len(word) > 4 and any(Levenshtein.distance(word, o, score_cutoff=1) <= 1
                                                    for o in others if abs(len(o) - len(word)) <= 1))


def rank(query_norm: str, candidates, limit: int, threshold: float) -> list[Match]:
    """Best score per cluster among candidate rows (story, cluster, article, words), best first."""
    best: dict[tuple[str, str], float] = {}
    for row in candidates:
        key = (row[0], row[1])
        s = score(query_norm, row[3])
        if s >= threshold and s > best.get(key, -1):
            best[key] = s
    ordered = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Match(story=s, cluster=c, score=round(sc, 1)) for (s, c), sc in ordered]


# -- citation formats ------------------------------------------------------------------


def _date_parts(value: str | None) -> dict | None:
    if not value:
        return None
    p = precision(value)
    try:
        d = bounds(value)[0]
    except ValueError:
        return None
    parts = {YEAR: [d.year], MONTH: [d.year, d.month]}.get(p, [d.year, d.month, d.day])
    return {"date-parts": [parts]}  # the precision given: CSL prints "March 2017", not "1 March 2017"


def _authors(author: str | None) -> list[dict]:
    if not author:
        return []
    out = []
    for name in re.split(r"\s*(?:,|\band\b|&)\s*", author):
        parts = name.split()
        if len(parts) >= 2:
            out.append({"family": parts[-1], "given": " ".join(parts[:-1])})
        elif parts:
            out.append({"literal": parts[0]})
    return out


def csl_item(*, key: str, title: str | None, outlet: str | None, author: str | None, published: str | None,
             url: str, quote: str | None = None, archive: dict | None = None, permalink: str | None = None) -> dict:
    """A CSL-JSON item for the article that carries a quotation (with the archived copy)."""
    item = {"id": key, "type": "article-newspaper", "title": title or url, "container-title": outlet or "",
            "URL": url}
    if _authors(author):
        item["author"] = _authors(author)
    if _date_parts(published):
        item["issued"] = _date_parts(published)
    notes = []
    if quote:
        notes.append(f"Quoted: “{quote}”")
    if archive and archive.get("record_id"):
        item["archive"] = "pressdiff WARC archive"
        item["archive_location"] = f"{archive.get('warc')} {archive.get('record_id')}"
        if _date_parts(archive.get("captured_at")):
            item["accessed"] = _date_parts(archive.get("captured_at"))
        notes.append(f"SHA-256 {archive.get('sha256')}")
        if archive.get("wayback"):
            notes.append(f"Wayback Machine: {archive['wayback']}")
    if permalink:
        notes.append(f"Comparison: {permalink}")
    if notes:
        item["note"] = "; ".join(notes)
    return item


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib(value: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in " ".join(str(value).split()))


def bibtex(item: dict) -> str:
    """A BibTeX @article entry for a CSL item (special characters escaped)."""
    fields = [("title", "{" + _bib(item["title"]) + "}"), ("journal", _bib(item.get("container-title", "")))]
    if item.get("author"):
        fields.append(("author", " and ".join(
            _bib(f"{a['family']}, {a['given']}") if "family" in a else "{" + _bib(a["literal"]) + "}"
            for a in item["author"])))
    if item.get("issued"):  # the precision given: biblatex reads "2017" and "2017-03" dates too
        parts = item["issued"]["date-parts"][0]
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
        fields.append(("date", "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))))
    fields.append(("url", item["URL"]))
    if item.get("accessed"):
        y, m, d = item["accessed"]["date-parts"][0]
        fields.append(("urldate", f"{y:04d}-{m:02d}-{d:02d}"))
    if item.get("note"):
        fields.append(("note", _bib(item["note"])))
    key = re.sub(r"[^A-Za-z0-9:_-]", "", item["id"]) or "pressdiff"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}"
