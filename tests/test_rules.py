"""Per-rule cases from ``tests/fixtures/rules/<rule-name>.yml``, each run with that rule alone.

A fixture file names its rule and lists cases::

    rule: PM031
    cases:
      - name: what the case shows
        markdown: |
          ...
        expected: ["8:1", 9]     # "line:column" or line; [] when the rule must stay quiet
        options: {skip_done: false}   # optional: options over the pack's
        path: 2026-03-02-x.md         # optional: the file name the document has
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text
from pmcheck.rulepack import builtin_packs
from pmcheck.validation import validated

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
BUILTIN = build_ruleset(LoadedConfig(config=Config(packs=builtin_packs()), base=FIXTURES))


def _cases() -> Iterator[Any]:
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(data["cases"]):
            yield pytest.param(data["rule"], case, id=f"{path.stem}[{index}] {case['name']}")


def _findings(rule: str, case: dict[str, Any]) -> list[tuple[int, int]]:
    settings = {rule: {"options": case["options"]}} if case.get("options") else {}
    config = validated(Config, {"packs": builtin_packs(), "rules": settings})
    ruleset = build_ruleset(LoadedConfig(config=config, base=FIXTURES), select=[rule])
    [only] = ruleset.rules
    findings = check_text(case["markdown"], case.get("path", "postmortem.md"), ruleset).findings
    assert {finding.rule_id for finding in findings} <= {only.id}
    return [(finding.line, finding.column) for finding in findings]


def _as_expected(found: list[tuple[int, int]], expected: list[str]) -> list[str]:
    """Findings written the way the fixture writes them: "line" where it gives no column."""
    remaining = sorted(found)
    shown = []
    for want in expected:
        line, _, column = want.partition(":")
        match = next((pos for pos in remaining if _at(pos, line=int(line), column=column)), None)
        if match is not None:
            remaining.remove(match)
            shown.append(want)
    return sorted([*shown, *(f"{line}:{column}" for line, column in remaining)], key=_sort_key)


def _at(position: tuple[int, int], *, line: int, column: str) -> bool:
    return position[0] == line and (not column or position[1] == int(column))


def _sort_key(position: str) -> tuple[int, int]:
    line, _, column = position.partition(":")
    return int(line), int(column or 0)


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_case(rule: str, case: dict[str, Any]) -> None:
    expected = sorted((str(item) for item in case["expected"]), key=_sort_key)
    assert _as_expected(_findings(rule, case), expected) == expected


def test_every_fixture_names_a_rule_and_is_named_after_it() -> None:
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = BUILTIN.find(data["rule"])
        assert rule is not None, f"{path.name}: no rule {data['rule']!r}"
        assert path.stem == rule.name, f"{path.name} holds cases for {rule.name}; name it {rule.name}.yml"
        assert any(case["expected"] for case in data["cases"]), f"{path.name}: no failing case"
        assert any(not case["expected"] for case in data["cases"]), f"{path.name}: no passing case"


def test_every_default_rule_has_fixture_cases() -> None:
    named = {path.stem for path in FIXTURES.glob("*.yml")}
    missing = [rule.name for rule in BUILTIN.all_rules if rule.pack == "default" and rule.name not in named]
    assert missing == [], f"add tests/fixtures/rules/<name>.yml for: {', '.join(missing)}"
