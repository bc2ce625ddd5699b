"""How settings combine, as a user meets them through `pmcheck check`.

Rule options from `.pmcheck.yml` replace the pack's option by option (a `days:` map replaces the
pack's whole map); a severity the map leaves out takes the days of the nearest more severe level it
lists; and a run's own settings (`fail_on`) come from one config, whatever order the paths come in.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from pmcheck.cli import main


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def policy_findings(capsys: pytest.CaptureFixture[str], *args: str | Path) -> list[str]:
    """The messages of the deadline policy's findings (PM033)."""
    main(["check", "--format", "json", "--select", "PM033", *map(str, args)])
    return [finding["message"] for finding in json.loads(capsys.readouterr().out)["findings"]]


def incident(severity: str, due: str) -> str:
    front = f"---\ndate: 2026-03-02\nseverity: {severity}\n---\n"
    return f"{front}# Outage\n\n## Action items\n\n- @alice fixes it by {due}\n"


README_POLICY = """\
rules:
  action-deadline-policy:
    options:
      days: {sev1: 14, sev2: 28}
      default_days: 56
"""


@pytest.mark.parametrize(
    ("severity", "due", "days"),
    [
        ("SEV0", "2026-03-25", 14),  # not in the map: SEV1's 14 days, never the looser default 56
        ("SEV1", "2026-03-25", 14),
        ("SEV2", "2026-04-10", 28),
        ("SEV3", "2026-04-10", 28),  # not in the map: SEV2's days, the nearest more severe level
    ],
)
def test_a_level_missing_from_the_days_map_takes_the_nearest_more_severe_levels_days(
    severity: str, due: str, days: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".pmcheck.yml", README_POLICY)
    document = write(tmp_path / "pm.md", incident(severity, due))
    [message] = policy_findings(capsys, document)
    assert f"the {days}-day policy for {severity} incidents" in message


def test_a_days_map_replaces_the_packs_map_as_a_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The pack allows 28 days for "critical"; this map names no word levels, so the default applies.
    write(tmp_path / ".pmcheck.yml", README_POLICY.replace("56", "40"))
    document = write(tmp_path / "pm.md", incident("critical", "2026-04-20"))
    [message] = policy_findings(capsys, document)
    assert "the 40-day policy for critical incidents" in message


def test_fail_on_comes_from_the_runs_config_whatever_the_order_of_the_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".pmcheck.yml", "fail_on: warning\n")
    write(tmp_path / "team-a" / ".pmcheck.yml", "fail_on: error\n")
    clean = write(tmp_path / "team-a" / "pm.md", "# Outage\n")
    late = write(tmp_path / "team-b" / "pm.md", incident("SEV1", "2026-09-01"))
    codes = set()
    for paths in ([clean, late], [late, clean]):
        codes.add(main(["check", "--select", "PM033", *map(str, paths)]))
        capsys.readouterr()
    # The warning in team-b fails the run under the config over both folders, in either order.
    assert codes == {1}


OFF_PACK = """\
pack: acme
rules:
  - id: AC001
    name: acme.jargon
    kind: text-pattern
    enabled: false
    severity: warning
    message: "jargon: {match}"
    options:
      patterns:
        - {label: jargon, regex: 'synergy'}
    docs: {what: No jargon., why: Plain words., example: "synergy", instead: "working together"}
"""


@pytest.mark.parametrize(
    ("rules", "args", "expected"),
    [
        pytest.param("{}", [], [], id="shipped off: quiet"),
        pytest.param("{acme.jargon: error}", [], [("AC001", "error")], id="a severity by name turns it on"),
        pytest.param("{AC001: true}", [], [("AC001", "warning")], id="true by code turns it on"),
        pytest.param("{AC001: {enabled: true}}", [], [("AC001", "warning")], id="enabled: true"),
        pytest.param("{acme: error, all: error}", [], [], id="a prefix or all never turns it on"),
        pytest.param(
            "{acme: off, AC001: true}", [], [("AC001", "warning")], id="its own setting has the last word"
        ),
        pytest.param("{}", ["--select", "AC001"], [("AC001", "warning")], id="--select runs it"),
    ],
)
def test_a_pack_rule_can_ship_switched_off_and_a_config_turns_it_on(
    rules: str,
    args: list[str],
    expected: list[tuple[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(tmp_path / "acme.yml", OFF_PACK)
    write(tmp_path / ".pmcheck.yml", f"packs: [acme.yml]\nrules: {rules}\n")
    document = write(tmp_path / "pm.md", "# Outage\n\nSynergy failed us.\n")
    main(["check", "--format", "json", *args, str(document)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(finding["rule_id"], finding["severity"]) for finding in findings] == expected


def test_the_shipped_tracking_rule_is_off_until_the_config_turns_it_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = write(tmp_path / "pm.md", incident("SEV2", "2026-03-10"))
    for config, expected in (("extends: strict\n", []), ("rules: {action-tracked: warning}\n", ["PM035"])):
        write(tmp_path / ".pmcheck.yml", config)
        main(["check", "--format", "json", str(document)])
        found = [
            f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"] if f["rule_id"] == "PM035"
        ]
        assert found == expected, config
