"""Hostile configs and packs: each is an exit 2 at load naming the file and line, never a hang, an
internal-error finding on every document, or a pack silently read from elsewhere."""

from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path

import pytest
from samples import queue_backlog

from pmcheck.cli import main
from pmcheck.errors import ConfigError
from pmcheck.yamlfile import parse_yaml

DOC = queue_backlog()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["check", "--format", "json", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def alias_bomb(levels: int = 9) -> str:
    """Nine anchors of nine aliases each: a few hundred bytes that expand to 9**9 values."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def pack(message: str, regex: str) -> str:
    """A one-rule pack; the message is line 6 and the regular expression line 9."""
    return (
        "pack: house\n"
        "rules:\n"
        "  - id: HS001\n"
        "    name: house.rule\n"
        "    kind: text-pattern\n"
        f"    message: {message}\n"
        "    options:\n"
        "      patterns:\n"
        f"        - {{label: thing, regex: '{regex}'}}\n"
        '    docs: {what: w., why: w., example: "x", instead: "y"}\n'
    )


@pytest.mark.parametrize(
    ("where", "line", "message"),
    [
        ("config", 6, "aliases expand it past 100,000 values"),
        ("pack", 6, "aliases expand it past 100,000 values"),
    ],
)
def test_yaml_alias_bombs_are_refused_with_file_and_line(
    where: str, line: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = alias_bomb()
    document = write(tmp_path / "pm.md", DOC)
    if where == "config":
        target = write(tmp_path / ".pmcheck.yml", bomb)
    else:
        target = write(tmp_path / "packs" / "bomb.yml", bomb)
        write(tmp_path / ".pmcheck.yml", "packs: [default, packs/bomb.yml]\n")
    started = time.monotonic()
    code, out, err = run(capsys, document)
    assert time.monotonic() - started < 60  # a guard against the old endless growth, not a speed test
    assert (code, out) == (2, "")
    assert f"{target.resolve() if where == 'pack' else target}:{line}: invalid YAML: {message}" in err


def test_a_self_referring_alias_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write(tmp_path / ".pmcheck.yml", "files: &loop\n  - *loop\n")
    code, _out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert code == 2 and f"{config}:" in err and "Traceback" not in err


def test_shared_lists_through_a_few_aliases_still_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".pmcheck.yml", "files: &docs ['**/*.md']\nexclude: *docs\npacks: [default]\n")
    code, _out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert code in (0, 1) and err == ""


@pytest.mark.parametrize(("items", "refused"), [(99_999, False), (100_000, True)])
def test_yaml_without_aliases_is_held_to_the_same_node_bound(items: int, refused: bool) -> None:
    # A list of N scalars is N + 1 nodes: the bound is 100,000 values with or without aliases.
    text = "- a\n" * items
    if refused:
        with pytest.raises(ConfigError, match="aliases expand it past 100,000 values"):
            parse_yaml(text, "big.yml", ConfigError)
    else:
        assert len(parse_yaml(text, "big.yml", ConfigError).data) == items


@pytest.mark.parametrize(("tail", "refused"), [("- z\n", False), ("- z\n- z\n", True)])
def test_values_shared_through_aliases_count_once_per_alias(tail: str, refused: bool) -> None:
    # One list of 49,998 scalars written once and named again by an alias: 1 + 2 * 49,999 + 1 =
    # 100,000 values, at the bound; one more scalar is past it.
    text = "- &shared\n" + "  - a\n" * 49_998 + "- *shared\n" + tail
    if refused:
        with pytest.raises(ConfigError, match="aliases expand it past 100,000 values"):
            parse_yaml(text, "big.yml", ConfigError)
    else:
        assert len(parse_yaml(text, "big.yml", ConfigError).data[1]) == 49_998


@pytest.mark.parametrize(("aliases", "refused"), [(1_000, False), (1_001, True)])
def test_yaml_is_held_to_a_thousand_aliases(aliases: int, refused: bool) -> None:
    text = "a: &word w\nb: [" + ", ".join(["*word"] * aliases) + "]\n"
    if refused:
        with pytest.raises(ConfigError, match="more than 1000 aliases"):
            parse_yaml(text, "many.yml", ConfigError)
    else:
        assert len(parse_yaml(text, "many.yml", ConfigError).data["b"]) == aliases


@pytest.mark.parametrize(
    ("regex", "problem"),
    [
        ("(a+)+$", "it nests quantifiers"),
        ("(a|aa)*b", "it repeats alternatives that can match the same text"),
        (r"(\w+\s?)*!", "it nests quantifiers"),
    ],
)
def test_user_patterns_that_backtrack_are_refused_at_load(
    regex: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_file = write(tmp_path / "packs" / "house.yml", pack('"x {match}"', regex))
    write(tmp_path / ".pmcheck.yml", "packs: [default, packs/house.yml]\n")
    code, out, err = run(capsys, write(tmp_path / "pm.md", DOC + "a" * 40 + "!\n"))
    assert (code, out) == (2, "")
    assert f"{pack_file.resolve()}:9: rule HS001 (house.rule): options.patterns.0.regex: " in err
    assert problem in err


@pytest.mark.parametrize("where", ["pack", "config"])
def test_a_user_pattern_that_does_not_compile_is_refused_at_load(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Shipped patterns are compiled where their rules run; a user's are compiled at load.
    if where == "pack":
        write(tmp_path / "packs" / "house.yml", pack('"x {match}"', "(unclosed"))
        write(tmp_path / ".pmcheck.yml", "packs: [default, packs/house.yml]\n")
    else:
        write(tmp_path / ".pmcheck.yml", "rules:\n  PM040:\n    options:\n      allow: ['(unclosed']\n")
    code, out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert (code, out) == (2, "")
    assert "not a valid regular expression" in err and ("house.yml:9:" in err or ".pmcheck.yml" in err)


def test_user_patterns_in_the_config_are_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / ".pmcheck.yml",
        "packs: [default]\nrules:\n  PM040:\n    options:\n      patterns:\n"
        "        - {label: x, regex: '(a+)+$'}\n",
    )
    code, _out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert code == 2 and "it nests quantifiers" in err and ".pmcheck.yml:" in err


def test_guidance_cues_of_a_user_pack_are_checked_at_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_file = write(
        tmp_path / "packs" / "house.yml",
        "pack: house\n"
        "rules:\n"
        "  - id: HS002\n"
        "    name: house.blame\n"
        "    kind: nlp-phrase\n"
        "    message: blames\n"
        "    options:\n"
        "      phrases: [human error]\n"
        "      guidance_cues: ['(a|aa)*b']\n"
        '    docs: {what: w., why: w., example: "x", instead: "y"}\n',
    )
    write(tmp_path / ".pmcheck.yml", "packs: [default, packs/house.yml]\n")
    code, out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert (code, out) == (2, "")
    assert f"{pack_file.resolve()}:9: rule HS002 (house.blame): options.guidance_cues.0: " in err
    assert "it repeats alternatives that can match the same text" in err


def test_a_slow_user_pattern_is_stopped_and_reported_on_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Polynomial rather than nested, so the load-time check lets it through; the time limit stops it.
    monkeypatch.setattr("pmcheck.saferegex.SECONDS_PER_DOCUMENT", 0.2)
    monkeypatch.setattr("pmcheck.saferegex.SECONDS_PER_MEGABYTE", 0.0)
    slow = "a.*b.*c.*d.*e.*f.*g"
    write(tmp_path / "packs" / "house.yml", pack('"x {match}"', slow))
    write(tmp_path / ".pmcheck.yml", "packs: [default, packs/house.yml]\n")
    code, out, err = run(capsys, write(tmp_path / "pm.md", DOC + "abcdef" * 3000 + "\n"))
    assert code == 1, err
    [stopped] = [finding for finding in json.loads(out)["findings"] if finding["rule_id"] == "HS001"]
    assert "ran past 0.2 s on this document and were stopped" in stopped["message"]


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ('"bad {nope} {0} {"', "Single '{' encountered"),
        ('"bad {nope} {0}"', "{0} is a positional field"),
        ('"unclosed {match"', "not a valid message template"),
        ('"{match.__class__}"', "is not a plain name"),
    ],
)
def test_bad_message_templates_are_refused_at_load(
    message: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_file = write(tmp_path / "packs" / "house.yml", pack(message, "x"))
    write(tmp_path / ".pmcheck.yml", "packs: [default, packs/house.yml]\n")
    code, out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert (code, out) == (2, "")
    assert f"{pack_file.resolve()}:6: rules.0.message: " in err and problem in err


def test_packs_outside_the_config_folder_are_refused_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "outside" / "pack.yml", pack('"x {match}"', "zz"))
    config = write(tmp_path / "repo" / ".pmcheck.yml", "packs:\n  - default\n  - ../outside/pack.yml\n")
    document = write(tmp_path / "repo" / "pm.md", DOC)
    code, out, err = run(capsys, document)
    assert (code, out) == (2, "")
    assert f"{config}:3: packs: " in err and "is outside" in err and "packs_outside: true" in err
    write(
        tmp_path / "allowed" / ".pmcheck.yml", "packs_outside: true\npacks: [default, ../outside/pack.yml]\n"
    )
    code, _out, err = run(capsys, write(tmp_path / "allowed" / "pm.md", DOC))
    assert code in (0, 1) and err == ""


@pytest.mark.parametrize("kind", ["folder", "loop", "fifo", "dangling"])
def test_odd_config_files_are_reported(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / ".pmcheck.yml"
    if kind == "folder":
        config.mkdir()
    elif kind == "loop":
        config.symlink_to(tmp_path / "other.yml")
        (tmp_path / "other.yml").symlink_to(config)
    elif kind == "fifo":
        os.mkfifo(config)
    else:
        config.symlink_to(tmp_path / "gone.yml")
    code, out, err = run(capsys, write(tmp_path / "pm.md", DOC))
    assert (code, out) == (2, "")
    assert f"{config}: " in err and "a config file must be a regular file" in err


def test_an_explicit_fifo_config_does_not_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "fifo.yml")
    code, _out, err = run(capsys, "--config", tmp_path / "fifo.yml", write(tmp_path / "pm.md", DOC))
    assert code == 2 and "is a named pipe (FIFO)" in err


@pytest.mark.parametrize(
    ("front", "rule", "shown"),
    [
        ("date: 2026-13-45", "PM004", 'date is "2026-13-45"; expected a date such as 2026-03-02'),
        ("severity: " + "9" * 5000, "PM004", 'severity is "' + "9" * 59 + '…"; expected SEV0'),
    ],
)
def test_front_matter_values_that_do_not_parse_are_findings_and_every_rule_still_runs(
    front: str, rule: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = front.split(":", 1)[0]
    original = next(line for line in DOC.splitlines() if line.startswith(f"{key}: "))
    document = write(tmp_path / "pm.md", DOC.replace(original, front, 1))
    assert document.read_text().count(front) == 1
    code, out, err = run(capsys, document)
    assert code == 1 and err == ""
    findings = json.loads(out)["findings"]
    line = document.read_text().splitlines().index(front) + 1
    [value] = [f for f in findings if f["rule_id"] == rule and f["line"] == line]
    assert value["message"].startswith(shown)
    assert not [f for f in findings if f["rule_id"] == "PM001"], "no internal error"
    assert {"PM031", "PM032"} <= {f["rule_id"] for f in findings}, "the other rules ran"
    assert main(["fix", "--write", str(document)]) == 0
    assert front in document.read_text().splitlines()
