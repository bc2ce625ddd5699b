"""Documents per second and peak memory of ``pmcheck check`` on 1 and on 1,000 post-mortems.

Usage: python benchmarks/check_throughput.py [--runs 5] [--documents 1000] [--packs default,blame]

The documents are made from ``examples/*.md``: each copy gets its own title and its dates moved by a
different number of days, so no two are the same. Every run is a fresh ``pmcheck check`` process
(start-up included, as a user or CI pays it); the figure is the median of ``--runs`` runs. Peak memory
is the largest resident set of any of those processes (``resource.getrusage`` of the children).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
TITLE_LINES = re.compile(r"^(title: |# )(.+)$", re.MULTILINE)


def shifted(text: str, days: int) -> str:
    """Every ISO date moved by ``days``, so deadlines keep their distance from the incident."""

    def move(match: re.Match[str]) -> str:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        return (day + dt.timedelta(days=days)).isoformat()

    return ISO_DATE.sub(move, text)


def make_documents(folder: Path, count: int) -> list[Path]:
    examples = sorted(EXAMPLES.glob("*.md"))
    paths = []
    for index in range(count):
        example = examples[index % len(examples)]
        text = shifted(example.read_text(encoding="utf-8"), index)
        text = TITLE_LINES.sub(lambda match, n=index: f"{match[1]}{match[2]} (incident {n})", text)
        path = folder / f"{index:04d}-{shifted(example.stem, index)}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def median_seconds(command: list[str], runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"pmcheck failed ({result.returncode}): {result.stderr.strip()}")
    return statistics.median(times)


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--packs", default="default,blame", help="built-in packs to use (comma-separated)")
    args = parser.parse_args()
    pmcheck = [sys.executable, "-m", "pmcheck", "check", "--no-cache", "--format", "json"]
    with tempfile.TemporaryDirectory(prefix="pmcheck-bench-") as temp:
        work = Path(temp)
        (work / ".pmcheck.yml").write_text(f"packs: [{args.packs}]\n", encoding="utf-8")
        single = work / "one"
        single.mkdir()
        make_documents(single, 1)
        many = work / "many"
        many.mkdir()
        make_documents(many, args.documents)
        print(f"pmcheck check, packs: {args.packs}; median of {args.runs} runs, each a new process")
        for label, folder, count in (
            ("1 document", single, 1),
            (f"{args.documents} documents", many, args.documents),
        ):
            seconds = median_seconds([*pmcheck, str(folder)], args.runs, work)
            print(
                f"{label:>16}: {seconds:7.2f} s  {count / seconds:8.1f} documents/s  "
                f"(peak memory so far {peak_megabytes():.0f} MB)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
