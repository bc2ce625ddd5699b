"""``--format markdown``: findings as GitHub-flavoured Markdown (pull-request comment, job summary).

Everything taken from a document — messages quote it, excerpts copy it, paths name it — is
neutralised before it reaches Markdown: ``&``, ``<`` and ``>`` are escaped so no markup gets in,
Markdown punctuation is backslash-escaped, and ``@`` gets a zero-width space after it so nobody
is pinged. Excerpts go in code spans, where GitHub neither renders HTML nor links mentions.

The output keeps to a character budget: the most important findings (errors first) are shown,
grouped per file in ``<details>`` blocks, and the rest are counted rather than dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from pmcheck.finding import Finding, Severity
from pmcheck.inert import inert, inert_html
from pmcheck.run_result import RunResult

COMMENT_LIMIT = 65_536  # GitHub rejects longer issue comments with 422
SUMMARY_BUDGET = 250_000  # characters; at most 4 bytes each stays under the 1 MiB job-summary cap
OPEN_DETAILS_UP_TO = 10  # findings; more than that and each file's block starts folded
_ICONS = {Severity.ERROR: ":x:", Severity.WARNING: ":warning:", Severity.INFO: ":information_source:"}
_OMISSION_RESERVE = 1_500


@dataclass(frozen=True)
class Links:
    """Where a finding's lines are on GitHub: one commit of one repository."""

    server_url: str
    repository: str
    sha: str

    def lines(self, path: str, line: int, end_line: int | None = None) -> str:
        # ``?plain=1`` shows Markdown as source, where line anchors work (the rendered view has none).
        anchor = f"L{line}" + (f"-L{end_line}" if end_line and end_line > line else "")
        return f"{self.server_url}/{self.repository}/blob/{self.sha}/{quote(path, safe='/')}?plain=1#{anchor}"


def text(value: str, *, limit: int = 500) -> str:
    """Document text made inert for Markdown: one line, no markup, no mentions."""
    return inert(" ".join(_shorten(value, limit).split()))


def html_text(value: str, *, limit: int = 300) -> str:
    """Document text for an HTML context such as ``<summary>``, where backslash escapes do not apply."""
    return inert_html(" ".join(_shorten(value, limit).split()))


def code(value: str, *, limit: int = 200, in_table: bool = False) -> str:
    """A code span that holds ``value`` verbatim, whatever backticks it contains."""
    flat = " ".join(_shorten(value, limit).split()) or " "
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    if in_table:
        # A pipe ends a table cell even inside a code span; GFM accepts the backslash escape there.
        padded = padded.replace("|", "\\|")
    return f"{fence}{padded}{fence}"


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def counts_text(result: RunResult) -> str:
    counts = result.counts()
    parts = [
        _plural(counts[s], _NOUNS[s]) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]
    ]
    return ", ".join(parts) or "no findings"


_NOUNS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def headline(result: RunResult, *, level: int = 3) -> str:
    """One heading that says whether the run passes and what it found."""
    files = len(result.reports)
    checked = _plural(files, "post-mortem")
    if not result.findings:
        return f"{'#' * level} :white_check_mark: pmcheck: all clear — {checked} checked, no problems"
    icon = ":x:" if result.failed else ":warning:"
    verdict = "fails" if result.failed else "passes"
    return (
        f"{'#' * level} {icon} pmcheck {verdict}: {counts_text(result)} in "
        f"{result.files_with_findings} of {checked}"
    )


def rule_table(result: RunResult) -> str:
    """Findings counted per rule, most frequent first."""
    counts = Counter((f.rule_id, f.rule_name, f.severity) for f in result.findings)
    if not counts:
        return ""
    rows = ["| Rule | Severity | Findings |", "| --- | --- | ---: |"]
    for (rule_id, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][0])):
        rows.append(f"| {code(f'{rule_id} {name}', in_table=True)} | {severity.value} | {count:,} |")
    return "\n".join(rows)


def finding_item(finding: Finding, result: RunResult, links: Links | None) -> str:
    """One finding as a list item: where (linked), what, the excerpt, the advice."""
    where = f"L{finding.line}"
    place = f"[{where}]({links.lines(finding.path, finding.line, finding.end_line)})" if links else where
    head = f"- **{place}** {_ICONS[finding.severity]} {code(finding.code)} {text(finding.message)}"
    lines = [head]
    excerpt = excerpt_of(finding, result)
    if excerpt:
        lines.append(f"  {code(excerpt, limit=160)}")
    if finding.suggestion:
        lines.append(f"  ↳ {text(finding.suggestion, limit=300)}")
    return "  \n".join(lines)


def excerpt_of(finding: Finding, result: RunResult) -> str | None:
    """The source line a finding points at; for concealed findings only their own (masked) excerpt."""
    if finding.conceal:
        return finding.excerpt
    source = result.sources.get(finding.path)
    if source and 0 < finding.line <= len(source) and source[finding.line - 1].strip():
        return source[finding.line - 1].strip()
    return finding.excerpt


def findings_section(result: RunResult, *, links: Links | None = None, budget: int = SUMMARY_BUDGET) -> str:
    """Findings per file, folded in ``<details>``, the most important first when not all fit."""
    findings = result.findings
    if not findings:
        return ""
    items = {finding: finding_item(finding, result, links) for finding in findings}
    shown = _choose(findings, items, budget - _OMISSION_RESERVE)
    open_attr = " open" if len(findings) <= OPEN_DETAILS_UP_TO else ""
    blocks: list[str] = []
    hidden_files: list[tuple[str, int]] = []
    for path, file_findings in _by_path(findings):
        visible = [f for f in file_findings if f in shown]
        if not visible:
            hidden_files.append((path, len(file_findings)))
            continue
        summary = f"<b>{html_text(path)}</b> — {_file_counts(file_findings)}"
        body = [items[f] for f in visible]
        missing = len(file_findings) - len(visible)
        if missing:
            body.append(f"- … {_plural(missing, 'more finding')} in this file not shown here")
        blocks.append(
            f"<details{open_attr}>\n<summary>{summary}</summary>\n\n" + "\n".join(body) + "\n\n</details>"
        )
    omitted = len(findings) - len(shown)
    if omitted:
        blocks.append(_omission_note(omitted, hidden_files))
    return "\n\n".join(blocks)


def _choose(findings: Sequence[Finding], items: dict[Finding, str], budget: int) -> set[Finding]:
    """Errors before warnings before notes; within a severity, each file's first before any file's second."""
    ordinal: dict[tuple[str, Severity], int] = {}
    ranked = []
    for finding in findings:
        key = (finding.path, finding.severity)
        ordinal[key] = ordinal.get(key, 0) + 1
        ranked.append((-finding.severity.rank, ordinal[key], finding))
    ranked.sort(key=lambda entry: (entry[0], entry[1], entry[2]))
    shown: set[Finding] = set()
    used = 0
    paths: set[str] = set()
    for _severity, _ordinal, finding in ranked:
        cost = len(items[finding]) + 1 + (0 if finding.path in paths else 120 + len(finding.path))
        if used + cost > budget:
            break
        used += cost
        shown.add(finding)
        paths.add(finding.path)
    return shown


def _by_path(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.path, []).append(finding)
    return list(grouped.items())


def _file_counts(findings: Sequence[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(
        _plural(counts[s], _NOUNS[s]) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]
    )


def _omission_note(omitted: int, hidden_files: Sequence[tuple[str, int]]) -> str:
    note = (
        f"**{_plural(omitted, 'more finding')} not shown** to keep this under GitHub's size limit; "
        "run `pmcheck check` locally or see the job summary for all of them."
    )
    if hidden_files:
        listed = [f"{code(path, limit=120)} ({count:,})" for path, count in hidden_files[:10]]
        more = len(hidden_files) - len(listed)
        note += "\nFiles not shown: " + ", ".join(listed) + (f", and {more:,} more" if more else "") + "."
    return note


def render(result: RunResult) -> str:
    """The whole report: headline, counts per rule, findings per file, notices."""
    parts = [headline(result, level=2), rule_table(result), findings_section(result)]
    parts += [f"> {text(notice)}" for notice in result.notices]
    return "\n\n".join(part for part in parts if part) + "\n"
