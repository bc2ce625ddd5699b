"""Baselines applied to a whole run (``check``, the pre-commit hook, the Action) and written from one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmcheck.baseline import (
    BASELINE_NAME,
    Baseline,
    Entry,
    entries_for,
    filter_findings,
    find_baseline,
    load,
    relative_path,
)
from pmcheck.read import ReadProblem, read_text
from pmcheck.run_result import RunResult

Locate = Callable[[str], Path]


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


class Baselines:
    """The baseline that governs each file: ``explicit`` for all, else the nearest one above it."""

    def __init__(self, explicit: Path | None = None) -> None:
        self.explicit = explicit
        self._loaded: dict[Path, Baseline] = {}

    def for_file(self, file: Path) -> Baseline | None:
        source = self.explicit or find_baseline(file)
        if source is None:
            return None
        if source not in self._loaded:
            self._loaded[source] = load(source)
        return self._loaded[source]


def lines_of(report_path: str, result: RunResult, locate: Locate) -> Sequence[str]:
    """A checked file's lines: from the run when it kept them, else read again (bounded, like checking)."""
    if report_path in result.sources:
        return result.sources[report_path]
    text = read_text(locate(report_path))
    return [] if isinstance(text, ReadProblem) else text.split("\n")


def apply(
    result: RunResult, *, explicit: Path | None = None, locate: Locate = Path, root: Path | None = None
) -> RunResult:
    """The run without the findings its baselines hold, with notices saying how many and what is stale.

    ``locate`` finds the file a report's path names; notices name baselines relative to ``root``
    (the working folder by default)."""
    baselines = Baselines(explicit)
    reports = []
    counted: dict[Path, list[int]] = {}
    for report in result.reports:
        file = locate(report.path)
        baseline = baselines.for_file(file)
        where = relative_path(file, baseline) if baseline else None
        if baseline is None or where is None or (not report.findings and not _has_entries(baseline, where)):
            reports.append(report)
            continue
        filtered = filter_findings(where, report.findings, lines_of(report.path, result, locate), baseline)
        reports.append(dataclasses.replace(report, findings=filtered.kept))
        tally = counted.setdefault(baseline.source, [0, 0])
        tally[0] += filtered.baselined
        tally[1] += len(filtered.stale)
    notices = list(result.notices)
    for path, (baselined, stale) in counted.items():
        source = shown(path, root or Path.cwd())
        if baselined:
            notices.append(f"{_plural(baselined, 'finding')} already in the baseline {source} not shown")
        if stale:
            notices.append(
                f"{_plural(stale, 'baseline entry', 'baseline entries')} in {source} no longer match a "
                "finding; `pmcheck baseline --prune` drops them"
            )
    return dataclasses.replace(
        result,
        reports=reports,
        notices=notices,
        baselined=sum(tally[0] for tally in counted.values()),
        stale=sum(tally[1] for tally in counted.values()),
    )


def shown(path: Path, root: Path) -> str:
    """A path as people read it in messages: relative to ``root`` when it is under it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except (ValueError, OSError):
        return str(path)


def _has_entries(baseline: Baseline, path: str) -> bool:
    return any(entry.path == path for entry in baseline.entries)


@dataclass(frozen=True)
class Written:
    """What ``pmcheck baseline`` produced: the file's entries and what changed."""

    target: Path
    entries: list[Entry]
    added: int
    dropped: int
    outside: list[str]


def target_for(explicit: Path | None, start: Path, config_source: str | None) -> Path:
    """Where ``pmcheck baseline`` writes: as given, the nearest existing one, beside the config, or here."""
    if explicit is not None:
        return explicit
    found = find_baseline(start)
    if found is not None:
        return found
    if config_source is not None:
        return Path(config_source).parent / BASELINE_NAME
    return start / BASELINE_NAME


def rebuild(result: RunResult, target: Path, *, prune: bool, locate: Locate = Path) -> Written:
    """The baseline's new entries: the run's findings for the files it checked (``prune``: only the
    recorded ones that still match), and the recorded entries of every other file that still exists."""
    existing = load(target) if target.exists() else Baseline(source=target, entries=())
    checked: dict[str, list[Entry]] = {}
    outside = []
    for report in result.reports:
        where = relative_path(locate(report.path), existing)
        if where is None:
            outside.append(report.path)
            continue
        current = entries_for(where, report.findings, lines_of(report.path, result, locate))
        if prune:
            current_keys = {entry.key for entry in current}
            current = [
                entry for entry in existing.entries if entry.path == where and entry.key in current_keys
            ]
        checked[where] = current
    others = [
        entry
        for entry in existing.entries
        if entry.path not in checked and (existing.base / entry.path).is_file()
    ]
    entries = sorted({*others, *(entry for group in checked.values() for entry in group)})
    before = {entry.key for entry in existing.entries}
    after = {entry.key for entry in entries}
    return Written(target, entries, len(after - before), len(before - after), outside)
