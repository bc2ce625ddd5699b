"""The GitHub side keeps its three layers: one context reader, pure planners, one gateway to PyGithub."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "pmcheck"
GITHUB_SIDE = [*sorted((SRC / "github").glob("*.py")), *sorted((SRC / "commands").glob("github*.py"))]
PLANNERS = ["issue_plan.py", "followup.py", "pull_request.py", "write_back.py", "action_issue.py"]


def _runtime_imports(path: Path) -> set[str]:
    """Modules ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for child in ast.walk(statement)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _is_pygithub(module: str) -> bool:
    return module == "github" or module.startswith("github.")


def test_only_the_gateway_imports_pygithub() -> None:
    importers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if any(_is_pygithub(module) for module in _runtime_imports(path))
    )
    assert importers == ["github/gateway.py"]


def test_the_planners_never_import_the_gateway_or_the_shell() -> None:
    for name in PLANNERS:
        imports = _runtime_imports(SRC / "github" / name)
        assert not {module for module in imports if module.startswith(("pmcheck.commands", "pmcheck.cli"))}, (
            name
        )
        assert "pmcheck.github.apply" not in imports, name
        assert "os" not in imports, f"{name} reads no environment"


def test_the_environment_is_read_only_by_the_run_context() -> None:
    """On the GitHub side, ``os.environ`` is only ever handed to ``read_context`` (``event.py``)."""
    for path in GITHUB_SIDE:
        if path.name == "event.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        handed = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("read_context")
            for argument in node.args
            for part in ast.walk(argument)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and ast.unparse(node) in {"os.environ", "os.getenv"}:
                # git runs in its own environment plus GIT_CONFIG_* (the write-back modules).
                assert id(node) in handed or path.name in {"write_back_pr.py", "write_back_push.py"}, (
                    f"{path.relative_to(SRC)}:{node.lineno} reads the environment itself"
                )
