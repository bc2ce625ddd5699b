"""Record an action's new issue in the post-mortem itself: text in, text out, one line per action.

A table row gets the reference in its Tracking column (a cell that is empty or a placeholder such as
"TBD" is replaced; other text is kept and the reference added after it); a table without such a
column gets `` (#123)`` after the action's own cell, so no column is added and no other row changes.
A list item gets `` (#123)`` at the end of its first line. Nothing else in the document changes: not
the other lines, not the line endings, not the spacing of the other cells.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pmcheck.model import Block, Document, ListBlock, Quote, Table
from pmcheck.values import is_placeholder

# Lines as the parser counts them: split at \n, \r\n or \r only, each keeping its own ending.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class WriteBack:
    """The new text, and the lines that could not take a reference (with why)."""

    text: str
    changed: tuple[int, ...]
    problems: tuple[str, ...] = ()


def add_references(text: str, document: Document, references: Mapping[int, str]) -> WriteBack:
    """Add ``references`` (source line of an action → ``"#123"``) to the document ``text``.

    ``document`` is ``text`` parsed; a line that already names its reference is left as it is.
    """
    lines = _LINE.findall(text)
    changed: list[int] = []
    problems: list[str] = []
    tables = list(_tables(document))
    for line, reference in sorted(references.items()):
        if not 0 < line <= len(lines):
            problems.append(f"line {line}: not in the document any more")
            continue
        original = lines[line - 1]
        if re.search(rf"{re.escape(reference)}(?!\d)", original):
            continue
        table = next((found for found in tables if any(row.line == line for row in found.rows)), None)
        updated = _in_row(original, table, reference) if table else _after_item(original, reference)
        if updated is None:
            problems.append(f"line {line}: the table row could not be read, so {reference} was not added")
            continue
        lines[line - 1] = updated
        changed.append(line)
    return WriteBack("".join(lines), tuple(changed), tuple(problems))


def _after_item(line: str, reference: str) -> str:
    """`` (#123)`` at the end of the line's content, before a hard break and the line ending."""
    body, ending = _split_ending(line)
    content = body.rstrip(" \t\\")
    trailer = body[len(content) :]
    return f"{content} ({reference}){trailer}{ending}"


def _in_row(line: str, table: Table, reference: str) -> str | None:
    body, ending = _split_ending(line)
    spans = _cell_spans(body)
    if not spans:
        return None
    tracking = table.action_roles.get("tracking")
    if tracking is not None and tracking >= len(spans):
        # The row stops short of the Tracking column: fill the missing cells up to it.
        closed = body.rstrip()
        opener = "" if closed.endswith("|") else " |"
        return f"{closed}{opener}{' |' * (tracking - len(spans))} {reference} |{ending}"
    index = tracking if tracking is not None else table.action_roles["action"]
    if index >= len(spans):
        return None
    start, end = spans[index]
    current = body[start:end].strip()
    if tracking is None:
        value = f"{current} ({reference})"
    elif is_placeholder(current):
        value = reference
    else:
        value = f"{current}, {reference}"
    cell = _pad(body[start:end], value, first=start == 0, last=end == len(body))
    return f"{body[:start]}{cell}{body[end:]}{ending}"


def _pad(cell: str, value: str, *, first: bool, last: bool) -> str:
    """``value`` spaced like a cell: the cell's own indent (a space after a pipe), a space before one."""
    leading = cell[: len(cell) - len(cell.lstrip())] or ("" if first else " ")
    return f"{leading}{value}" if last else f"{leading}{value} "


def _cell_spans(row: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's text between unescaped pipes outside code spans."""
    pipes = []
    in_code = False
    index = 0
    while index < len(row):
        char = row[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        elif char == "|" and not in_code:
            pipes.append(index)
        index += 1
    if not pipes:
        return []
    bounds = list(pipes)
    outer = not row[: pipes[0]].strip()
    if not outer:
        bounds.insert(0, -1)
    # Without outer pipes ("a | b"), what follows the last pipe is a cell even when blank.
    if row[pipes[-1] + 1 :].strip() or not outer:
        bounds.append(len(row))
    return [(left + 1, right) for left, right in itertools.pairwise(bounds)]


def _split_ending(line: str) -> tuple[str, str]:
    stripped = line.rstrip("\r\n")
    return stripped, line[len(stripped) :]


def _tables(document: Document) -> Iterator[Table]:
    for block in document.root.all_blocks():
        yield from _tables_in(block)


def _tables_in(block: Block) -> Iterator[Table]:
    if isinstance(block, Table):
        yield block
    elif isinstance(block, ListBlock):
        for item in block.items:
            for child in item.children:
                yield from _tables_in(child)
    elif isinstance(block, Quote):
        for child in block.children:
            yield from _tables_in(child)
