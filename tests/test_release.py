"""The release path: what ``release.yml`` builds and tags, and the tags the README tells users to pin.

The workflow's own shell steps run here (the version check, moving the major tag against a local
``origin``); building uses ``python -m build`` as the workflow does (the ``distributions`` fixture);
``pre-commit autoupdate`` runs against a local copy of the project, with and without a release tag.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from environments import Distributions, Snapshot, clean_env, git
from readme_blocks import PROJECT_URL

ROOT = Path(__file__).resolve().parents[1]
RELEASE = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
VERSION = next(re.finditer(r'^version = "([^"]+)"$', PYPROJECT, re.MULTILINE)).group(1)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _step(job: str, name: str) -> dict[str, Any]:
    (step,) = [s for s in RELEASE["jobs"][job]["steps"] if s.get("name") == name]
    return step


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_release_starts_from_a_version_tag_and_publishes_in_order() -> None:
    assert RELEASE[True]["push"]["tags"] == ["v[0-9]+.[0-9]+.[0-9]+"]  # PyYAML reads `on:` as True
    jobs = RELEASE["jobs"]
    assert jobs["pypi"]["needs"] == "build" and jobs["github-release"]["needs"] == "pypi"
    assert jobs["major-tag"]["needs"] == "github-release"
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}, "trusted publishing, nothing else"
    assert any(
        str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish") for s in jobs["pypi"]["steps"]
    )
    assert "python -m build" in _step("build", "Build the sdist and the wheel")["run"]
    assert "gh release create" in _step("github-release", "Create the GitHub release")["run"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="the step uses tomllib (3.11+); the job runs 3.12")
@pytest.mark.parametrize(("tag", "passes"), [(f"v{VERSION}", True), ("v99.0.0", False)])
def test_the_tag_must_name_the_version_in_pyproject(tag: str, passes: bool, tmp_path: Path) -> None:
    step = _step("build", "The tag names the version in pyproject.toml")
    done = _bash(step["run"], ROOT, {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "TAG": tag})
    assert (done.returncode == 0) is passes, done.stdout + done.stderr
    if not passes:
        assert f"tag {tag} does not match version {VERSION}" in done.stdout


def test_the_major_tag_follows_each_release(snapshot: Snapshot, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    git("clone", "--quiet", "--bare", str(snapshot.repo), str(origin), cwd=tmp_path, home=snapshot.home)
    work = tmp_path / "work"
    git("clone", "--quiet", str(origin), str(work), cwd=tmp_path, home=snapshot.home)
    script = _step("major-tag", "Move the major tag to this release")["run"]
    env = clean_env(snapshot.home)

    def release(tag: str) -> str:
        sha = git("rev-parse", "HEAD", cwd=work, home=snapshot.home).strip()
        done = _bash(script, work, env | {"TAG": tag, "GITHUB_SHA": sha})
        assert done.returncode == 0, done.stderr
        return sha

    first = release("v0.1.0")
    git("commit", "--quiet", "--allow-empty", "-m", "next", cwd=work, home=snapshot.home)
    second = release("v0.2.0")
    tags = git("ls-remote", "--tags", str(origin), cwd=tmp_path, home=snapshot.home)
    assert f"{second}\trefs/tags/v0\n" in tags and first != second


def test_the_distributions_carry_the_licence_and_what_tests_need(distributions: Distributions) -> None:
    with zipfile.ZipFile(distributions.wheel) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert {"pmcheck/packs/default.yml", "pmcheck/packs/blame.yml"} <= set(names)
    with tarfile.open(distributions.sdist) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {
        "LICENSE",
        "README.md",
        "RELEASING.md",
        "tests/github_fake/openapi-subset.json",
        "tests/github_fake/OPENAPI-LICENSE.md",
    } <= inside
    assert distributions.wheel.name.startswith(f"pmcheck-{VERSION}-")


def test_the_readme_pins_tags_that_the_release_creates() -> None:
    assert re.search(rf"^\s+rev: v{re.escape(VERSION)}\b", README, re.MULTILINE), "pre-commit: the exact tag"
    major = VERSION.split(".")[0]
    pinned = set(re.findall(r"pmcheck/pmcheck@(v\d+)\b", README))
    for path in (ROOT / "examples" / "workflows").glob("*.yml"):
        pinned |= set(re.findall(r"pmcheck/pmcheck@(v\d+)\b", path.read_text(encoding="utf-8")))
    assert pinned == {f"v{major}"}, "the Action: the major tag release.yml moves"
    publish = (ROOT / "examples" / "workflows" / "publish-report.yml").read_text(encoding="utf-8")
    assert f"PMCHECK_VERSION: v{VERSION}" in publish
    assert "pre-commit autoupdate" in README and "commit SHA" in README


def _autoupdate(source: Path, user: Path, home: Path) -> str:
    snippet = README.split("## Pre-commit hook", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (user / ".pre-commit-config.yaml").write_text(snippet.replace(PROJECT_URL, str(source)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "autoupdate", "--repo", str(source)],
        cwd=user,
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return str(yaml.safe_load((user / ".pre-commit-config.yaml").read_text())["repos"][0]["rev"])


def test_pre_commit_autoupdate_pins_a_commit_before_the_first_release_and_the_tag_after(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    git("init", "--quiet", cwd=user, home=snapshot.home)
    assert _autoupdate(snapshot.repo, user, snapshot.home) == snapshot.rev
    released = tmp_path / "released"
    git("clone", "--quiet", str(snapshot.repo), str(released), cwd=tmp_path, home=snapshot.home)
    git("tag", "-a", f"v{VERSION}", "-m", "release", cwd=released, home=snapshot.home)
    assert _autoupdate(released, user, snapshot.home) == f"v{VERSION}"
