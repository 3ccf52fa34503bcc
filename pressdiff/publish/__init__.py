"""The site: a story's comparison rendered to Markdown (templates/) and built by MkDocs Material.

- build.py: `pressdiff site`: what to rebuild (content hashes), rendering, the MkDocs runs, the
  new site swapped in only when every build succeeded.
- story.py: a story's view (story_view) from its comparison, versions and captures.
- views.py: the view records the templates read (StoryView, ClusterView, ArticleView, ...).
- templating.py: the Jinja2 environment and the helpers templates call.
- fragments.py: HTML blocks set aside from the Markdown, one Fragments per build.
- hooks.py: the MkDocs hook that puts those blocks back (loaded by MkDocs, by path).
- figures.py: drift matrix and timeline (inline SVG), the credit graph (Mermaid).
- search.py: search entries and one index over every story.
- escape.py: everything scraped, escaped for Markdown and HTML.
- builds.py: the MkDocs process pool; citecache.py: citeproc renderings kept between builds;
  files.py: writing files with their folders.

Part of the app layer: imported by the CLI, the pipeline and the demo (build.build_site), and by
cite (views.quotation_page, for where a quotation's page is). It imports core/, compare/ and
archive/, never the crawler.
"""
