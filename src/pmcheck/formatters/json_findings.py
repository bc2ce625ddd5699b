"""``--format json``: a stable, documented object (``schema_version`` 2).

``{"schema_version": 2, "pmcheck_version": str, "summary": {...}, "findings": [...], "notices": [str]}``;
each finding has ``path, line, column, end_line, end_column, severity, rule_id, rule_name, message,
suggestion, excerpt, url`` (the rule's documentation page). Lines and columns are 1-based; ``end_*``
may be null. Version 2 added ``url`` and the summary's ``baselined`` and ``stale_baseline_entries``.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from pmcheck import __version__
from pmcheck.finding import Finding, Severity
from pmcheck.run_result import RunResult

SCHEMA_VERSION = 2


def finding_dict(finding: Finding) -> dict[str, object]:
    data = asdict(finding)
    data["severity"] = finding.severity.value
    if finding.conceal:
        data["excerpt"] = finding.excerpt
    order = [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "rule_id",
        "rule_name",
        "message",
        "suggestion",
        "excerpt",
        "url",
    ]
    return {key: data[key] for key in order}


def render(result: RunResult) -> str:
    counts = result.counts()
    payload = {
        "schema_version": SCHEMA_VERSION,
        "pmcheck_version": __version__,
        "summary": {
            "files": len(result.reports),
            "files_with_findings": result.files_with_findings,
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
            "fail_on": result.fail_on.value,
            "failed": result.failed,
            "baselined": result.baselined,
            "stale_baseline_entries": result.stale,
        },
        "findings": [finding_dict(finding) for finding in result.findings],
        "notices": list(result.notices),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
