"""The pull-request report as a file, for the fork-safe ``workflow_run`` pattern.

The unprivileged ``pull_request`` run (read-only token) saves what it found; the privileged
``workflow_run`` run loads it and posts the comment. The file comes from a run the pull request's
author controls, so loading treats it as hostile: a strict schema with size caps, and the comment is
rendered again here (escaped as always) rather than taken as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pmcheck.engine import FileReport
from pmcheck.errors import UsageError
from pmcheck.finding import Finding, Severity
from pmcheck.formatters.markdown import excerpt_of
from pmcheck.github.pull_request import IssuePreview, PullRequestRun
from pmcheck.run_result import RunResult

FORMAT: Final = "pmcheck-pr-report"
MAX_BYTES = 20_000_000
_TEXT = 4_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SavedFinding(_Strict):
    path: str = Field(max_length=1_000)
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    end_line: int | None = Field(None, ge=1)
    end_column: int | None = Field(None, ge=1)
    rule_id: str = Field(max_length=100)
    rule_name: str = Field(max_length=200)
    severity: Severity
    message: str = Field(max_length=_TEXT)
    suggestion: str | None = Field(None, max_length=_TEXT)
    excerpt: str | None = Field(None, max_length=_TEXT)
    conceal: bool = False


class SavedPreview(_Strict):
    path: str = Field(max_length=1_000)
    line: int = Field(ge=1)
    title: str = Field(max_length=1_000)
    owners: list[str] = Field(default_factory=list, max_length=50)
    deadline: str | None = Field(None, max_length=200)


class SavedReport(_Strict):
    format: Literal["pmcheck-pr-report"]
    version: Literal[1]
    repository: str = Field(max_length=200)
    number: int = Field(ge=1)
    head_sha: str = Field(pattern=r"^[0-9a-f]{40}$")
    fail_on: Severity
    checked: list[str] = Field(max_length=3_000)
    notes: list[str] = Field(default_factory=list, max_length=20)
    notices: list[str] = Field(default_factory=list, max_length=20)
    findings: list[SavedFinding] = Field(max_length=200_000)
    previews: list[SavedPreview] | None = Field(None, max_length=1_000)


def dump(run: PullRequestRun) -> str:
    """The report's JSON text."""
    result = run.result
    findings = [
        SavedFinding(
            path=f.path,
            line=f.line,
            column=f.column,
            end_line=f.end_line,
            end_column=f.end_column,
            rule_id=f.rule_id,
            rule_name=f.rule_name,
            severity=f.severity,
            message=f.message,
            suggestion=f.suggestion,
            excerpt=excerpt_of(f, result),
            conceal=f.conceal,
        )
        for f in result.findings
    ]
    previews = (
        None
        if run.previews is None
        else [
            SavedPreview(path=p.path, line=p.line, title=p.title, owners=list(p.owners), deadline=p.deadline)
            for p in run.previews
        ]
    )
    report = SavedReport(
        format=FORMAT,
        version=1,
        repository=run.repository,
        number=run.number,
        head_sha=run.head_sha,
        fail_on=result.fail_on,
        checked=list(run.checked),
        notes=list(run.notes),
        notices=list(result.notices),
        findings=findings,
        previews=previews,
    )
    return report.model_dump_json(indent=1) + "\n"


def load(path: Path) -> SavedReport:
    """Read and validate a saved report; a clear error for anything else."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path}: larger than {MAX_BYTES:,} bytes; not a pmcheck report")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the report: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not a pmcheck report (not JSON: {exc})") from None
    try:
        return SavedReport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "<root>"
        raise UsageError(f"{path}: not a valid pmcheck report: {where}: {first['msg']}") from None


def to_run(report: SavedReport, *, server_url: str, run_url: str | None) -> PullRequestRun:
    """The run the report describes, ready to render."""
    by_path: dict[str, list[Finding]] = {path: [] for path in report.checked}
    for saved in report.findings:
        finding = Finding(
            path=saved.path,
            line=saved.line,
            column=saved.column,
            rule_id=saved.rule_id,
            rule_name=saved.rule_name,
            severity=saved.severity,
            message=saved.message,
            end_line=saved.end_line,
            end_column=saved.end_column,
            suggestion=saved.suggestion,
            excerpt=saved.excerpt,
            conceal=saved.conceal,
        )
        by_path.setdefault(saved.path, []).append(finding)
    result = RunResult(
        reports=[FileReport(path=path, findings=findings) for path, findings in by_path.items()],
        fail_on=report.fail_on,
        notices=list(report.notices),
    )
    previews = (
        None
        if report.previews is None
        else [IssuePreview(p.path, p.line, p.title, tuple(p.owners), p.deadline) for p in report.previews]
    )
    return PullRequestRun(
        repository=report.repository,
        number=report.number,
        head_sha=report.head_sha,
        server_url=server_url,
        result=result,
        checked=list(report.checked),
        notes=list(report.notes),
        previews=previews,
        run_url=run_url,
    )
