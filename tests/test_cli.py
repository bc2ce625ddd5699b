"""The command line as a user meets it: exit codes, formats, options and sub-commands."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import jsonschema
import pytest
import yaml
from environments import Distributions, program, seeded_venv
from samples import queue_backlog

from pmcheck.cli import main
from pmcheck.rulepack import builtin_pack_dir, builtin_packs

ROOT = Path(__file__).resolve().parents[1]
FINDINGS_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "findings.schema.json").read_text())
PMCHECK = Path(sys.executable).with_name("pmcheck")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

FLAWED = queue_backlog()
CLEAN = FLAWED.replace(
    "- Improve monitoring\n", "- Page on queue depth over 5,000 for 10 min (@marta, by 2026-02-03)\n"
)
HEADLINES = [
    '{path}:32:1: error [PM031 action-owner] corrective action has no owner: "Improve monitoring"',
    '{path}:32:1: error [PM032 action-deadline] corrective action has no deadline: "Improve monitoring"',
    '{path}:32:3: warning [PM034 vague-action] corrective action is vague ("Improve monitoring"): '
    '"Improve monitoring"',
]
SUMMARY = "Found 3 problems (2 errors, 1 warning) in 1 of 1 file."
VAGUE_HELP = (
    'Say what will change and how you will know it is done, e.g. "alert when queue depth > 10k for 5 min".'
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with a config (the default pack only) and a flawed and a clean post-mortem."""
    (tmp_path / ".pmcheck.yml").write_text("packs: [default]\n")
    (tmp_path / "flawed.md").write_text(FLAWED)
    (tmp_path / "clean.md").write_text(CLEAN)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def subprocess_run(args: Sequence[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"} | env
    return subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


# Exit codes -------------------------------------------------------------------------------------

EXIT_CASES = {
    "clean file": (["check", "clean.md"], 0),
    "findings at error": (["check", "flawed.md"], 1),
    "a folder with findings": (["check", "."], 1),
    "only warnings selected": (["check", "--select", "vague-action", "flawed.md"], 0),
    "warnings, failing on warnings": (["check", "--select", "PM034", "--fail-on", "warning", "flawed.md"], 1),
    "errors ignored": (["check", "--ignore", "PM031,PM032", "flawed.md"], 0),
    "failing on info catches warnings": (
        ["check", "--ignore", "PM031", "--ignore", "PM032", "--fail-on", "info", "flawed.md"],
        1,
    ),
    "unknown format": (["check", "--format", "xml", "flawed.md"], 2),
    "unknown rule selected": (["check", "--select", "PM999", "flawed.md"], 2),
    "unknown rule ignored": (["check", "--ignore", "nonsense", "flawed.md"], 2),
    "missing path, other files still checked": (["check", "clean.md", "missing.md"], 2),
    "missing config": (["check", "--config", "missing.yml", "clean.md"], 2),
    "no command": ([], 2),
}


@pytest.mark.parametrize(("args", "code"), EXIT_CASES.values(), ids=EXIT_CASES.keys())
def test_exit_codes(
    args: list[str],
    code: int,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(project)
    result, _out, err = run(capsys, *args)
    assert result == code
    assert "Traceback" not in err
    if code == 2 and args:
        assert err.startswith("pmcheck: error: ")


@pytest.mark.parametrize(
    "args", [["check", "--fail-on", "loud", "x.md"], ["check", "--color", "sometimes"], ["nonsense-command"]]
)
def test_argument_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(args)
    assert raised.value.code == 2
    assert "usage: pmcheck" in capsys.readouterr().err


def test_missing_path_is_named_and_the_rest_is_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "-q", project / "flawed.md", project / "missing.md")
    assert code == 2
    assert f"pmcheck: error: {project / 'missing.md'}: no such file or directory" in err
    assert out.splitlines() == [line.format(path=project / "flawed.md") for line in HEADLINES]


@pytest.mark.parametrize(
    ("selection", "rules"),
    [
        (["--select", "PM031"], ["PM031"]),
        (["--select", "action-owner,vague-action"], ["PM031", "PM034"]),
        (["--select", "PM031", "--select", "PM034"], ["PM031", "PM034"]),
        (["--ignore", "PM031"], ["PM032", "PM034"]),
        (["--ignore", "action-owner, action-deadline"], ["PM034"]),
        (["--select", "PM031,PM032", "--ignore", "PM032"], ["PM031"]),
    ],
)
def test_select_and_ignore(
    selection: list[str], rules: list[str], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = run(capsys, "check", "--format", "json", *selection, project / "flawed.md")
    assert [finding["rule_id"] for finding in json.loads(out)["findings"]] == rules


# Text output ------------------------------------------------------------------------------------


def test_quiet_output_is_exactly_the_finding_lines(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert run(capsys, "check", "-q", "flawed.md") == (
        1,
        "".join(f"{line}\n" for line in HEADLINES).format(path="flawed.md"),
        "",
    )
    assert run(capsys, "check", "--quiet", "clean.md") == (0, "", "")


def test_text_output(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    code, out, err = run(capsys, "check", "flawed.md")
    lines = out.splitlines()
    assert (code, err) == (1, "")
    headline_positions = [lines.index(line.format(path="flawed.md")) for line in HEADLINES]
    assert headline_positions == sorted(headline_positions)
    vague = headline_positions[2]
    assert lines[vague + 1 : vague + 4] == [
        "   32 | - Improve monitoring",
        "      |   ^^^^^^^^^^^^^^^^^^",
        f"      = help: {VAGUE_HELP}",
    ]
    assert lines[-1] == SUMMARY
    assert not ANSI.search(out)


def test_text_output_when_all_is_clear(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", project / "clean.md") == (0, "All clear: 1 file checked, no problems.\n", "")


def test_no_source(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(capsys, "check", "--no-source", project / "flawed.md")
    assert "   32 | " not in out and "= help:" in out


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", "--statistics", project)
    assert code == 1
    rows = [line.split() for line in out.splitlines()]
    assert rows == [
        ["1", "PM031", "action-owner", "[error]"],
        ["1", "PM032", "action-deadline", "[error]"],
        ["1", "PM034", "vague-action", "[warning]"],
        ["3", "total", "in", "2", "files"],
    ]


def test_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = project / "reports" / "pmcheck.json"
    code, out, err = run(
        capsys, "check", "--format", "json", "--output", report, "--color", "always", project
    )
    assert (code, out, err) == (1, "", "")
    data = json.loads(report.read_text())
    assert data["summary"]["files"] == 2
    text_report = project / "reports" / "pmcheck.txt"
    assert run(capsys, "check", "-o", text_report, "--color", "always", project / "flawed.md")[:2] == (1, "")
    assert text_report.read_text().splitlines()[-1] == SUMMARY
    assert not ANSI.search(text_report.read_text())


def test_output_to_an_unwritable_place_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "check", "-o", project / "flawed.md" / "report.txt", project / "clean.md")
    assert code == 2
    assert "cannot write" in err and "Traceback" not in err


# JSON output ------------------------------------------------------------------------------------


def test_json_output_matches_the_documented_schema(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--format", "json", project)
    data = json.loads(out)
    jsonschema.validate(data, FINDINGS_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (code, err) == (1, "")
    assert data["summary"] == {
        "files": 2,
        "files_with_findings": 1,
        "errors": 2,
        "warnings": 1,
        "infos": 0,
        "fail_on": "error",
        "failed": True,
        "baselined": 0,
        "stale_baseline_entries": 0,
    }
    assert data["findings"][2] == {
        "path": str(project / "flawed.md"),
        "line": 32,
        "column": 3,
        "end_line": 32,
        "end_column": 21,
        "severity": "warning",
        "rule_id": "PM034",
        "rule_name": "vague-action",
        "message": 'corrective action is vague ("Improve monitoring"): "Improve monitoring"',
        "suggestion": VAGUE_HELP,
        "excerpt": "Improve monitoring",
        "url": "https://github.com/pmcheck/pmcheck/blob/main/docs/rules/vague-action.md",
    }
    assert data["notices"] == []


def test_json_output_of_a_clean_run_and_of_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".pmcheck.yml").write_text("packs: [default]\n")
    document = tmp_path / "pm.md"
    document.write_text("# T\n\n```\nexport GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n```\n")
    code, out, _err = run(capsys, "check", "--format", "json", "--select", "PM041,PM040", document)
    data = json.loads(out)
    jsonschema.validate(data, FINDINGS_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert code == 1
    [finding] = data["findings"]
    assert "0123456789abcdef" not in out
    assert finding["excerpt"] == "ghp_…"
    code, out, _err = run(capsys, "check", "--format", "json", "--select", "PM040", document)
    data = json.loads(out)
    jsonschema.validate(data, FINDINGS_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (code, data["findings"], data["summary"]["failed"]) == (0, [], False)


def test_the_findings_schema_is_strict() -> None:
    report = {
        "schema_version": 2,
        "pmcheck_version": "0.1.0",
        "notices": [],
        "findings": [],
        "summary": {
            "files": 0,
            "files_with_findings": 0,
            "errors": 0,
            "warnings": 0,
            "infos": 0,
            "fail_on": "error",
            "failed": False,
            "baselined": 0,
            "stale_baseline_entries": 0,
        },
    }
    jsonschema.validate(report, FINDINGS_SCHEMA, cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**report, "extra": 1}, FINDINGS_SCHEMA, cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {**report, "findings": [{"path": "x.md", "line": 0}]},
            FINDINGS_SCHEMA,
            cls=jsonschema.Draft202012Validator,
        )


# Terminals, colour and the real entry points ----------------------------------------------------


def test_no_colour_when_not_a_terminal_and_colour_when_asked(project: Path) -> None:
    plain = subprocess_run([PMCHECK, "check", "flawed.md"], project)
    assert plain.returncode == 1
    assert not ANSI.search(plain.stdout)
    assert plain.stdout.splitlines()[-1] == SUMMARY
    forced = subprocess_run([PMCHECK, "check", "--color", "always", "flawed.md"], project)
    assert ANSI.search(forced.stdout)
    assert ANSI.sub("", forced.stdout) == plain.stdout


def run_in_terminal(args: Sequence[str | Path], cwd: Path, **env: str) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal, as in an interactive shell."""
    pty = pytest.importorskip("pty", reason="Windows has no pseudo-terminals")
    master, slave = pty.openpty()
    environment = (
        {key: value for key, value in os.environ.items() if key != "NO_COLOR"} | {"TERM": "xterm"} | env
    )
    process = subprocess.Popen(
        [str(arg) for arg in args], cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=environment
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=300), b"".join(chunks).decode()


def test_colour_and_progress_on_a_terminal(project: Path) -> None:
    for index in range(35):
        shutil.copy(project / "clean.md", project / f"pm-{index:02d}.md")
    code, screen = run_in_terminal([PMCHECK, "check", "."], project)
    assert code == 1
    assert ANSI.search(screen)
    assert "37/37 files" in screen  # the progress bar, on stderr
    assert "Found 3 problems (2 errors, 1 warning) in 1 of 37 files." in ANSI.sub("", screen)
    code, screen = run_in_terminal([PMCHECK, "check", "."], project, NO_COLOR="1")
    assert code == 1 and not ANSI.search(screen)


def test_python_dash_m_matches_the_console_script(project: Path) -> None:
    module = subprocess_run([sys.executable, "-m", "pmcheck", "check", "flawed.md"], project)
    script = subprocess_run([PMCHECK, "check", "flawed.md"], project)
    assert (module.returncode, module.stdout, module.stderr) == (
        script.returncode,
        script.stdout,
        script.stderr,
    )
    assert module.returncode == 1
    version = subprocess_run([sys.executable, "-m", "pmcheck", "--version"], project)
    assert version.returncode == 0 and version.stdout.startswith("pmcheck ")


# Other sub-commands -----------------------------------------------------------------------------


def test_rules_lists_the_rules_in_force(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    code, out, _err = run(capsys, "rules")
    ids = [line.split()[0] for line in out.splitlines()]
    assert code == 0
    assert ids[:4] == ["PM001", "PM002", "PM003", "PM004"] and "PM042" in ids
    assert all(rule_id.startswith("PM0") for rule_id in ids)
    assert re.search(
        r"^PM031\s+action-owner\s+error\s+Every open corrective action names who owns it\.$",
        out,
        re.MULTILINE,
    )


def test_rules_json_and_rules_turned_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".pmcheck.yml").write_text("packs: [default]\nrules: {PM034: off, PM031: warning}\n")
    monkeypatch.chdir(tmp_path)
    rules = json.loads(run(capsys, "rules", "--format", "json")[1])
    by_id = {rule["id"]: rule for rule in rules}
    assert "PM034" not in by_id
    assert by_id["PM031"] == {
        "id": "PM031",
        "name": "action-owner",
        "severity": "warning",
        "pack": "default",
        "kind": "action-owner",
        "enabled": True,
        "summary": "Every open corrective action names who owns it.",
    }
    listing = run(capsys, "rules", "--all")[1]
    assert re.search(r"^PM034\s+vague-action\s+warning\s+.*\(off\)$", listing, re.MULTILINE)


def test_schema_is_a_valid_json_schema_for_the_config(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load(
        "packs: [default, packs/acme.yml]\nrules:\n  PM031: warning\n  blame: off\n"
        "  PM033: {options: {days: {sev1: 14}}}\nsections: {timeline: [Log]}\nfail_on: warning\n"
    )
    assert list(validator.iter_errors(good)) == []
    for bad in (
        {"fial_on": "error"},
        {"fail_on": "loud"},
        {"rules": {"PM031": "loud"}},
        {"packs": "default"},
    ):
        assert list(validator.iter_errors(bad)), bad


def test_pack_schema_validates_the_builtin_packs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "schema", "pack")
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(schema)
    for name in builtin_packs():
        pack = yaml.safe_load((builtin_pack_dir() / f"{name}.yml").read_text())
        jsonschema.validate(pack, schema, cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"pack": "x", "rules": [{"id": "X1"}]}, schema, cls=jsonschema.Draft202012Validator
        )


def test_actions_as_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "actions", "--format", "json", project / "flawed.md")
    assert (code, err) == (0, "")
    assert json.loads(out) == [
        {
            "path": str(project / "flawed.md"),
            "title": "Queue backlog",
            "incident_date": "2026-01-20",
            "incident_date_source": "front matter",
            "severity": "SEV2",
            "actions": [
                {
                    "text": "Improve monitoring",
                    "line": 32,
                    "owners": [],
                    "deadline": None,
                    "deadline_text": None,
                    "status": None,
                    "state": None,
                    "done": False,
                    "tracking": None,
                    "id": None,
                    "group": None,
                },
                {
                    "text": "Add large orders to the load tests (@tomas, by 2026-02-01)",
                    "line": 33,
                    "owners": ["tomas"],
                    "deadline": "2026-02-01",
                    "deadline_text": "2026-02-01",
                    "status": None,
                    "state": None,
                    "done": False,
                    "tracking": None,
                    "id": None,
                    "group": None,
                },
            ],
        }
    ]


def test_init_writes_a_template_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "postmortems" / "2026-03-02-checkout.md"
    code, out, _err = run(capsys, "init", target, "--date", "2026-03-02", "--title", "Checkout outage")
    assert code == 0 and str(target) in out
    written = target.read_text()
    assert "Checkout outage" in written and "2026-03-02" in written
    target.write_text("my own words\n")
    code, _out, err = run(capsys, "init", target)
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert target.read_text() == "my own words\n"
    assert run(capsys, "init", "--force", target)[0] == 0
    assert target.read_text() != "my own words\n"


def test_init_rejects_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "pm.md"
    code, _out, err = run(capsys, "init", target, "--date", "March 2nd")
    assert code == 2 and "--date" in err
    assert not target.exists()


# The wheel --------------------------------------------------------------------------------------


@pytest.mark.wheel
def test_wheel_ships_the_rule_packs(distributions: Distributions, tmp_path: Path) -> None:
    """Install the built wheel in a virtualenv outside the checkout; the packs must come along.

    The dependencies come from this environment (see ``tests/environments.py``); pmcheck itself only
    from the wheel.
    """
    venv = seeded_venv(tmp_path / "venv")
    pip = [program(venv, "python"), "-m", "pip", "install", "--quiet", "--no-index"]
    installed = subprocess_run([*pip, distributions.wheel], tmp_path)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listing = subprocess_run([program(venv, "pmcheck"), "rules"], elsewhere)
    assert listing.returncode == 0, listing.stderr
    assert re.search(r"^PM031\s+action-owner\s", listing.stdout, re.MULTILINE)
    packs = subprocess_run(
        [
            program(venv, "python"),
            "-c",
            "from pmcheck.rulepack import builtin_pack_dir, builtin_packs; "
            "print(builtin_pack_dir()); print(builtin_packs())",
        ],
        elsewhere,
    )
    where, names = packs.stdout.splitlines()
    assert "site-packages" in where and not where.startswith(str(ROOT)) and where.startswith(str(venv))
    assert names == str(builtin_packs())
    (elsewhere / "pm.md").write_text(FLAWED)
    checked = subprocess_run(
        [program(venv, "python"), "-m", "pmcheck", "check", "-q", "--select", "PM031", "pm.md"], elsewhere
    )
    assert (checked.returncode, checked.stdout) == (1, HEADLINES[0].format(path="pm.md") + "\n")
