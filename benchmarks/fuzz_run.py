"""A long fuzz run of ``pmcheck check`` and ``pmcheck fix --write`` over generated hostile documents.

Usage: python benchmarks/fuzz_run.py [--documents 2000] [--seed 16] [--pathological 40]

Documents come from the strategies in ``tests/hostile/documents.py`` (odd line ends, odd front matter,
odd timelines, tables, code), written by hypothesis with a fixed seed; ``--pathological`` more are
long repetitions of fragments that once made patterns backtrack (``1:00 ``, ``T+``, ``a-``, ...) at
50-200 KB. Each runs in-process through the CLI entry point with the NLP rules on. Reports how many
documents were tried, failures (a traceback, an exit code outside 0-2, an internal-error finding or a
second ``fix`` run that changes the file), the slowest document and the peak resident memory.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile.documents import documents  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from pmcheck.cli import main  # noqa: E402

FRAGMENTS = ["1:00 ", "T+", "2026-", "a-", "a.", "-", "<!-- ", "[", "(", "@a", "http://", "eyJ", "| a "]


def run_one(path: Path, text: str, failures: list[str], timings: list[tuple[float, str]]) -> None:
    path.write_text(text, encoding="utf-8", newline="")
    started = time.perf_counter()
    for command in (["check", "--format", "json", str(path)], ["fix", "--write", str(path)]):
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(command)
        except BaseException as exc:
            failures.append(f"{command[0]}: {type(exc).__name__}: {exc} :: {text[:80]!r}")
            return
        if code not in (0, 1, 2) or "internal error" in out.getvalue() + err.getvalue():
            failures.append(f"{command[0]}: exit {code} :: {text[:80]!r}")
    fixed = path.read_text(encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["fix", "--write", str(path)])
    if path.read_text(encoding="utf-8") != fixed:
        failures.append(f"fix: a second run changed the file :: {text[:80]!r}")
    timings.append((time.perf_counter() - started, f"{len(text):,} chars {text[:40]!r}"))


def main_run() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--pathological", type=int, default=40)
    args = parser.parse_args()
    failures: list[str] = []
    timings: list[tuple[float, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="pmcheck-fuzz-"))
    (folder / ".pmcheck.yml").write_text("packs: [default, blame]\n", encoding="utf-8")
    path = folder / "pm.md"

    @seed(args.seed)
    @settings(
        max_examples=args.documents, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(documents())
    def generated(text: str) -> None:
        run_one(path, text, failures, timings)

    generated()
    for index in range(args.pathological):
        fragment = FRAGMENTS[index % len(FRAGMENTS)]
        size = 50_000 * (1 + index % 4)
        run_one(path, f"# T\n\n## Timeline\n\n- {fragment * (size // len(fragment))}\n", failures, timings)
    slowest = max(timings)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents tried: {len(timings) + len(failures)}")
    print(f"failures: {len(failures)}")
    for failure in failures[:20]:
        print(f"  {failure}")
    print(f"slowest: {slowest[0]:.2f} s ({slowest[1]})")
    print(f"median: {sorted(t for t, _ in timings)[len(timings) // 2] * 1000:.0f} ms")
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main_run()
