"""pressdiff: archive a story's coverage, align its quotations, publish the drift.

The distribution's one import name. The repository's folders are its subpackages (pyproject.toml
maps them): core/ (pressdiff.core), compare/, archive/, crawler/; this folder is the app on top
of them: cli.py, pipeline.py (crawl -> compare -> site), crawling.py (starts the crawl process),
importer.py, export.py, lookup.py (cite), demo.py, publish/ (the site).
The app may import every layer; no layer imports it.
"""

from pathlib import Path

__version__ = "0.2.0.dev0"

_HERE = Path(__file__).resolve().parent
# What the site, the demo and the example stories are made from: templates/, site/, mkdocs.yml,
# demo/ and stories/. Installed from a wheel they are package data in pressdiff/resources/; in a
# checkout (and an editable install) they are the checkout's own folders.
RESOURCES = _HERE / "resources" if (_HERE / "resources" / "mkdocs.yml").is_file() else _HERE.parent
