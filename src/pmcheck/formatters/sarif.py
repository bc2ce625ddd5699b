"""``--format sarif``: a SARIF 2.1.0 log, for GitHub code scanning (``codeql-action/upload-sarif``).

One run; ``tool.driver.rules`` lists only the rules that fired, each with its documentation as help
text and its page as ``helpUri``. Paths stay relative to the repository root (``%SRCROOT%``), as
code scanning expects. Concealed findings (secrets) carry their message only, never a snippet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pmcheck import __version__
from pmcheck.config import config_for
from pmcheck.engine import build_ruleset
from pmcheck.errors import PmcheckError
from pmcheck.finding import Finding, Severity
from pmcheck.rule import Rule
from pmcheck.run_result import RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: RunResult) -> str:
    findings = result.findings
    rules = _rules_by_id(report.path for report in result.reports) if findings else {}
    strongest: dict[str, Finding] = {}
    for finding in findings:
        known = strongest.get(finding.rule_id)
        if known is None or finding.severity.rank > known.severity.rank:
            strongest[finding.rule_id] = finding
    fired = [
        (rule_id, strongest[rule_id].rule_name, strongest[rule_id].severity) for rule_id in sorted(strongest)
    ]
    order = {rule_id: index for index, (rule_id, _name, _severity) in enumerate(fired)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pmcheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/pmcheck/",
                        "rules": [
                            _descriptor(rule_id, name, severity, rules.get(rule_id), strongest[rule_id].url)
                            for rule_id, name, severity in fired
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
                "results": [_result(finding, order[finding.rule_id]) for finding in findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rules_by_id(paths: Iterable[str]) -> dict[str, Rule]:
    """The rules in force for these files, to document the ones that fired (best effort)."""
    found: dict[str, Rule] = {}
    seen: set[str] = set()
    for path in paths:
        try:
            loaded = config_for(Path(path))
            key = loaded.source or "<defaults>"
            if key in seen:
                continue
            seen.add(key)
            found |= {rule.id: rule for rule in build_ruleset(loaded).all_rules}
        except PmcheckError:
            continue
    return found


def _descriptor(
    rule_id: str, name: str, severity: Severity, rule: Rule | None, url: str | None
) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": name,
        "defaultConfiguration": {"level": LEVELS[severity]},
    }
    if url:
        descriptor["helpUri"] = url
    if rule is None:
        descriptor["shortDescription"] = {"text": name}
        return descriptor
    docs = rule.docs
    descriptor["shortDescription"] = {"text": " ".join(docs.what.split())}
    descriptor["fullDescription"] = {"text": " ".join(docs.why.split()) or " ".join(docs.what.split())}
    descriptor["help"] = {"text": _help_text(rule), "markdown": _help_markdown(rule)}
    descriptor["properties"] = {"tags": ["postmortem", *([rule.pack] if rule.pack else [])]}
    return descriptor


def _help_text(rule: Rule) -> str:
    docs = rule.docs
    parts = [docs.what.strip(), docs.why.strip()]
    if docs.example.strip():
        parts.append("Example:\n" + docs.example.strip())
    if docs.instead.strip():
        parts.append("Use instead:\n" + docs.instead.strip())
    return "\n\n".join(part for part in parts if part)


def _help_markdown(rule: Rule) -> str:
    docs = rule.docs
    sections = [("What it checks", docs.what.strip()), ("Why it matters", docs.why.strip())]
    out = [f"**{heading}**\n\n{body}" for heading, body in sections if body]
    for heading, body in (("Example", docs.example), ("Use instead", docs.instead)):
        if body.strip():
            out.append(f"**{heading}**\n\n````markdown\n{body.rstrip()}\n````")
    return "\n\n".join(out)


def _result(finding: Finding, index: int) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
    if finding.end_line and finding.end_line >= finding.line:
        region["endLine"] = finding.end_line
    if finding.end_column and (finding.end_line or finding.line) >= finding.line:
        end_same_line = finding.end_line in (None, finding.line)
        if not end_same_line or finding.end_column > region["startColumn"]:
            region["endColumn"] = finding.end_column
    message = finding.message + (f" ({finding.suggestion})" if finding.suggestion else "")
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding.path),
                    "region": region,
                }
            }
        ],
    }


def _artifact(path: str) -> dict[str, str]:
    location = Path(path)
    if location.is_absolute():
        return {"uri": location.as_uri()}
    return {"uri": quote(location.as_posix().removeprefix("./")), "uriBaseId": "%SRCROOT%"}
