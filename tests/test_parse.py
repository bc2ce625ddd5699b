"""The document model: sections, blocks and their source lines, front matter, inline text."""

from __future__ import annotations

import pytest

from pmcheck.model import CodeBlock, HtmlBlock, ListBlock, Paragraph, Quote, Table, normalize_title
from pmcheck.parse import parse_document


def outline(source: str) -> list[tuple[int, str, int, int]]:
    """(level, title, first line, last line) of every section."""
    return [(s.level, s.title, s.line, s.end_line) for s in parse_document(source).sections]


SECTION_CASES = {
    "atx levels and end lines": (
        "# Outage\n\nIntro.\n\n## Impact\n\nBad.\n\n### Customers\n\nSome.\n\n## Timeline\n\n- 14:02 x\n",
        [(1, "Outage", 1, 15), (2, "Impact", 5, 12), (3, "Customers", 9, 12), (2, "Timeline", 13, 15)],
    ),
    "setext headings": (
        "Incident report\n===============\n\nIntro.\n\nTimeline\n--------\n\n- 14:02 x\n",
        [(1, "Incident report", 1, 9), (2, "Timeline", 6, 9)],
    ),
    "closing hashes and inline markup dropped": (
        "## **Root** cause ##\n\ntext\n\n## `Action` items\n",
        [(2, "Root cause", 1, 4), (2, "`Action` items", 5, 5)],
    ),
    "heading in a fenced code block is not a section": (
        "## Timeline\n\n```markdown\n## Not a heading\n```\n\n~~~\n# Nor this\n~~~\n",
        [(2, "Timeline", 1, 9)],
    ),
    "heading in an indented code block is not a section": (
        "## Timeline\n\n    ## indented code\n",
        [(2, "Timeline", 1, 3)],
    ),
    "heading in an HTML comment is not a section": (
        "## Impact\n\n<!--\n## Timeline\n\n## Root cause\n-->\n\ntext\n",
        [(2, "Impact", 1, 9)],
    ),
    "heading inside an HTML block is not a section": (
        "## Impact\n<div>\n## Timeline\n</div>\n",
        [(2, "Impact", 1, 4)],
    ),
    "heading in a quote or list is text, not a section": (
        "## Impact\n\n> ## Timeline\n\n- ## Root cause\n",
        [(2, "Impact", 1, 5)],
    ),
    "front matter is not a heading": (
        "---\ntitle: x\n---\n# Title\n",
        [(1, "Title", 4, 4)],
    ),
    "no headings at all": ("Just a paragraph.\n", []),
    "empty document": ("", []),
}


@pytest.mark.parametrize(("source", "expected"), SECTION_CASES.values(), ids=SECTION_CASES.keys())
def test_sections(source: str, expected: list[tuple[int, str, int, int]]) -> None:
    assert outline(source) == expected


def test_sections_nest_by_level_and_preamble_is_level_zero() -> None:
    document = parse_document("Preamble.\n\n# T\n\n## A\n\n### A1\n\n## B\n\n# U\n")
    assert [block.text for block in document.root.blocks if isinstance(block, Paragraph)] == ["Preamble."]
    [title, other] = document.root.subsections
    assert [s.title for s in title.subsections] == ["A", "B"]
    assert [s.title for s in title.subsections[0].subsections] == ["A1"]
    assert title.subsections[0].subsections[0].parent is title.subsections[0]
    assert other.title == "U" and other.subsections == ()


NORMALIZED_TITLES = {
    "Root Cause(s)": "root causes",
    "3. Timeline (UTC)": "timeline",
    "3.1) Timeline": "timeline",
    "II. Timeline": "timeline",
    "A. Summary": "summary",
    "Timeline:": "timeline",
    "📅 Timeline": "timeline",
    "Follow-ups": "follow ups",
    "What we’re doing": "what we re doing",
    "Corrective & Preventive Actions": "corrective and preventive actions",
    "Action Items / Follow-ups": "action items follow ups",
    "TL;DR": "tl dr",
    "Incident Timeline (all times PST)": "incident timeline",
    "ROOT_CAUSE": "root cause",
}


@pytest.mark.parametrize(("title", "expected"), NORMALIZED_TITLES.items())
def test_normalized_title(title: str, expected: str) -> None:
    assert normalize_title(title) == expected
    assert parse_document(f"## {title}\n").sections[0].normalized_title == expected


BLOCKS_SOURCE = """\
# T

A paragraph
over two lines.

- [ ] open task
- [x] done task
  - nested detail
- plain item

1. first
2. second

| Time | Event |
| --- | --- |
| 14:02 | alert fired |
| 14:05 | on-call paged |

```sh
echo hi
```

> quoted text

<details>
<summary>chat</summary>
</details>
"""


def test_block_kinds_and_lines() -> None:
    document = parse_document(BLOCKS_SOURCE)
    blocks = document.sections[0].blocks
    assert [(type(block).__name__, block.line, block.end_line) for block in blocks] == [
        ("Paragraph", 3, 4),
        ("ListBlock", 6, 10),
        ("ListBlock", 11, 13),
        ("Table", 14, 17),
        ("CodeBlock", 19, 21),
        ("Quote", 23, 23),
        ("HtmlBlock", 25, 27),
    ]
    paragraph, tasks, ordered, table, code, quote, html = blocks
    assert isinstance(paragraph, Paragraph) and paragraph.text == "A paragraph over two lines."
    assert isinstance(tasks, ListBlock) and not tasks.ordered
    assert [(item.text, item.line, item.checked) for item in tasks.items] == [
        ("open task", 6, False),
        ("done task", 7, True),
        ("plain item", 9, None),
    ]
    [nested] = list(tasks.items[1].sublists())
    assert [(item.text, item.line) for item in nested.items] == [("nested detail", 8)]
    assert isinstance(ordered, ListBlock) and ordered.ordered
    assert [item.text for item in ordered.items] == ["first", "second"]
    assert isinstance(table, Table) and table.header == ("Time", "Event")
    assert [(row.cells, row.line) for row in table.rows] == [
        (("14:02", "alert fired"), 16),
        (("14:05", "on-call paged"), 17),
    ]
    assert isinstance(code, CodeBlock) and (code.info, code.text) == ("sh", "echo hi\n")
    assert isinstance(quote, Quote)
    assert [child.text for child in quote.children if isinstance(child, Paragraph)] == ["quoted text"]
    assert isinstance(html, HtmlBlock) and html.text.startswith("<details>")
    assert document.in_code(20) and not document.in_code(23)


def test_text_units_carry_lines_and_sections() -> None:
    document = parse_document(BLOCKS_SOURCE)
    units = [(unit.text, unit.line) for unit in document.text_units()]
    assert ("A paragraph over two lines.", 3) in units
    assert ("nested detail", 8) in units
    assert ("on-call paged", 17) in units
    assert ("quoted text", 23) in units
    assert not any("echo" in text for text, _line in units)
    assert {unit.section.title for unit in document.text_units() if unit.section} == {"T"}


INLINE_CASES = {
    "emphasis dropped": ("**bold** and _em_ and ~~gone~~", "bold and em and gone"),
    "code span kept in backticks": ("run `kubectl apply`", "run `kubectl apply`"),
    "link keeps its target": (
        "see [the issue](https://github.com/o/r/issues/7)",
        "see the issue <https://github.com/o/r/issues/7>",
    ),
    "bare link text is the target": ("<https://example.com/x>", "https://example.com/x"),
    "anchor link keeps only text": ("see [timeline](#timeline)", "see timeline"),
    "image becomes alt text": ("![graph of errors](errors.png)", "graph of errors"),
    "soft break becomes a space": ("one\ntwo", "one two"),
}


@pytest.mark.parametrize(("markdown", "text"), INLINE_CASES.values(), ids=INLINE_CASES.keys())
def test_inline_text(markdown: str, text: str) -> None:
    [block] = parse_document(markdown + "\n").root.blocks
    assert isinstance(block, Paragraph)
    assert block.text == text


FRONT_MATTER_CASES = {
    "mapping": ("---\ntitle: Outage\ndate: 2026-03-02\n---\n# T\n", {"title": "Outage"}, None),
    "empty block": ("---\n---\n# T\n", {}, None),
    "unterminated string": ('---\ntitle: "Outage\ndate: 2026-03-02\n---\n# T\n', None, 2),
    "unclosed bracket": ("---\ntitle: x\ntags: [a, b\nseverity: 2\n---\n", None, 4),
    "mapping value in a plain scalar": ("---\ntitle: a: b\n---\n", None, 2),
    "a list, not a mapping": ("---\n- a\n- b\n---\n# T\n", None, 1),
}


@pytest.mark.parametrize(
    ("source", "subset", "error_line"), FRONT_MATTER_CASES.values(), ids=FRONT_MATTER_CASES.keys()
)
def test_front_matter(source: str, subset: dict[str, str] | None, error_line: int | None) -> None:
    document = parse_document(source)
    if error_line is None:
        assert document.front_matter is not None
        assert subset is not None and subset.items() <= document.front_matter.items()
        assert document.front_matter_error is None
    else:
        assert document.front_matter is None
        assert document.front_matter_error is not None
        line, message = document.front_matter_error
        assert line == error_line
        assert "front matter" in message


def test_front_matter_only_at_the_top() -> None:
    document = parse_document("# T\n\n---\ntitle: x\n---\n")
    assert document.front_matter is None
    assert document.title == "T"


def test_title_from_front_matter_then_first_level_one_heading() -> None:
    assert parse_document("---\ntitle: From FM\n---\n# Heading\n").title == "From FM"
    assert parse_document("## Sub\n\n# Main\n").title == "Main"
    # Pages whose site generator adds the H1 start at "##": their first heading is the title.
    assert parse_document("## Only sub\n").title == "Only sub"
    assert parse_document("Text only.\n").title is None


LOCATE_CASES = {
    "found on the start line": (["- alert fired", "- page"], "fired", 1, {}, (1, 9, 1, 14)),
    "found on a later line": (["A paragraph", "that says TODO here"], "todo", 1, {}, (2, 11, 2, 15)),
    "column skips an earlier match": (["TODO and TODO"], "TODO", 1, {"column": 2}, (1, 10, 1, 14)),
    "not found falls back to the line": (["  - some text"], "absent", 1, {}, (1, 3, 1, 14)),
    "search_lines=0 stays on the line": (["a", "needle"], "needle", 1, {"search_lines": 0}, (1, 1, 1, 2)),
}


@pytest.mark.parametrize(
    ("lines", "needle", "line", "options", "expected"), LOCATE_CASES.values(), ids=LOCATE_CASES.keys()
)
def test_locate(
    lines: list[str], needle: str, line: int, options: dict[str, int], expected: tuple[int, int, int, int]
) -> None:
    document = parse_document("\n".join(lines) + "\n")
    assert document.locate(needle, line, **options) == expected


def test_deep_nesting_parses_without_recursion_error() -> None:
    document = parse_document("# N\n\n" + "- " * 10_000 + "x\n" + "> " * 10_000 + "y\n")
    assert [section.title for section in document.sections] == ["N"]
