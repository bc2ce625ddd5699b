"""The result of one run over many files, as every reporter and the exit code see it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pmcheck.engine import FileReport
from pmcheck.finding import Finding, Severity


@dataclass
class RunResult:
    reports: list[FileReport]
    fail_on: Severity = Severity.ERROR
    notices: list[str] = field(default_factory=list)
    color: bool = False
    show_source: bool = True
    show_docs: bool = False
    statistics: bool = False
    quiet: bool = False
    sources: dict[str, Sequence[str]] = field(default_factory=dict)
    baselined: int = 0  # findings a baseline held back
    stale: int = 0  # baseline entries that matched no finding

    @property
    def findings(self) -> list[Finding]:
        return sorted(finding for report in self.reports for finding in report.findings)

    def counts(self) -> Counter[Severity]:
        return Counter(finding.severity for finding in self.findings)

    @property
    def failed(self) -> bool:
        return any(finding.severity.at_least(self.fail_on) for finding in self.findings)

    @property
    def files_with_findings(self) -> int:
        return sum(1 for report in self.reports if report.findings)
