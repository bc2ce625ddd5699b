"""``--format text``: ``path:line:col: severity [PM010 name] message``, the source line, the advice.

Grouped by file (findings are sorted by path) under a header line with the file's counts, colour
only when asked or on a terminal, and a one-line summary. ``--quiet`` keeps only the finding lines;
``--statistics`` counts per rule.
"""

from __future__ import annotations

from collections import Counter

from pmcheck.finding import Finding, Severity
from pmcheck.run_result import RunResult

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def render(result: RunResult) -> str:
    if result.statistics:
        return _statistics(result)
    out: list[str] = []
    current_path = None
    findings = result.findings
    for finding in findings:
        if not result.quiet and finding.path != current_path:
            if current_path is not None:
                out.append("")
            out.append(_file_header(finding.path, findings, result.color))
        current_path = finding.path
        out.append(_headline(finding, result.color))
        if not result.quiet:
            out.extend(_details(finding, result))
    if not result.quiet:
        out.extend(f"note: {notice}" for notice in result.notices)
        summary = _summary(result)
        if summary:
            if out:
                out.append("")
            out.append(summary)
    return "\n".join(out) + ("\n" if out else "")


def _file_header(path: str, findings: list[Finding], color: bool) -> str:
    """``path (2 errors, 1 warning)``: where one file's findings start, for scanning many files."""
    counts = Counter(finding.severity for finding in findings if finding.path == path)
    return f"{_paint(path, '1;4', color)} ({_counted(counts)})"


def _counted(counts: Counter[Severity]) -> str:
    """``2 errors, 1 warning``: the non-zero counts, most severe first."""
    parts = (f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in reversed(Severity) if counts[s])
    return ", ".join(parts)


def _headline(finding: Finding, color: bool) -> str:
    where = _paint(f"{finding.path}:{finding.line}:{finding.column}:", "1", color)
    severity = _paint(finding.severity.value, _COLOURS[finding.severity], color)
    code = _paint(f"[{finding.code}]", "2", color)
    return f"{where} {severity} {code} {finding.message}"


def _details(finding: Finding, result: RunResult) -> list[str]:
    lines: list[str] = []
    source = result.sources.get(finding.path)
    if result.show_source and not finding.conceal and source and 0 < finding.line <= len(source):
        text = source[finding.line - 1].rstrip()
        if text.strip():
            gutter = f"{finding.line:>5} | "
            shown, start, end = _window(text, finding)
            lines.append(_paint(gutter, "2", result.color) + shown)
            if end > start:
                marker = " " * (len(gutter) - 2) + "| " + " " * start + "^" * (end - start)
                lines.append(_paint(marker, _COLOURS[finding.severity], result.color))
    if finding.suggestion:
        lines.append(f"      = help: {finding.suggestion}")
    if result.show_docs and finding.url:
        lines.append(f"      = docs: {finding.url}")
    return lines


def _window(text: str, finding: Finding, width: int = 110) -> tuple[str, int, int]:
    """The source line (trimmed to ``width`` around the finding) and where to put the carets."""
    start = max(finding.column - 1, 0)
    same_line = finding.end_line in (None, finding.line)
    end = (finding.end_column - 1) if (same_line and finding.end_column) else start
    end = min(max(end, start), len(text))
    if start >= len(text):
        return text[:width], 0, 0
    offset = 0
    if len(text) > width:
        offset = max(0, min(start - 20, len(text) - width))
        more = "…" if offset + width < len(text) else ""
        text = ("…" if offset else "") + text[offset : offset + width] + more
        shift = 1 if offset else 0
        start, end = start - offset + shift, min(end - offset + shift, len(text))
    return text, start, end


def _summary(result: RunResult) -> str:
    counts = result.counts()
    files = len(result.reports)
    if not result.findings:
        return (
            f"All clear: {files} file{'s' if files != 1 else ''} checked, no problems."
            if files
            else "No post-mortems found to check."
        )
    total = sum(counts.values())
    return (
        f"Found {total} problem{'s' if total != 1 else ''} ({_counted(counts)}) in "
        f"{result.files_with_findings} of {files} file{'s' if files != 1 else ''}."
    )


def _statistics(result: RunResult) -> str:
    counts = Counter((f.rule_id, f.rule_name, f.severity) for f in result.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    lines = [
        f"{count:>5}  {rule_id:<6} {name:<28} [{severity.value}]" for (rule_id, name, severity), count in rows
    ]
    total = sum(counts.values())
    lines.append(f"{total:>5}  total in {len(result.reports)} file{'s' if len(result.reports) != 1 else ''}")
    return "\n".join(lines) + "\n"
