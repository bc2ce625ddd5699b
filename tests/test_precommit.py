"""pmcheck as a pre-commit hook, run by the real pre-commit from a repository a user points at.

The project's working tree is committed into a throwaway repository (the ``repo:`` and ``rev:`` a
user would give for a tag); pre-commit builds the hook's environment from it once per session.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from environments import Snapshot, clean_env, git
from readme_blocks import PROJECT_URL, command_starting

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FLAWED = "2026-01-20-queue-backlog.md"
CLEAN = "2026-03-02-checkout-config-push.md"
FINDING_LINE = re.compile(r"^\S+:\d+:\d+: (?:error|warning|info) \[PM\d{3} [\w.-]+\] \S.*$")
INSTALL_TIMEOUT = 1800


HookSource = Snapshot


def _run(*args: str | Path, cwd: Path, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


_git = git


def _pre_commit(
    *args: str | Path, cwd: Path, home: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "pre_commit", *args, cwd=cwd, home=home, timeout=timeout)


@pytest.fixture(scope="session")
def hook_source(snapshot: Snapshot) -> HookSource:
    """The working tree at a fresh commit (see ``tests/environments.py``)."""
    return snapshot


def _user_repo(
    root: Path, source: HookSource, files: dict[str, str], hook: dict[str, object] | None = None
) -> Path:
    """A user's repository with these files staged and a config using the pmcheck hook (plus ``hook``)."""
    root.mkdir(parents=True, exist_ok=True)
    _git("init", "--quiet", cwd=root, home=source.home)
    hooks = [{"id": "pmcheck", **(hook or {})}]
    config = {"repos": [{"repo": str(source.repo), "rev": source.rev, "hooks": hooks}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    _git("add", "--all", cwd=root, home=source.home)
    return root


@pytest.fixture(scope="session")
def installed(hook_source: HookSource, tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """The hook's environment, built once for the whole session (pip's cache makes it faster)."""
    user = _user_repo(tmp_path_factory.mktemp("install"), hook_source, {})
    done = _pre_commit("install-hooks", cwd=user, home=hook_source.home, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    return hook_source


def _example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _direct(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """pmcheck from the development install: the report the hook must show."""
    return _run(sys.executable, "-m", "pmcheck", "check", "--force-exclude", *args, cwd=cwd, home=home)


# Files the user stages, hook settings, pre-commit's exit code and the hook's status.
RUN_CASES = [
    pytest.param(
        {"PIRs/backlog.markdown": _example(FLAWED), f"postmortems/{CLEAN}": _example(CLEAN)},
        {},
        1,
        "Failed",
        id="flawed-beside-clean",
    ),
    pytest.param({f"incidents/2026/{CLEAN}": _example(CLEAN)}, {}, 0, "Passed", id="clean"),
    pytest.param(
        {f"docs/{FLAWED}": _example(FLAWED), "notes/todo.md": "TODO\n"},
        {},
        0,
        "(no files to check)Skipped",
        id="not-post-mortems",
    ),
    pytest.param(
        {"Post-Mortems/README.md": "# How we write them\n", "retros/TEMPLATE.md": "TODO\n"},
        {},
        0,
        "Passed",
        id="readme-and-template-in-a-post-mortem-folder",
    ),
    pytest.param(
        {f"docs/outages/{FLAWED}": _example(FLAWED)},
        {"files": "^docs/outages/"},
        1,
        "Failed",
        id="files-override",
    ),
]
# The grammar of the text report: every line is one of these.
REPORT_LINES = [
    re.compile(r"^\S+ \(\d+ \w+(?:, \d+ \w+)*\)$"),  # a file's header
    FINDING_LINE,
    re.compile(r"^ +\d+ \| \S.*$"),  # the source line
    re.compile(r"^ +\| +\^+$"),  # carets under the words
    re.compile(r"^ += help: \S.*$"),
    re.compile(r"^Found \d+ problems? \(.+\) in \d+ of \d+ files?\.$"),
    re.compile(r"^$"),
]


@pytest.mark.parametrize(("files", "hook", "code", "status"), RUN_CASES)
def test_hook_shows_pmcheck_report_for_post_mortems_only(
    installed: HookSource,
    tmp_path: Path,
    files: dict[str, str],
    hook: dict[str, object],
    code: int,
    status: str,
) -> None:
    user = _user_repo(tmp_path / "user", installed, files, hook)
    done = _pre_commit("run", "--files", *files, cwd=user, home=installed.home)
    assert done.returncode == code, done.stdout + done.stderr
    assert done.stdout.splitlines()[0].startswith("pmcheck (blameless post-mortems)..."), done.stdout
    assert done.stdout.splitlines()[0].endswith(status), done.stdout
    if code:
        direct = _direct(*files, cwd=user, home=installed.home)
        assert direct.returncode == 1
        assert direct.stdout in done.stdout
        _assert_readable(direct.stdout)
    else:
        assert "Found" not in done.stdout


def _assert_readable(report: str) -> None:
    lines = report.splitlines()
    assert [line for line in lines if not any(pattern.match(line) for pattern in REPORT_LINES)] == []
    assert any(FINDING_LINE.match(line) for line in lines)
    for kind in REPORT_LINES[2:5]:
        assert any(kind.match(line) for line in lines), f"no line like {kind.pattern} in:\n{report}"


def _blame_examples(home: Path) -> list[str]:
    """Examples in which the blame pack finds something (none while the pack has no rules)."""
    done = _run(
        sys.executable,
        "-m",
        "pmcheck",
        "check",
        "--select",
        "blame",
        "--format",
        "json",
        *sorted(EXAMPLES.glob("*.md")),
        cwd=ROOT,
        home=home,
    )
    found = {Path(finding["path"]).name for finding in json.loads(done.stdout)["findings"]}
    return sorted(found | {path.name for path in EXAMPLES.glob("*blame*.md")})


def test_every_example_gives_the_same_report_through_the_hook(installed: HookSource, tmp_path: Path) -> None:
    files = {f"postmortems/{path.name}": _example(path.name) for path in sorted(EXAMPLES.glob("*.md"))}
    user = _user_repo(tmp_path / "user", installed, files, {"args": ["--fail-on=warning"]})
    done = _pre_commit("run", "--files", *files, cwd=user, home=installed.home)
    direct = _direct("--fail-on=warning", *files, cwd=user, home=installed.home)
    assert done.returncode == direct.returncode == 1, done.stdout + done.stderr
    assert direct.stdout in done.stdout
    for name in _blame_examples(installed.home):
        blame_line = rf"^postmortems/{re.escape(name)}:\d+:\d+: \w+ \[PM\d+ blame\."
        assert re.search(blame_line, done.stdout, re.MULTILINE), name


def test_warnings_pass_the_hook_and_show_with_verbose(installed: HookSource, tmp_path: Path) -> None:
    names = _blame_examples(installed.home) or [FLAWED]
    files = {f"postmortems/{name}": _example(name) for name in names}
    hook = {"verbose": True, "args": ["--select=blame,PM034"]}
    user = _user_repo(tmp_path / "user", installed, files, hook)
    done = _pre_commit("run", "--files", *files, cwd=user, home=installed.home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    assert re.search(r"^postmortems/\S+:\d+:\d+: warning \[PM\d+ ", done.stdout, re.MULTILINE), done.stdout


def test_the_readmes_try_repo_command_runs_the_hook_from_a_clone(
    installed: HookSource, tmp_path: Path
) -> None:
    """The README's own commands, in a user's repository: ``pmcheck init``, then ``pre-commit try-repo``.

    Only the project's URL becomes the local clone; ``tests/test_readme_commands.py`` hands this
    command to this test, so the hook's environment (spaCy included) is built once per session.
    """
    init = command_starting("pmcheck init ")
    try_repo = command_starting("pre-commit try-repo ")
    user = tmp_path / "user"
    user.mkdir()
    _git("init", "--quiet", cwd=user, home=installed.home)
    created = _run(
        sys.executable, "-m", "pmcheck", *shlex.split(init.text)[1:], cwd=user, home=installed.home
    )
    assert created.returncode == init.exit_code, created.stderr
    args = [str(installed.repo) if a == PROJECT_URL else a for a in shlex.split(try_repo.text)[1:]]
    assert args != shlex.split(try_repo.text)[1:], f"the README's try-repo names {PROJECT_URL}"
    done = _pre_commit(*args, cwd=user, home=installed.home, timeout=INSTALL_TIMEOUT)
    assert done.returncode == try_repo.exit_code, done.stdout + done.stderr
    assert f"rev: {installed.rev}" in done.stdout
    document = args[args.index("--files") + 1]
    assert _direct(document, cwd=user, home=installed.home).stdout in done.stdout
    assert "PM040 placeholder" in done.stdout, "the template's TODOs are what fails, as the README says"


def test_the_hook_reports_only_what_the_baseline_does_not_hold(installed: HookSource, tmp_path: Path) -> None:
    name = f"postmortems/{FLAWED}"
    user = _user_repo(tmp_path / "user", installed, {name: _example(FLAWED)}, {"verbose": True})
    recorded = _run(sys.executable, "-m", "pmcheck", "baseline", cwd=user, home=installed.home)
    assert recorded.returncode == 0, recorded.stderr
    _git("add", "--all", cwd=user, home=installed.home)
    done = _pre_commit("run", "--files", name, cwd=user, home=installed.home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "already in the baseline .pmcheck-baseline.json not shown" in done.stdout
    # A new ownerless action in the old document fails the commit, and only it is reported.
    (user / name).write_text(_example(FLAWED) + "- Someone should look at the retries\n", encoding="utf-8")
    _git("add", "--all", cwd=user, home=installed.home)
    done = _pre_commit("run", "--files", name, cwd=user, home=installed.home)
    assert done.returncode == 1, done.stdout + done.stderr
    found = [line for line in done.stdout.splitlines() if FINDING_LINE.match(line)]
    assert found and all("look at the retries" in line for line in found), done.stdout
