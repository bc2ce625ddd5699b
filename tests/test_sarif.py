"""The SARIF reporter: valid against the official SARIF 2.1.0 schema, only the rules that fired, with help."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from pmcheck import api, cli
from pmcheck.config import default_config
from pmcheck.engine import FileReport, build_ruleset
from pmcheck.finding import Finding, Severity
from pmcheck.formatters import REPORTERS, sarif
from pmcheck.run_result import RunResult

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "examples").glob("*.md"))


def _problems(log: dict[str, Any]) -> list[str]:
    validator = Draft4Validator(SCHEMA, format_checker=Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def test_the_schema_is_the_official_one() -> None:
    assert (
        SCHEMA["id"]
        == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    Draft4Validator.check_schema(SCHEMA)
    assert _problems({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}), (
        "the schema rejects a nameless tool"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_every_example_gives_a_valid_log(example: Path) -> None:
    result = api.run([example])
    log = json.loads(sarif.render(result))
    assert _problems(log) == []
    run = log["runs"][0]
    fired = {finding.rule_id for finding in result.findings}
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == sorted(fired)
    assert len(run["results"]) == len(result.findings)
    for item in run["results"]:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]


def test_rules_carry_their_documentation_and_results_their_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = api.run([Path("examples/2026-01-20-queue-backlog.md")])
    log = json.loads(sarif.render(result))
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    owner = rules["PM031"]
    assert owner["name"] == "action-owner"
    assert owner["defaultConfiguration"] == {"level": "error"}
    docs = build_ruleset(default_config(ROOT)).find("PM031")
    assert docs is not None
    assert owner["shortDescription"]["text"] == " ".join(docs.docs.what.split())
    assert "Use instead" in owner["help"]["text"] and "**Why it matters**" in owner["help"]["markdown"]
    first = log["runs"][0]["results"][0]
    assert first["ruleId"] == "PM031" and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/2026-01-20-queue-backlog.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 38, "startColumn": 1},
    }


def test_concealed_findings_and_odd_paths_stay_valid() -> None:
    secret = Finding(
        "docs/my incident #1.md",
        4,
        7,
        "PM041",
        "secret",
        Severity.ERROR,
        "looks like a key",
        end_line=4,
        end_column=27,
        excerpt="AKIA****",
        conceal=True,
    )
    note = Finding("docs/my incident #1.md", 9, 1, "PM099", "custom-rule", Severity.INFO, "a note")
    result = RunResult(reports=[FileReport("docs/my incident #1.md", [secret, note])])
    log = json.loads(sarif.render(result))
    assert _problems(log) == []
    text = json.dumps(log)
    assert "AKIA" not in text, "no snippet of a concealed finding"
    (location,) = log["runs"][0]["results"][0]["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "docs/my%20incident%20%231.md"
    assert [r["level"] for r in log["runs"][0]["results"]] == ["error", "note"]
    unknown = log["runs"][0]["tool"]["driver"]["rules"][1]
    assert unknown == {
        "id": "PM099",
        "name": "custom-rule",
        "defaultConfiguration": {"level": "note"},
        "shortDescription": {"text": "custom-rule"},
    }


def test_check_format_sarif_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "sarif" in REPORTERS
    out = tmp_path / "pmcheck.sarif"
    code = cli.main(
        [
            "check",
            "--format",
            "sarif",
            "-o",
            str(out),
            str(ROOT / "examples" / "2026-04-11-certificate-expiry.md"),
        ]
    )
    assert code == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    assert _problems(log) == [] and log["runs"][0]["results"]
