"""Inline suppression comments: disable / enable ranges, next line, same line, whole file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmcheck.cli import main
from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text

LOADED = LoadedConfig(config=Config(packs=["default"]), base=Path(__file__).parent)
PLACEHOLDERS = build_ruleset(LOADED, select=["PM040", "PM042"])

CASES = {
    "nothing suppressed": ("TODO a\n\nTODO b\n\nTODO c\n", [1, 3, 5]),
    "next line, by id": ("<!-- pmcheck-disable-next-line PM040 -->\nTODO a\n\nTODO b\n", [4]),
    "next line, by name": ("<!-- pmcheck-disable-next-line placeholder -->\nTODO a\n\nTODO b\n", [4]),
    "next line, any case": ("<!-- pmcheck-disable-next-line pm040 -->\nTODO a\n", []),
    "next line skips blank lines": ("<!-- pmcheck-disable-next-line PM040 -->\n\n\nTODO a\nTODO b\n", [5]),
    "next line, several rules with commas": ("<!-- pmcheck-disable-next-line PM042, PM040 -->\nTODO a\n", []),
    "next line, another rule": ("<!-- pmcheck-disable-next-line PM042 -->\nTODO a\n", [2]),
    "next line, all rules": ("<!-- pmcheck-disable-next-line -->\nTODO a\n\nTODO b\n", [4]),
    "same line": ("TODO a <!-- pmcheck-disable-line PM040 -->\n\nTODO b\n", [3]),
    "same line, all rules": ("TODO a <!-- pmcheck-disable-line -->\n\nTODO b\n", [3]),
    "range by id": (
        "TODO a\n\n<!-- pmcheck-disable PM040 -->\n\nTODO b\n\n<!-- pmcheck-enable PM040 -->\n\nTODO c\n",
        [1, 9],
    ),
    "range opened by name, closed by id": (
        "<!-- pmcheck-disable placeholder -->\n\nTODO b\n\n<!-- pmcheck-enable PM040 -->\n\nTODO c\n",
        [7],
    ),
    "everything off, then one rule back on": (
        "<!-- pmcheck-disable -->\n\nTODO a\n\n<!-- pmcheck-enable PM040 -->\n\nTODO b\n",
        [7],
    ),
    "range of all rules": (
        "TODO a\n\n<!-- pmcheck-disable -->\n\nTODO b\n\n<!-- pmcheck-enable -->\n\nTODO c\n",
        [1, 9],
    ),
    "a range left open runs to the end": (
        "TODO a\n\n<!-- pmcheck-disable PM040 -->\n\nTODO b\n\nTODO c\n",
        [1],
    ),
    "enable without disable changes nothing": ("<!-- pmcheck-enable PM040 -->\n\nTODO a\n", [3]),
    "another rule's range": ("<!-- pmcheck-disable personal-data -->\n\nTODO a\n", [3]),
    "whole file, anywhere in it": ("TODO a\n\nTODO b\n\n<!-- pmcheck-disable-file PM040 -->\n", []),
    "whole file, all rules": ("<!-- pmcheck-disable-file -->\n\nTODO a\n", []),
    "a comment inside a code block is an example, not a switch": (
        "```\n<!-- pmcheck-disable-file -->\n```\n\nTODO c\n",
        [5],
    ),
    "several markers in one paragraph each keep their line": (
        "TODO a\nTODO b <!-- pmcheck-disable-line -->\nTODO c\n",
        [1, 3],
    ),
}


@pytest.mark.parametrize(("source", "lines"), CASES.values(), ids=CASES.keys())
def test_suppression(source: str, lines: list[int]) -> None:
    findings = check_text(source, "pm.md", PLACEHOLDERS).findings
    assert [finding.line for finding in findings if finding.rule_id == "PM040"] == lines


def test_suppressing_one_rule_keeps_the_others_on_that_line() -> None:
    source = "<!-- pmcheck-disable-next-line PM040 -->\nTODO: mail jane.doe@gmail.com\n"
    findings = check_text(source, "pm.md", PLACEHOLDERS).findings
    assert [(finding.rule_id, finding.line) for finding in findings] == [("PM042", 2)]


def test_document_level_findings_are_suppressed_for_the_file() -> None:
    ruleset = build_ruleset(LOADED, select=["PM005", "PM030"])
    source = "<!-- pmcheck-disable-file required-sections -->\n# Outage\n\nWhat happened.\n"
    assert [finding.rule_id for finding in check_text(source, "pm.md", ruleset).findings] == ["PM030"]


def test_suppression_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "pm.md"
    document.write_text("# T\n\n## Impact\n\nTBD <!-- pmcheck-disable-line placeholder -->\n\nTODO\n")
    assert main(["check", "-q", "--select", "PM040", str(document)]) == 1
    expected = f'{document}:7:1: error [PM040 placeholder] template placeholder left in: "TODO"\n'
    assert capsys.readouterr().out == expected
