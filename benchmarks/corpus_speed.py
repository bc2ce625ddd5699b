"""Cold runs, re-runs and memory of ``pmcheck check`` on real post-mortems, beside markdownlint-cli2.

Usage: python benchmarks/corpus_speed.py [--runs 5] [--corpus ../shared/corpus/documents] [--smoke]
                                        [--baseline-src OTHER/src] [--only NAME ...]

The corpus documents are copied without their first line (a provenance comment, not part of the
document) into a temporary folder. Every figure is the median over ``--runs`` rounds of fresh
processes; within a round the commands run one after another, so a ratio compares runs made under
the same load (the machine may be shared). markdownlint-cli2 is timed in the same rounds when it is
on PATH (``npm install -g markdownlint-cli2``); when it is not, that column is skipped with a message.

  cold        pmcheck check --no-cache on the folder (every rule, spaCy loaded and used; workers as
              pmcheck chooses them: forked from the process once it has loaded spaCy)
  cold-1job   the same with --jobs 1: one process, to see whether the workers pay
  rerun       pmcheck check on the unchanged folder, served from .pmcheck_cache
  one-edit    pmcheck check after one document changed (that document is checked again)
  calm/busy   one 2,000-word document (text this script writes) with no candidate sentence / with some
  cold-baseline  with --baseline-src, the cold run of another checkout's ``src`` (e.g. main's, from
              ``git archive main src rules | tar -x -C /tmp/main``), in the same rounds; calm-baseline
              and busy-baseline likewise for the two single documents

CPU seconds (user + system of the child and its workers) are printed too: they move less than wall
time under load; so is the load average at the start of each round. Peak memory is the larger of
the most the whole process tree held at once (the sum of its processes' proportional set sizes,
sampled every 20 ms where /proc has them, so pages that forked workers share with their parent
count once) and the largest process's peak resident size.
Python may write its bytecode in every child (``PYTHONDONTWRITEBYTECODE`` is dropped): an installed
wheel has it, and the round's first run writes it for an editable install, so no timed run compiles
pmcheck's source again.
``--smoke`` runs one round and checks that every command works: a fast test of the benchmark itself.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nlp_speed import calm_document, candidate_document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "documents"


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)


def run(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one fresh process and the workers it starts."""
    with tempfile.TemporaryFile() as errors:  # a pipe could fill up and stall the child
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak = TreeMemory(process.pid)
        peak.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        peak.stop.set()
        peak.join()
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({code}): {errors.read().decode().strip()}")
    return wall, usage.ru_utime + usage.ru_stime, max(peak.most_mb, usage.ru_maxrss / 1024)


class TreeMemory(threading.Thread):
    """Samples the proportional set size of a process and all its descendants; keeps the largest sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.most_mb = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.most_mb = max(self.most_mb, total / 1024)


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def strip_provenance(corpus: Path, folder: Path) -> int:
    words = 0
    for source in sorted(corpus.glob("*.md")):
        text = source.read_text(encoding="utf-8").split("\n", 1)[-1]
        (folder / source.name).write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--smoke", action="store_true", help="one round, to see that everything runs")
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src folder, timed cold beside")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="time only these, e.g. cold cold-1job markdownlint-cli2"
    )
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    pmcheck = shutil.which("pmcheck", path=str(Path(sys.executable).parent)) or "pmcheck"
    markdownlint = shutil.which("markdownlint-cli2")
    if markdownlint is None:
        print("markdownlint-cli2 is not on PATH (npm install -g markdownlint-cli2): its column is skipped")
    with tempfile.TemporaryDirectory(prefix="pmcheck-corpus-") as temp:
        work = Path(temp)
        docs = work / "docs"
        docs.mkdir()
        words = strip_provenance(args.corpus, docs)
        files = sorted(docs.glob("*.md"))
        single = work / "single"
        single.mkdir()
        (single / "calm.md").write_text(calm_document(2000, random.Random(7)), encoding="utf-8")
        (single / "busy.md").write_text(candidate_document(2000), encoding="utf-8")
        check = [pmcheck, "check", "--quiet"]
        commands: dict[str, list[str]] = {
            "cold": [*check, "--no-cache", "docs"],
            "cold-1job": [*check, "--no-cache", "--jobs", "1", "docs"],
            "rerun": [*check, "docs"],
            "one-edit": [*check, "docs"],
            "calm": [*check, "--no-cache", "single/calm.md"],
            "busy": [*check, "--no-cache", "single/busy.md"],
        }
        child = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        envs: dict[str, dict[str, str]] = {}
        if args.baseline_src:
            baseline = [sys.executable, "-m", "pmcheck", *check[1:], "--no-cache"]
            for name, target in (("cold", "docs"), ("calm", "single/calm.md"), ("busy", "single/busy.md")):
                commands[f"{name}-baseline"] = [*baseline, target]
                envs[f"{name}-baseline"] = {**child, "PYTHONPATH": str(args.baseline_src.resolve())}
        if markdownlint:
            commands["markdownlint-cli2"] = [markdownlint, "docs/*.md"]
        warm_baseline = commands.get("calm-baseline")  # kept before --only narrows the commands
        if args.only:
            unknown = sorted(set(args.only) - set(commands))
            if unknown:
                known = ", ".join(commands)
                print(f"unknown command(s) {', '.join(unknown)}; known: {known}", file=sys.stderr)
                return 2
            commands = {name: command for name, command in commands.items() if name in args.only}
        samples = {name: Samples() for name in commands}
        ratios: list[float] = []
        cpu_ratios: list[float] = []
        loads: list[float] = []
        print(f"{len(files)} documents, {words} words from {args.corpus}; {runs} round(s) of fresh processes")
        for round_number in range(runs):
            shutil.rmtree(work / ".pmcheck_cache", ignore_errors=True)
            loads.append(os.getloadavg()[0])
            run([*check, "docs"], work, child)  # fills the cache for the re-runs (and writes bytecode)
            if round_number == 0 and warm_baseline is not None:
                run(warm_baseline, work, envs["calm-baseline"])  # its bytecode and kept packs
            for name, command in commands.items():
                if name == "one-edit":
                    edited = files[round_number % len(files)]
                    edited.write_text(edited.read_text(encoding="utf-8") + f"\n<!-- {round_number} -->\n")
                wall, cpu, peak = run(command, work, envs.get(name, child))
                samples[name].wall.append(wall)
                samples[name].cpu.append(cpu)
                samples[name].peak_mb.append(peak)
            if "cold" in commands and "markdownlint-cli2" in commands:
                ratios.append(samples["cold"].wall[-1] / samples["markdownlint-cli2"].wall[-1])
                cpu_ratios.append(samples["cold"].cpu[-1] / samples["markdownlint-cli2"].cpu[-1])
        print(f"{'command':<20} {'median wall s':>14} {'median cpu s':>13} {'peak MB':>8}  cpu s per round")
        for name, sample in samples.items():
            print(
                f"{name:<20} {statistics.median(sample.wall):>14.3f} {statistics.median(sample.cpu):>13.3f} "
                f"{max(sample.peak_mb):>8.0f}  {' '.join(f'{cpu:.2f}' for cpu in sample.cpu)}"
            )
        print(
            f"load average (1 min) at the start of each round: {', '.join(f'{load:.2f}' for load in loads)}"
        )
        for kind, values in (("wall", ratios), ("CPU", cpu_ratios)):
            if values:
                print(
                    f"cold pmcheck / markdownlint-cli2, {kind}, per round: "
                    f"{', '.join(f'{r:.2f}' for r in values)}; median {statistics.median(values):.2f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
