"""Paths that are not documents: devices, pipes, sockets and files over the size limit are reported
and skipped at once, through the real ``pmcheck`` executable."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from samples import queue_backlog

PMCHECK = Path(sys.executable).with_name("pmcheck")
GOOD = queue_backlog(status="final", vague_action=False)


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The timeout only keeps a hang (a blocked FIFO read) from stalling the suite.
    return subprocess.run(
        [str(PMCHECK), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def messages(result: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        found.setdefault(Path(finding["path"]).name, []).append(finding["message"])
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text(GOOD)
    os.mkfifo(docs / "pipe.md")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(docs / "socket.md"))
    (docs / "big.md").write_text(GOOD + "x" * (5 * 1024 * 1024 + 1))
    return tmp_path


def test_devices_are_reported_not_read(tmp_path: Path) -> None:
    result = run("check", "--format", "json", "/dev/zero", "/dev/urandom", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert messages(result) == {
        "zero": ["cannot check this file: is a character device, not a regular file"],
        "urandom": ["cannot check this file: is a character device, not a regular file"],
    }


def test_pipes_sockets_and_big_files_in_a_folder_are_reported_and_the_rest_checked(folder: Path) -> None:
    result = run("check", "--format", "json", "docs", "docs/pipe.md", cwd=folder)
    assert result.returncode == 1, result.stderr
    found = messages(result)
    assert found["pipe.md"] == ["cannot check this file: is a named pipe (FIFO), not a regular file"]
    assert found["socket.md"] == ["cannot check this file: is a socket, not a regular file"]
    assert found["big.md"] == [
        "cannot check this file: is larger than 5 MB, the most pmcheck reads "
        "(raise max_file_mb in .pmcheck.yml)"
    ]
    assert "good.md" not in found
    assert json.loads(result.stdout)["summary"]["files"] == 4


def test_the_size_limit_is_configurable(folder: Path) -> None:
    (folder / ".pmcheck.yml").write_text("packs: [default]\nmax_file_mb: 6\n")
    result = run("check", "--format", "json", "docs/big.md", cwd=folder)
    assert "big.md" not in messages(result)


def test_fix_skips_a_pipe_without_blocking(folder: Path) -> None:
    result = run("fix", "docs/pipe.md", cwd=folder)
    assert result.returncode == 2
    assert "docs/pipe.md: is a named pipe (FIFO), not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
