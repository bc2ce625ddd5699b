"""How long the GitHub Action takes before pmcheck starts: a cold run, then warm runs from the cached venv.

Usage: python benchmarks/action_setup.py [--runs 5] [--python PYTHON]

Runs the ``run:`` steps of ``action.yml`` that come before "Check post-mortems" (locate the
environment, install pmcheck) in bash, as the runner would, with a fresh ``RUNNER_TEMP``: the first
run installs pmcheck and its dependencies for real (from the package index, or pip's cache when it
has them); the next runs find the environment in place, as they do after ``actions/cache`` restores
it (the restore itself needs GitHub's cache service and cannot run here). Each figure is the wall
time of those steps plus ``pmcheck --version``, the first thing the check step runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")


def setup_steps() -> list[dict[str, object]]:
    steps = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]
    before = [step for step in steps[: next(i for i, s in enumerate(steps) if s.get("id") == "pmcheck")]]
    return [step for step in before if "run" in step]


def run_setup(python: str, runner_temp: Path) -> float:
    """Wall time of the setup steps and ``pmcheck --version``; returns seconds."""
    context: dict[str, str] = {
        "github.action_path": str(ROOT),
        "github.action_ref": "",
        "steps.python.outputs.python-path": python,
    }
    start = time.perf_counter()
    for step in setup_steps():
        outputs = runner_temp / "output.txt"
        outputs.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "RUNNER_TEMP": str(runner_temp),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "GITHUB_OUTPUT": str(outputs),
        }
        env |= {
            name: EXPRESSION.sub(lambda m: context.get(m.group(1), ""), str(value))
            for name, value in dict(step.get("env", {})).items()  # type: ignore[call-overload]
        }
        subprocess.run(["bash", "-eo", "pipefail", "-c", str(step["run"])], env=env, check=True)
        for line in outputs.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            context[f"steps.{step['id']}.outputs.{name}"] = value
    subprocess.run([context["steps.install.outputs.pmcheck"], "--version"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--python", default=shutil.which("python3") or sys.executable)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pmcheck-action-") as temp:
        cold = run_setup(args.python, Path(temp))
        warm = [run_setup(args.python, Path(temp)) for _ in range(args.runs)]
    print(f"cold run (installs everything): {cold:.1f} s")
    print(
        f"warm runs (cached venv in place): median {statistics.median(warm):.2f} s, "
        f"fastest {min(warm):.2f} s, slowest {max(warm):.2f} s over {len(warm)} runs"
    )


if __name__ == "__main__":
    main()
