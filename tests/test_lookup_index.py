"""The Look-up page's index (publish/lookup_index.py): its encodings read back, its parts complete."""

from __future__ import annotations

import json
import random
import re

from pressdiff.publish.lookup_index import CHANGES, RELATIONS, edits, kind, varints, write_lookup_index

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def read_varints(text: str) -> list[int]:
    out, v, shift = [], 0, 0
    for ch in text:
        c = _B64.index(ch)
        v += (c & 31) << shift
        if c & 32:
            shift += 5
        else:
            out.append(v)
            v, shift = 0, 0
    return out


def apply(base: str, stored) -> str:
    if isinstance(stored, str):
        return stored
    if stored == 0:
        return base
    out, at = [], 0
    for e in stored:
        if isinstance(e, str):
            out.append(e)
        elif e >= 0:
            out.append(base[at:at + e])
            at += e
        else:
            at -= e
    return "".join(out)


def test_varints_read_back():
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 99_999, 2**32 + 7]
    assert read_varints(varints(numbers)) == numbers


def test_a_wording_stored_as_edits_of_the_origins_reads_back_exactly():
    rnd = random.Random(3)
    words = "the Home Office said staff — “must not” tweet, [US President] … naïve café 2017".split()
    for _ in range(500):
        base = " ".join(rnd.choices(words, k=rnd.randint(1, 25)))
        ws = base.split()
        for _ in range(rnd.randint(0, 4)):
            j = rnd.randrange(len(ws) + 1)
            op = rnd.random()
            if op < 0.4 and ws:
                del ws[min(j, len(ws) - 1)]
            elif op < 0.7:
                ws.insert(j, rnd.choice(words))
            elif ws:
                ws[min(j, len(ws) - 1)] = rnd.choice(words) + rnd.choice(",.;")
        text = " ".join(ws)
        assert apply(base, edits(base, text)) == text
    assert edits("same words", "same words") == 0
    assert edits("a short one", "entirely other wording here") == "entirely other wording here"  # no longer than it


def test_relation_and_changes_as_one_number():
    code = kind("altered", ["elided", "truncated"])
    assert RELATIONS[code % 8] == "altered"
    assert [c for b, c in enumerate(CHANGES) if (code // 8) & (1 << b)] == ["elided", "truncated"]
    assert kind("altered", ["something new"]) == ["altered", ["something new"]]


def test_index_holds_every_cited_wording_and_its_counts(demo_build, tmp_path):
    from pressdiff.core.store import Store

    data, doc, _ = demo_build
    with Store(data) as store:
        manifest = write_lookup_index(store, "harbour-memo", tmp_path)
        cited = list(store.findings.cite_words("harbour-memo"))

    def part(path):
        text = (tmp_path / path).read_text("utf-8")
        return json.loads(re.match(r"pressdiffLookup\.put\(\"[^\"]+\",(.*)\);\n$", text, re.S).group(1))

    clusters = [c for k in range(-(-manifest["clusters"] // manifest["parts"]["clusters"])) for c in part(f"r/{k}.js")]
    shown = [c for c in doc["clusters"] if not c.get("boilerplate")]
    assert [c[0] for c in clusters] == [c["id"] for c in shown]
    for entry, c in zip(clusters, shown):
        base = entry[4][entry[2]][1]
        assert [apply(base, v[1]) for v in entry[4]] == [v["text"] for v in c["variants"]]
        assert c["variants"][entry[2]]["article"] == c["origin"]
    assert manifest["rows"] == len(cited) == sum(len(c["variants"]) for c in shown)
    # every word's count is the number of wordings that hold it, as cite's cite_word counts it
    counts = {}
    for k in range(manifest["words"]):
        for w, e in part(f"v/{k}.js").items():
            counts[w] = e[0] if isinstance(e, list) else e
    expected = {}
    for row in cited:
        for w in set(row["words"].split()):
            expected[w] = expected.get(w, 0) + 1
    assert counts == expected
