"""Check many files on several cores, with the findings and order one process would give.

Where processes can fork (Linux), this process checks files itself until one of them needs the spaCy
pipeline and loads it; the rest are then shared among workers forked from it, which start with the
rule sets, the pipeline and every import already in memory. Elsewhere (``spawn``) each worker builds
its own from the checker's settings, which pays only for many files. The caller decides how many
workers with :func:`worker_count`. Results come back in input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pmcheck.engine import FileReport


class FileChecker(Protocol):
    """What a worker needs of a checker (:class:`pmcheck.api.Checker`): one file's report, and the
    notices it has gathered so far."""

    notices: list[str]

    def check_file(self, path: Path) -> FileReport: ...


# Forked from the process that has loaded spaCy, two workers on a 2-core machine with other work on it
# took 20-30% less wall time than one process on 16 and 36 real post-mortems at a load average of ~1,
# as much or more at 1.5-2.9, and 20% more at 3.3-5.6 (CPU +5%); nothing on 8 files
# (benchmarks/corpus_speed.py, cold against cold-1job). So they are used only while more than half a
# core beyond this process is idle. A spawned worker loads spaCy itself (~1 s): it pays only for many
# more files.
MIN_FILES_PER_WORKER = 8
BUSY_MARGIN = 0.5
MIN_FILES_PER_SPAWNED_WORKER = 40
_WORKER: FileChecker | None = None


def worker_count(files: int, requested: int | None = None) -> int:
    """Workers to use: ``requested`` (or ``PMCHECK_JOBS``), else one per core once there are enough files
    and the machine's cores are not all busy with other work."""
    if requested is None and os.environ.get("PMCHECK_JOBS", "").isdigit():
        requested = int(os.environ["PMCHECK_JOBS"])
    if requested is not None:
        return max(1, min(requested, files or 1))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or files < 2 * MIN_FILES_PER_WORKER or _load() >= cores - BUSY_MARGIN:
        return 1  # without asking for the start method: that imports multiprocessing (~12 ms)
    per_worker = MIN_FILES_PER_WORKER if start_method() == "fork" else MIN_FILES_PER_SPAWNED_WORKER
    return max(1, min(cores, 8, files // per_worker))


def _load() -> float:
    """The machine's load average over the last minute; 0 where the platform has none (Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def start_method() -> str:
    """``fork`` where the platform has it (Linux; workers start at once); ``spawn`` elsewhere (Windows)."""
    import multiprocessing

    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def check_in_workers(
    checker: FileChecker,
    paths: Sequence[Path],
    workers: int,
    *,
    fresh: Callable[[], FileChecker],
    method: str | None = None,
) -> Iterator[tuple[FileReport, list[str]]]:
    """Each file's report and the notices its worker had gathered, in the order of ``paths``.

    Spawned workers receive only ``fresh``, a picklable callable that builds a checker with the same
    settings, so ``spawn`` (the only method on Windows, and macOS's default) gives what ``fork`` gives.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if (method or start_method()) == "fork":
        yield from _forked(checker, paths, workers)
        return
    context = multiprocessing.get_context(method or start_method())
    chunk = max(1, min(32, len(paths) // (workers * 8) or 1))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start, initargs=(fresh,)
    ) as pool:
        yield from pool.map(_check, paths, chunksize=chunk)


def _forked(
    checker: FileChecker, paths: Sequence[Path], workers: int
) -> Iterator[tuple[FileReport, list[str]]]:
    global _WORKER
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from pmcheck.nlp.pipeline import pipeline_loaded

    done = 0
    # A folder where no file needs the pipeline is checked without ever loading it.
    while done < len(paths) and not pipeline_loaded() and done < MIN_FILES_PER_WORKER:
        yield checker.check_file(paths[done]), list(checker.notices)
        done += 1
    rest = paths[done:]
    if not rest:
        return
    _WORKER = checker  # the forked workers start with this checker as it is now
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(rest)), mp_context=context) as pool:
        yield from pool.map(_check, rest)


def _start(fresh: Callable[[], FileChecker]) -> None:
    global _WORKER
    _WORKER = fresh()


def _check(path: Path) -> tuple[FileReport, list[str]]:
    assert _WORKER is not None, "worker not started"
    report = _WORKER.check_file(path)
    return report, list(_WORKER.notices)
