"""The layout keeps its promises: imports point down, pure stages load no network code, and
the command line starts without loading the stages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
NETWORK = ("requests", "diskcache", "tenacity", "urllib3")
PURE = ("pipeline.models", "pipeline.text", "pipeline.merge", "pipeline.emit", "pipeline.parse")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports at run time, at any level (function-level imports
    included; `if TYPE_CHECKING:` blocks are not run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        wanted = imports_of(path)
        # Importing a.b.c runs a/__init__ and a/b/__init__ first: those are edges too (but a
        # module's own packages, already running when it is imported, are none).
        closed = {w.rsplit(".", n)[0] for w in wanted for n in range(w.count(".") + 1)}
        edges[name] = {
            m for m in closed if m in modules and m != name and not name.startswith(m + ".")
        }
    return edges


def test_no_module_imports_one_that_imports_it_back() -> None:
    edges = graph()
    cycles = []
    for start in edges:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in edges[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert not cycles, "\n".join(sorted(cycles)[:10])


def test_pure_stages_never_import_network_code_even_inside_a_function() -> None:
    """Statically: a pure module never imports (at any level) the HTTP layer, the resolve stage
    (which holds the clients) or a network library."""
    forbidden = ("pipeline.http", "pipeline.resolve", "pipeline.run", *NETWORK)
    found = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if not name.startswith(PURE):
            continue
        for imported in imports_of(path):
            if imported.startswith(forbidden) and not imported.startswith(name):
                found.append(f"{name} imports {imported}")
    assert not found, "\n".join(sorted(found))


def test_pure_stages_load_no_network_code() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in PURE)
        + f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NETWORK!r}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_the_command_line_starts_without_the_stages() -> None:
    code = "import sys, pipeline.cli; print(sorted(m for m in sys.modules if m in {0!r}))"
    heavy = ("pydantic", "requests", "jinja2", "markdown_it", "pipeline.run")
    loaded = subprocess.run(
        [sys.executable, "-c", code.format(heavy)], cwd=ROOT, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_the_stage_runners_load_network_code_and_templates_only_when_used() -> None:
    """`mlsys-bib parse`, `merge` and `emit` import pipeline.run: not the HTTP client, the
    matchers' numpy or the page's Jinja2 (issue 21: stages a command does not use, lazily)."""
    code = "import sys, pipeline.run; print(sorted(m for m in sys.modules if m in {0!r}))"
    heavy = ("requests", "diskcache", "tenacity", "numpy", "jinja2", "pipeline.resolve")
    loaded = subprocess.run(
        [sys.executable, "-c", code.format(heavy)], cwd=ROOT, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"
