"""`pressdiff site`: render templates/ to Markdown in a build copy of site/, then mkdocs build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from compare.cite import bibtex, csl_item
from compare.drift import version_segments
from compare.report import variants_csv
from compare.settings import CHANGE_ORDER
from core.errors import InputError, WorkError
from core.store import Store
from core.story import Story

from . import PROJECT_ROOT
from .escape import cite_block, diff_html, h, link, md, mermaid_label, title, version_diff_html
from .lookup import formatted
from .views import ArticleView, ClusterView, CopyView, StoryView, VariantView, VersionView

EXCERPT_CHARS = 600


def environment() -> Environment:
    """Jinja2 for Markdown: every printed value is escaped unless the publisher marked it safe."""
    templates = PROJECT_ROOT / "templates"
    if not templates.is_dir():
        raise WorkError(f"pressdiff's templates are missing ({templates}); install pressdiff from its checkout")
    env = Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined, autoescape=False,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=md)
    env.filters.update(h=h, diff=diff_html, raw=Markup)
    env.globals.update(link=link, title=title, cite_block=cite_block, legend=CHANGE_ORDER)
    return env


def build_site(data_dir: str | Path, slugs: list[str] | None = None, echo=print, site_url: str | None = None) -> Path:
    """Build DATA/public/ for the given stories (default: every compared story).

    site_url: where the site will be published, for absolute permalinks and citations.
    """
    data_dir = Path(data_dir)
    with Store(data_dir) as store:
        slugs = slugs or [s for s in store.archive.story_slugs() if store.findings.comparison(s)]
        if not slugs:
            raise InputError(f"no compared story in {data_dir}: run 'pressdiff compare STORY' first")
        views = []
        for slug in slugs:
            story = store.archive.get_story(slug)
            document = store.findings.comparison(slug)
            if story is None or document is None:
                raise InputError(f"story '{slug}' has not been compared yet: run 'pressdiff compare {slug}' first")
            views.append(story_view(story, document, store, site_url))
    build = data_dir / ".build"
    if build.exists():
        shutil.rmtree(build)
    docs = build / "docs"
    shutil.copytree(PROJECT_ROOT / "site", docs)
    env = environment()
    pages = 0
    _write(docs / "index.md", env.get_template("home.md.j2").render(stories=views))
    for view in views:
        base = docs / view.slug
        _write(base / "index.md", env.get_template("story.md.j2").render(s=view))
        _write(base / "quotes" / "index.md", env.get_template("quotes_index.md.j2").render(s=view))
        _write(base / "articles" / "index.md", env.get_template("articles_index.md.j2").render(s=view))
        for cluster in view.clusters:
            _write(base / "quotes" / f"{cluster.id}.md",
                   env.get_template("quote.md.j2").render(s=view, c=cluster))
        for article in view.articles:
            _write(base / "articles" / f"{article.id}.md",
                   env.get_template("article.md.j2").render(s=view, a=article))
        pages += 3 + len(view.clusters) + len(view.articles)
        downloads = base / "downloads"
        downloads.mkdir(parents=True, exist_ok=True)
        (downloads / "comparison.json").write_text(
            json.dumps(view.document, ensure_ascii=False, separators=(",", ":")), "utf-8")
        (downloads / "variants.csv").write_text(variants_csv(view.document), "utf-8")
    public = data_dir / "public"
    staging = data_dir / ".public-new"
    if staging.exists():
        shutil.rmtree(staging)
    config = build / "mkdocs.yml"
    config.write_text(_config(views, staging, site_url), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        tail = " | ".join(line for line in (proc.stderr or proc.stdout).splitlines()[-5:] if line.strip())
        raise WorkError(f"mkdocs build failed: {tail}")
    # Swap in the new site only once it built: a failed build leaves the last good site.
    old = data_dir / ".public-old"
    if old.exists():
        shutil.rmtree(old)
    if public.exists():
        public.rename(old)
    staging.rename(public)
    if old.exists():
        shutil.rmtree(old)
    echo(f"site: {pages} pages for {len(views)} stor{'y' if len(views) == 1 else 'ies'} in {public}/index.html")
    return public


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _config(views, site_dir: Path, site_url: str | None) -> str:
    # Only index pages in the navigation: listing every quote page makes Material's build
    # many times slower and larger on big stories.
    nav = [{"Home": "index.md"}]
    for v in views:
        nav.append({str(h(v.title)): [f"{v.slug}/index.md",
                                      {"Quotes": f"{v.slug}/quotes/index.md"},
                                      {"Articles": f"{v.slug}/articles/index.md"}]})
    nav += [{"Methodology": "methodology.md"}, {"About": "about.md"}]
    site_name = views[0].title if len(views) == 1 else "pressdiff archive"
    config = {"INHERIT": str(PROJECT_ROOT / "mkdocs.yml"), "site_name": f"pressdiff: {h(site_name)}",
              "docs_dir": "docs", "site_dir": str(site_dir.resolve()), "nav": nav}
    if site_url:
        config["site_url"] = site_url.rstrip("/") + "/"
    return json.dumps(config, ensure_ascii=False, indent=1)  # JSON is YAML


def story_view(story: Story, document: dict, store: Store, site_url: str | None = None) -> StoryView:
    """Everything the templates show for one story, precomputed and sorted."""
    root = (site_url or "").rstrip("/")
    versions: dict[str, list] = {}
    for row in store.archive.versions(story.slug):
        versions.setdefault(row.key, []).append(row)
    credited: dict[str, set[str]] = {}
    for c in document["credits"]:
        credited.setdefault(c["article"], set()).add(c["credits"])
    articles = {a["id"]: _article_view(story, a, versions.get(a["id"], []), sorted(credited.get(a["id"], ())), root)
                for a in document["articles"]}
    outlet_of = {k: a.outlet or k for k, a in articles.items()}
    clusters = []
    for c in document["clusters"]:
        permalink = f"{root}/{story.slug}/quotes/{c['id']}/"
        origin = articles[c["origin"]]
        csl = _csl(story.slug, origin, permalink, quote=c["canonical"], key=c["id"])
        variants = tuple(VariantView.of(c["id"], v, outlet_of.get(v["article"])) for v in c["variants"])
        clusters.append(ClusterView(
            id=c["id"], canonical=c["canonical"], speaker=c["speaker"], origin=c["origin"],
            origin_outlet=outlet_of.get(c["origin"]), quoted=c.get("quoted", True), variants=variants,
            carriers=len({v.article for v in variants}), altered=sum(1 for v in variants if v.relation != "verbatim"),
            permalink=permalink, csl=csl, apa=origin.apa, bibtex=bibtex(csl)))
        for v in variants:
            articles[v.article].variants.append(v)
    copies = tuple(p for p in document.get("pairs", []) if p["relation"] in ("copy", "same-article"))
    for p in copies:
        articles[p["b"]].copies.append(CopyView(of=p["a"], outlet=outlet_of[p["a"]], share=p["share"],
                                                relation=p["relation"]))
    for a in articles.values():
        carried = [v for v in a.variants if v.quoted]
        a.quotes_carried = len(carried)
        a.altered_share = round(100 * sum(1 for v in carried if v.relation != "verbatim") / len(carried)) if carried else 0
    ordered = tuple(articles[a["id"]] for a in document["articles"])
    shared = tuple(c for c in clusters if c.carriers > 1)
    credit_edges = tuple(sorted({(outlet_of[c["article"]], c["credits"]) for c in document["credits"]}))
    return StoryView(slug=story.slug, title=story.title, summary=story.summary, document=document,
                     what_happened=_what_happened(ordered, shared),
                     graph=_graph(ordered, document, outlet_of, credit_edges),
                     articles=ordered, clusters=tuple(clusters), shared=shared, credit_edges=credit_edges,
                     copies=copies, outlet_of=outlet_of, altered_variants=sum(c.altered for c in clusters),
                     variants=sum(len(c.variants) for c in clusters))


def _article_view(story: Story, a: dict, rows: list, credits: list[str], root: str) -> ArticleView:
    latest = rows[-1] if rows else None
    text = latest.text if latest else ""
    permalink = f"{root}/{story.slug}/articles/{a['id']}/"
    view = ArticleView(
        id=a["id"], url=a["url"], outlet=a["outlet"], title=a["title"], published=a["published"],
        author=a.get("author"), version=a["version"],
        versions=[VersionView(version=r.version, created_at=r.created_at, ingested_by=r.ingested_by, capture=r.capture,
                              diff=version_diff_html(version_segments(prev.text, r.text)) if prev else None)
                  for prev, r in zip([None, *rows[:-1]], rows)],
        capture=latest.capture if latest else None, text=text,
        excerpt=text if story.publish_full_text else _excerpt(text), full_text=story.publish_full_text,
        credits=credits, permalink=permalink, csl={}, apa="", bibtex="")
    view.csl = _csl(story.slug, view, permalink)
    view.apa = formatted(view.csl, "apa")  # citeproc-py: ~5 ms, so once per article
    view.bibtex = bibtex(view.csl)
    return view


def _csl(slug: str, a: ArticleView, permalink: str, quote: str | None = None, key: str | None = None) -> dict:
    return csl_item(key=f"{slug}-{key or a.id}", title=a.title, outlet=a.outlet, author=a.author,
                    published=a.published, url=a.url, quote=quote,
                    archive=a.capture.archive() if a.capture else None, permalink=permalink)


def _what_happened(articles: tuple[ArticleView, ...], shared: tuple[ClusterView, ...]) -> str:
    """A generated sentence: who published first, how many followed, over how long."""
    dated = [a for a in articles if a.published]
    if not articles:
        return ""
    first = dated[0] if dated else articles[0]
    text = f"{first.outlet} published it first"
    if first.published:
        text += f" on {first.published_label}"
    text += f" ({first.title or first.url})."
    others = len(articles) - 1
    if others:
        text += f" {others} more article{'s' if others != 1 else ''} followed"
        if len(dated) > 1:
            text += f", the last dated {dated[-1].published_label}"
        text += f"; {len(shared)} passages appear in more than one of them."
    return text


def _graph(articles, document: dict, outlet_of: dict, edges) -> Markup:
    """Who credits whom (solid) and who copied whom whole (dotted), as a Mermaid flowchart."""
    names = sorted({a.outlet or a.id for a in articles} | {dst for _, dst in edges})
    ids = {name: f"o{i}" for i, name in enumerate(names)}
    lines = ["graph LR"]
    lines += [f'  {ids[n]}["{mermaid_label(n)}"]' for n in names]
    lines += [f"  {ids[src]} -->|credits| {ids[dst]}" for src, dst in edges if src != dst]
    for p in document.get("pairs", []):
        if p["relation"] == "copy":
            lines.append(f"  {ids[outlet_of[p['b']]]} -.->|copies {p['share']:.0f}%| {ids[outlet_of[p['a']]]}")
    if len(lines) == 1 + len(names):
        return Markup("")
    return Markup("```mermaid\n" + "\n".join(lines) + "\n```")


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS)
    return text[: cut if cut > 0 else EXCERPT_CHARS] + " …"
