"""The layer order of the code, read from its imports: the core never reaches up into the command line,
the GitHub side or the learning report; each heavy library has one door; and no module imports itself
back through another. Imports under ``if TYPE_CHECKING:`` are for type checkers only and do not count."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pmcheck"

# What sits above the core: the command line, the editor server, the GitHub side, the learning report.
SHELL = (
    "pmcheck.cli",
    "pmcheck.__main__",
    "pmcheck.commands",
    "pmcheck.lsp",
    "pmcheck.github",
    "pmcheck.learning_report",
)
# The only modules that may import each third-party library (a package name covers its submodules).
DOORS = {
    "github": ("pmcheck.github.gateway",),
    "markdown_it": ("pmcheck.parse",),
    "mdit_py_plugins": ("pmcheck.parse",),
    "spacy": ("pmcheck.nlp",),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def runtime_imports(name: str, path: Path) -> Iterator[str]:
    """Every module ``name`` imports when it runs, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            yield source
            yield from (
                f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in MODULES
            )


IMPORTS = {name: sorted(set(runtime_imports(name, path))) for name, path in MODULES.items()}


@pytest.mark.parametrize("name", [name for name in MODULES if not under(name, SHELL)])
def test_the_core_never_imports_the_shell(name: str) -> None:
    reached = [target for target in IMPORTS[name] if under(target, SHELL)]
    assert not reached, f"{name} imports {reached}: the core must not depend on what is built on it"


@pytest.mark.parametrize("library", sorted(DOORS))
def test_each_library_has_one_door(library: str) -> None:
    importers = sorted(
        name
        for name, targets in IMPORTS.items()
        if any(target == library or target.startswith(library + ".") for target in targets)
        and not under(name, DOORS[library])
    )
    assert not importers, f"only {DOORS[library]} may import {library}; also imported by {importers}"


def test_no_module_imports_itself_back() -> None:
    graph = {
        name: {target for target in targets if target in MODULES and target != name}
        for name, targets in IMPORTS.items()
    }
    cycles = []
    for start in graph:
        seen, stack = set(), [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for target in graph[node]:
                if target == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*trail, target]))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles)[:10])


def test_only_the_entry_points_import_the_command_line() -> None:
    importers = sorted(
        name for name, targets in IMPORTS.items() if "pmcheck.cli" in targets and name != "pmcheck.__main__"
    )
    assert not importers, f"{importers} import pmcheck.cli; shared helpers belong in pmcheck.commands"
