"""A story's view: everything the templates show, precomputed and sorted, from its comparison."""

from __future__ import annotations

from pressdiff.compare.cite import bibtex, csl_item
from pressdiff.compare.drift import version_segments
from pressdiff.compare.origin import UNKNOWN
from pressdiff.compare.report import Counts, count
from pressdiff.core.dates import display, latest_day, surely_before
from pressdiff.core.store import Store
from pressdiff.core.store.document import read_entries
from pressdiff.core.story import Story

from .citecache import CiteCache
from .escape import version_diff_html
from .figures import MATRIX_ROWS, MAX_MATRIX_ROWS, credit_graph, drift_matrix, timeline
from .speakers import group_speakers
from .views import (
    ArticleView,
    BoilerplateView,
    ClusterView,
    CopyView,
    EditView,
    StoryView,
    VariantView,
    VersionView,
    quotation_page,
)

EXCERPT_CHARS = 600
# A story of more articles than this is published in part: a topic of 100,000 articles would be
# some 300,000 pages and a comparison JSON of a gigabyte, more than a static site should carry
# (MkDocs builds about 100 pages a second per core) or a reader can browse. Its site shows the
# TOP_QUOTATIONS quotations carried by the most outlets, the articles that carry them, their
# drift matrix, and the whole story's counts; every row is in its downloads, as Parquet tables.
# 5,000 articles is about 15,000 pages: a site that builds in minutes on two cores.
FULL_SITE_UPTO = 5000
TOP_QUOTATIONS = 1000


def site_document(store: Store, slug: str) -> tuple[dict, dict | None]:
    """The comparison the site shows, and None, or for a story of more than FULL_SITE_UPTO
    articles: its TOP_QUOTATIONS most widely carried clusters with their articles, credits and
    pairs (read from the document file entry by entry, never whole), and the story's totals."""
    path = store.findings.comparison_path(slug)
    if path is None or store.findings.article_count(slug) <= FULL_SITE_UPTO:
        return store.findings.comparison(slug), None
    keep = set(store.findings.widest_clusters(slug, TOP_QUOTATIONS))
    found: dict[str, list] = {"articles": [], "clusters": [], "credits": [], "pairs": []}
    counts = Counts()
    for section, entry in read_entries(path, set(found)):
        counts.add(section, entry)
        if section != "clusters" or entry["id"] in keep:
            found[section].append(entry)
    carried = {v["article"] for c in found["clusters"] for v in c["variants"]}
    carried |= {a["id"] for a in found["articles"][:1]}  # the story's first, whom "what happened" names
    dated = sorted(a["published"] for a in found["articles"] if a["published"])
    totals = glance(counts.result())
    totals.update(undated=sum(1 for a in found["articles"] if not a["published"]),
                  outlets=sorted({a["outlet"] for a in found["articles"] if a["outlet"]}),
                  first=display(dated[0]) if dated else None, last=display(dated[-1]) if dated else None)
    return {"story": slug, "articles": [a for a in found["articles"] if a["id"] in carried],
            "clusters": found["clusters"], "credits": [c for c in found["credits"] if c["article"] in carried],
            "pairs": [p for p in found["pairs"] if p["a"] in carried and p["b"] in carried],
            "quotes": [], "attributions": []}, dict(totals, limit=FULL_SITE_UPTO, shown=len(found["clusters"]))


def glance(counts: dict) -> dict:
    """What the story and home pages count, from a comparison's counts (compare.report.Counts'):
    publisher boilerplate left out, as the pages leave it out; copies are whole-article copies and
    the same article at another address."""
    wordings = sum(counts["relations"].values())
    return {"articles": counts["articles"], "clusters": counts["clusters"] - counts["boilerplate"],
            "shared": counts["shared_clusters"], "variants": wordings,
            "altered": wordings - counts["relations"].get("verbatim", 0), "credit_edges": counts["credit_edges"],
            "copies": counts["copies"] + counts["same_article"]}


def story_view(story: Story, document: dict, store: Store, site_url: str | None = None,
               cache: CiteCache | None = None, wacz: str | None = None, capped: dict | None = None) -> StoryView:
    """Everything the templates show for one story, precomputed and sorted.

    A quotation that two or more articles carry gets its own page; one that a single article
    carries is shown on that article's page, under an anchor named by its cluster id. capped:
    the totals of a story published in part (site_document), or None.
    """
    root = f"{(site_url or '').rstrip('/')}/{story.slug}"
    cache = cache or CiteCache(None)
    versions: dict[str, list] = {}
    for row in (store.articles.versions(story.slug) if capped is None else
                (r for a in document["articles"] for r in store.articles.versions(story.slug, a["id"]))):
        versions.setdefault(row.key, []).append(row)
    classified = {(e.article, e.version): e for e in store.edits.of_story(story.slug)}
    credited: dict[str, set[str]] = {}
    for c in document["credits"]:
        credited.setdefault(c["article"], set()).add(c["credits"])
    articles = {a["id"]: _article_view(story, a, versions.get(a["id"], []), sorted(credited.get(a["id"], ())), root,
                                       classified)
                for a in document["articles"]}
    references = cache.render_all([a.csl for a in articles.values()], "apa")
    for a, apa in zip(articles.values(), references):
        a.apa = apa
    outlet_of = {k: a.outlet or k for k, a in articles.items()}
    clusters, boilerplate = [], []
    for c in document["clusters"]:
        if c.get("boilerplate"):  # shown apart: in no matrix, count or quotation page
            boilerplate.append(_boilerplate_view(c, articles))
            continue
        variants = tuple(VariantView.of(c["id"], v, outlet_of.get(v["article"]), articles[v["article"]].text)
                         for v in c["variants"])
        carriers = len({v.article for v in variants})
        page = quotation_page(c["id"], c["origin"], carriers)
        origin = articles[c["origin"]]
        # a quotation on its article's page gets the short Cite block (permalink, APA) only
        csl = _csl(story.slug, origin, f"{root}/{page}", quote=c["canonical"], key=c["id"]) if carriers > 1 else {}
        cluster = ClusterView(
            id=c["id"], canonical=c["canonical"], speaker=c["speaker"], origin=c["origin"],
            origin_outlet=outlet_of.get(c["origin"]), quoted=c.get("quoted", True), variants=variants,
            carriers=carriers, altered=sum(1 for v in variants if v.relation != "verbatim"),
            page=page, permalink=f"{root}/{page}", csl=csl, apa=origin.apa, bibtex=bibtex(csl) if csl else "",
            origin_basis=c.get("origin_basis") or UNKNOWN)
        clusters.append(cluster)
        for v in variants:
            articles[v.article].variants.append(v)
        if carriers == 1:
            origin.single.append(cluster)
    copies = tuple(p for p in document.get("pairs", []) if p["relation"] in ("copy", "same-article"))
    for p in copies:
        articles[p["b"]].copies.append(CopyView(of=p["a"], outlet=outlet_of[p["a"]], share=p["share"],
                                                relation=p["relation"]))
    for a in articles.values():
        carried = [v for v in a.variants if v.quoted]
        a.quotes_carried = len(carried)
        a.altered_share = round(100 * sum(1 for v in carried if v.relation != "verbatim") / len(carried)) if carried else 0
    ordered = tuple(articles[a["id"]] for a in document["articles"])
    totals = capped or glance(count(document))
    shared = tuple(c for c in clusters if c.carriers > 1)
    credit_edges = tuple(sorted({(outlet_of[c["article"]], c["credits"]) for c in document["credits"]}))
    outlets = _outlets_by_date(ordered)
    by_drift = sorted(shared, key=lambda c: (-len({outlet_of[v.article] for v in c.variants}), -c.altered, c.id))
    credits = [(c["article"], c["credits"]) for c in document["credits"]]
    return StoryView(slug=story.slug, title=story.title, summary=story.summary, document=document,
                     what_happened=_what_happened(ordered, totals, capped),
                     graph=credit_graph(ordered, document, outlet_of, credit_edges),
                     articles=ordered, clusters=tuple(clusters), shared=shared, credit_edges=credit_edges,
                     copies=copies, outlet_of=outlet_of, totals=totals,
                     matrix=drift_matrix(by_drift, outlets, outlet_of, "quotes/"),
                     full_matrix=drift_matrix(by_drift, outlets, outlet_of, "../quotes/", MAX_MATRIX_ROWS),
                     matrix_rows=min(len(by_drift), MATRIX_ROWS), timeline=timeline(ordered, credits, "articles/"),
                     root=root, absolute=bool(site_url), wacz=wacz, capped=capped, boilerplate=tuple(boilerplate),
                     edits=_edit_views(classified, versions), speakers=group_speakers(clusters),
                     problems=_problems(store, story.slug, versions))


def _problems(store: Store, slug: str, versions: dict[str, list]) -> tuple[dict, ...]:
    """Extraction that looked broken (the alerts crawls, imports and watching recorded), newest first."""
    key_of = {rows[0].url: key for key, rows in versions.items() if rows}
    return tuple({"detail": a["detail"], "at": a["created_at"], "article": key_of.get(a["url"])}
                 for a in reversed(store.articles.alerts(slug)))


def _edit_views(classified: dict, versions: dict[str, list]) -> tuple[EditView, ...]:
    """The story's classified versions, newest first, with the word diff and both captures."""
    out = []
    for (key, number), e in classified.items():
        rows = {r.version: r for r in versions.get(key, [])}
        new, base = rows.get(number), rows.get(e.before)
        if new is None or base is None:
            continue  # an article the site does not show (a story published in part)
        out.append(EditView(edit=e, outlet=new.outlet, title=new.title or base.title, url=new.url,
                            diff=version_diff_html(version_segments(base.text, new.text)),
                            captures=(base.capture, new.capture)))
    return tuple(sorted(out, key=lambda v: (v.edit.detected_at, v.edit.article, v.edit.version), reverse=True))


def _boilerplate_view(c: dict, articles: dict) -> BoilerplateView:
    carriers = list(dict.fromkeys(v["article"] for v in c["variants"]))
    return BoilerplateView(text=c["canonical"], evidence=tuple(c["boilerplate"]),
                           articles=tuple(articles[a] for a in carriers if a in articles),
                           outlets=tuple(sorted({articles[a].outlet or a for a in carriers if a in articles})))


def _outlets_by_date(articles) -> list[str]:
    """Outlets in the order they first published (undated last), for the matrix's columns."""
    first: dict[str, str] = {}
    for a in articles:
        name = a.outlet or a.id
        day = latest_day(a.published) or "9999"
        first[name] = min(first.get(name, "9999"), day)
    return sorted(first, key=lambda name: (first[name], name))


def _article_view(story: Story, a: dict, rows: list, credits: list[str], root: str,
                  classified: dict) -> ArticleView:
    # the compared version (offsets refer to its text): the newest but for one set aside as broken extraction
    latest = next((r for r in rows if r.version == a["version"]), rows[-1] if rows else None)
    text = latest.text if latest else ""
    permalink = f"{root}/articles/{a['id']}/"
    view = ArticleView(
        id=a["id"], url=a["url"], outlet=a["outlet"], title=a["title"], published=a["published"],
        author=a.get("author"), version=a["version"],
        versions=[VersionView(version=r.version, created_at=r.created_at, ingested_by=r.ingested_by, capture=r.capture,
                              diff=version_diff_html(version_segments(prev.text, r.text)) if prev else None,
                              kind=e.kind if e else None, classes=e.classes if e else ())
                  for prev, r in zip([None, *rows[:-1]], rows)
                  for e in [classified.get((a["id"], r.version))]],
        capture=latest.capture if latest else None, text=text,
        excerpt=text if story.publish_full_text else _excerpt(text), full_text=story.publish_full_text,
        credits=credits, permalink=permalink, csl={}, apa="", bibtex="")
    view.csl = _csl(story.slug, view, permalink)
    view.bibtex = bibtex(view.csl)  # view.apa: rendered for all articles at once, by CiteCache.render_all
    return view


def _csl(slug: str, a: ArticleView, permalink: str, quote: str | None = None, key: str | None = None) -> dict:
    return csl_item(key=f"{slug}-{key or a.id}", title=a.title, outlet=a.outlet, author=a.author,
                    published=a.published, url=a.url, quote=quote,
                    archive=a.capture.archive() if a.capture else None, permalink=permalink)


def _what_happened(articles: tuple[ArticleView, ...], totals: dict, capped: dict | None) -> str:
    """A generated sentence: who published first (only when the dates show it), how many
    articles there are, over how long (the whole story's counts: totals, glance's)."""
    if not articles:
        return ""
    total, passages = totals["articles"], totals["shared"]
    dated = [a for a in articles if a.published]  # in origin order: dated articles come first
    undated = capped["undated"] if capped else len(articles) - len(dated)
    tail = f"{passages} passages appear in more than one of them."
    if not dated:
        return (f"Order unknown: none of the {total} articles carries a date, so who published first is not "
                f"known. {tail}")
    first = dated[0]
    name = f"{first.outlet} ({first.title or first.url})"
    if not undated and all(surely_before(first.published, a.published) for a in dated[1:]):
        text = f"{first.outlet} published it first on {first.published_label} ({first.title or first.url})."
        if total > 1:
            text += f" {total - 1} more article{'s' if total != 2 else ''} followed"
            text += f", the last dated {dated[-1].published_label}" if not capped and len(dated) > 1 else ""
            text += f"; {tail}"
        return text
    text = f"The earliest date is {first.published_label}: {name}"
    if any(not surely_before(first.published, a.published) for a in dated[1:]):
        text += "; others are dated as early, so who published first is not known"
    if undated:
        text += f"; {undated} article{'s carry' if undated != 1 else ' carries'} no date and could be earlier"
    return text + f". {total} articles in all; {tail}"


def summary(view: StoryView) -> dict:
    """What the archive's home page says about a story (kept, so an unchanged story is not re-read)."""
    dated = sorted(a.published for a in view.articles if a.published)
    outlets = sorted({a.outlet for a in view.articles if a.outlet})
    changed = sorted(view.shared, key=lambda c: (-c.altered, -c.carriers, c.id))[:3]
    counts = {k: view.totals[k] for k in ("articles", "clusters", "shared", "variants", "altered")}
    counts.update(outlets=outlets, first=display(dated[0]) if dated else None,
                  last=display(dated[-1]) if dated else None)
    if view.capped:
        counts.update({k: view.capped[k] for k in ("outlets", "first", "last")})
    return {"slug": view.slug, "title": view.title, **counts,
            "pages": 6 + len(view.shared) + len(view.articles) + len({p.initial for p in view.speakers}),
            "wacz": view.wacz,
            "most_changed": [{"page": c.page, "canonical": c.canonical, "carriers": c.carriers, "altered": c.altered}
                             for c in changed]}


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS)
    return text[: cut if cut > 0 else EXCERPT_CHARS] + " …"
