"""``[tool.pmcheck]`` in a ``pyproject.toml``: the config's keys in TOML, for repositories that keep
their tools' settings there (as ruff and yamllint users do)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmcheck.errors import PmcheckError

if TYPE_CHECKING:
    from pmcheck.yamlfile import YamlFile

PYPROJECT = "pyproject.toml"
_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*pmcheck\s*(?:\.(?P<rest>[^\]]*))?\]")
_ANY_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"""^\s*(?P<key>"[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def read_tool_table(path: Path, error: type[PmcheckError]) -> YamlFile | None:
    """The ``[tool.pmcheck]`` table with the line of each key, or None when the file has none."""
    from pmcheck.yamlfile import YamlFile

    text, table = _tool_table(path, error)
    if table is None:
        return None
    return YamlFile(path=f"{path} [tool.pmcheck]", data=table, lines=_key_lines(text))


def has_tool_table(path: Path, error: type[PmcheckError]) -> bool:
    """Whether the file has a ``[tool.pmcheck]`` table (read as TOML; nothing else is loaded)."""
    return _tool_table(path, error)[1] is not None


def _tool_table(path: Path, error: type[PmcheckError]) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    if "pmcheck" not in text:
        return text, None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: invalid TOML: {exc}") from None
    return text, data.get("tool", {}).get("pmcheck")


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Lines of the keys under ``[tool.pmcheck]`` (dotted sub-tables and ``key =`` lines), for messages."""
    lines: dict[tuple[str | int, ...], int] = {}
    prefix: tuple[str, ...] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        table = _TABLE.match(line)
        if table:
            prefix = tuple(_parts(table["rest"] or ""))
            if prefix:
                lines.setdefault(prefix, number)
            continue
        if _ANY_TABLE.match(line):
            prefix = None
            continue
        key = _KEY.match(line)
        if prefix is not None and key:
            lines.setdefault((*prefix, *_parts(key["key"])), number)
    return lines


def _parts(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', dotted)]
