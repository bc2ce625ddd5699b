"""Read a user's YAML file with the line of every key, so validation errors can point at it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from pmcheck.errors import PmcheckError

ModelT = TypeVar("ModelT", bound=BaseModel)
# libyaml's loader keeps line marks too and is several times faster where PyYAML was built with it.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlFile:
    path: str
    data: Any
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line_of(self, location: Sequence[str | int]) -> int:
        """The line of the deepest key of ``location`` that exists in the file."""
        key = tuple(location)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


def load_yaml(path: Path, error: type[PmcheckError]) -> YamlFile:
    """Parse a YAML file; an unreadable or malformed file raises ``error`` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    return parse_yaml(text, str(path), error)


def parse_yaml(text: str, name: str, error: type[PmcheckError]) -> YamlFile:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{name}:{line}: invalid YAML: {problem}") from None
    finally:
        loader.dispose()
    lines: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        _record(node, (), lines)
    return YamlFile(path=name, data=data, lines=lines)


def _record(node: yaml.Node, path: tuple[str | int, ...], lines: dict[tuple[str | int, ...], int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, str(key_node.value))
            _record(value_node, key, lines)
            lines[key] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), lines)


def validate(source: YamlFile, model: type[ModelT], error: type[PmcheckError]) -> ModelT:
    """Validate with pydantic; every problem becomes ``file:line: key: what was expected``."""
    try:
        return model.model_validate(source.data if source.data is not None else {})
    except ValidationError as exc:
        problems = []
        for item in exc.errors():
            location = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
            dotted = ".".join(str(part) for part in location) or "(top level)"
            problems.append(f"{source.path}:{source.line_of(location)}: {dotted}: {item['msg']}")
        raise error("\n".join(problems)) from None
