"""What every comparison and cite answer must satisfy, on any input (SPEC.md's contracts)."""

from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache

import jsonschema

from tests import PROJECT_ROOT

SCHEMAS = PROJECT_ROOT / "core" / "store"
WORD = re.compile(r"\w+(?:['’]\w+)*")
# Quoted words that may fall outside every cluster: a run shorter than alignment's smallest
# piece (settings.MIN_WORDS) between two matched parts of a quotation.
LOST_RUN = 3


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def check_schema(name: str, document: dict) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, f"{name} JSON breaks its schema: {errors[0].message[:300]} at {list(errors[0].path)}"


def check_comparison(document: dict, stored: dict[str, str]) -> None:
    """Schema, unique ids, offsets into the stored text, and no quotation lost."""
    check_schema("comparison", document)
    article_ids = [a["id"] for a in document["articles"]]
    assert len(article_ids) == len(set(article_ids)), "duplicate article ids"
    assert set(article_ids) == set(stored), "articles in the JSON are not the stored ones"
    cluster_ids = [c["id"] for c in document["clusters"]]
    assert len(cluster_ids) == len(set(cluster_ids)), "duplicate cluster ids"
    covered: dict[str, list[tuple[int, int]]] = {}
    for c in document["clusters"]:
        assert c["origin"] in stored
        assert any(v["article"] == c["origin"] for v in c["variants"]), f"{c['id']}: origin not among variants"
        for v in c["variants"]:
            text = stored[v["article"]]
            assert 0 <= v["start"] < v["end"] <= len(text)
            assert text[v["start"]:v["end"]] == v["text"], f"{c['id']}: variant text is not stored_text[start:end]"
            a = v.get("attribution")
            for span in (a["source"], a["cue"], *a["content"]) if a else ():
                assert span is None or text[span["start"]:span["end"]] == span["text"], \
                    f"{c['id']}: an attribution span is not stored_text[start:end]"
            covered.setdefault(v["article"], []).append((v["start"], v["end"]))
    # per article, each variant start with the furthest end reached so far: a word [s, e) lies in
    # some variant exactly when the furthest end among variants starting at or before s is >= e
    reach = {}
    for article, spans in covered.items():
        spans.sort()
        starts, ends, best = [], [], -1
        for a, b in spans:
            best = max(best, b)
            starts.append(a)
            ends.append(best)
        reach[article] = (starts, ends)
    for q in document.get("quotes", []):
        text = stored[q["article"]]
        assert text[q["start"]:q["end"]] == q["text"]
        starts, ends = reach.get(q["article"], ([], []))
        run = 0
        for m in WORD.finditer(q["text"]):
            s, e = q["start"] + m.start(), q["start"] + m.end()
            i = bisect.bisect_right(starts, s) - 1
            run = 0 if i >= 0 and ends[i] >= e else run + 1
            assert run < LOST_RUN, f"quoted words outside every cluster: {q['text'][:80]!r}"
    for x in document.get("attributions", []) + [c for c in document["credits"] if c.get("start") is not None]:
        assert 0 <= x["start"] <= x["end"] <= len(stored[x["article"]])


def check_cite(result: dict) -> None:
    check_schema("cite", result)
