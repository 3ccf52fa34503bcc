"""`pressdiff site`: render templates/ to Markdown in a build copy of site/, then mkdocs build."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

from pressdiff import RESOURCES, __version__
from pressdiff.compare.report import variants_csv
from pressdiff.core.errors import InputError
from pressdiff.core.store import Store
from pressdiff.core.story import Story
from pressdiff.export import export_parquet, export_wacz, story_warc_files

from .builds import Builds
from .citecache import CiteCache
from .escape import h
from .feed import FEED_FILE, atom_feed
from .files import read_json, write
from .fragments import Fragments
from .lookup_index import DATA, write_lookup_index, write_lookup_page
from .search import SEARCH_DOCS, merge_search, search_entries
from .speakers import speaker_pages
from .story import site_document, story_view, summary
from .templating import environment
from .views import StoryView

# Bump when the structure of the generated pages changes: cached story builds are then rebuilt.
SITE_FORMAT = "6"
STAMP_DIR = ".site-cache"  # in the workspace: what each story's last build was made from
WACZ_PATH = "downloads/{slug}.wacz"  # in each story's site: its captures, for replay
PAGES_PER_PART = 500  # a story of more pages is built by several MkDocs runs at once


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
    fragments = Fragments()  # one per build: the blocks the templates set aside, page by page
    env = environment(fragments)
    assets = _assets_digest()
    summaries: dict[str, dict] = {}
    todo: list[tuple[Story, str, StoryView]] = []  # stories to build: (story, key, view)
    builds = Builds()
    with builds, Store(data_dir) as store, CiteCache(data_dir / STAMP_DIR / "citeproc.json") as cache:
        digests = {s: store.findings.comparison_digest(s) for s in (slugs or store.articles.story_slugs())}
        slugs = slugs or [s for s, digest in digests.items() if digest]
        if not slugs:
            raise InputError(f"no compared story in {data_dir}: run 'pressdiff compare STORY' first")
        for slug in slugs:
            story = store.articles.get_story(slug)
            digest = digests[slug]
            if story is None or digest is None:
                raise InputError(f"story '{slug}' has not been compared yet: run 'pressdiff compare {slug}' first")
            key = hashlib.sha256(json.dumps(
                [SITE_FORMAT, __version__, assets, digest, store.articles.fingerprint(slug),
                 store.edits.fingerprint(slug), story.toml,
                 (site_url or "").rstrip("/")]).encode()).hexdigest()
            stamp = read_json(stamps / f"{slug}.json")
            if stamp.get("key") == key and (public / slug / "index.html").is_file():
                summaries[slug] = stamp["summary"]
                continue
            wacz = WACZ_PATH.format(slug=slug) if _replayable(store, slug, echo) else None
            document, capped = site_document(store, slug)
            view = story_view(story, document, store, site_url, cache, wacz, capped)
            summaries[slug] = summary(view)
            todo.append((story, key, view))
        # The home site first: it builds on one core while the stories' pages are written.
        home_docs = build / "home" / "docs"
        shutil.copytree(RESOURCES / "site", home_docs)
        stories = [summaries[s] for s in slugs]
        write(home_docs / "index.md", env.get_template("home.md.j2").render(stories=stories))
        write_lookup_page(env, home_docs, slugs, story=False)
        builds.start(_write_config(build / "home", _home_config(build / "out" / "home", site_url)))
        parts: dict[str, int] = {}
        for story, _, view in todo:
            outputs = []
            for k, docs in _render_story(env, fragments, view, build):
                if k == 0 and view.wacz:
                    export_wacz(store, story, docs / view.wacz)
                if k == 0:  # the Look-up page searches every cited wording, also of a story shown in part
                    write_lookup_page(env, docs, [story.slug], story=True)
                    write_lookup_index(store, story.slug, docs / DATA, cache)
                if k == 0 and view.capped:  # the whole comparison, as tables, beside the pages that show part
                    export_parquet(store, story, docs / "downloads")
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
    merge_search(staging, slugs)
    _swap(staging, public, data_dir / ".public-old")
    for slug, key in built.items():
        write(stamps / f"{slug}.json", json.dumps({"key": key, "summary": summaries[slug]}))
    shutil.rmtree(build)
    reused = len(slugs) - len(built)
    echo(f"site: {pages} pages for {len(slugs)} stor{'y' if len(slugs) == 1 else 'ies'}"
         + (f" ({reused} unchanged, not rebuilt)" if reused else "") + f" in {public}/index.html")
    return public


def _render_story(env, fragments: Fragments, view: StoryView, build: Path):
    """Write a story's Markdown pages; yields (part, docs folder) as each part is complete.

    A story of more than PAGES_PER_PART pages is shared among several MkDocs runs, one per
    core, which build at once: quotation and article pages are dealt out in turn, and part 0,
    written last, also gets the index pages and downloads. Pages link to each other with
    plain relative URLs, so no part needs another's files; _join_parts puts the outputs
    back together into one site.
    """
    pages = [("quotes", c.id, "quote.md.j2", {"c": c}) for c in view.shared]
    pages += [("articles", a.id, "article.md.j2", {"a": a}) for a in view.articles]
    pages += [("speakers", initial, "speakers_initial.md.j2", {"initial": initial, "speakers": found})
              for initial, found in speaker_pages(view.speakers).items()]
    count = min(max(1, os.cpu_count() or 1), max(1, (len(pages) + 4) // PAGES_PER_PART))
    for k in [*range(1, count), 0]:
        docs = build / f"{view.slug}.{k}" / "docs"
        for folder in ("stylesheets", "javascripts"):
            shutil.copytree(RESOURCES / "site" / folder, docs / folder)
        entries = search_entries(view) if k == 0 else []
        for folder, name, template, context in pages[k::count]:
            fragments.page(docs, f"{folder}/{name}.md", env.get_template(template), s=view, **context)
            entries += search_entries(view, **context)
        write(docs.parent / SEARCH_DOCS, json.dumps(entries, ensure_ascii=False))
        if k == 0:
            for rel, template in (("index.md", "story.md.j2"), ("drift.md", "drift.md.j2"),
                                  ("changes.md", "changes.md.j2"),
                                  ("quotes/index.md", "quotes_index.md.j2"),
                                  ("articles/index.md", "articles_index.md.j2"),
                                  ("speakers/index.md", "speakers.md.j2")):
                fragments.page(docs, rel, env.get_template(template), s=view)
            (docs / FEED_FILE).write_bytes(atom_feed(view))
            downloads = docs / "downloads"
            downloads.mkdir(parents=True, exist_ok=True)
            if not view.capped:
                (downloads / "comparison.json").write_text(
                    json.dumps(view.document, ensure_ascii=False, separators=(",", ":")), "utf-8")
                (downloads / "variants.csv").write_text(variants_csv(view.document), "utf-8")
        fragments.save(docs)
        yield k, docs


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


def _replayable(store: Store, slug: str, echo) -> bool:
    """Whether the story's captures can go into a WACZ: it has some, and all their WARC files."""
    files, missing = story_warc_files(store, slug)
    if missing:
        echo(f"site: warning: {slug}: WARC file {missing[0]} is missing, so the site offers no WACZ of its pages")
    return bool(files) and not missing


def _assets_digest() -> str:
    """What every page depends on besides its story: templates, hand-written pages, theme config."""
    digest = hashlib.sha256()
    for folder in (RESOURCES / "templates", RESOURCES / "site"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(RESOURCES).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update((RESOURCES / "mkdocs.yml").read_bytes())
    return digest.hexdigest()


def _base_config(site_dir: Path, site_url: str | None, nav: list, site_name: str, **extra) -> dict:
    config = {"INHERIT": str(RESOURCES / "mkdocs.yml"), "site_name": site_name,
              "docs_dir": "docs", "site_dir": str(site_dir.resolve()), "nav": nav}
    if site_url:
        config["site_url"] = site_url.rstrip("/") + "/"
    return {**config, **extra}


def _story_config(view: StoryView, site_dir: Path, site_url: str | None) -> dict:
    # Only index pages in the navigation: listing every quote page makes Material's build
    # many times slower and larger on big stories. The archive's home and methodology live in
    # the home site, one level up: links out of this site, which MkDocs cannot check.
    # Every entry is a URL, not a file: a part built by another MkDocs run has none of them.
    nav = [{"Story": "./"}, {"Drift": "drift/"}, {"Shared quotations": "quotes/"}, {"Speakers": "speakers/"},
           {"Articles": "articles/"}, {"Changes": "changes/"}, {"Look up": "lookup/"},
           {"All stories": "../"}, {"Methodology": "../methodology/"}]
    return _base_config(site_dir, site_url and f"{site_url.rstrip('/')}/{view.slug}", nav, str(h(view.title)),
                        validation={"nav": {"not_found": "info"}}, extra_css=["stylesheets/pressdiff.css"],
                        hooks=[str(Path(__file__).with_name(name)) for name in ("hooks.py", "lookup_hooks.py")])


def _home_config(site_dir: Path, site_url: str | None) -> dict:
    nav = [{"Stories": "index.md"}, {"Look up a quotation": "lookup.md"}, {"Methodology": "methodology.md"},
           {"About": "about.md"}]
    return _base_config(site_dir, site_url, nav, "pressdiff archive",
                        hooks=[str(Path(__file__).with_name("lookup_hooks.py"))])


def _write_config(folder: Path, config: dict) -> Path:
    path = folder / "mkdocs.yml"
    write(path, json.dumps(config, ensure_ascii=False, indent=1))  # JSON is YAML
    return path


def _swap(staging: Path, public: Path, old: Path) -> None:
    """Put the new site in place; a failed build never gets here, leaving the last good site."""
    if old.exists():
        shutil.rmtree(old)
    if public.exists():
        public.rename(old)
    staging.rename(public)
    if old.exists():
        shutil.rmtree(old)
