"""Values written in fields and cells (placeholders, issue references, severities) read one way.

The checker's rules, the GitHub side and the learning report all read them from the post-mortem
model, so they cannot disagree about what a cell says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text
from pmcheck.github.write_back import add_references
from pmcheck.parse import parse_document
from pmcheck.postmortem import PostMortem, read_postmortem

RULESET = build_ruleset(LoadedConfig(config=Config(packs=["default"]), base=Path.cwd()))
HEAD = "---\ndate: 2026-03-02\n---\n# Outage\n\n## Action items\n\n"  # the table's first row is line 10


def read(text: str) -> PostMortem:
    return read_postmortem(parse_document(text, "pm.md"), RULESET.catalog)


@pytest.mark.parametrize("cell", ["TBD", "unknown", "…", "n/a", "?", "unset"])
def test_a_placeholder_tracking_cell_tracks_nothing_and_write_back_replaces_it(cell: str) -> None:
    table = f"| Action | Owner | Tracking |\n| --- | --- | --- |\n| Fix the loader | @alice | {cell} |\n"
    text = HEAD + table
    [action] = read(text).actions
    assert action.tracking is None
    written = add_references(text, parse_document(text, "pm.md"), {10: "#12"})
    assert written.text.splitlines()[9] == "| Fix the loader | @alice | #12 |"


@pytest.mark.parametrize("cell", ["TBD", "unknown", "…", "n/a", "?", "unset", "nobody"])
def test_a_placeholder_owner_cell_names_no_owner(cell: str) -> None:
    text = HEAD + f"| Action | Owner | Due |\n| --- | --- | --- |\n| Fix the loader | {cell} | 2026-03-10 |\n"
    findings = check_text(text, "pm.md", RULESET).findings
    assert [f.line for f in findings if f.rule_name == "action-owner"] == [10]
