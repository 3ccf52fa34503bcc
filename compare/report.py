"""The comparison JSON of SPEC.md, and its CSV of variants."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import fields

from pressdiff.core.records import Cluster, Comparison, Earlier, Relation, TextSpan, Variant


def to_document(c: Comparison) -> dict:
    """The comparison as SPEC.md's JSON document (plus additive fields: quotes' diffs, pairs)."""
    return {
        "story": c.story,
        "articles": [article_doc(a) for a in c.articles],
        "clusters": [cluster_doc(cl) for cl in c.clusters],
        "credits": [fields_doc(cr) for cr in c.credits],
        "pairs": [fields_doc(p) for p in c.pairs],
        "quotes": [quote_doc(q) for q in c.quotes],
        "attributions": [fields_doc(x) for x in c.attributions],
    }


# Each section's entries (core/store/document.py writes and reads the document entry by entry).
def fields_doc(record) -> dict:
    """A flat record's fields, in its order: a credit's, a pair's or an attribution's entry, a span."""
    return {f.name: getattr(record, f.name) for f in fields(record)}  # a span has slots, no __dict__


def article_doc(a) -> dict:
    return {"id": a.id, "url": a.url, "outlet": a.outlet, "title": a.title, "published": a.published,
            "author": a.author, "version": a.version}


def cluster_doc(cl) -> dict:
    return {"id": cl.id, "canonical": cl.canonical, "speaker": cl.speaker, "origin": cl.origin,
            "origin_basis": cl.origin_basis, "quoted": cl.quoted, "boilerplate": list(cl.boilerplate),
            "variants": [variant_doc(v) for v in cl.variants]}


def variant_doc(v) -> dict:
    doc = {"article": v.article, "text": v.text, "quoted": v.quoted, "speaker": v.speaker,
           "relation": v.relation, "changes": list(v.changes), "similarity": v.similarity,
           "start": v.start, "end": v.end, "diff": [list(d) for d in v.diff]}
    if v.earlier:  # only a variant its outlet edited after publication has the key (SPEC)
        doc["earlier"] = [fields_doc(e) for e in v.earlier]
    if v.attribution is not None:  # only a variant whose article attributes the words has the key (SPEC)
        doc["attribution"] = relation_doc(v.attribution)
    return doc


def span_doc(s: TextSpan | None) -> dict | None:
    """A span of SPEC's attribution: {"start", "end", "text"}, or None."""
    return None if s is None else fields_doc(s)


def relation_doc(r: Relation) -> dict:
    """SPEC's `attribution` object of a variant: kind, source, cue, content spans, speaker."""
    return {"kind": r.kind, "source": span_doc(r.source), "cue": span_doc(r.cue),
            "content": [span_doc(c) for c in r.content], "speaker": r.speaker}


def relation_of(doc: dict | None) -> Relation | None:
    """The Relation record relation_doc wrote doc from (None for None)."""
    if doc is None:
        return None
    span = lambda d: None if d is None else TextSpan(d["start"], d["end"], d["text"])  # noqa: E731
    return Relation(kind=doc["kind"], content=tuple(span(c) for c in doc["content"]), source=span(doc["source"]),
                    cue=span(doc["cue"]), speaker=doc["speaker"])


def relation_json(r: Relation | None) -> str | None:
    """relation_doc as compact JSON text: the form the ordered pass carries. The pass holds every
    member at once, and the text is about half the size of the Relation and its spans as objects."""
    return None if r is None else json.dumps(relation_doc(r), ensure_ascii=False, separators=(",", ":"))


def relation_from_json(text: str | None) -> Relation | None:
    """The Relation relation_json wrote text from (None for None)."""
    return None if text is None else relation_of(json.loads(text))


def cluster_of(doc: dict) -> Cluster:
    """A cluster of the comparison JSON as the Cluster record cluster_doc wrote it from."""
    return Cluster(
        id=doc["id"], canonical=doc["canonical"], origin=doc["origin"], speaker=doc["speaker"],
        quoted=doc["quoted"], origin_basis=doc["origin_basis"], boilerplate=tuple(doc["boilerplate"]),
        variants=tuple(Variant(article=v["article"], text=v["text"], start=v["start"], end=v["end"], quoted=v["quoted"],
                               relation=v["relation"], changes=tuple(v["changes"]), similarity=v["similarity"],
                               speaker=v["speaker"], diff=tuple(tuple(d) for d in v["diff"]),
                               earlier=tuple(Earlier(**e) for e in v.get("earlier", ())),
                               attribution=relation_of(v.get("attribution")))
                       for v in doc["variants"]))


def quote_doc(q) -> dict:
    return {"article": q.article, "start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
            "cue": q.cue, "closed": q.closed, "continued": q.continued, "elided": q.elided,
            "insertions": list(q.insertions), "attributed": q.attributed}


class Counts:
    """The one count of a comparison, entry by entry as its sections go by (a story of any size):
    articles, clusters, shared_clusters, boilerplate (counted apart: its variants in no relation
    or change count), variants, relations, changes, credits, credit_edges (distinct outlet and
    credited pairs), copies and same_article pairs. What compare prints and the site shows."""

    def __init__(self):
        self.n = {"articles": 0, "clusters": 0, "shared_clusters": 0, "boilerplate": 0, "variants": 0,
                  "relations": Counter(), "changes": Counter(), "credits": 0, "copies": 0, "same_article": 0}
        self.outlet: dict[str, str] = {}  # article id -> outlet (articles come before credits)
        self.edges: set[tuple[str, str]] = set()

    def through(self, section: str, entries):
        """The entries of one section, counted as they are read."""
        for e in entries:
            self.add(section, e)
            yield e

    def add(self, section: str, e: dict) -> None:
        n = self.n
        if section == "articles":
            n["articles"] += 1
            self.outlet[e["id"]] = e.get("outlet") or e["id"]
        elif section == "credits":
            n["credits"] += 1
            self.edges.add((self.outlet.get(e["article"], e["article"]), e["credits"]))
        elif section == "pairs":
            n["copies"] += e["relation"] == "copy"
            n["same_article"] += e["relation"] == "same-article"
        elif section == "clusters":
            n["clusters"] += 1
            n["variants"] += len(e["variants"])
            if e.get("boilerplate"):
                n["boilerplate"] += 1
                return
            n["shared_clusters"] += len({v["article"] for v in e["variants"]}) > 1
            for v in e["variants"]:
                n["relations"][v["relation"]] += 1
                n["changes"].update(v["changes"])

    def result(self) -> dict:
        return dict(self.n, relations=dict(self.n["relations"]), changes=dict(sorted(self.n["changes"].items())),
                    credit_edges=len(self.edges))


def count(document: dict) -> dict:
    """Counts of a comparison JSON held in memory."""
    counts = Counts()
    for section, entries in document.items():
        if section != "story":
            list(counts.through(section, entries))
    return counts.result()


CSV_FIELDS = ["cluster", "origin", "article", "outlet", "quoted", "relation", "changes",
              "similarity", "start", "end", "text", "canonical"]


def variants_csv(document: dict) -> str:
    """One CSV row per variant, for spreadsheets."""
    outlets = {a["id"]: a["outlet"] for a in document["articles"]}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    for cl in document["clusters"]:
        for v in cl["variants"]:
            w.writerow({"cluster": cl["id"], "origin": cl["origin"], "article": v["article"],
                        "outlet": outlets.get(v["article"]), "quoted": v["quoted"],
                        "relation": v["relation"], "changes": " ".join(v["changes"]),
                        "similarity": v["similarity"], "start": v["start"], "end": v["end"],
                        "text": v["text"], "canonical": cl["canonical"]})
    return buf.getvalue()
