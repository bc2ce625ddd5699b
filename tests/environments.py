"""pmcheck as users get it: a clone at a commit, built distributions, installed without a second spaCy.

``snapshot`` commits the working tree (tracked and untracked files, as git would commit them) into a
throwaway repository once per session: what ``git clone``, ``repo:``/``rev:`` and ``try-repo`` see.
``distributions`` builds the sdist and the wheel once per session, with ``python -m build`` as the
release workflow does. ``seeded_venv`` makes a virtual environment whose dependencies come from the
environment running the tests: one ``.pth`` line names its site-packages, so pip finds spaCy, the
English pipeline and the rest installed and adds only pmcheck itself. That line is the one stand-in;
pip, the wheel and the console scripts are real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def scripts(venv: Path) -> Path:
    """The folder of a virtual environment's programs: ``bin``, or ``Scripts`` on Windows."""
    return venv / ("Scripts" if os.name == "nt" else "bin")


def program(venv: Path, name: str) -> Path:
    return scripts(venv) / (f"{name}.exe" if os.name == "nt" else name)


def seeded_venv(venv: Path, *, python: str = sys.executable) -> Path:
    """A virtual environment at ``venv`` (kept if it exists) that sees this environment's packages."""
    if not program(venv, "python").exists():
        subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    purelib = subprocess.run(
        [str(program(venv, "python")), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    (Path(purelib) / "_pmcheck_test_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    return venv


@dataclass(frozen=True)
class Snapshot:
    """A repository holding the project at one commit, and a home for git and pre-commit state."""

    repo: Path
    rev: str
    home: Path


def clean_env(home: Path) -> dict[str, str]:
    """This environment without outer git or pre-commit settings (a run inside a hook, a global config)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
    )
    return env


def git(*args: str, cwd: Path, home: Path) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=clean_env(home), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    home = tmp_path_factory.mktemp("pre-commit-home")
    repo = tmp_path_factory.mktemp("pmcheck-clone")
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT, home=home)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git("init", "--quiet", cwd=repo, home=home)
    git("add", "--all", cwd=repo, home=home)
    git("commit", "--quiet", "--message", "pmcheck snapshot", cwd=repo, home=home)
    return Snapshot(repo=repo, rev=git("rev-parse", "HEAD", cwd=repo, home=home).strip(), home=home)


@dataclass(frozen=True)
class Distributions:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [wheel] = out.glob("pmcheck-*.whl")
    [sdist] = out.glob("pmcheck-*.tar.gz")
    return Distributions(wheel=wheel, sdist=sdist)


CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The team's real post-mortems, beside the clone; tests that need them skip, saying why, without."""
    if not (CORPUS / "documents").is_dir():
        pytest.skip(
            f"the real post-mortem corpus is not at {CORPUS} (../shared/corpus beside the clone); "
            "only the team's machines have it, so the accuracy tests that read it are skipped"
        )
    return CORPUS
