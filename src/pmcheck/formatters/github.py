"""``--format github``: findings as GitHub Actions workflow commands (annotations on the diff).

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message``, one per finding, with
GitHub's escaping: ``%``, ``\\r`` and ``\\n`` everywhere, ``:`` and ``,`` too in properties.

GitHub shows at most 10 errors, 10 warnings and 10 notices per step and silently drops the rest,
so at most that many of each are emitted: spread over the files first (each file's first finding
before any file's second), in path and line order. :func:`select` tells callers what was left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pmcheck.finding import Finding, Severity
from pmcheck.run_result import RunResult

PER_STEP_LIMIT = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


@dataclass(frozen=True)
class Selection:
    """The findings that get an annotation, and how many did not."""

    annotated: list[Finding]
    omitted: int


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """The workflow command for one finding."""
    properties = [("file", finding.path), ("line", str(finding.line))]
    single_line = finding.end_line in (None, finding.line)
    # GitHub reads columns only for single-line annotations.
    if single_line:
        properties.append(("col", str(finding.column)))
    if finding.end_line and not single_line:
        properties.append(("endLine", str(finding.end_line)))
    if single_line and finding.end_column and finding.end_column > finding.column:
        properties.append(("endLine", str(finding.line)))
        properties.append(("endColumn", str(finding.end_column)))
    properties.append(("title", f"{finding.rule_id} {finding.rule_name}"))
    message = finding.message + (f"\n{finding.suggestion}" if finding.suggestion else "")
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def select(findings: Sequence[Finding], limit: int = PER_STEP_LIMIT) -> Selection:
    """Up to ``limit`` findings per severity, each file's first finding before any file's second."""
    chosen: list[Finding] = []
    for severity in COMMANDS:
        of_severity = [f for f in findings if f.severity is severity]
        rank: dict[str, int] = {}
        ordered = []
        for finding in sorted(of_severity):
            rank[finding.path] = rank.get(finding.path, 0) + 1
            ordered.append((rank[finding.path], finding))
        chosen += [finding for _, finding in sorted(ordered, key=lambda pair: (pair[0], pair[1]))[:limit]]
    return Selection(sorted(chosen), len(findings) - len(chosen))


def render(result: RunResult) -> str:
    selection = select(result.findings)
    lines = [command(finding) for finding in selection.annotated]
    if selection.omitted:
        lines.append(
            f"pmcheck: {selection.omitted} more findings are not annotated: GitHub shows at most "
            f"{PER_STEP_LIMIT} errors, {PER_STEP_LIMIT} warnings and {PER_STEP_LIMIT} notices per step"
        )
    return "\n".join(lines) + ("\n" if lines else "")
