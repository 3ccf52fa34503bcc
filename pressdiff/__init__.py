"""pressdiff: archive a story's coverage, align its quotations, publish the drift."""

from pathlib import Path

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent
# What the site, the demo and the example stories are made from: templates/, site/, mkdocs.yml,
# demo/ and stories/. Installed from a wheel they are package data in pressdiff/resources/; in a
# checkout (and an editable install) they are the checkout's own folders.
RESOURCES = _HERE / "resources" if (_HERE / "resources" / "mkdocs.yml").is_file() else _HERE.parent
