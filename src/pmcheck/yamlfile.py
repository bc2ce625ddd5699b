"""Read a user's YAML file with the line of every key, so validation errors can point at it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from pmcheck.errors import PmcheckError
from pmcheck.read import read_yaml_bytes
from pmcheck.validation import problems, validated, validation_error

ModelT = TypeVar("ModelT")
# A config or a rule pack is a few hundred nodes; aliases may share lists, never multiply them without end.
MAX_NODES = 100_000
MAX_ALIASES = 1_000
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
    return parse_bytes(path, read_yaml_bytes(path, error), error)


def parse_bytes(path: Path, data: bytes, error: type[PmcheckError]) -> YamlFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: is not valid UTF-8") from None
    return parse_yaml(text, str(path), error)


def parse_yaml(text: str, name: str, error: type[PmcheckError]) -> YamlFile:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_expansion(node)
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
        _record(node, lines)
    return YamlFile(path=name, data=data, lines=lines)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class ExpansionError(yaml.MarkedYAMLError):
    """YAML whose aliases would expand it without bound (a "billion laughs")."""

    def __init__(self, problem: str, node: yaml.Node) -> None:
        super().__init__(problem=problem, problem_mark=node.start_mark)


def check_expansion(root: yaml.Node) -> None:
    """Refuse YAML whose aliases would expand it past :data:`MAX_NODES` values."""
    if _expands_within_bounds(root):
        return  # few enough nodes and aliases, even with every alias expanded
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    edges = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        children = _children(node)
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes[id(child)] for child in children))
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise ExpansionError("an alias refers to itself", node)
        open_nodes.add(id(node))
        edges += len(children)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    aliases = edges - (len(sizes) - 1)
    if aliases > MAX_ALIASES:
        raise ExpansionError(f"more than {MAX_ALIASES} aliases", root)
    if sizes[id(root)] > MAX_NODES:
        raise ExpansionError(f"aliases expand it past {MAX_NODES:,} values", _largest(root, sizes))


def _expands_within_bounds(root: yaml.Node) -> bool:
    """True when ``root`` with every alias expanded has at most :data:`MAX_NODES` nodes and at most
    :data:`MAX_ALIASES` aliases: then it passes :func:`check_expansion`. Walks the expanded tree, so
    a shared value is walked once per alias; a loop or a large expansion stops the walk at the bound."""
    seen: set[int] = set()
    edges = 0
    walked = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if walked >= MAX_NODES:
            return False
        walked += 1
        children = _children(node)
        if id(node) not in seen:
            seen.add(id(node))
            edges += len(children)
        stack.extend(children)
    return edges - (len(seen) - 1) <= MAX_ALIASES


def _largest(root: yaml.Node, sizes: dict[int, int]) -> yaml.Node:
    """The deepest value that is too large by itself: where the aliases multiply."""
    node = root
    while True:
        larger = [child for child in _children(node) if sizes[id(child)] > MAX_NODES]
        if not larger:
            return node
        node = larger[0]


class _LenientConstructor:
    """Scalars that look typed but do not fit (``2026-13-45``, 5,000 digits) stay the text written."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except (ValueError, OverflowError):
            return str(node.value)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_int(node)  # type: ignore[misc]
        except (ValueError, OverflowError):
            return str(node.value)


class FrontMatterLoader(_LenientConstructor, _Loader):  # type: ignore[valid-type, misc]
    pass


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", FrontMatterLoader.construct_yaml_timestamp)
FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", FrontMatterLoader.construct_yaml_int)


def load_front_matter(text: str) -> Any:
    """A document's front matter, bounded like a config file and lenient about values that do not fit.

    Raises ``yaml.YAMLError`` (with a mark) for broken YAML and for alias bombs.
    """
    loader = FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _record(root: yaml.Node, lines: dict[tuple[str | int, ...], int]) -> None:
    """The line of every key; a node met again through an alias is not walked again."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*path, str(key_node.value))
                lines[key] = key_node.start_mark.line + 1
                stack.append((value_node, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))


def validate(source: YamlFile, model: type[ModelT], error: type[PmcheckError], data: object = None) -> ModelT:
    """Validate ``data`` (else the file's data) with pydantic; every problem becomes
    ``file:line: key: what was expected``."""
    if data is None:
        data = source.data if source.data is not None else {}
    try:
        return validated(model, data)
    except validation_error() as exc:
        found = []
        for location, message in problems(exc):
            dotted = ".".join(str(part) for part in location) or "(top level)"
            found.append(f"{source.path}:{source.line_of(location)}: {dotted}: {message}")
        raise error("\n".join(found)) from None
