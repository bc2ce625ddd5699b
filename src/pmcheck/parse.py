"""Markdown text → :class:`~pmcheck.model.Document`. The only module that knows markdown-it-py.

CommonMark plus GitHub tables, strikethrough, task lists and YAML front matter. Headings inside code
fences or HTML blocks never become sections because markdown-it never makes them headings.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from pmcheck.model import (
    Block,
    CodeBlock,
    Document,
    HtmlBlock,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Section,
    Table,
    TableRow,
)
from pmcheck.read import split_lines

_INLINE_CONTAINERS = {"strong", "em", "s", "link", "paragraph", "inline"}


@functools.lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(tasklists_plugin)
    )


@dataclass
class _Heading:
    """A section while the document is read: its heading, blocks and subsections so far."""

    title: str
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    subsections: list[_Heading] = field(default_factory=list)


@dataclass
class _FrontMatter:
    values: dict[str, Any] | None = None
    error: tuple[int, str] | None = None
    end_line: int = 0


def parse_document(source: str, path: str = "<string>") -> Document:
    """Parse Markdown source into the document model."""
    tokens = _markdown().parse(source)
    tree = SyntaxTreeNode(tokens)
    lines = split_lines(source)
    front = _FrontMatter()
    code: list[tuple[int, int]] = []
    root = _Heading(title="", level=0, line=1)
    stack = [root]
    for node in tree.children:
        if node.type == "front_matter":
            front = _read_front_matter(node)
            continue
        if node.type == "heading":
            level = int(node.tag[1])
            while stack[-1].level >= level:
                stack.pop()
            heading = _Heading(inline_text(node.children[0]) if node.children else "", level, _line(node))
            stack[-1].subsections.append(heading)
            stack.append(heading)
            continue
        block = _block(node, code)
        if block is not None:
            stack[-1].blocks.append(block)
    return Document(
        path=path,
        source=source,
        lines=tuple(lines),
        root=_section(root, None, max(len(lines), 1)),
        front_matter=front.values,
        front_matter_error=front.error,
        front_matter_end_line=front.end_line,
        code_line_ranges=tuple(code),
    )


def _section(heading: _Heading, parent: Section | None, end_line: int) -> Section:
    """The frozen section; each ends on the line before the next heading at its level or above."""
    section = Section(
        heading.title, heading.level, heading.line, end_line, tuple(heading.blocks), parent=parent
    )
    subsections = heading.subsections
    below = tuple(
        _section(sub, section, subsections[index + 1].line - 1 if index + 1 < len(subsections) else end_line)
        for index, sub in enumerate(subsections)
    )
    # A section and its subsections point at each other: the downward links are set once, here.
    object.__setattr__(section, "subsections", below)
    return section


def _read_front_matter(node: SyntaxTreeNode) -> _FrontMatter:
    import yaml  # a document without front matter is read without PyYAML

    from pmcheck.yamlfile import load_front_matter

    start, end = node.map or (0, 0)
    try:
        data = load_front_matter(node.content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        if context is not None and (mark is None or mark.index >= len(node.content.rstrip())):
            # "Unexpected end of stream": where the unclosed quote or bracket opened says more.
            mark = context
        line = start + 2 + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return _FrontMatter(error=(line, f"front matter is not valid YAML: {problem}"), end_line=end)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return _FrontMatter(
            error=(start + 1, "front matter must be a mapping of keys to values"), end_line=end
        )
    return _FrontMatter({str(key): value for key, value in data.items()}, end_line=end)


def _line(node: SyntaxTreeNode) -> int:
    return (node.map[0] + 1) if node.map else 1


def _end_line(node: SyntaxTreeNode) -> int:
    return node.map[1] if node.map else _line(node)


def _block(node: SyntaxTreeNode, code: list[tuple[int, int]]) -> Block | None:
    kind = node.type
    if kind == "paragraph":
        return Paragraph(text=inline_text(node), line=_line(node), end_line=_end_line(node))
    if kind in ("bullet_list", "ordered_list"):
        items = tuple(_list_item(child, code) for child in node.children if child.type == "list_item")
        return ListBlock(
            items=items, ordered=kind == "ordered_list", line=_line(node), end_line=_end_line(node)
        )
    if kind == "table":
        return _table(node)
    if kind in ("fence", "code_block"):
        code.append((_line(node), _end_line(node)))
        return CodeBlock(
            info=node.info.strip(), text=node.content, line=_line(node), end_line=_end_line(node)
        )
    if kind == "blockquote":
        children = tuple(
            block for block in (_block(child, code) for child in node.children) if block is not None
        )
        return Quote(children=children, line=_line(node), end_line=_end_line(node))
    if kind == "html_block":
        return HtmlBlock(text=node.content, line=_line(node), end_line=_end_line(node))
    if kind == "heading":
        # A heading nested in a list or quote is text there, not a section of the document.
        return Paragraph(text=inline_text(node), line=_line(node), end_line=_end_line(node))
    return None


def _list_item(node: SyntaxTreeNode, code: list[tuple[int, int]]) -> ListItem:
    text = ""
    children: list[Block] = []
    for child in node.children:
        if child.type == "paragraph" and not text and not children:
            text = inline_text(child)
            continue
        block = _block(child, code)
        if block is not None:
            children.append(block)
    return ListItem(
        text=text,
        line=_line(node),
        end_line=_end_line(node),
        checked=_task_state(node),
        children=tuple(children),
    )


def _task_state(node: SyntaxTreeNode) -> bool | None:
    if "task-list-item" not in str(node.attrs.get("class", "")):
        return None
    for child in node.children[:1]:
        for inline in child.children[:1]:
            for token in inline.children[:1]:
                if token.type == "html_inline":
                    return 'checked="checked"' in token.content
    return None


def _table(node: SyntaxTreeNode) -> Table:
    header: tuple[str, ...] = ()
    rows: list[TableRow] = []
    for part in node.children:
        for row in part.children:
            cells = tuple(inline_text(cell) for cell in row.children)
            if part.type == "thead":
                header = cells
            else:
                rows.append(TableRow(cells=cells, line=_line(row)))
    return Table(header=header, rows=tuple(rows), line=_line(node), end_line=_end_line(node))


def inline_text(node: SyntaxTreeNode) -> str:
    """Plain text of inline content: markup dropped, code spans kept in backticks, links as their text.

    A link whose text differs from its target keeps the target in angle brackets so that tracking
    references such as ``[issue](https://github.com/o/r/issues/7)`` stay visible to extraction.
    """
    parts: list[str] = []
    _collect(node, parts)
    return "".join(parts).strip()


def _collect(node: SyntaxTreeNode, parts: list[str]) -> None:
    for child in node.children:
        kind = child.type
        if kind == "text":
            parts.append(child.content)
        elif kind == "code_inline":
            parts.append(f"`{child.content}`")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "image":
            parts.append(str(child.attrs.get("alt", "")) or child.content)
        elif kind == "link":
            start = len(parts)
            _collect(child, parts)
            label = "".join(parts[start:])
            href = str(child.attrs.get("href", ""))
            if href and href not in label and not href.startswith(("#", "mailto:")):
                parts.append(f" <{href}>")
        elif kind in _INLINE_CONTAINERS or child.children:
            _collect(child, parts)
