"""Habits users bring from ruff, markdownlint-cli2, Vale and yamllint: stdin, --exit-zero,
--output-format, [tool.pmcheck], documentation links, FORCE_COLOR, presets and preview mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from samples import queue_backlog

from pmcheck.cli import main
from pmcheck.commands.shared import use_color
from pmcheck.ruledocs import pages, shipped_rules

ROOT = Path(__file__).resolve().parents[1]
FLAWED = queue_backlog()
DOCS = "https://github.com/pmcheck/pmcheck/blob/main/docs/rules/"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def pmcheck(*args: str, cwd: Path, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "pmcheck", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=environment | env,
        timeout=300,
        check=False,
    )


def test_standard_input_is_checked_as_the_file_it_stands_for(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".pmcheck.yml").write_text("rules:\n  vague-action: off\n")
    done = pmcheck(
        "check",
        "-",
        "--stdin-filename",
        "docs/pm.md",
        "--format",
        "json",
        cwd=tmp_path,
        stdin=FLAWED.encode(),
    )
    data = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert [(f["path"], f["line"], f["rule_id"]) for f in data["findings"]] == [
        ("docs/pm.md", 32, "PM031"),
        ("docs/pm.md", 32, "PM032"),
    ]
    # Without a name it is "-", under the working folder's config.
    plain = pmcheck("check", "-", "--quiet", cwd=tmp_path, stdin=FLAWED.encode())
    assert plain.returncode == 1
    assert plain.stdout.decode().splitlines()[0].startswith("-:32:1: error [PM031 action-owner]")


def test_standard_input_that_is_not_text_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    done = pmcheck("check", "-", "--quiet", cwd=tmp_path, stdin=b"\x00\x01binary")
    assert done.returncode == 1
    assert b"-:1:1: error [PM001 readable-file]" in done.stdout and b"binary" in done.stdout
    assert b"Traceback" not in done.stderr


def test_an_excluded_stdin_filename_checks_nothing_with_force_exclude(tmp_path: Path) -> None:
    done = pmcheck(
        "check", "-", "--stdin-filename", "README.md", "--force-exclude", cwd=tmp_path, stdin=FLAWED.encode()
    )
    assert done.returncode == 0 and b"No post-mortems found" in done.stdout


def test_stdin_filename_without_stdin_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pm.md").write_text(FLAWED)
    code, _out, err = run(capsys, "check", "--stdin-filename", "x.md", tmp_path / "pm.md")
    assert code == 2 and "--stdin-filename needs `-`" in err


def test_exit_zero_and_output_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "pm.md"
    document.write_text(FLAWED)
    code, out, _err = run(capsys, "check", "--exit-zero", "--output-format", "json", document)
    assert code == 0 and json.loads(out)["summary"]["failed"] is True
    # A usage error still says so.
    assert run(capsys, "check", "--exit-zero", "--output-format", "nope", document)[0] == 2


def test_every_finding_links_to_its_rule_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "pm.md"
    document.write_text(FLAWED)
    _code, out, _err = run(capsys, "check", "--show-docs", document)
    assert f"      = docs: {DOCS}action-owner.md" in out
    assert "= docs:" not in run(capsys, "check", document)[1]
    _code, out, _err = run(capsys, "check", "--format", "sarif", document)
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert {rule["id"]: rule["helpUri"] for rule in rules}["PM031"] == f"{DOCS}action-owner.md"
    # The base is the config's to change, for a team that publishes the pages itself.
    (tmp_path / ".pmcheck.yml").write_text("docs_url: https://docs.example.com/pmcheck\n")
    _code, out, _err = run(capsys, "check", "--format", "json", document)
    urls = {finding["url"] for finding in json.loads(out)["findings"]}
    assert "https://docs.example.com/pmcheck/action-owner.md" in urls


def test_the_rule_pages_are_the_packs_docs() -> None:
    """docs/rules/ is generated: `pmcheck rules --write-docs docs/rules` after changing a pack."""
    expected = pages(shipped_rules())
    folder = ROOT / "docs" / "rules"
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.md")}
    assert sorted(on_disk) == sorted(expected), "run `pmcheck rules --write-docs docs/rules`"
    for name, text in expected.items():
        assert on_disk[name] == text, (
            f"docs/rules/{name} is out of date: run `pmcheck rules --write-docs docs/rules`"
        )


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, False, False),
        ("auto", {}, True, True),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, False, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),
    ],
)
def test_colour_choice(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    class Stream:
        def isatty(self) -> bool:
            return tty

    assert use_color(choice, Stream(), env) is expected


def test_force_color_colours_piped_output(tmp_path: Path) -> None:
    (tmp_path / "pm.md").write_text(FLAWED)
    assert b"\x1b[" in pmcheck("check", "pm.md", cwd=tmp_path, FORCE_COLOR="1").stdout
    assert b"\x1b[" not in pmcheck("check", "pm.md", cwd=tmp_path).stdout


# pyproject.toml ----------------------------------------------------------------------------------


def test_tool_pmcheck_in_pyproject_is_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.pmcheck]\nfail_on = "warning"\n\n'
        '[tool.pmcheck.rules]\nPM031 = "off"\n'
    )
    (tmp_path / "pm" / "2026").mkdir(parents=True)
    document = tmp_path / "pm" / "2026" / "q.md"
    document.write_text(FLAWED)
    code, out, _err = run(capsys, "check", "--format", "json", document)
    data = json.loads(out)
    assert {f["rule_id"] for f in data["findings"]} == {"PM032", "PM034"}
    assert data["summary"]["fail_on"] == "warning" and code == 1


def test_a_pyproject_without_the_table_is_passed_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".pmcheck.yml").write_text("rules:\n  PM031: off\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text(
        "[tool.ruff]\nline-length = 100\n# pmcheck is not here\n"
    )
    (tmp_path / "sub" / "pm.md").write_text(FLAWED)
    _code, out, _err = run(capsys, "check", "--format", "json", tmp_path / "sub" / "pm.md")
    assert "PM031" not in {f["rule_id"] for f in json.loads(out)["findings"]}


def test_pmcheck_yml_wins_over_pyproject_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.pmcheck.rules]\nPM032 = "off"\n')
    (tmp_path / ".pmcheck.yml").write_text("rules:\n  PM031: off\n")
    (tmp_path / "pm.md").write_text(FLAWED)
    _code, out, err = run(capsys, "check", "--format", "json", tmp_path / "pm.md")
    data = json.loads(out)
    assert {f["rule_id"] for f in data["findings"]} == {"PM032", "PM034"}
    assert any("[tool.pmcheck]" in notice and "is ignored" in notice for notice in data["notices"])
    assert "[tool.pmcheck]" in err


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[tool.pmcheck]\nfail_on = "sometimes"\n', "pyproject.toml [tool.pmcheck]:2: fail_on:"),
        ('[tool.pmcheck.rules]\nPM999 = "off"\n', "pyproject.toml:2: rules.PM999"),
        ("[tool.pmcheck\nfail_on = 1\n", "pyproject.toml: invalid TOML"),
    ],
)
def test_a_bad_pyproject_table_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, expected: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    (tmp_path / "pm.md").write_text(FLAWED)
    code, _out, err = run(capsys, "check", tmp_path / "pm.md")
    assert code == 2 and expected in err.replace(str(tmp_path) + "/", ""), err
    assert "Traceback" not in err


# presets and preview -----------------------------------------------------------------------------


def test_presets_say_where_a_team_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "pm.md"
    document.write_text(FLAWED)
    config = tmp_path / ".pmcheck.yml"
    config.write_text("extends: recommended\n")
    code, out, _err = run(capsys, "check", "--format", "json", "--select", "PM034", document)
    assert code == 0 and {f["severity"] for f in json.loads(out)["findings"]} == {"warning"}
    config.write_text("extends: strict\n")
    code, out, _err = run(capsys, "check", "--format", "json", "--select", "PM034", document)
    assert code == 1 and {f["severity"] for f in json.loads(out)["findings"]} == {"error"}
    # The file's own settings apply over the preset.
    config.write_text("extends: strict\nrules:\n  vague-action: warning\nfail_on: error\n")
    code, out, _err = run(capsys, "check", "--format", "json", "--select", "PM034", document)
    assert code == 0 and {f["severity"] for f in json.loads(out)["findings"]} == {"warning"}
    config.write_text("extends: lenient\n")
    code, _out, err = run(capsys, "check", document)
    assert code == 2 and ".pmcheck.yml:1: extends:" in err


PREVIEW_PACK = """\
pack: house
rules:
  - id: HS001
    name: house.new-phrase
    kind: text-pattern
    severity: warning
    preview: true
    message: "says {match}"
    docs: {what: Flags a phrase., why: Because., example: "x", instead: "y"}
    options: {patterns: [{label: word, regex: '\\bmonitoring\\b'}]}
  - id: HS002
    name: house.wider
    kind: text-pattern
    severity: warning
    message: "says {match}"
    docs: {what: Flags a phrase., why: Because., example: "x", instead: "y"}
    options: {patterns: [{label: word, regex: '\\bserializer\\b'}]}
    preview_options:
      patterns: [{label: word, regex: '\\bserializer\\b'}, {label: word, regex: '\\bconsumer\\b'}]
"""


def test_preview_rules_and_changes_run_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "house.yml").write_text(PREVIEW_PACK)
    config = tmp_path / ".pmcheck.yml"
    config.write_text("packs: [house.yml]\n")
    document = tmp_path / "pm.md"
    document.write_text(FLAWED)

    def found(*args: str) -> list[str]:
        out = run(capsys, "check", "--format", "json", *args, document)[1]
        return sorted(f"{f['rule_id']}:{f['line']}" for f in json.loads(out)["findings"])

    stable = found()
    serializer = [f"HS002:{n}" for n, line in enumerate(FLAWED.splitlines(), 1) if "serializer" in line]
    consumer = [f"HS002:{n}" for n, line in enumerate(FLAWED.splitlines(), 1) if "consumer" in line]
    assert stable == serializer and consumer
    preview = found("--preview")
    assert preview == sorted(["HS001:32", *serializer, *consumer])
    config.write_text("packs: [house.yml]\npreview: true\n")
    assert found() == preview
    # Selecting a preview rule by name does not run it outside preview mode.
    config.write_text("packs: [house.yml]\n")
    assert found("--select", "HS001") == []
