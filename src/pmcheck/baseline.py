"""A baseline: the findings a repository already had, recorded so that only new ones are reported.

``.pmcheck-baseline.json`` (found by walking up from each checked file, like the config, or given
with ``--baseline``) lists one entry per accepted finding. An entry is keyed by the rule, the file
(relative to the baseline's folder) and a fingerprint of the normalised text the finding is about:
the source span it points at, or its subject when it is about a part the document lacks. Line
numbers play no part, so an edit elsewhere keeps the match, and editing the flagged text itself
makes the finding new. The same text flagged twice by one rule carries an occurrence index.

Applied after the engine has produced findings, so caches of findings never see a baseline.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pmcheck.errors import PmcheckError
from pmcheck.finding import Finding

BASELINE_NAME = ".pmcheck-baseline.json"
FORMAT_VERSION = 1
_SHOWN_TEXT = 80


class BaselineError(PmcheckError):
    """A baseline file is unreadable or is not a pmcheck baseline."""


@dataclass(frozen=True, order=True)
class Entry:
    """One accepted finding; ``text`` is for people reading the file, never for matching."""

    path: str
    rule: str
    fingerprint: str
    occurrence: int = 1
    text: str = ""

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.path, self.rule, self.fingerprint, self.occurrence)


@dataclass(frozen=True)
class Baseline:
    """The entries of one baseline file, with the folder its paths are relative to."""

    source: Path
    entries: tuple[Entry, ...]

    @property
    def base(self) -> Path:
        return self.source.parent


@dataclass(frozen=True)
class Filtered:
    """What a baseline leaves of one file's findings."""

    kept: list[Finding]
    baselined: int
    stale: list[Entry]


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def about(finding: Finding, lines: Sequence[str]) -> str:
    """The normalised text a finding is about: its subject, else the source it points at, else its message."""
    if finding.subject:
        return normalise(finding.subject)
    text = _span(finding, lines)
    return normalise(text) or normalise(finding.message)


def _span(finding: Finding, lines: Sequence[str]) -> str:
    if not 0 < finding.line <= len(lines):
        return ""
    last = min(finding.end_line or finding.line, len(lines))
    if last == finding.line:
        line = lines[finding.line - 1]
        if finding.end_column and finding.end_column > finding.column:
            return line[finding.column - 1 : finding.end_column - 1]
        return line
    return "\n".join(lines[finding.line - 1 : last])


def fingerprint(rule_id: str, text: str) -> str:
    return hashlib.sha256(f"{rule_id}\0{text}".encode()).hexdigest()[:16]


def entries_for(path: str, findings: Iterable[Finding], lines: Sequence[str]) -> list[Entry]:
    """One entry per finding of one file (``path`` as the baseline records it), in finding order."""
    seen: Counter[tuple[str, str]] = Counter()
    entries = []
    for finding in sorted(findings):
        text = about(finding, lines)
        seen[(finding.rule_id, text)] += 1
        shown = "" if finding.conceal else text[:_SHOWN_TEXT]
        entries.append(
            Entry(
                path,
                finding.rule_id,
                fingerprint(finding.rule_id, text),
                seen[(finding.rule_id, text)],
                shown,
            )
        )
    return entries


def filter_findings(
    path: str, findings: Sequence[Finding], lines: Sequence[str], baseline: Baseline
) -> Filtered:
    """Drop the findings of one file that the baseline holds; the file's unmatched entries are stale."""
    ordered = sorted(findings)
    keys = {entry.key: entry for entry in baseline.entries if entry.path == path}
    kept = []
    for finding, entry in zip(ordered, entries_for(path, ordered, lines), strict=True):
        if keys.pop(entry.key, None) is None:
            kept.append(finding)
    return Filtered(kept=kept, baselined=len(ordered) - len(kept), stale=sorted(keys.values()))


def relative_path(file: Path, baseline: Baseline) -> str | None:
    """``file`` as the baseline records it (POSIX, relative to the baseline's folder); None if outside."""
    try:
        return PurePosixPath(file.resolve().relative_to(baseline.base.resolve())).as_posix()
    except (ValueError, OSError):
        return None


def find_baseline(start: Path) -> Path | None:
    """The nearest baseline file in ``start``'s folder or any folder above it."""
    folder = (start if start.is_dir() else start.parent).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / BASELINE_NAME).is_file():
            return candidate / BASELINE_NAME
    return None


def load(path: Path) -> Baseline:
    """Read and validate a baseline file; anything wrong with it is a :class:`BaselineError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}:{exc.lineno}: the baseline is not valid JSON ({exc.msg}); "
            "restore it from version control or write it again with `pmcheck baseline`"
        ) from None
    return Baseline(source=path, entries=tuple(_entries(data, path)))


def _entries(data: object, path: Path) -> list[Entry]:
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise BaselineError(f'{path}: not a pmcheck baseline (expected an object with "version": 1)')
    raw = data.get("findings")
    if not isinstance(raw, list):
        raise BaselineError(f'{path}: "findings" must be a list')
    entries = []
    for index, item in enumerate(raw):
        try:
            entries.append(_entry(item))
        except (TypeError, ValueError, KeyError) as exc:
            raise BaselineError(f"{path}: findings[{index}]: {exc}") from None
    return entries


def _entry(item: object) -> Entry:
    if not isinstance(item, Mapping):
        raise TypeError("expected an object with path, rule, fingerprint and occurrence")
    fields = {name: item[name] for name in ("path", "rule", "fingerprint")}
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise ValueError("path, rule and fingerprint must be non-empty strings")
    occurrence = item.get("occurrence", 1)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise ValueError("occurrence must be a whole number from 1")
    return Entry(**fields, occurrence=occurrence, text=str(item.get("text", "")))


def dumps(entries: Iterable[Entry]) -> str:
    """The file's text: sorted, one finding per object, stable from run to run."""
    findings = []
    for entry in sorted(set(entries)):
        item: dict[str, object] = {"path": entry.path, "rule": entry.rule, "fingerprint": entry.fingerprint}
        item["occurrence"] = entry.occurrence
        if entry.text:
            item["text"] = entry.text
        findings.append(item)
    payload = {"version": FORMAT_VERSION, "findings": findings}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
