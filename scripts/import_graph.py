"""Count the import arrows between the application's modules, and between casereview's
capability packages: the shape the layering rules keep.

    python scripts/import_graph.py [ROOT]        # ROOT: a checkout, this one by default

An arrow is one module importing another module of config/, inspection/ or casereview/
(migrations left out); `from package import module` points at the module.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("config", "inspection", "casereview")
NOT_CAPABILITIES = ("management", "templatetags", "migrations")


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")) if (root / package).is_dir() else []:
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def arrows(root: Path) -> set[tuple[str, str]]:
    known = modules(root)
    edges = set()
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add((name, target))
    return edges


def capability(root: Path, module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "casereview" or len(parts) < 2 or parts[1] in NOT_CAPABILITIES:
        return None
    return parts[1] if (root / "casereview" / parts[1]).is_dir() else None


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    edges = arrows(root)
    ends = {module for edge in edges for module in edge}
    print(f"{len(edges)} arrows between {len(ends)} of {len(modules(root))} modules")
    between = sorted(
        {
            (capability(root, a), capability(root, b))
            for a, b in edges
            if capability(root, a)
            and capability(root, b)
            and capability(root, a) != capability(root, b)
        }
    )
    listed = ", ".join(f"{a} -> {b}" for a, b in between)
    print(f"{len(between)} arrows between casereview's capability packages: {listed}")


if __name__ == "__main__":
    main()
