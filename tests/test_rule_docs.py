"""Every built-in rule documents itself, and its Example fails while its Use-instead passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmcheck.cli import main
from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text
from pmcheck.rule import Rule
from pmcheck.rulepack import builtin_packs

LOADED = LoadedConfig(config=Config(packs=builtin_packs()), base=Path(__file__).parent)
RULES = build_ruleset(LOADED).all_rules
EMPTY_EXAMPLE_KINDS = {"readable-file"}  # its example is an empty file
EXPLAIN_HEADINGS = ["## What it checks", "## Why it matters", "## Example", "## Use instead", "## Options"]


def _only(rule: Rule, text: str) -> list[str]:
    ruleset = build_ruleset(LOADED, select=[rule.id])
    report = check_text(text, "example.md", ruleset)
    assert not ruleset.notices, ruleset.notices  # a rule that could not run proves nothing
    return [f"{finding.line}:{finding.column} {finding.rule_id}" for finding in report.findings]


def test_rules_come_from_every_builtin_pack() -> None:
    assert {rule.pack for rule in RULES} == set(builtin_packs())
    assert "default" in builtin_packs()


@pytest.mark.parametrize("rule", RULES, ids=[f"{rule.id} {rule.name}" for rule in RULES])
def test_docs_are_complete(rule: Rule) -> None:
    docs = rule.docs
    assert docs.what.strip() and docs.why.strip() and docs.instead.strip()
    assert docs.example.strip() or rule.kind.name in EMPTY_EXAMPLE_KINDS


@pytest.mark.parametrize("rule", RULES, ids=[f"{rule.id} {rule.name}" for rule in RULES])
def test_example_fails_and_instead_passes(rule: Rule) -> None:
    example = _only(rule, rule.docs.example)
    assert example, f"{rule.id}: its Example produces no finding"
    assert all(finding.endswith(rule.id) for finding in example)
    assert _only(rule, rule.docs.instead) == [], f"{rule.id}: its Use-instead is flagged"


@pytest.mark.parametrize("selector", ["PM031", "action-owner"])
def test_explain_prints_every_heading_in_order(selector: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", selector]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# PM031 action-owner\n")
    positions = [out.index(heading + "\n") for heading in EXPLAIN_HEADINGS]
    assert positions == sorted(positions)
    assert '"skip_done": true' in out
    assert "- Add validation of upstream lists by 2026-03-20\n" in out


@pytest.mark.parametrize("rule", RULES, ids=[f"{rule.id} {rule.name}" for rule in RULES])
def test_explain_every_rule(rule: Rule, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", rule.id]) == 0
    out = capsys.readouterr().out
    assert all(f"\n{heading}\n" in out for heading in EXPLAIN_HEADINGS)
    assert " ".join(rule.docs.what.split()) in " ".join(out.split())


def test_explain_an_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "PM999"]) == 2
    assert "PM999" in capsys.readouterr().err


def test_explain_keeps_matcher_patterns_for_verbose(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "PM101"]) == 0
    short = capsys.readouterr().out
    assert main(["explain", "PM101", "--verbose"]) == 0
    verbose = capsys.readouterr().out
    assert '"LEMMA"' not in short and '"LEMMA"' in verbose
    assert "`pmcheck explain PM101 --verbose` prints them" in short
    assert re.search(r"^- `patterns` \(\d+\): spaCy Matcher patterns\.$", short, re.MULTILINE)
    assert '"needs_person": true' in short, "the options a user may set stay in the short form"
    assert len(short.splitlines()) < 80 < len(verbose.splitlines())
