"""`pressdiff compare`: read a story's articles from the store, compare, store and write JSON."""

from __future__ import annotations

import json
from pathlib import Path

from compare.cite import normalize as normalize_words
from compare.comparison import compare_story
from compare.report import to_document
from core.errors import InputError
from core.store import Store
from core.story import Story


def run_compare(store: Store, story: Story, json_path: str | Path | None = None) -> dict:
    """Compare the newest version of every article of a story; return the comparison JSON."""
    articles = store.archive.articles(story.slug)
    if not articles:
        raise InputError(f"story '{story.slug}' has no articles yet: crawl or import some first")
    outlets = [c.outlet for c in story.coverage if c.outlet]
    comparison = compare_story(story.slug, articles, outlets)
    document = to_document(comparison)
    store.findings.save_comparison(comparison, document, index_words=normalize_words)
    if json_path:
        write_json(document, json_path)
    return document


def default_json_path(data_dir: str | Path, slug: str) -> Path:
    """Where `run` and `demo` write a story's comparison JSON."""
    return Path(data_dir) / f"{slug}.comparison.json"


def write_json(document: dict, path: str | Path) -> None:
    """Write a JSON document atomically (a crash never leaves half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def summarize(document: dict) -> dict:
    """Counts for the terminal: articles, clusters, variants by relation and change."""
    variants = [v for c in document["clusters"] for v in c["variants"]]
    changes: dict[str, int] = {}
    for v in variants:
        for ch in v["changes"]:
            changes[ch] = changes.get(ch, 0) + 1
    relations: dict[str, int] = {}
    for v in variants:
        relations[v["relation"]] = relations.get(v["relation"], 0) + 1
    shared = [c for c in document["clusters"] if len({v["article"] for v in c["variants"]}) > 1]
    return {"articles": len(document["articles"]), "clusters": len(document["clusters"]),
            "shared_clusters": len(shared), "variants": len(variants), "relations": relations,
            "changes": dict(sorted(changes.items())), "credits": len(document["credits"]),
            "copies": sum(1 for p in document.get("pairs", []) if p["relation"] == "copy")}
