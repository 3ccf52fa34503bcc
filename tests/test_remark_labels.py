"""The hand-labelled remarks of issue #35 (bench/labels/remarks.jsonl, remark_near_misses.jsonl):
well-formed, split by a fixed rule, and still pointing at the texts they were labelled on."""

import hashlib
import json
from pathlib import Path

import pytest

from bench.links import NEAR_MISSES, REMARKS, half, load_labels, remark_stories, url_day

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
KINDS = {"verbatim", "altered", "fragment", "rendering", "translation", "indirect"}


def test_groups_are_well_formed_and_near_misses_are_not_labelled_pairs():
    groups, misses = load_labels(REMARKS), load_labels(NEAR_MISSES)
    assert len(groups) >= 150 and len(misses) >= 100
    assert len({g["id"] for g in groups}) == len(groups) and len({m["id"] for m in misses}) == len(misses)
    for g in groups:
        n = len(g["spans"])
        assert n >= 2 and len({s["doc"] for s in g["spans"]}) == n  # one span per article
        assert {(i, j) for i, j, _ in g["kinds"]} == {(i, j) for i in range(n) for j in range(i + 1, n)}
        assert all(k in KINDS for *_, k in g["kinds"])
        assert all(0 <= s["start"] < s["end"] and len(s["sha"]) == 12 for s in g["spans"])
    spans = {(s["doc"], s["start"], s["end"]) for g in groups for s in g["spans"]}
    for m in misses:
        assert m["a"]["doc"] != m["b"]["doc"] and m["why"]
        assert not ((m["a"]["doc"], m["a"]["start"], m["a"]["end"]) in spans
                    and (m["b"]["doc"], m["b"]["start"], m["b"]["end"]) in spans
                    and any({m["a"]["doc"], m["b"]["doc"]} <= {s["doc"] for s in g["spans"]} for g in groups))


def test_half_is_a_fixed_rule_that_splits_both_sets_about_evenly():
    # the first pass's labels split about evenly; every later pass's ("found" from "2026-12-07")
    # was made for the development half, its ids chosen so (GUIDE-remarks.md), so that the test
    # half stays unread
    assert half("ecb-G0") == half("ecb-G0") and {half(f"x{i}") for i in range(10)} == {"dev", "test"}
    for labels in (load_labels(REMARKS), load_labels(NEAR_MISSES)):
        first = [x for x in labels if not x.get("found", "").startswith("2026-12-07")]
        dev = sum(half(x["id"]) == "dev" for x in first)
        assert 0.35 < dev / len(first) < 0.65
        assert all(half(x["id"]) == "dev" for x in labels if x.get("found", "").startswith("2026-12-07"))


def test_url_day_reads_the_days_urls_spell_and_nothing_else():
    assert url_day("https://www.washingtonpost.com/local/x/2020/01/01/740fbc7a_story.html") == "2020-01-01"
    assert url_day("https://www.theguardian.com/business/2020/jan/01/lloyds") == "2020-01-01"
    assert url_day("https://menafn.com/1099494583/Ooredoo-launches") is None


@pytest.mark.skipif(not (SHARED / "data" / "ecbplus").is_dir(), reason="needs ../shared (real corpora)")
def test_every_labelled_span_still_reads_as_labelled():
    groups, misses = load_labels(REMARKS), load_labels(NEAR_MISSES)
    spans = [s for g in groups for s in g["spans"]] + [m[k] for m in misses for k in "ab"]
    stories = remark_stories(SHARED, {s["doc"] for s in spans})
    texts = {a.id: a.text for arts in stories.values() for a in arts}
    for s in spans:
        assert hashlib.sha256(texts[s["doc"]][s["start"]:s["end"]].encode()).hexdigest()[:12] == s["sha"], s
    assert all(json.dumps(s) for s in spans)
