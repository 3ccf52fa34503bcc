"""`pressdiff site`: render templates/ to Markdown in a build copy of site/, then mkdocs build."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from warcio.timeutils import iso_date_to_timestamp

from pressdiff.archive.warc import warc_date
from pressdiff.compare.cite import bibtex, csl_item
from pressdiff.compare.drift import version_segments
from pressdiff.compare.report import variants_csv
from pressdiff.compare.settings import CHANGE_ORDER
from pressdiff.core.dates import display, latest_day
from pressdiff.core.errors import InputError, WorkError
from pressdiff.core.processes import popen, process_pool
from pressdiff.core.store import Store
from pressdiff.core.story import Story

from . import RESOURCES, __version__
from .escape import cite_block, diff_html, h, md, mermaid_label, plural, ref, short_cite, title, version_diff_html
from .export import export_wacz, story_warc_files
from .figures import MATRIX_ROWS, MAX_MATRIX_ROWS, drift_matrix, matrix_legend, timeline
from .lookup import formatted
from .mkdocs_hooks import FRAGMENTS, TOKEN
from .views import ArticleView, ClusterView, CopyView, StoryView, VariantView, VersionView, quotation_page

EXCERPT_CHARS = 600


def environment() -> Environment:
    """Jinja2 for Markdown: every printed value is escaped unless the publisher marked it safe."""
    templates = RESOURCES / "templates"
    if not templates.is_dir():
        raise WorkError(f"pressdiff's templates are missing ({templates}); reinstall pressdiff")
    env = Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined, autoescape=False,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=md)
    env.filters.update(h=h, diff=diff_html, raw=Markup, html=_fragments.add)
    env.globals.update(ref=ref, title=title, cite_block=cite_block, legend=CHANGE_ORDER,
                       matrix_legend=matrix_legend, plural=plural, replay=replay_links, short_cite=short_cite)
    return env


# Bump when the structure of the generated pages changes: cached story builds are then rebuilt.
SITE_FORMAT = "3"
STAMP_DIR = ".site-cache"  # in the workspace: what each story's last build was made from
WACZ_PATH = "downloads/{slug}.wacz"  # in each story's site: its captures, for replay
PAGES_PER_PART = 500  # a story of more pages is built by several MkDocs runs at once
SEARCH_DOCS = "search-docs.json"  # beside a part's docs/: its entries for the search index


def build_site(data_dir: str | Path, slugs: list[str] | None = None, echo=print, site_url: str | None = None) -> Path:
    """Build DATA/public/: a home page listing every story, and one MkDocs site per story.

    Each story is its own MkDocs Material build under public/SLUG/, keyed by a hash of what it
    is made from (its comparison, its versions and captures, the templates, the theme files,
    pressdiff's version, the site URL). A story whose key has not changed is not rebuilt: its
    last pages move into the new site. The builds run in parallel; the home site's
    search index takes in every story's, so search on the home page covers them all.
    The new site replaces public/ only once every build succeeded.

    site_url: where the site will be published, for absolute permalinks and citations.
    """
    data_dir = Path(data_dir)
    public, build = data_dir / "public", data_dir / ".build"
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    stamps = data_dir / STAMP_DIR
    stamps.mkdir(exist_ok=True)
    env = environment()
    assets = _assets_digest()
    summaries: dict[str, dict] = {}
    todo: list[tuple[Story, str, StoryView]] = []  # stories to build: (story, key, view)
    builds = Builds()
    with builds, Store(data_dir) as store, CiteCache(data_dir / STAMP_DIR / "citeproc.json") as cache:
        digests = {s: store.findings.comparison_digest(s) for s in (slugs or store.archive.story_slugs())}
        slugs = slugs or [s for s, digest in digests.items() if digest]
        if not slugs:
            raise InputError(f"no compared story in {data_dir}: run 'pressdiff compare STORY' first")
        for slug in slugs:
            story = store.archive.get_story(slug)
            digest = digests[slug]
            if story is None or digest is None:
                raise InputError(f"story '{slug}' has not been compared yet: run 'pressdiff compare {slug}' first")
            key = hashlib.sha256(json.dumps(
                [SITE_FORMAT, __version__, assets, digest, store.archive.fingerprint(slug), story.toml,
                 (site_url or "").rstrip("/")]).encode()).hexdigest()
            stamp = _read_stamp(stamps / f"{slug}.json")
            if stamp.get("key") == key and (public / slug / "index.html").is_file():
                summaries[slug] = stamp["summary"]
                continue
            wacz = WACZ_PATH.format(slug=slug) if _replayable(store, slug, echo) else None
            view = story_view(story, store.findings.comparison(slug), store, site_url, cache, wacz)
            summaries[slug] = _summary(view)
            todo.append((story, key, view))
        # The home site first: it builds on one core while the stories' pages are written.
        home_docs = build / "home" / "docs"
        shutil.copytree(RESOURCES / "site", home_docs)
        stories = [summaries[s] for s in slugs]
        _write(home_docs / "index.md", env.get_template("home.md.j2").render(stories=stories))
        builds.start(_write_config(build / "home", _home_config(build / "out" / "home", site_url)))
        parts: dict[str, int] = {}
        for story, _, view in todo:
            outputs = []
            for k, docs in _render_story(env, view, build):
                if k == 0 and view.wacz:
                    export_wacz(store, story, docs / view.wacz)
                out = build / "out" / f"{story.slug}.{k}"
                builds.start(_write_config(docs.parent, _story_config(view, out, site_url)))
                outputs.append(out)
            parts[story.slug] = len(outputs)
        builds.wait()
    pages = sum(summaries[s]["pages"] for s in slugs)
    built = {story.slug: key for story, key, _ in todo}

    staging = data_dir / ".public-new"
    if staging.exists():
        shutil.rmtree(staging)
    (build / "out" / "home").rename(staging)
    for slug in built:
        _join_parts([build / "out" / f"{slug}.{k}" for k in range(parts[slug])], staging / slug)
    for slug in slugs:  # unchanged since the last build: its pages move over, not rebuilt or copied
        if slug not in built:
            (public / slug).rename(staging / slug)
    _merge_search(staging, slugs)
    _swap(staging, public, data_dir / ".public-old")
    for slug, key in built.items():
        _write(stamps / f"{slug}.json", json.dumps({"key": key, "summary": summaries[slug]}))
    shutil.rmtree(build)
    reused = len(slugs) - len(built)
    echo(f"site: {pages} pages for {len(slugs)} stor{'y' if len(slugs) == 1 else 'ies'}"
         + (f" ({reused} unchanged, not rebuilt)" if reused else "") + f" in {public}/index.html")
    return public


class Fragments:
    """HTML blocks of the page being rendered, kept out of its Markdown (see mkdocs_hooks.py).

    A template wraps a block in {% filter html %}…{% endfilter %}: the block is set aside and
    a placeholder paragraph, with a per-build random nonce scraped text cannot guess, stands
    in for it. page() writes the page and its blocks' side file.
    """

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.blocks: list[str] = []
        self.pages: dict[str, list[str]] = {}

    def add(self, block: str) -> Markup:
        self.blocks.append(str(block))
        return Markup("\n\n" + TOKEN.format(nonce=self.nonce, n=len(self.blocks) - 1) + "\n\n")

    def page(self, docs: Path, rel: str, template, **context) -> None:
        self.blocks = []
        _write(docs / rel, template.render(**context))
        if self.blocks:
            self.pages[rel] = self.blocks

    def save(self, docs: Path) -> None:
        """One file for all the pages of a MkDocs run (creating files is slow on some disks)."""
        _write(docs.parent / FRAGMENTS, json.dumps({"nonce": self.nonce, "pages": self.pages}, ensure_ascii=False))
        self.pages = {}


_fragments = Fragments()


def _render_story(env: Environment, view: StoryView, build: Path):
    """Write a story's Markdown pages; yields (part, docs folder) as each part is complete.

    A story of more than PAGES_PER_PART pages is shared among several MkDocs runs, one per
    core, which build at once: quotation and article pages are dealt out in turn, and part 0,
    written last, also gets the index pages and downloads. Pages link to each other with
    plain relative URLs, so no part needs another's files; _join_parts puts the outputs
    back together into one site.
    """
    pages = [("quotes", c.id, "quote.md.j2", {"c": c}) for c in view.shared]
    pages += [("articles", a.id, "article.md.j2", {"a": a}) for a in view.articles]
    count = min(max(1, os.cpu_count() or 1), max(1, (len(pages) + 4) // PAGES_PER_PART))
    for k in [*range(1, count), 0]:
        docs = build / f"{view.slug}.{k}" / "docs"
        for folder in ("stylesheets", "javascripts"):
            shutil.copytree(RESOURCES / "site" / folder, docs / folder)
        entries = search_entries(view) if k == 0 else []
        for folder, name, template, context in pages[k::count]:
            _fragments.page(docs, f"{folder}/{name}.md", env.get_template(template), s=view, **context)
            entries += search_entries(view, **context)
        _write(docs.parent / SEARCH_DOCS, json.dumps(entries, ensure_ascii=False))
        if k == 0:
            for rel, template in (("index.md", "story.md.j2"), ("drift.md", "drift.md.j2"),
                                  ("quotes/index.md", "quotes_index.md.j2"),
                                  ("articles/index.md", "articles_index.md.j2")):
                _fragments.page(docs, rel, env.get_template(template), s=view)
            downloads = docs / "downloads"
            downloads.mkdir(parents=True, exist_ok=True)
            (downloads / "comparison.json").write_text(
                json.dumps(view.document, ensure_ascii=False, separators=(",", ":")), "utf-8")
            (downloads / "variants.csv").write_text(variants_csv(view.document), "utf-8")
        _fragments.save(docs)
        yield k, docs


def search_entries(view: StoryView, c: ClusterView | None = None, a: ArticleView | None = None) -> list[dict]:
    """What readers search for, as entries of Material's search index: headlines, outlets, quotations.

    The generated pages are left out of Material's own indexing (which parses every page's
    whole HTML); these entries are written instead. Title and text are HTML in that index, so
    scraped values are escaped.
    """
    if c is not None:
        entries = [{"location": f"quotes/{c.id}/", "title": str(h(c.canonical)),
                    "text": str(h(f"{c.canonical} — first carried by {c.origin_outlet}"
                                  + (f", speaker {c.speaker}" if c.speaker else "")))}]
        entries += [{"location": f"quotes/{c.id}/#{v.article}-{v.start}", "title": str(h(v.outlet or v.article)),
                     "text": str(h(f"{v.text} — {v.relation}" + (f": {', '.join(v.changes)}" if v.changes else "")))}
                    for v in c.variants]
        return entries
    if a is not None:
        meta = " · ".join(x for x in (a.outlet, a.published_label, a.author, a.url) if x)
        entries = [{"location": f"articles/{a.id}/", "title": str(h(a.title or a.url)), "text": str(h(meta))}]
        entries += [{"location": f"articles/{a.id}/#{q.id}", "title": str(h(q.canonical[:90])),
                     "text": str(h(f"{q.canonical} — {a.outlet}" + (f", speaker {q.speaker}" if q.speaker else "")))}
                    for q in a.single]
        return entries
    return [{"location": "", "title": str(h(view.title)), "text": str(h(f"{view.summary or ''} {view.what_happened}"))}]


def _join_parts(outputs: list[Path], target: Path) -> None:
    """One site from the outputs of a story's MkDocs runs: pages, search index and sitemap merged."""
    outputs[0].rename(target)
    index_path = target / "search" / "search_index.json"
    index = json.loads(index_path.read_text("utf-8")) if index_path.is_file() else None
    if index is not None:  # the entries search_entries wrote for each part, beside its docs
        index["docs"] = [d for out in outputs
                         for d in json.loads((out.parent.parent / out.name / SEARCH_DOCS).read_text("utf-8"))]
    sitemap_path = target / "sitemap.xml"
    sitemap = sitemap_path.read_text("utf-8") if sitemap_path.is_file() else None
    for out in outputs[1:]:
        for path in sorted(out.rglob("*")):
            dest = target / path.relative_to(out)
            if path.is_dir():
                dest.mkdir(exist_ok=True)
            elif not dest.exists():  # theme assets are the same in every part
                path.rename(dest)
        part_map = out / "sitemap.xml"
        if sitemap is not None and part_map.is_file():
            text = part_map.read_text("utf-8")
            urls = text[text.find("<url>"):text.rfind("</urlset>")]
            sitemap = sitemap.replace("</urlset>", urls + "</urlset>")
    if index is not None:
        index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
    if sitemap is not None:
        sitemap_path.write_text(sitemap, "utf-8")
        (target / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode("utf-8"), mtime=0))


def replay_links(s: StoryView, a: ArticleView) -> Markup:
    """Ways to see the archived page itself: its Wayback snapshot, and its replay from the WACZ."""
    c = a.capture
    if c is None:
        return Markup("")
    links = []
    if c.wayback_url:
        links.append(Markup('<a href="{}">Wayback Machine snapshot</a>').format(c.wayback_url))
    if s.wacz and c.warc_file and c.fetched_at:
        ts = iso_date_to_timestamp(warc_date(c.fetched_at))  # as the CDXJ index keys it
        target = c.final_url or a.url
        if s.absolute:  # ReplayWeb.page loads the WACZ from where the site is published
            href = (f"https://replayweb.page/?source={quote(s.root + '/' + s.wacz, safe='')}"
                    f"#view=pages&url={quote(target, safe='')}&ts={ts}")
            links.append(Markup('<a href="{}">replay from the WACZ (ReplayWeb.page)</a>').format(href))
        links.append(Markup('<a href="../../{}" download>WACZ of this story</a> (open it in ReplayWeb.page or '
                            'pywb; this capture: <code>{}</code> at {})').format(s.wacz, target, ts))
    return Markup(" · ").join(links)


def _replayable(store: Store, slug: str, echo) -> bool:
    """Whether the story's captures can go into a WACZ: it has some, and all their WARC files."""
    files, missing = story_warc_files(store, slug)
    if missing:
        echo(f"site: warning: {slug}: WARC file {missing[0]} is missing, so the site offers no WACZ of its pages")
    return bool(files) and not missing


def _summary(view: StoryView) -> dict:
    """What the archive's home page says about a story (kept, so an unchanged story is not re-read)."""
    dated = sorted(a.published for a in view.articles if a.published)
    outlets = sorted({a.outlet for a in view.articles if a.outlet})
    changed = sorted(view.shared, key=lambda c: (-c.altered, -c.carriers, c.id))[:3]
    return {"slug": view.slug, "title": view.title, "articles": len(view.articles), "outlets": outlets,
            "first": display(dated[0]) if dated else None, "last": display(dated[-1]) if dated else None,
            "clusters": len(view.clusters), "shared": len(view.shared), "variants": view.variants,
            "altered": view.altered_variants, "pages": 4 + len(view.shared) + len(view.articles), "wacz": view.wacz,
            "most_changed": [{"page": c.page, "canonical": c.canonical, "carriers": c.carriers, "altered": c.altered}
                             for c in changed]}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _read_stamp(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _assets_digest() -> str:
    """What every page depends on besides its story: templates, hand-written pages, theme config."""
    digest = hashlib.sha256()
    for folder in (RESOURCES / "templates", RESOURCES / "site"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(RESOURCES).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update((RESOURCES / "mkdocs.yml").read_bytes())
    return digest.hexdigest()


def _base_config(site_dir: Path, site_url: str | None, nav: list, site_name: str) -> dict:
    config = {"INHERIT": str(RESOURCES / "mkdocs.yml"), "site_name": site_name,
              "docs_dir": "docs", "site_dir": str(site_dir.resolve()), "nav": nav}
    if site_url:
        config["site_url"] = site_url.rstrip("/") + "/"
    return config


def _story_config(view: StoryView, site_dir: Path, site_url: str | None) -> dict:
    # Only index pages in the navigation: listing every quote page makes Material's build
    # many times slower and larger on big stories. The archive's home and methodology live in
    # the home site, one level up: links out of this site, which MkDocs cannot check.
    # Every entry is a URL, not a file: a part built by another MkDocs run has none of them.
    nav = [{"Story": "./"}, {"Drift": "drift/"}, {"Shared quotations": "quotes/"}, {"Articles": "articles/"},
           {"All stories": "../"}, {"Methodology": "../methodology/"}]
    config = _base_config(site_dir, site_url and f"{site_url.rstrip('/')}/{view.slug}", nav, str(h(view.title)))
    config["validation"] = {"nav": {"not_found": "info"}}
    config["hooks"] = [str(Path(__file__).with_name("mkdocs_hooks.py"))]
    config["extra_css"] = ["stylesheets/pressdiff.css"]
    return config


def _home_config(site_dir: Path, site_url: str | None) -> dict:
    nav = [{"Stories": "index.md"}, {"Methodology": "methodology.md"}, {"About": "about.md"}]
    return _base_config(site_dir, site_url, nav, "pressdiff archive")


def _write_config(folder: Path, config: dict) -> Path:
    path = folder / "mkdocs.yml"
    _write(path, json.dumps(config, ensure_ascii=False, indent=1))  # JSON is YAML
    return path


class Builds:
    """`mkdocs build --strict` runs, started as soon as their pages are written, one per core."""

    def __init__(self):
        self.workers = max(1, os.cpu_count() or 1)
        self.pending: list[Path] = []
        self.running: list[tuple[Path, subprocess.Popen]] = []
        self.failures: list[str] = []

    def start(self, config: Path) -> None:
        self.pending.append(config)
        self._reap(block=False)

    def _launch(self) -> None:
        while self.pending and len(self.running) < self.workers:
            config = self.pending.pop(0)
            self.running.append((config, popen(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))))

    def _reap(self, block: bool) -> None:
        self._launch()
        while self.running:
            done = [(c, p) for c, p in self.running if p.poll() is not None]
            if not done:
                if not block:
                    return
                done = [self.running[0]]
            for config, proc in done:
                output = proc.communicate()[0]
                self.running.remove((config, proc))
                if proc.returncode != 0:
                    tail = " | ".join(line for line in output.splitlines()[-5:] if line.strip())
                    self.failures.append(f"{config.parent.name}: {tail}")
            self._launch()

    def wait(self) -> None:
        self._reap(block=True)
        if self.failures:
            raise WorkError("mkdocs build failed: " + "; ".join(self.failures))

    def __enter__(self) -> Builds:
        return self

    def __exit__(self, *exc) -> None:
        """On any failure (or Ctrl-C) before wait(), no build is left running."""
        self.pending.clear()
        for _, proc in self.running:
            proc.kill()
            proc.wait()
        self.running.clear()


def _merge_search(site: Path, slugs: list[str]) -> None:
    """The home site's search index takes in every story's pages, so it searches the whole archive."""
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text("utf-8"))
    for slug in slugs:
        path = site / slug / "search" / "search_index.json"
        if path.is_file():
            docs = json.loads(path.read_text("utf-8")).get("docs", [])
            index["docs"].extend(dict(d, location=f"{slug}/{d['location']}") for d in docs)
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _swap(staging: Path, public: Path, old: Path) -> None:
    """Put the new site in place; a failed build never gets here, leaving the last good site."""
    if old.exists():
        shutil.rmtree(old)
    if public.exists():
        public.rename(old)
    staging.rename(public)
    if old.exists():
        shutil.rmtree(old)


def story_view(story: Story, document: dict, store: Store, site_url: str | None = None,
               cache: CiteCache | None = None, wacz: str | None = None) -> StoryView:
    """Everything the templates show for one story, precomputed and sorted.

    A quotation that two or more articles carry gets its own page; one that a single article
    carries is shown on that article's page, under an anchor named by its cluster id.
    """
    root = f"{(site_url or '').rstrip('/')}/{story.slug}"
    cache = cache or CiteCache(None)
    versions: dict[str, list] = {}
    for row in store.archive.versions(story.slug):
        versions.setdefault(row.key, []).append(row)
    credited: dict[str, set[str]] = {}
    for c in document["credits"]:
        credited.setdefault(c["article"], set()).add(c["credits"])
    articles = {a["id"]: _article_view(story, a, versions.get(a["id"], []), sorted(credited.get(a["id"], ())), root)
                for a in document["articles"]}
    references = cache.render_all([a.csl for a in articles.values()], "apa")
    for a, apa in zip(articles.values(), references):
        a.apa = apa
    outlet_of = {k: a.outlet or k for k, a in articles.items()}
    clusters = []
    for c in document["clusters"]:
        variants = tuple(VariantView.of(c["id"], v, outlet_of.get(v["article"])) for v in c["variants"])
        carriers = len({v.article for v in variants})
        page = quotation_page(c["id"], c["origin"], carriers)
        origin = articles[c["origin"]]
        # a quotation on its article's page gets the short Cite block (permalink, APA) only
        csl = _csl(story.slug, origin, f"{root}/{page}", quote=c["canonical"], key=c["id"]) if carriers > 1 else {}
        cluster = ClusterView(
            id=c["id"], canonical=c["canonical"], speaker=c["speaker"], origin=c["origin"],
            origin_outlet=outlet_of.get(c["origin"]), quoted=c.get("quoted", True), variants=variants,
            carriers=carriers, altered=sum(1 for v in variants if v.relation != "verbatim"),
            page=page, permalink=f"{root}/{page}", csl=csl, apa=origin.apa, bibtex=bibtex(csl) if csl else "")
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
    shared = tuple(c for c in clusters if c.carriers > 1)
    credit_edges = tuple(sorted({(outlet_of[c["article"]], c["credits"]) for c in document["credits"]}))
    outlets = _outlets_by_date(ordered)
    by_drift = sorted(shared, key=lambda c: (-len({outlet_of[v.article] for v in c.variants}), -c.altered, c.id))
    credits = [(c["article"], c["credits"]) for c in document["credits"]]
    return StoryView(slug=story.slug, title=story.title, summary=story.summary, document=document,
                     what_happened=_what_happened(ordered, shared),
                     graph=_graph(ordered, document, outlet_of, credit_edges),
                     articles=ordered, clusters=tuple(clusters), shared=shared, credit_edges=credit_edges,
                     copies=copies, outlet_of=outlet_of, altered_variants=sum(c.altered for c in clusters),
                     variants=sum(len(c.variants) for c in clusters),
                     matrix=drift_matrix(by_drift, outlets, outlet_of, "quotes/"),
                     full_matrix=drift_matrix(by_drift, outlets, outlet_of, "../quotes/", MAX_MATRIX_ROWS),
                     matrix_rows=min(len(by_drift), MATRIX_ROWS), timeline=timeline(ordered, credits, "articles/"),
                     root=root, absolute=bool(site_url), wacz=wacz)


def _outlets_by_date(articles) -> list[str]:
    """Outlets in the order they first published (undated last), for the matrix's columns."""
    first: dict[str, str] = {}
    for a in articles:
        name = a.outlet or a.id
        day = latest_day(a.published) or "9999"
        first[name] = min(first.get(name, "9999"), day)
    return sorted(first, key=lambda name: (first[name], name))


def _article_view(story: Story, a: dict, rows: list, credits: list[str], root: str) -> ArticleView:
    latest = rows[-1] if rows else None
    text = latest.text if latest else ""
    permalink = f"{root}/articles/{a['id']}/"
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
    view.bibtex = bibtex(view.csl)  # view.apa: rendered for all articles at once, by CiteCache.render_all
    return view


class CiteCache:
    """citeproc-py's rendering of each reference, kept between builds (it costs ~10 ms a reference).

    What is not cached yet is rendered by worker processes, one per core.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, str] = _read_stamp(path) if path else {}
        self.added = False

    def render_all(self, items: list[dict], style: str) -> list[str]:
        keys = [hashlib.sha256(json.dumps([style, item], sort_keys=True).encode()).hexdigest() for item in items]
        missing = {k: item for k, item in zip(keys, items) if k not in self.entries}
        if missing:
            workers = min(len(missing) // 50 + 1, os.cpu_count() or 1)
            if workers > 1:
                with process_pool(workers) as pool:
                    done = list(pool.map(formatted, missing.values(), [style] * len(missing), chunksize=25))
            else:
                done = [formatted(item, style) for item in missing.values()]
            self.entries.update(zip(missing, done))
            self.added = True
        return [self.entries[k] for k in keys]

    def __enter__(self) -> CiteCache:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None and self.added and self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, ensure_ascii=False), "utf-8")
            tmp.replace(self.path)


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
