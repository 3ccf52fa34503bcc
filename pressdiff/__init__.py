"""pressdiff: archive a story's coverage, align its quotations, publish the drift."""

from pathlib import Path

__version__ = "0.1.0"

# The checkout that holds templates/, site/, mkdocs.yml and stories/ beside the packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
