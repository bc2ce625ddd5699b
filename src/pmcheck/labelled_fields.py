"""Labelled fields read as sections: ``**Impact**: ...``, ``User impact:``, key/value table rows, ``<h2>``.

Real post-mortems often state a part as a labelled line rather than a heading (the Google SRE
template's ``**Root Causes**:[3]``, an incident tool's ``- **Key events**`` list, a metadata table).
Each such label that names a known part becomes a :class:`~pmcheck.model.Section` with
``labelled=True``; a label with nothing after it owns the list, table or paragraphs that follow it,
up to the next label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from pmcheck.model import Block, Document, HtmlBlock, ListBlock, ListItem, Paragraph, Quote, Section, Table

_PREFIX = r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)?"
_MARKER = r"(?:\s*\[\^?\w{1,4}\])?"  # a citation or footnote marker after the label: "[3]", "[^1]"
_BOLD_LABEL = re.compile(
    _PREFIX
    + r"(?P<open>\*\*|__)(?P<label>[^*_:\n]{1,50}?)\s*(?P<colon>(?P=open)\s*:|:\s*(?P=open)|(?P=open))"
    + _MARKER
    + r"\s*(?P<rest>.*)$"
)
_PLAIN_LABEL = re.compile(
    _PREFIX + r"(?P<label>[A-Z][\w '’/&()-]{0,40}?)\s*:" + _MARKER + r"(?:\s+(?P<rest>.*)|$)"
)
# Bounded, so that many unclosed "<h1" cannot make each search scan to the end (quadratic time).
_HTML_HEADING = re.compile(r"<h[1-6][^<>]{0,200}>(?P<label>.{0,500}?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
# "TODO: describe the impact" is a placeholder left for the author, not a field named TODO.
_MARKER_WORD = re.compile(_PREFIX + r"(?:\*\*|__)?(?:TODO|TBD|TBA|FIXME|XXX|NOTE|N\.?B\.?)\b")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A part's name alone on its line, as plain-text pages (status-page exports) write their headings:
# "Root cause", "Timeline of events (UTC)". Only a paragraph of that one line, naming a part exactly.
_BARE_LABEL = re.compile(r"^(?P<label>[A-Z][\w '’/&-]{0,40}?)\s*(?P<qualifier>\([^()\n]{1,20}\))?\s*$")
_MAX_LABEL_WORDS = 5


# Which part a label names: the section catalog's own lookup, given by the caller.
class KindsOf(Protocol):
    def __call__(self, title: str, *, exact: bool = False) -> set[str]: ...


@dataclass(frozen=True)
class Label:
    """A label at the start of a line: its text, the rest of the line and whether a colon followed it."""

    label: str
    rest: str
    colon: bool


def find_label(line: str) -> Label | None:
    """The label a source line starts with (``**Impact**:[3] text`` → ``Impact``, ``text``), if any."""
    if _MARKER_WORD.match(line):
        return None
    bold = _BOLD_LABEL.match(line)
    if bold:
        colon = ":" in bold["colon"]
        return Label(bold["label"].strip(), _clean(bold["rest"]), colon)
    plain = _PLAIN_LABEL.match(line)
    if plain and not re.match(r"^\s*(?:https?|ftp|mailto)$", plain["label"]):
        return Label(plain["label"].strip(), _clean(plain["rest"] or ""), True)
    return None


def _clean(text: str) -> str:
    return re.sub(r"^(?:\*\*|__)\s*|\s*(?:\*\*|__)$", "", text.strip()).strip()


def labelled_sections(document: Document, kinds_of: KindsOf, *, skip: set[int]) -> Iterator[Section]:
    """Every labelled field naming a known part, in document order, outside the sections in ``skip``."""
    for section in document.root.walk():
        if section.line in skip and section.level > 0:
            continue
        yield from _in_blocks(document, section, section.blocks, kinds_of)


def heading_field(heading: Section, kinds_of: KindsOf) -> Section | None:
    """A heading used as a field, "### Root Causes:[3] a retry loop...": the part, its value as text.

    The Google SRE template writes its fields as headings; the value after the colon is the section's
    first paragraph, followed by whatever the heading holds.
    """
    label = find_label(heading.title)
    if label is None or not label.colon or not label.rest or not _kinds(label, kinds_of):
        return None
    return Section(
        title=label.label,
        level=heading.level,
        line=heading.line,
        end_line=heading.end_line,
        blocks=(Paragraph(label.rest, heading.line, heading.line), *heading.blocks),
        subsections=heading.subsections,
        parent=heading.parent,
        labelled=True,
    )


def _kinds(label: Label, kinds_of: KindsOf) -> set[str]:
    if len(label.label.split()) > _MAX_LABEL_WORDS:
        return set()
    kinds = kinds_of(label.label)
    exact = bool(kinds_of(label.label, exact=True))
    if len(label.label.split()) > 2 and kinds and not exact:
        return set()  # "**Effective customer remediation**:" is a lesson, not the remediation
    # A bold phrase without a colon is a label only when it is exactly a part's name ("**Key events**").
    # Longer, it must stand alone on its line ("**What went wrong**" over a list).
    if not label.colon and kinds and (label.rest or (len(label.label.split()) > 2 and not exact)):
        return set()
    return kinds


def _in_blocks(
    document: Document, section: Section, blocks: list[Block] | tuple[Block, ...], kinds_of: KindsOf
) -> Iterator[Section]:
    for index, block in enumerate(blocks):
        following = list(blocks[index + 1 :])
        if isinstance(block, Paragraph):
            yield from _paragraph(document, section, block, following, kinds_of)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _item(document, section, item, following, kinds_of)
        elif isinstance(block, Table):
            yield from _table(section, block, kinds_of)
        elif isinstance(block, Quote):
            yield from _in_blocks(document, section, block.children, kinds_of)
        elif isinstance(block, HtmlBlock):
            heading = _HTML_HEADING.search(block.text)
            if heading:
                label = Label(re.sub(r"<[^>]+>", "", heading["label"]).strip(), "", True)
                kinds = _kinds(label, kinds_of)
                if kinds:
                    yield _section(section, label, block.line, [], _owned(document, following, kinds_of))


def bare_label(document: Document, block: Block, kinds_of: KindsOf) -> Label | None:
    """A paragraph that is only a part's exact name ("Root cause", "Timeline of events (UTC)"): the
    heading of a page written without Markdown headings. Its label keeps the qualifier (a zone)."""
    if not isinstance(block, Paragraph) or block.line != block.end_line or block.line > len(document.lines):
        return None
    line = document.lines[block.line - 1].strip()
    if _MARKER_WORD.match(line):
        return None  # "TODO" left where a part was meant to go
    found = _BARE_LABEL.match(line)
    if found is None or not kinds_of(found["label"].strip(), exact=True):
        return None
    return Label(" ".join(found.group(0).split()), "", False)


def _paragraph(
    document: Document, section: Section, block: Paragraph, following: list[Block], kinds_of: KindsOf
) -> Iterator[Section]:
    bare = bare_label(document, block, kinds_of)
    if bare is not None:
        yield _section(section, bare, block.line, [], _owned(document, following, kinds_of))
        return
    for number in range(block.line, block.end_line + 1):
        segments = _BREAK.split(document.lines[number - 1]) if number <= len(document.lines) else []
        for segment in segments:
            label = find_label(segment)
            if label is None or not _kinds(label, kinds_of):
                continue
            rest_text = label.rest
            if number == block.line and block.end_line > block.line and len(segments) == 1:
                # A label on its own line of a paragraph: the lines after it are its text.
                rest_text = " ".join([label.rest, *document.lines[number : block.end_line]]).strip()
            rest = [Paragraph(rest_text, number, block.end_line)] if rest_text else []
            owned = [] if rest_text else _owned(document, following, kinds_of)
            yield _section(section, label, number, rest, owned)


def _item(
    document: Document, section: Section, item: ListItem, following: list[Block], kinds_of: KindsOf
) -> Iterator[Section]:
    source = document.lines[item.line - 1] if item.line <= len(document.lines) else ""
    label = find_label(source)
    if label is not None and _kinds(label, kinds_of):
        rest = [Paragraph(label.rest, item.line, item.line)] if label.rest else []
        owned = list(item.children)
        if not owned and not label.rest:
            owned = _owned(document, following, kinds_of)
        yield _section(section, label, item.line, rest, owned)
        return
    yield from _in_blocks(document, section, item.children, kinds_of)


def _table(section: Section, table: Table, kinds_of: KindsOf) -> Iterator[Section]:
    """A two-column key/value table: each row whose key names a part is that part."""
    if len(table.header) != 2:
        return
    rows = [(table.header, table.line), *((row.cells, row.line) for row in table.rows)]
    for cells, line in rows:
        if len(cells) < 2 or not cells[1].strip():
            continue
        label = Label(cells[0].strip("*_: "), cells[1], True)
        if _kinds(label, kinds_of):
            yield _section(section, label, line, [Paragraph(cells[1], line, line)], [])


def _owned(document: Document, following: list[Block], kinds_of: KindsOf) -> list[Block]:
    """The blocks after a bare label, up to the next block that starts with a label of its own."""
    owned: list[Block] = []
    for block in following:
        if _starts_with_label(document, block, kinds_of):
            break
        owned.append(block)
    return owned


def _starts_with_label(document: Document, block: Block, kinds_of: KindsOf) -> bool:
    if bare_label(document, block, kinds_of) is not None:
        return True
    if isinstance(block, HtmlBlock):
        return bool(_HTML_HEADING.search(block.text))
    if not isinstance(block, (Paragraph, ListBlock)):
        return False
    first = document.lines[block.line - 1] if block.line <= len(document.lines) else ""
    label = find_label(first)
    if label is None:
        return False
    # A bold line ending in a colon ("**Actions taken:**") starts a new group even when it names no part.
    return bool(_kinds(label, kinds_of)) or (isinstance(block, Paragraph) and label.colon and not label.rest)


def _section(
    parent: Section, label: Label, line: int, rest: Sequence[Block], owned: Sequence[Block]
) -> Section:
    blocks = (*rest, *owned)
    end = max([line, *(block.end_line for block in blocks)])
    return Section(
        title=label.label,
        level=parent.level + 1,
        line=line,
        end_line=end,
        blocks=blocks,
        parent=parent,
        labelled=True,
    )
