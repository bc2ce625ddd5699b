"""A fresh clone with nothing beside it: the suite collects, and the GitHub contract check runs.

The tests copy the tracked files into a folder whose parents hold no `shared/`, as a new contributor's
clone would be, and run pytest there with the same interpreter (pmcheck itself is installed already).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lone_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files a clone has")
    listed = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    clone = tmp_path_factory.mktemp("alone") / "pmcheck"
    for name in filter(None, listed):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = clone / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assert not any((parent / "shared").exists() for parent in clone.parents)
    return clone


def _pytest(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PMCHECK_GITHUB_OPENAPI"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_suite_collects_without_errors_in_a_lone_clone(lone_clone: Path) -> None:
    result = _pytest(lone_clone, "--collect-only", "-q")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "error" not in result.stdout.lower().splitlines()[-1]
    assert " tests collected" in result.stdout or "tests collected" in result.stdout


def test_the_fake_github_is_checked_against_the_kept_api_description(lone_clone: Path) -> None:
    result = _pytest(lone_clone, "-q", "tests/test_github_fake.py", "-k", "openapi or malformed")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout.splitlines()[-1]
    assert "skipped" not in result.stdout.splitlines()[-1]


def test_a_test_that_reads_the_corpus_skips_saying_why(lone_clone: Path) -> None:
    probe = lone_clone / "tests" / "test_corpus_probe.py"
    probe.write_text(
        "from pathlib import Path\n\n\ndef test_reads(corpus: Path) -> None:\n"
        "    assert (corpus / 'documents').is_dir()\n",
        encoding="utf-8",
    )
    try:
        result = _pytest(lone_clone, "-q", "-rs", "tests/test_corpus_probe.py")
    finally:
        probe.unlink()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 skipped" in result.stdout.splitlines()[-1]
    assert "real post-mortem corpus is not at" in result.stdout and "../shared/corpus" in result.stdout
