"""Inline suppression comments, as markdownlint has them.

``<!-- pmcheck-disable PM010 blame -->`` … ``<!-- pmcheck-enable PM010 blame -->``,
``<!-- pmcheck-disable-next-line action-owner -->``, ``<!-- pmcheck-disable-line -->`` and
``<!-- pmcheck-disable-file PM020 -->``. With no rules named, the comment applies to every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pmcheck.model import Document
from pmcheck.rule import Rule

_COMMENT = re.compile(
    r"<!--\s*pmcheck-(?P<verb>disable-next-line|disable-line|disable-file|disable|enable)\b(?P<names>[^<>]*?)-->"
)
_ALL = ("all",)


@dataclass
class Suppressions:
    """Which rules are off at which lines of one document."""

    file_wide: list[tuple[str, ...]] = field(default_factory=list)
    lines: dict[int, list[tuple[str, ...]]] = field(default_factory=dict)
    # ``disable`` / ``enable`` comments in document order: (line, disables, names). Kept as events and
    # replayed per rule, so ``enable PM040`` ends ``disable placeholder`` or ``disable`` (all) for PM040.
    switches: list[tuple[int, bool, tuple[str, ...]]] = field(default_factory=list)

    def suppresses(self, rule: Rule, line: int) -> bool:
        groups = list(self.file_wide) + self.lines.get(line, [])
        if any(rule.matches(name) for names in groups for name in names):
            return True
        disabled = False
        for switch_line, disables, names in self.switches:
            if switch_line > line:
                break
            if any(rule.matches(name) for name in names):
                disabled = disables
        return disabled


def read_suppressions(document: Document) -> Suppressions:
    result = Suppressions()
    for number, text in enumerate(document.lines, start=1):
        if "pmcheck-" not in text or document.in_code(number):
            continue
        for match in _COMMENT.finditer(text):
            names = tuple(match["names"].replace(",", " ").split()) or _ALL
            verb = match["verb"]
            if verb == "disable-file":
                result.file_wide.append(names)
            elif verb == "disable-line":
                result.lines.setdefault(number, []).append(names)
            elif verb == "disable-next-line":
                result.lines.setdefault(_next_content_line(document, number), []).append(names)
            else:
                result.switches.append((number, verb == "disable", names))
    return result


def _next_content_line(document: Document, line: int) -> int:
    for number in range(line + 1, len(document.lines) + 1):
        if document.lines[number - 1].strip():
            return number
    return line + 1
