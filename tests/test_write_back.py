"""Writing an issue number back into a post-mortem changes that one line and nothing else."""

from __future__ import annotations

import pytest

from pmcheck.github.write_back import add_references
from pmcheck.parse import parse_document

HEAD = "# Outage\n\n## Action items\n\n"

CASES = [
    pytest.param(
        "| Action | Owner | Tracking |\n| --- | --- | --- |\n| Fix the loader | @alice | |\n",
        7,
        "| Fix the loader | @alice | #12 |",
        id="empty tracking cell filled",
    ),
    pytest.param(
        "| Action | Owner | Ticket |\n|---|---|---|\n| Fix the loader | @alice | TBD |\n",
        7,
        "| Fix the loader | @alice | #12 |",
        id="placeholder replaced",
    ),
    pytest.param(
        "| Action | Owner | Tracking |\n| --- | --- | --- |\n| Fix the loader | @alice | see notes |\n",
        7,
        "| Fix the loader | @alice | see notes, #12 |",
        id="other text kept",
    ),
    pytest.param(
        "| Action | Owner | Tracking |\n| --- | --- | --- |\n| Fix the loader | @alice |\n",
        7,
        "| Fix the loader | @alice | #12 |",
        id="short row gets its tracking cell",
    ),
    pytest.param(
        "| Action | Owner |\n| --- | --- |\n| Fix the loader | @alice |\n",
        7,
        "| Fix the loader (#12) | @alice |",
        id="no tracking column: after the action",
    ),
    pytest.param(
        "| Owner | Item | Due |\n| --- | --- | --- |\n|  @alice  |  Fix `a|b` parsing  | 2026-05-01 |\n",
        7,
        "|  @alice  |  Fix `a|b` parsing (#12) | 2026-05-01 |",
        id="pipe in code span, spacing kept",
    ),
    pytest.param(
        "Action | Tracking\n--- | ---\nFix the loader | \n",
        7,
        "Fix the loader | #12",
        id="table without outer pipes",
    ),
    pytest.param(
        "- Fix the loader (Owner: @alice)\n", 5, "- Fix the loader (Owner: @alice) (#12)", id="list item"
    ),
    pytest.param(
        "- [ ] Fix the loader  \n  more words\n", 5, "- [ ] Fix the loader (#12)  ", id="hard break kept"
    ),
    pytest.param("1. Fix the loader\\\n   more\n", 5, "1. Fix the loader (#12)\\", id="backslash break kept"),
    pytest.param("- Fix the loader (#12)\n", 5, "- Fix the loader (#12)", id="already there"),
]


@pytest.mark.parametrize(("section", "line", "expected"), CASES)
def test_only_the_actions_line_changes(section, line, expected):
    text = HEAD + section + "\n## Lessons\n\nKeep | pipes | here.\n"

    result = add_references(text, parse_document(text, "pm.md"), {line: "#12"})

    before, after = text.split("\n"), result.text.split("\n")
    assert len(after) == len(before)
    assert after[line - 1] == expected
    assert [b for number, b in enumerate(before, 1) if number != line] == [
        a for number, a in enumerate(after, 1) if number != line
    ]
    assert result.problems == ()


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_line_endings_and_other_lines_survive(ending):
    text = ending.join([HEAD.rstrip("\n"), "", "- One", "- Two", "- Three", ""])
    parsed = parse_document(text.replace("\r\n", "\n"), "pm.md")

    result = add_references(text, parsed, {6: "#7", 7: "#8"})

    assert result.text == ending.join([HEAD.rstrip("\n"), "", "- One", "- Two (#7)", "- Three (#8)", ""])
    assert result.changed == (6, 7)


def test_a_line_that_is_gone_is_reported_not_guessed():
    text = HEAD + "- One\n"

    result = add_references(text, parse_document(text, "pm.md"), {40: "#7"})

    assert result.text == text and result.changed == ()
    assert result.problems == ("line 40: not in the document any more",)
