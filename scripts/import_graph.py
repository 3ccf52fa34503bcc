"""Which of pressdiff's packages import which, read from the source with ast (lazy imports too).

    python scripts/import_graph.py          # edges between packages, with the modules behind each
    python scripts/import_graph.py --check  # exit 1 if a package imports a layer above it

Layers, lowest first: core <- compare <- crawler <- pressdiff (the app: CLI, publisher, demo).
A package may import its own layer and the ones below it, never one above.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "compare", "crawler", "pressdiff"]


def imports(path: Path, package: str) -> set[str]:
    """Top-level packages of ours that a module imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package] if node.level else [node.module or ""]
        else:
            continue
        found |= {n.split(".")[0] for n in names if n.split(".")[0] in LAYERS}
    return found


def graph() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            for target in imports(path, package) - {package}:
                edges[(package, target)].append(str(path.relative_to(ROOT)))
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
    for package in LAYERS:
        files = sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []
        print(f"lines {package}: {sum(len(p.read_text('utf-8').splitlines()) for p in files)} in {len(files)} files")
    return 1 if args.check and upward else 0


if __name__ == "__main__":
    sys.exit(main())
