"""Bad input next to good files: each problem is named with its file and line, never a traceback,
and the other files are still checked. Everything runs through the real ``pmcheck`` executable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from samples import queue_backlog

PMCHECK = Path(sys.executable).with_name("pmcheck")
TEN_MB = 10 * 1024 * 1024

GOOD = queue_backlog(status="final", vague_action=False)
FLAWED = GOOD.replace("## Action items\n\n", "## Action items\n\n- Improve monitoring\n")  # line 32


def huge_document() -> str:
    """A post-mortem of about 10 MB: many sections, timelines and lists, then a long pasted log."""
    section = (
        "## Note {n}\n\nAt 14:02 UTC the consumer slowed; @alice paged the on-call engineer, who rolled "
        "back after checking the dashboard.\n\n- 14:05 alert fired\n- 14:09 rollback started\n\n"
    )
    notes = "".join(section.format(n=n) for n in range(5_000))
    log_line = "2026-01-20T09:12:{s:02d}Z consumer[{n}] WARN slow serialize order_id={n} took 812ms\n"
    log = []
    size = len(GOOD) + len(notes)
    for n in range(10**7):
        if size >= TEN_MB:
            break
        log.append(log_line.format(s=n % 60, n=n))
        size += len(log[-1])
    # A placeholder on the last line proves the whole document was read and checked.
    return GOOD + notes + "## Appendix: consumer log\n\n```\n" + "".join(log) + "```\n\nTODO\n"


def make_documents(folder: Path) -> None:
    folder.mkdir()
    (folder / "good.md").write_text(GOOD)
    (folder / "flawed.md").write_text(FLAWED)
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.md").write_text("\n   \n\t\n")
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / "latin1.md").write_bytes(b"# Outage\n\nThe caf\xe9 menu service failed.\n")
    (folder / "bom-crlf.md").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    (folder / "huge.md").write_text(huge_document())
    with (folder / "too-big.md").open("wb") as handle:  # over the configured 20 MB: refused
        handle.truncate(21 * 1024 * 1024)
    (folder / "nested-lists.md").write_text("# Deep\n\n" + "- " * 10_000 + "x\n")
    (folder / "nested-quotes.md").write_text("# Deep\n\n" + "> " * 10_000 + "x\n")
    (folder / "nested-mixed.md").write_text("# Deep\n\n" + "1. > - " * 3_400 + "x\n")
    (folder / "bad-front-matter.md").write_text(
        '---\ndate: 2026-01-20\ntitle: "Queue backlog\n---\n# Queue\n'
    )
    (folder / "list-front-matter.md").write_text("---\n- a\n- b\n---\n# Queue\n")
    (folder / "dangling.md").symlink_to(folder / "deleted.md")
    (folder / "loop-a.md").symlink_to(folder / "loop-b.md")
    (folder / "loop-b.md").symlink_to(folder / "loop-a.md")
    (folder / "folder.md").mkdir()  # a directory with a document's name is walked as a folder
    (folder / "folder.md" / "inside.md").write_text(GOOD)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad-input")
    (root / ".pmcheck.yml").write_text("packs: [default]\nmax_file_mb: 20\n")
    make_documents(root / "docs")
    return root


def pmcheck(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    # The timeout only keeps a hang from stalling the suite; it is not a speed requirement.
    return subprocess.run(
        [str(PMCHECK), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )


UNREADABLE = {
    "empty.md": (1, "the file is empty"),
    "blank.md": (1, "the file is empty"),
    "binary.md": (1, "looks like a binary file (it contains NUL bytes), not Markdown"),
    "latin1.md": (3, "is not valid UTF-8 (byte 0xe9 at offset 17); save it as UTF-8"),
    "too-big.md": (1, "is larger than 20 MB, the most pmcheck reads (raise max_file_mb in .pmcheck.yml)"),
    "dangling.md": (1, "is a symbolic link to a file that does not exist"),
    "loop-a.md": (1, "cannot read: Too many levels of symbolic links"),
    "loop-b.md": (1, "cannot read: Too many levels of symbolic links"),
}
BAD_FRONT_MATTER = {
    "bad-front-matter.md": (3, "front matter is not valid YAML"),
    "list-front-matter.md": (1, "front matter must be a mapping of keys to values"),
}
CHECKED_NORMALLY = [
    "good.md",
    "bom-crlf.md",
    "huge.md",
    "folder.md/inside.md",
    "nested-lists.md",
    "nested-quotes.md",
    "nested-mixed.md",
]


FolderRun = tuple[subprocess.CompletedProcess[str], dict[str, list[dict[str, object]]]]


@pytest.fixture(scope="module")
def folder_run(documents: Path) -> FolderRun:
    result = pmcheck("check", "--format", "json", "docs", cwd=documents)
    by_file: dict[str, list[dict[str, object]]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        by_file.setdefault(Path(str(finding["path"])).relative_to("docs").as_posix(), []).append(finding)
    return result, by_file


def test_a_folder_with_bad_files_is_checked_to_the_end(folder_run: FolderRun) -> None:
    result, _by_file = folder_run
    assert result.returncode == 1
    assert result.stderr == ""
    assert json.loads(result.stdout)["summary"]["files"] == 18  # every file under docs/, each once


@pytest.mark.parametrize(("name", "line", "message"), [(name, *case) for name, case in UNREADABLE.items()])
def test_unreadable_file_is_one_finding_naming_why(
    name: str, line: int, message: str, folder_run: FolderRun
) -> None:
    [finding] = folder_run[1][name]
    assert (finding["rule_id"], finding["severity"], finding["line"]) == ("PM001", "error", line)
    assert finding["message"] == f"cannot check this file: {message}"


@pytest.mark.parametrize(
    ("name", "line", "message"), [(name, *case) for name, case in BAD_FRONT_MATTER.items()]
)
def test_malformed_front_matter_is_reported_at_its_line(
    name: str, line: int, message: str, folder_run: FolderRun
) -> None:
    found = [(f["rule_id"], f["line"]) for f in folder_run[1][name] if str(f["message"]).startswith(message)]
    assert found == [("PM002", line)]


@pytest.mark.parametrize("name", CHECKED_NORMALLY)
def test_odd_but_readable_files_are_checked_like_any_other(name: str, folder_run: FolderRun) -> None:
    findings = folder_run[1].get(name, [])
    assert all(finding["rule_id"] != "PM001" for finding in findings), findings
    if name in ("good.md", "bom-crlf.md", "folder.md/inside.md"):
        assert findings == []


def test_the_huge_document_is_checked_to_its_last_line(documents: Path, folder_run: FolderRun) -> None:
    last_line = (documents / "docs" / "huge.md").read_text().count("\n")
    assert [(f["rule_id"], f["line"]) for f in folder_run[1]["huge.md"]] == [("PM040", last_line)]


def test_findings_in_good_files_are_still_reported(folder_run: FolderRun) -> None:
    assert [(f["rule_id"], f["line"]) for f in folder_run[1]["flawed.md"]] == [
        ("PM031", 32),
        ("PM032", 32),
        ("PM034", 32),
    ]


def test_text_messages_name_the_file_and_line(documents: Path) -> None:
    result = pmcheck(
        "check",
        "-q",
        "--select",
        "PM001,PM002",
        "docs/latin1.md",
        "docs/good.md",
        "docs/binary.md",
        "docs/loop-a.md",
        "docs/bad-front-matter.md",
        cwd=documents,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "docs/bad-front-matter.md:3:1: error [PM002 front-matter-syntax] front matter is not valid YAML: "
        "found unexpected end of stream",
        "docs/binary.md:1:1: error [PM001 readable-file] cannot check this file: looks like a binary file "
        "(it contains NUL bytes), not Markdown",
        "docs/latin1.md:3:1: error [PM001 readable-file] cannot check this file: is not valid UTF-8 "
        "(byte 0xe9 at offset 17); save it as UTF-8",
        "docs/loop-a.md:1:1: error [PM001 readable-file] cannot check this file: cannot read: "
        "Too many levels of symbolic links",
    ]
    assert "Traceback" not in result.stderr


def test_paths_that_do_not_exist_are_usage_errors_after_checking_the_rest(documents: Path) -> None:
    result = pmcheck(
        "check", "-q", "docs/flawed.md", "docs/missing.md", "docs/dangling.md", "docs/good.md", cwd=documents
    )
    assert result.returncode == 2
    assert result.stderr == "pmcheck: error: docs/missing.md: no such file or directory\n"
    assert result.stdout.splitlines() == [
        "docs/dangling.md:1:1: error [PM001 readable-file] cannot check this file: "
        "is a symbolic link to a file that does not exist",
        "docs/flawed.md:32:1: error [PM031 action-owner] corrective action has no owner: "
        '"Improve monitoring"',
        "docs/flawed.md:32:1: error [PM032 action-deadline] corrective action has no deadline: "
        '"Improve monitoring"',
        "docs/flawed.md:32:3: warning [PM034 vague-action] corrective action is vague "
        '("Improve monitoring"): "Improve monitoring"',
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("folder.md", "is a directory, not a file"),
        ("binary.md", "looks like a binary file"),
        ("dangling.md", "is a symbolic link to a file that does not exist"),
    ],
)
def test_actions_of_a_file_that_cannot_be_read(name: str, message: str, documents: Path) -> None:
    result = pmcheck("actions", "--format", "json", f"docs/{name}", "docs/good.md", cwd=documents)
    assert result.returncode == 1
    assert f"docs/{name}:1: cannot check this file: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert [document["path"] for document in json.loads(result.stdout)] == ["docs/good.md"]
