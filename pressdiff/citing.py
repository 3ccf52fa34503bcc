"""`pressdiff cite`: look a fragment up across every compared story and format the answer."""

from __future__ import annotations

from compare.cite import MAX_QUERY_CHARS, SUGGEST_SCORE, CiteIndex

from .errors import InputError
from .store import Store


def cite(store: Store, query: str, stories: list[str] | None = None, limit: int = 5) -> dict:
    """The cite JSON of SPEC.md, plus `suggestions` when nothing matched."""
    query = query.strip()
    if not query:
        raise InputError("the query is empty: give a quotation or sentence to look up")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"the query is {len(query)} characters long; give at most {MAX_QUERY_CHARS}")
    slugs = stories or store.story_slugs()
    documents = [d for d in (store.comparison(s) for s in slugs) if d]
    if not documents:
        raise InputError("no compared story in this workspace: run 'pressdiff compare STORY' first")
    index = CiteIndex(documents)
    by_story = {d["story"]: d for d in documents}
    captures = {}
    for slug in by_story:
        for row in store.latest(slug):
            captures[(slug, row.key)] = row
    matches = [_match(by_story[m.story], m, captures) for m in index.search(query, limit)]
    result = {"query": query, "matches": matches}
    if not matches:
        result["suggestions"] = [_match(by_story[m.story], m, captures)
                                 for m in index.search(query, 3, threshold=SUGGEST_SCORE)]
    return result


def _match(document: dict, m, captures) -> dict:
    cluster = next(c for c in document["clusters"] if c["id"] == m.cluster)
    articles = {a["id"]: a for a in document["articles"]}

    def entry(article_id: str) -> dict:
        a = articles[article_id]
        return {"outlet": a["outlet"], "url": a["url"], "published": a["published"]}

    first = entry(cluster["origin"])
    row = captures.get((document["story"], cluster["origin"]))
    cap = row.capture if row else None
    first["archive"] = {
        "warc": cap["warc_file"] if cap else None, "record_id": cap["record_id"] if cap else None,
        "sha256": cap["sha256"] if cap else None, "captured_at": cap["fetched_at"] if cap else None,
        "wayback": cap["wayback_url"] if cap else None}
    return {"story": document["story"], "cluster": m.cluster, "score": m.score, "canonical": cluster["canonical"],
            "first": first,
            "variants": [{**entry(v["article"]), "text": v["text"], "relation": v["relation"],
                          "changes": v["changes"], "quoted": v["quoted"]} for v in cluster["variants"]]}


def format_text(result: dict) -> str:
    """A terminal-readable answer."""
    lines = []
    if not result["matches"]:
        lines.append(f"No quotation or sentence in the archive matches: {result['query']!r}")
        if result.get("suggestions"):
            lines.append("Closest candidates:")
            for s in result["suggestions"]:
                lines.append(f"  [{s['score']:.0f}] {s['first']['outlet']}: {s['canonical'][:100]}")
        return "\n".join(lines)
    for i, m in enumerate(result["matches"], 1):
        f = m["first"]
        lines.append(f"{i}. [{m['score']:.0f}] first carried by {f['outlet']} ({f['published'] or 'date unknown'})")
        lines.append(f"   {f['url']}")
        if f["archive"]["warc"]:
            a = f["archive"]
            lines.append(f"   archived {a['captured_at']} in {a['warc']} {a['record_id']} sha256 {a['sha256']}")
        lines.append(f"   \"{m['canonical']}\"")
        for v in m["variants"][1:]:
            changes = ", ".join(v["changes"]) or "verbatim"
            mark = "quoted" if v["quoted"] else "unquoted"
            lines.append(f"   - {v['outlet']} ({v['published'] or 'date unknown'}; {v['relation']}: {changes}; {mark})")
            lines.append(f"     \"{v['text']}\"")
        lines.append("")
    return "\n".join(lines).rstrip()
