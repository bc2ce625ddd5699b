"""``.pmcheck.yml``: discovery, validation with file:line errors, rule settings, packs and aliases."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from samples import queue_backlog

from pmcheck.cli import main

DOC = queue_backlog()
ACTIONS_SECTION = 30
ACTION_LINE = 32  # "- Improve monitoring": no owner (PM031), no deadline (PM032), vague (PM034)
DATED_ACTION_LINE = 33  # owned, due 2026-02-01
DEFAULT_FINDINGS = [
    ("PM031", "error", ACTION_LINE),
    ("PM032", "error", ACTION_LINE),
    ("PM034", "warning", ACTION_LINE),
]

ACME_PACK = """\
pack: acme
description: House style.
rules:
  - id: AC001
    name: acme.jargon
    kind: text-pattern
    severity: warning
    message: "jargon: {match}"
    options:
      patterns:
        - {label: jargon, regex: '\\bsynergy\\b'}
    docs: {what: No jargon., why: Plain words., example: "synergy", instead: "teamwork"}
  - id: AC002
    name: acme.cliche
    kind: text-pattern
    severity: error
    message: "cliché: {match}"
    options:
      patterns:
        - {label: cliché, regex: 'at the end of the day'}
    docs: {what: No clichés., why: Plain words., example: "at the end of the day", instead: "finally"}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


Found = list[tuple[str, str, int]]


def check(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, Found, str]:
    """Exit code, (rule id, severity, line) of each finding, and stderr."""
    code = main(["check", "--format", "json", *map(str, args)])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"] if captured.out else []
    return code, [(f["rule_id"], f["severity"], f["line"]) for f in findings], captured.err


def test_document_findings_without_any_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = write(tmp_path / "pm.md", DOC)
    code, findings, _err = check(capsys, document, "--select", "PM031,PM032,PM034")
    assert (code, findings) == (1, DEFAULT_FINDINGS)


def test_config_is_found_by_walking_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "repo" / ".pmcheck.yml", "packs: [default]\nrules:\n  PM031: off\n  PM032: off\n")
    document = write(tmp_path / "repo" / "docs" / "postmortems" / "pm.md", DOC)
    monkeypatch.chdir(tmp_path)
    for target in (document, document.parent, tmp_path / "repo"):
        assert check(capsys, target)[:2] == (0, [("PM034", "warning", ACTION_LINE)])


def test_the_nearest_config_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / ".pmcheck.yml", "packs: [default]\nrules:\n  PM031: off\n")
    write(tmp_path / "team" / ".pmcheck.yml", "packs: [default]\nrules:\n  PM034: off\n")
    outer = write(tmp_path / "outer.md", DOC)
    inner = write(tmp_path / "team" / "inner.md", DOC)
    assert check(capsys, outer)[1] == [("PM032", "error", ACTION_LINE), ("PM034", "warning", ACTION_LINE)]
    assert check(capsys, inner)[1] == [("PM031", "error", ACTION_LINE), ("PM032", "error", ACTION_LINE)]
    code, findings, _err = check(capsys, tmp_path)
    assert code == 1 and len(findings) == 4


def test_explicit_config_replaces_the_nearest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / ".pmcheck.yml", "packs: [default]\nrules:\n  PM031: off\n")
    other = write(
        tmp_path / "elsewhere" / "strict.yml", "packs: [default]\nrules:\n  PM034: off\n  PM032: off\n"
    )
    document = write(tmp_path / "pm.md", DOC)
    assert check(capsys, document, "--config", other)[:2] == (1, [("PM031", "error", ACTION_LINE)])


def test_explicit_config_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = write(tmp_path / "pm.md", DOC)
    code, findings, err = check(capsys, document, "--config", tmp_path / "nope.yml")
    assert (code, findings) == (2, [])
    assert f"{tmp_path / 'nope.yml'}: config file not found" in err


INVALID_CONFIGS = {
    "unknown top-level key": (
        "packs: [default]\nfial_on: warning\n",
        2,
        "fial_on: Extra inputs are not permitted",
    ),
    "bad severity for a rule": ("rules:\n  PM031: warn\n", 2, "rules.PM031.severity: Input should be"),
    "bad severity in settings": ("rules:\n  PM031:\n    severity: loud\n", 3, "rules.PM031.severity"),
    "unknown key in rule settings": ("rules:\n  PM031:\n    sevrity: info\n", 3, "rules.PM031.sevrity"),
    "files is not a list": ("files: 3\n", 1, "files: Input should be a valid list"),
    "fail_on is not a severity": ("packs: [default]\n\nfail_on: loud\n", 3, "fail_on: Input should be"),
    "an owner alias is not a login": ("owners:\n  Alice Smith: [alice]\n", 2, "owners.Alice Smith"),
    "broken YAML": ("packs: [default\nrules: {}\n", 2, "invalid YAML"),
    "bad option value": (
        "packs: [default]\nrules:\n  PM030:\n    options:\n      min_actions: 0\n",
        5,
        "rules.PM030.options.min_actions: Input should be greater than or equal to 1",
    ),
    "unknown option": (
        "packs: [default]\nrules:\n  action-owner:\n    options:\n      skip_dne: true\n",
        5,
        "rules.action-owner.options.skip_dne: Extra inputs are not permitted",
    ),
    "unknown rule": ("packs: [default]\nrules:\n  PM031: off\n  PM999: off\n", 4, "'PM999' names no rule"),
    "unknown dotted prefix": (
        "packs: [default]\nrules:\n  acme.jargon: off\n",
        3,
        "'acme.jargon' names no rule",
    ),
}


@pytest.mark.parametrize(("text", "line", "message"), INVALID_CONFIGS.values(), ids=INVALID_CONFIGS.keys())
def test_invalid_config_names_file_line_and_key(
    text: str, line: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path / ".pmcheck.yml", text)
    document = write(tmp_path / "pm.md", DOC)
    code, findings, err = check(capsys, document)
    assert (code, findings) == (2, [])
    assert err.startswith(f"pmcheck: error: {config}:{line}: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("setting", ["off", '"off"', "false", "{severity: off}", "{severity: 'off'}"])
def test_ways_to_turn_a_rule_off(setting: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / ".pmcheck.yml", f"packs: [default]\nrules:\n  PM031: {setting}\n")
    document = write(tmp_path / "pm.md", DOC)
    assert check(capsys, document)[1] == [("PM032", "error", ACTION_LINE), ("PM034", "warning", ACTION_LINE)]


SEVERITY_CASES = {
    "defaults": ("{}", [], 1),
    "defaults, failing only on errors": ("{PM031: off, PM032: off}", ["--fail-on", "error"], 0),
    "errors lowered to warnings and info": (
        "{action-owner: warning, PM032: {severity: info}, PM034: off}",
        [],
        0,
    ),
    "lowered, but failing on warnings": (
        "{PM031: warning, PM032: info, PM034: off}",
        ["--fail-on", "warning"],
        1,
    ),
    "lowered, and failing on warnings from the config": (
        "{PM031: warning, PM032: info, PM034: off}\nfail_on: warning",
        [],
        1,
    ),
    "raised to an error": ("{PM031: off, PM032: off, vague-action: error}", [], 1),
    "only warnings left": ("{PM031: off, PM032: off}", [], 0),
    "only info left, failing on info": ("{PM031: off, PM032: off, PM034: info}", ["--fail-on", "info"], 1),
}


@pytest.mark.parametrize(("rules", "args", "code"), SEVERITY_CASES.values(), ids=SEVERITY_CASES.keys())
def test_severity_overrides_and_exit_codes(
    rules: str, args: list[str], code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".pmcheck.yml", f"packs: [default]\nrules: {rules}\n")
    document = write(tmp_path / "pm.md", DOC)
    result, findings, _err = check(capsys, document, *args)
    assert findings, "every case keeps at least one finding"
    assert result == code


def test_severity_override_changes_the_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path / ".pmcheck.yml",
        "packs: [default]\nrules: {action-owner: warning, PM032: {severity: info}}\n",
    )
    document = write(tmp_path / "pm.md", DOC)
    assert check(capsys, document, "--ignore", "PM034")[:2] == (
        0,
        [("PM031", "warning", ACTION_LINE), ("PM032", "info", ACTION_LINE)],
    )


OPTION_CASES = {
    "more actions required": (
        "PM030: {options: {min_actions: 3}}",
        "PM030",
        [("PM030", "error", ACTIONS_SECTION)],
    ),
    "shorter deadline policy": (
        "PM033: {options: {days: {sev2: 7}}}",
        "PM033",
        [("PM033", "warning", DATED_ACTION_LINE)],
    ),
    "default days when the severity is not listed": (
        "PM033: {options: {default_days: 1, days: {}}}",
        "PM033",
        [("PM033", "warning", DATED_ACTION_LINE)],
    ),
    "the pack's policy": ("{}", "PM033", []),
    "the config's patterns replace the pack's": (
        "vague-action: {options: {patterns: ['large orders']}}",
        "PM034",
        [("PM034", "warning", DATED_ACTION_LINE)],
    ),
    "a pattern that matches nothing": (
        "vague-action: {options: {patterns: ['nothing matches this']}}",
        "PM034",
        [],
    ),
}


@pytest.mark.parametrize(("rules", "select", "expected"), OPTION_CASES.values(), ids=OPTION_CASES.keys())
def test_options_override_the_pack(
    rules: str,
    select: str,
    expected: list[tuple[str, str, int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(
        tmp_path / ".pmcheck.yml",
        f"packs: [default]\nrules: {{{rules}}}\n" if rules != "{}" else "packs: [default]\n",
    )
    document = write(tmp_path / "pm.md", DOC)
    assert check(capsys, document, "--select", select)[1] == expected


ACME_DOC = "# T\n\nAt the end of the day, synergy won.\n"
PACK_CASES = {
    "both rules": ("{}", [], [("AC001", "warning", 3), ("AC002", "error", 3)]),
    "--select re-enables a rule the config turns off": (
        "{acme: off}",
        ["--select", "acme.jargon"],
        [("AC001", "warning", 3)],
    ),
    "the whole pack off by its prefix": ("{acme: off}", [], []),
    "the whole pack off with a star": ("{acme.*: off}", [], []),
    "one rule off by name": ("{acme.jargon: off}", [], [("AC002", "error", 3)]),
    "one rule off by id": ("{AC002: off}", [], [("AC001", "warning", 3)]),
    "the rule's own setting beats the prefix": (
        "{acme: off, acme.cliche: warning}",
        [],
        [("AC002", "warning", 3)],
    ),
    "the prefix sets every severity": ("{acme: info}", [], [("AC001", "info", 3), ("AC002", "info", 3)]),
    "--select a prefix": (
        "{}",
        ["--select", "PM030,acme"],
        [("PM030", "error", 1), ("AC001", "warning", 3), ("AC002", "error", 3)],
    ),
    "--ignore one rule": ("{}", ["--ignore", "acme.cliche"], [("AC001", "warning", 3)]),
    "--ignore a prefix": ("{}", ["--ignore", "acme"], []),
}


@pytest.mark.parametrize(("rules", "args", "expected"), PACK_CASES.values(), ids=PACK_CASES.keys())
def test_custom_pack_by_path_and_dotted_prefixes(
    rules: str, args: list[str], expected: Found, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "config" / "packs" / "acme.yml", ACME_PACK)
    config = write(tmp_path / "config" / "pmcheck.yml", f"packs: [packs/acme.yml]\nrules: {rules}\n")
    if "PM030" in " ".join(args):
        config = write(tmp_path / "config" / "with-default.yml", "packs: [default, packs/acme.yml]\n")
    document = write(tmp_path / "pm.md", ACME_DOC)
    code, findings, err = check(capsys, document, "--config", config, *args)
    assert sorted(findings) == sorted(expected)
    assert err == ""
    assert code == (1 if any(severity == "error" for _id, severity, _line in findings) else 0)


BROKEN_PACKS = {
    "unknown kind": (
        ACME_PACK.replace(
            "kind: text-pattern\n    severity: warning", "kind: text-patern\n    severity: warning"
        ),
        6,
        "rules.0.kind: Value error, unknown kind",
    ),
    "bad severity": (ACME_PACK.replace("severity: error", "severity: fatal"), 16, "rules.1.severity"),
    "docs missing a part": (
        ACME_PACK.replace('instead: "teamwork"', 'instaed: "teamwork"'),
        12,
        "rules.0.docs.instaed: Extra inputs are not permitted",
    ),
    "bad id": (ACME_PACK.replace("id: AC002", "id: ac-2"), 13, "rules.1.id: String should match pattern"),
    "bad regex in options": (
        ACME_PACK.replace("'at the end of the day'", "'(unclosed'"),
        20,
        "rule AC002 (acme.cliche): options.patterns.0.regex",
    ),
    "unknown option": (
        ACME_PACK.replace(
            "      patterns:\n        - {label: jargon",
            "      patern: x\n      patterns:\n        - {label: jargon",
        ),
        10,
        "options.patern: Extra inputs",
    ),
    "an id the default pack uses": (
        ACME_PACK.replace("id: AC002", "id: PM031"),
        13,
        "rule id PM031 is already used",
    ),
    "broken YAML": (ACME_PACK.replace("rules:\n", "rules: [\n"), 4, "invalid YAML"),
}


@pytest.mark.parametrize(("pack", "line", "message"), BROKEN_PACKS.values(), ids=BROKEN_PACKS.keys())
def test_broken_pack_is_a_config_error_naming_file_and_line(
    pack: str, line: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_file = write(tmp_path / "packs" / "acme.yml", pack)
    write(tmp_path / ".pmcheck.yml", "packs: [default, packs/acme.yml]\n")
    document = write(tmp_path / "pm.md", ACME_DOC)
    code, findings, err = check(capsys, document)
    assert (code, findings) == (2, [])
    assert f"{pack_file.resolve()}:{line}: " in err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("packs/missing.yml", "rule pack not found"),
        ("house-style", "unknown rule pack 'house-style'; built-in packs: "),
    ],
)
def test_missing_pack(
    reference: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".pmcheck.yml", f"packs: [default, {reference}]\n")
    document = write(tmp_path / "pm.md", ACME_DOC)
    code, _findings, err = check(capsys, document)
    assert code == 2 and message in err


def test_extra_section_aliases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = write(
        tmp_path / "pm.md",
        "# T\n\nIntro.\n\n## Customer pain\n\nx\n\n## Minute by minute\n\n"
        "- 14:02 UTC x\n\n## Things we will do\n\n- Add alert (@a, by 2026-03-10)\n",
    )
    selected = ["--select", "PM005,PM030"]
    assert check(capsys, document, *selected)[1] == [
        ("PM005", "warning", 1),
        ("PM005", "warning", 1),
        ("PM030", "error", 1),
    ]
    write(
        tmp_path / ".pmcheck.yml",
        "packs: [default]\nsections:\n  timeline: [Minute by minute]\n"
        "  impact: [customer pain]\n  actions: ['Things we will do:']\n",
    )
    assert check(capsys, document, *selected)[1] == []


def test_owner_aliases_are_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path / ".pmcheck.yml", "packs: [default]\nowners:\n  Alice Smith: alice\n  SRE team: acme/sre\n"
    )
    document = write(tmp_path / "pm.md", DOC)
    assert check(capsys, document, "--select", "PM031")[:2] == (1, [("PM031", "error", ACTION_LINE)])


def test_file_globs_and_excludes_choose_what_a_folder_walk_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / ".pmcheck.yml",
        "packs: [default]\nfiles: ['postmortems/**/*.md']\nexclude: ['**/drafts/**']\n",
    )
    for name in ("postmortems/2026/a.md", "postmortems/drafts/b.md", "notes/c.md", "postmortems/README.md"):
        write(tmp_path / name, DOC)
    code = main(["check", "--format", "json", "--select", "PM031", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["summary"]["files"] == 1
    assert {Path(finding["path"]).relative_to(tmp_path).as_posix() for finding in report["findings"]} == {
        "postmortems/2026/a.md"
    }
    excluded = tmp_path / "postmortems" / "drafts" / "b.md"
    assert check(capsys, excluded, "--select", "PM031")[0] == 1  # named on the command line: checked
    assert check(capsys, excluded, "--select", "PM031", "--force-exclude")[:2] == (0, [])
