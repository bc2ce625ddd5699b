"""Baselines: a repository of old post-mortems adopts pmcheck and hears only about new problems."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from samples import queue_backlog

from pmcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BASELINE = ".pmcheck-baseline.json"
VAGUE = "- Improve monitoring\n"


@pytest.fixture
def old_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose post-mortems (the flawed examples) predate pmcheck; the working folder."""
    folder = tmp_path / "postmortems"
    folder.mkdir()
    for path in EXAMPLES.glob("*.md"):
        shutil.copy(path, folder / path.name)
    (tmp_path / ".pmcheck.yml").write_text("files: ['postmortems/**/*.md']\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings(
    capsys: pytest.CaptureFixture[str], *args: str | Path
) -> tuple[int, list[str], dict[str, object]]:
    code, out, _err = run(capsys, "check", "--format", "json", *args)
    data = json.loads(out)
    rows = [f"{f['path']}:{f['line']} {f['rule_id']}" for f in data["findings"]]
    return code, rows, data


def test_old_documents_pass_with_their_baseline(old_docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, before, _ = findings(capsys, ".")
    assert code == 1 and len(before) > 10
    code, _out, err = run(capsys, "baseline", ".")
    assert code == 0 and f"{BASELINE}: {len(before)} entries" in err
    code, after, data = findings(capsys, ".")
    assert (code, after) == (0, [])
    summary = data["summary"]
    assert isinstance(summary, dict) and summary["baselined"] == len(before)
    code, out, _err = run(capsys, "check", ".")
    assert code == 0
    assert f"note: {len(before)} findings already in the baseline {BASELINE} not shown" in out


def test_the_file_is_sorted_stable_and_names_what_it_holds(
    old_docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "baseline")[0] == 0
    first = (old_docs / BASELINE).read_text()
    assert run(capsys, "baseline")[0] == 0
    assert (old_docs / BASELINE).read_text() == first
    data = json.loads(first)
    entries = data["findings"]
    keys = [(e["path"], e["rule"], e["fingerprint"], e["occurrence"]) for e in entries]
    assert keys == sorted(keys) and data["version"] == 1
    # Readable in a review: the action text a finding is about, no line numbers.
    assert any(e["text"] == "- improve monitoring" and e["rule"] == "PM031" for e in entries)
    assert not any("line" in entry for entry in entries)
    # A secret is never copied into the baseline.
    secrets = [e for e in entries if e["rule"] == "PM041"]
    assert secrets and all("text" not in e for e in secrets)


def test_a_new_finding_in_an_old_document_fails(old_docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "baseline")
    document = old_docs / "postmortems" / "2025-11-14-dns-record-removed.md"
    document.write_text(document.read_text() + "- [ ] Someone should look at the retries\n")
    code, rows, _ = findings(capsys, ".")
    last = len(document.read_text().splitlines())
    assert code == 1
    assert rows == [
        f"postmortems/{document.name}:{last} PM031",
        f"postmortems/{document.name}:{last} PM032",
    ]


def test_moving_lines_keeps_the_match_and_editing_the_text_does_not(
    old_docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = old_docs / "postmortems" / "2026-01-20-queue-backlog.md"
    run(capsys, "baseline")
    text = document.read_text()
    lines = text.splitlines(keepends=True)
    first = lines.index("## Action items\n") + 2
    last = next((i for i in range(first, len(lines)) if not lines[i].startswith("- ")), len(lines))
    # Reverse the action list and add a paragraph above it: every flagged line moves.
    moved = [
        *lines[:first],
        "Reviewed again on 2026-02-01.\n",
        "\n",
        *reversed(lines[first:last]),
        *lines[last:],
    ]
    document.write_text("".join(moved))
    assert findings(capsys, ".")[:2] == (0, [])
    # Rewording one flagged action makes its findings new.
    flagged = next(line for line in moved if line.startswith("- Improve"))
    document.write_text("".join(moved).replace(flagged, flagged.replace("Improve", "Improve the")))
    code, rows, _ = findings(capsys, ".")
    assert code == 1 and rows and all(row.startswith(f"postmortems/{document.name}:") for row in rows)


def test_repeated_text_carries_an_occurrence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    document = tmp_path / "pm.md"
    document.write_text(queue_backlog() + VAGUE)
    run(capsys, "baseline", "--select", "PM031", "pm.md")
    entries = json.loads((tmp_path / BASELINE).read_text())["findings"]
    assert [e["occurrence"] for e in entries] == [1, 2]
    assert findings(capsys, "--select", "PM031", "pm.md")[:2] == (0, [])
    document.write_text(queue_backlog() + VAGUE + VAGUE)
    code, rows, _ = findings(capsys, "--select", "PM031", "pm.md")
    assert code == 1 and len(rows) == 1


def test_stale_entries_are_reported_and_pruned(old_docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "baseline")
    before = json.loads((old_docs / BASELINE).read_text())["findings"]
    document = old_docs / "postmortems" / "2026-01-20-queue-backlog.md"
    document.write_text(document.read_text().replace("- Improve monitoring\n", ""))
    code, out, _err = run(capsys, "check", ".")
    assert code == 0
    assert "baseline entries in .pmcheck-baseline.json no longer match a finding" in out
    assert "`pmcheck baseline --prune` drops them" in out
    code, _out, err = run(capsys, "baseline", "--prune")
    after = json.loads((old_docs / BASELINE).read_text())["findings"]
    assert code == 0 and "0 added" in err
    assert {json.dumps(e) for e in after} < {json.dumps(e) for e in before}
    assert not any(e.get("text") == "- improve monitoring" for e in after)
    assert "no longer match" not in run(capsys, "check", ".")[1]
    # --prune never adds: a new finding stays new.
    document.write_text(document.read_text() + VAGUE)
    run(capsys, "baseline", "--prune")
    assert findings(capsys, ".")[0] == 1


def test_a_document_level_finding_is_matched_by_its_subject(
    old_docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = old_docs / "postmortems" / "2025-11-14-dns-record-removed.md"
    run(capsys, "baseline")
    # The missing sections are reported at line 1; a new title does not make them new.
    lines = document.read_text().splitlines(keepends=True)
    title = next(index for index, line in enumerate(lines) if line.startswith("# "))
    lines[title] = "# A different title\n"
    document.write_text("".join(lines))
    assert findings(capsys, ".")[:2] == (0, [])


def test_the_baseline_is_found_by_walking_up_or_given(
    old_docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "baseline")
    shutil.move(old_docs / BASELINE, old_docs / "elsewhere.json")
    assert findings(capsys, "postmortems")[0] == 1
    assert findings(capsys, "--baseline", "elsewhere.json", "postmortems")[:2] == (0, [])
    shutil.move(old_docs / "elsewhere.json", old_docs / BASELINE)
    nested = old_docs / "postmortems"
    assert findings(capsys, nested / "2026-01-20-queue-backlog.md")[:2] == (0, [])
    assert findings(capsys, "--no-baseline", nested / "2026-01-20-queue-backlog.md")[0] == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"version": 1, "findings": [', "is not valid JSON"),
        ("[]", "not a pmcheck baseline"),
        ('{"version": 1, "findings": [{"path": "a.md"}]}', "findings[0]"),
        (
            '{"version": 1, "findings": [{"path": "a.md", "rule": "P", "fingerprint": "x", "occurrence": 0}]'
            "}",
            "occurrence",
        ),
    ],
)
def test_a_corrupt_baseline_is_a_clear_error(
    old_docs: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    (old_docs / BASELINE).write_text(content)
    for command in (["check", "."], ["baseline", "."]):
        code, out, err = run(capsys, *command)
        assert code == 2, command
        assert err.startswith(f"pmcheck: error: {(old_docs / BASELINE).resolve()}") or BASELINE in err
        assert problem in err and "Traceback" not in err + out
