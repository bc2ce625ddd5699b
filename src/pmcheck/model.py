"""The document model: what a Markdown post-mortem holds, independent of the parser.

Rules read this model (through :mod:`pmcheck.postmortem`), never parser tokens. Every node carries
its 1-based source line so findings can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_NUMBERING = re.compile(r"^(?:\d+[.)]?\s*|[ivx]+[.)]\s+|[a-z][.)]\s+)+", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """Lower-case a heading and drop numbering, emoji, punctuation and parentheticals.

    ``"3. Root Cause(s) :"`` and ``"root causes"`` both become ``"root causes"``;
    ``"Timeline (all times UTC)"`` becomes ``"timeline"``.
    """
    text = title.replace("(s)", "s").replace("’", "'")
    text = _BRACKETED.sub(" ", text)
    text = text.replace("&", " and ").replace("/", " ")
    # Letter and roman numbering ("A.", "iv)") is known by its punctuation, so it goes before punctuation.
    text = _NUMBERING.sub("", text.strip())
    text = _NON_WORD.sub(" ", text.lower()).replace("_", " ")
    text = _NUMBERING.sub("", text.strip())
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int
    end_line: int


@dataclass(frozen=True)
class ListItem:
    text: str
    line: int
    end_line: int
    checked: bool | None = None
    children: tuple[Block, ...] = ()

    def sublists(self) -> Iterator[ListBlock]:
        return (child for child in self.children if isinstance(child, ListBlock))


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool
    line: int
    end_line: int


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    line: int
    end_line: int

    @property
    def roles(self) -> dict[str, int]:
        """Which column plays which part (owner, status, tracking...), read once from the header."""
        return column_roles(self.header)

    @property
    def action_roles(self) -> dict[str, int]:
        """``roles`` for a table of corrective actions: "action" is always set, to its Action column or
        else to the first column that no other part of an action (id, owner, deadline...) claims."""
        roles = self.roles
        if "action" not in roles:
            tracking = roles.get("tracking")
            if tracking is not None and self._names_each(tracking):
                # "| #41 — alerting gap on logged failures |": an Issue column that titles each issue
                # holds the actions; the reference in it still tracks them.
                roles["action"] = tracking
                return roles
            taken = {roles[role] for role in _ACTION_PARTS if role in roles}
            roles["action"] = next((index for index in range(len(self.header)) if index not in taken), 0)
        return roles

    def _names_each(self, column: int) -> bool:
        """Whether every filled cell of ``column`` holds a title of a few words beside its reference."""
        cells = [row.cells[column] for row in self.rows if column < len(row.cells)]
        filled = [cell for cell in cells if cell.strip()]
        return bool(filled) and all(len(_WORD.findall(_REFERENCE.sub(" ", cell))) >= 3 for cell in filled)


# An issue or pull-request reference inside a cell: "#41", "GH-12", "OPS-1234", a URL.
_REFERENCE = re.compile(r"https?://\S+|(?<![\w-])(?:[A-Z][A-Z0-9]+-|#)\d+\b")
_WORD = re.compile(r"[A-Za-z]{2,}[\w'-]*")


_ACTION_PARTS = ("id", "owner", "deadline", "status", "tracking")


# Table columns by the part they play, named as real teams name them. The first column to claim a
# role keeps it. Every reader of tables (timeline, actions, placeholders, write-back) asks here.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "key", "ref id", "action id", "no", "number"),
    "owner": ("owner", "owners", "assignee", "assignees", "assigned to", "who", "dri", "responsible", "team"),
    "deadline": ("due", "due date", "deadline", "by", "eta", "target", "target date", "when", "date"),
    "status": ("status", "state", "done", "progress", "outcome", "result"),
    "tracking": (
        "tracking",
        "tracking bug",
        "tracking issue",
        "issue",
        "issues",
        "ticket",
        "bug",
        "bugs",
        "link",
        "links",
        "jira",
        "reference",
        "tracker",
        "pr",
    ),
    "action": (
        "action",
        "action item",
        "action item description",
        "item",
        "task",
        "description",
        "what",
        "corrective action",
        "follow up",
        "remediation",
        "details",
        "summary",
        "title",
    ),
    "time": ("time", "timestamp", "when", "time utc", "clock", "datetime", "date time", "at"),
    "date": ("date", "day"),
}


def column_roles(header: tuple[str, ...], wanted: tuple[str, ...] | None = None) -> dict[str, int]:
    """Map column roles to header positions by alias; the first column to claim a role keeps it."""
    found: dict[str, int] = {}
    normalized = [normalize_title(cell) for cell in header]
    for role in wanted or tuple(COLUMN_ALIASES):
        for index, name in enumerate(normalized):
            if index in found.values():
                continue
            aliases = COLUMN_ALIASES[role]
            if name in aliases or any(name.startswith(f"{alias} ") for alias in aliases):
                found[role] = index
                break
    return found


@dataclass(frozen=True)
class CodeBlock:
    info: str
    text: str
    line: int
    end_line: int


@dataclass(frozen=True)
class Quote:
    children: tuple[Block, ...]
    line: int
    end_line: int


@dataclass(frozen=True)
class HtmlBlock:
    text: str
    line: int
    end_line: int


Block = Paragraph | ListBlock | Table | CodeBlock | Quote | HtmlBlock


@dataclass(frozen=True)
class TextUnit:
    """A run of prose (a paragraph, list item or table cell) with the line it starts on."""

    text: str
    line: int
    section: Section | None


@dataclass(frozen=True, eq=False)
class Section:
    """A heading and everything up to the next heading of the same or a higher level.

    The level-0 section is the preamble: what comes before the first heading.
    """

    title: str
    level: int
    line: int
    end_line: int
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    parent: Section | None = field(default=None, repr=False)
    # A labelled field ("**Impact**: ...", a key/value table row) read as a section; never a heading.
    labelled: bool = False

    @property
    def normalized_title(self) -> str:
        return normalize_title(self.title)

    def walk(self) -> Iterator[Section]:
        """This section and every section below it, in document order."""
        yield self
        for sub in self.subsections:
            yield from sub.walk()

    def all_blocks(self) -> Iterator[Block]:
        """The blocks of this section and its subsections, in document order."""
        for section in self.walk():
            yield from section.blocks

    def is_empty(self) -> bool:
        return not any(_has_content(block) for block in self.all_blocks())

    def text_units(self) -> Iterator[TextUnit]:
        for section in self.walk():
            for block in section.blocks:
                yield from _units(block, section)

    def text(self) -> str:
        return "\n".join(unit.text for unit in self.text_units())


def _has_content(block: Block) -> bool:
    if isinstance(block, HtmlBlock):
        return not block.text.strip().startswith("<!--")
    return True


def _units(block: Block, section: Section) -> Iterator[TextUnit]:
    if isinstance(block, Paragraph):
        yield TextUnit(block.text, block.line, section)
    elif isinstance(block, ListBlock):
        for item in block.items:
            if item.text:
                yield TextUnit(item.text, item.line, section)
            for child in item.children:
                yield from _units(child, section)
    elif isinstance(block, Table):
        roles = block.roles
        # In a table of actions, TODO / DONE beside an owner or a bug number is a state, not a placeholder.
        actions_table = bool({"owner", "tracking", "status"} & roles.keys())
        for row in block.rows:
            for index, cell in enumerate(row.cells):
                if actions_table and index != roles.get("action"):
                    cell = strip_status_words(cell).strip(" *_")
                if cell and not is_status_cell(block, index):
                    yield TextUnit(cell, row.line, section)
    elif isinstance(block, Quote):
        for child in block.children:
            yield from _units(child, section)


@dataclass(frozen=True, eq=False)
class Document:
    """A parsed Markdown file: front matter, the section tree and the source lines."""

    path: str
    source: str
    lines: tuple[str, ...]
    root: Section
    front_matter: dict[str, Any] | None = None
    front_matter_error: tuple[int, str] | None = None
    front_matter_end_line: int = 0
    code_line_ranges: tuple[tuple[int, int], ...] = ()

    @property
    def sections(self) -> list[Section]:
        """Every section with a heading, in document order."""
        return [section for section in self.root.walk() if section.level > 0]

    @property
    def title(self) -> str | None:
        meta_title = (self.front_matter or {}).get("title")
        if isinstance(meta_title, str) and meta_title.strip():
            return meta_title.strip()
        sections = self.sections
        for section in sections:
            if section.level == 1:
                return section.title
        # Pages that start at "## ..." (a site generator adds the H1) are titled by their first heading.
        return sections[0].title if sections else None

    def text_units(self) -> Iterator[TextUnit]:
        return self.root.text_units()

    def html_blocks(self) -> Iterator[HtmlBlock]:
        """Raw HTML blocks; also where unknown tags such as ``<fill in here>`` end up."""
        return (block for block in self.root.all_blocks() if isinstance(block, HtmlBlock))

    def in_code(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.code_line_ranges)

    def locate(
        self, needle: str, line: int, *, search_lines: int = 40, column: int = 1
    ) -> tuple[int, int, int, int]:
        """Find ``needle`` in the source at or after ``line``: (line, col, end_line, end_col), 1-based.

        Rules know the line a text unit starts on; this maps a phrase inside it back to a column.
        ``column`` skips the start of the first line (to find the next of several equal phrases).
        Falls back to the whole line when the phrase spans lines or was changed by inline markup.
        """
        lowered = needle.lower()
        for number in range(line, min(line + search_lines, len(self.lines)) + 1):
            start = column - 1 if number == line else 0
            position = self.lines[number - 1].lower().find(lowered, max(start, 0))
            if position >= 0:
                return number, position + 1, number, position + 1 + len(needle)
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        indent = len(source_line) - len(source_line.lstrip())
        return line, indent + 1, line, len(source_line) + 1


# Status words of corrective actions, as teams write them in a Status column, a "[DONE]" prefix or a
# task box. They are statuses, never template placeholders: "TODO" in a Status column is a state.
_STATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "done",
        re.compile(
            r"^\W*(?:done|complete[d]?|closed|fixed|resolved|shipped|finished|yes|merged|landed|added|implemented|deployed"
            r"|confirmed|verified|✅|✔️?|☑️?)(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "cancelled",
        re.compile(
            r"^\W*(?:cancell?ed|dropped|obsolete|won'?t\s*(?:do|fix)|wontfix|rejected|declined|abandoned|superseded"
            r"|out\s+of\s+scope|not\s+(?:feasible|possible|planned|pursued|needed|doing)|❌|✖️?)(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "in progress",
        re.compile(
            r"^\W*(?:in[\s-]*progress|started|ongoing|wip|in[\s-]*review|pr\s+exists|doing)(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "open",
        re.compile(
            r"^\W*(?:todo|to\s+do|open|planned|not\s+started|new|pending|backlog|filed|no)(?!\w)",
            re.IGNORECASE,
        ),
    ),
)


def action_state(status: str | None) -> str | None:
    """``"DONE"``, ``"✅"``, ``"Closed"`` → ``"done"``; ``"TODO"``, ``"Open"`` → ``"open"``; else None."""
    if not status:
        return None
    for state, pattern in _STATES:
        if pattern.match(status.strip()):
            return state
    return None


def is_status_cell(table: Table, column: int) -> bool:
    """A cell of a Status column: its words are states, not placeholders."""
    return table.roles.get("status") == column


_STATUS_WORDS = re.compile(
    r"(?:\*\*|__)?(?<![\w-])(?:TODO|DONE|WIP|FIXED|CLOSED|OPEN|In progress|✅|❌)(?![\w-])(?:\*\*|__)?"
)


def strip_status_words(cell: str) -> str:
    """A cell without the status words written into it: ``"Bug 12 **DONE**"`` → ``"Bug 12"``."""
    return _STATUS_WORDS.sub("", cell).strip()
