"""The cost of pmcheck as a pre-commit hook, beside plain ``pmcheck check`` on the same files.

Usage: python benchmarks/precommit_overhead.py [--runs 7] [--files 50] [--keep]

Commits the working tree into a throwaway repository (the ``repo:`` and ``rev:`` a user gives),
times the hook's first install into a fresh PRE_COMMIT_HOME (what a user waits for once) and a
second install into another (with pip's cache warm), then times ``pre-commit run --files`` on one
file and on N copies of the examples against ``pmcheck check --force-exclude`` from the hook's own
environment on the same files: median, fastest and slowest of several runs after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
    )
    return env


Done = subprocess.CompletedProcess[str]


def _run(args: Sequence[str | Path], *, cwd: Path, home: Path) -> tuple[float, Done]:
    """Run a command; return its wall-clock seconds and its result."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=_env(home), capture_output=True, text=True, check=False
    )
    return time.perf_counter() - start, done


def _git(*args: str, cwd: Path, home: Path) -> str:
    _seconds, done = _run(["git", *args], cwd=cwd, home=home)
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def snapshot(work: Path, home: Path) -> tuple[Path, str]:
    """The working tree, as git would commit it, committed into a repository of its own."""
    repo = work / "pmcheck"
    listed = _git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT, home=home)
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    _git("init", "--quiet", cwd=repo, home=home)
    _git("add", "--all", cwd=repo, home=home)
    _git("commit", "--quiet", "--message", "snapshot", cwd=repo, home=home)
    return repo, _git("rev-parse", "HEAD", cwd=repo, home=home).strip()


def user_repo(work: Path, home: Path, *, source: Path, rev: str, count: int) -> list[str]:
    """A user's repository with ``count`` post-mortems (copies of the examples) and the hook configured."""
    user = work / "user"
    user.mkdir()
    _git("init", "--quiet", cwd=user, home=home)
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": "pmcheck"}]}]}
    (user / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    examples = sorted((ROOT / "examples").glob("*.md"))
    names = []
    for index in range(count):
        example = examples[index % len(examples)]
        name = f"postmortems/{index:03d}-{example.name}"
        (user / name).parent.mkdir(exist_ok=True)
        shutil.copy2(example, user / name)
        names.append(name)
    _git("add", "--all", cwd=user, home=home)
    return names


def install(user: Path, home: Path) -> float:
    seconds, done = _run([sys.executable, "-m", "pre_commit", "install-hooks"], cwd=user, home=home)
    if done.returncode:
        raise SystemExit(f"pre-commit install-hooks failed:\n{done.stdout}{done.stderr}")
    return seconds


def timings(args: Sequence[str | Path], *, cwd: Path, home: Path, runs: int) -> list[float]:
    _run(args, cwd=cwd, home=home)
    return [_run(args, cwd=cwd, home=home)[0] for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (after one warm-up)")
    parser.add_argument("--files", type=int, default=50, help="post-mortems in the larger case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pmcheck-precommit-"))
    try:
        home = work / "pre-commit-home"
        source, rev = snapshot(work, home)
        names = user_repo(work, home, source=source, rev=rev, count=args.files)
        user = work / "user"
        first = install(user, home)
        second = install(user, work / "pre-commit-home-2")
        pmcheck = next(home.glob("repo*/py_env-*/bin/pmcheck"))
        print(
            f"hook environment: first install {first:.1f} s, second install (pip cache warm) {second:.1f} s"
        )
        print(f"\n{'command':<34} {'files':>5} {'median s':>9} {'min s':>7} {'max s':>7}")
        for files in (names[:1], names):
            run_hook = [sys.executable, "-m", "pre_commit", "run", "--files", *files]
            hook = timings(run_hook, cwd=user, home=home, runs=args.runs)
            plain = timings(
                [pmcheck, "check", "--force-exclude", *files], cwd=user, home=home, runs=args.runs
            )
            for label, values in (("pre-commit run --files", hook), ("pmcheck check --force-exclude", plain)):
                print(
                    f"{label:<34} {len(files):>5} {statistics.median(values):>9.2f} {min(values):>7.2f} "
                    f"{max(values):>7.2f}"
                )
            overhead = statistics.median(hook) - statistics.median(plain)
            print(f"{'pre-commit overhead (medians)':<34} {len(files):>5} {overhead:>9.2f}")
        print(
            f"\n{args.runs} timed runs per row after one warm-up; {os.cpu_count()} CPUs; "
            f"pmcheck {rev[:12]} (working tree)"
        )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
