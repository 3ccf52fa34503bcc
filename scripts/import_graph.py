"""Which of pressdiff's layers import which, read from the source with ast (lazy imports too).

    python scripts/import_graph.py          # edges between layers, with the modules behind each
    python scripts/import_graph.py --check  # exit 1 if a layer imports one above it

Every folder is a subpackage of `pressdiff` (pyproject.toml maps them) and belongs to a layer,
lowest first: core <- compare <- archive <- crawler <- app (the CLI, the pipeline, the importer,
the exports, cite, the site publisher, the demo). A module may import its own layer and the
ones below it, never one above, and relative imports are resolved before they are judged.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# folder in the repository -> the package it is installed as
FOLDERS = {"core": "pressdiff.core", "compare": "pressdiff.compare", "archive": "pressdiff.archive",
           "crawler": "pressdiff.crawler", "pressdiff": "pressdiff"}
LAYERS = ["core", "compare", "archive", "crawler", "app"]


def layer(module: str) -> str | None:
    """The layer of one of pressdiff's modules (None for another distribution's)."""
    parts = module.split(".")
    if parts[0] != "pressdiff":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS[:-1] else "app"


def module_name(path: Path) -> tuple[str, str]:
    """(dotted module name, its package) of a source file."""
    folder = path.relative_to(ROOT).parts[0]
    rel = path.relative_to(ROOT / folder).with_suffix("").parts
    package = ".".join([FOLDERS[folder], *rel[:-1]])
    name = package if rel[-1] == "__init__" else f"{package}.{rel[-1]}"
    return name, package


def imports(path: Path) -> set[str]:
    """Modules of ours a file imports, wherever the import statement stands, relative ones resolved."""
    _, package = module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            else:
                found.add(node.module or "")
    return {m for m in found if layer(m)}


def graph() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            src = layer(module_name(path)[0])
            for dst in sorted({layer(m) for m in imports(path)} - {src}):
                edges[(src, dst)].append(str(path.relative_to(ROOT)))
    return edges


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on an import of a layer above")
    args = parser.parse_args()
    upward = 0
    for (src, dst), modules in sorted(graph().items()):
        up = LAYERS.index(dst) > LAYERS.index(src)
        upward += up
        print(f"{src} -> {dst}{'   UPWARD' if up else ''}: {', '.join(modules)}")
    for folder in FOLDERS:
        files = sorted((ROOT / folder).rglob("*.py"))
        print(f"lines {folder}/: {sum(len(p.read_text('utf-8').splitlines()) for p in files)} in {len(files)} files")
    return 1 if args.check and upward else 0


if __name__ == "__main__":
    sys.exit(main())
