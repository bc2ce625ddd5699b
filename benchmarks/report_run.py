"""What the report benchmarks share: run ``pmcheck report`` once, time it, and clean up after."""

from __future__ import annotations

import resource
import shutil
import subprocess
import time
from pathlib import Path


def timed(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """The finished command, its wall-clock seconds and the peak memory (MiB) of its largest process."""
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    return completed, seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def finish(workdir: Path, *, keep: bool) -> int:
    if keep:
        print(f"kept: {workdir}")
    else:
        shutil.rmtree(workdir)
    return 0
