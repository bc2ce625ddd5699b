"""Findings to LSP values: diagnostics, quick fixes, suppression comments and hovers. No I/O here."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from lsprotocol import types

from pmcheck.finding import Finding, Severity
from pmcheck.fix import Fix, apply

SOURCE = "pmcheck"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def finding_range(finding: Finding, lines: Sequence[str]) -> types.Range:
    """The finding's span, 0-based; a finding without an end covers the rest of its line.

    Columns count code points, as pmcheck's do; LSP's default is UTF-16, which differs only past
    the Basic Multilingual Plane (emoji), where the underline is then a little off."""
    line = max(finding.line - 1, 0)
    text = lines[line] if line < len(lines) else ""
    start = max(finding.column - 1, 0)
    end_line = (finding.end_line or finding.line) - 1
    if finding.end_column and end_line >= line:
        end = finding.end_column - 1
    else:
        end_line, end = line, len(text)
    if end_line == line and end <= start:
        end = max(len(text), start)
    return types.Range(types.Position(line, start), types.Position(end_line, end))


def diagnostic(finding: Finding, lines: Sequence[str]) -> types.Diagnostic:
    message = finding.message + (f"\n{finding.suggestion}" if finding.suggestion else "")
    return types.Diagnostic(
        range=finding_range(finding, lines),
        message=message,
        severity=_SEVERITIES[finding.severity],
        code=f"{finding.rule_id} {finding.rule_name}",
        code_description=types.CodeDescription(href=finding.url) if finding.url else None,
        source=SOURCE,
        data={"rule_id": finding.rule_id, "rule_name": finding.rule_name, "document": bool(finding.subject)},
    )


def insert_edits(before: str, after: str) -> list[types.TextEdit]:
    """Edits that turn ``before`` into ``after`` when ``after`` only adds lines (what fixes do)."""
    old, new = before.split("\n"), after.split("\n")
    edits = []
    for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert":
            end = types.Position(len(old) - 1, len(old[-1]))
            return [types.TextEdit(types.Range(types.Position(0, 0), end), after)]
        added = "".join(line + "\n" for line in new[j1:j2])
        if i1 >= len(old):
            edits.append(types.TextEdit(_at(len(old) - 1, len(old[-1])), "\n" + added.rstrip("\n")))
        else:
            edits.append(types.TextEdit(_at(i1, 0), added))
    return edits


def _at(line: int, character: int) -> types.Range:
    return types.Range(types.Position(line, character), types.Position(line, character))


def fix_actions(
    uri: str, text: str, fixes: Iterable[Fix], diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    """One quick fix per ``pmcheck fix`` change that answers one of ``diagnostics``."""
    actions = []
    for fix in fixes:
        answered = [
            d for d in diagnostics if isinstance(d.data, dict) and d.data.get("rule_id") == fix.rule_id
        ]
        if not answered:
            continue
        edits = insert_edits(text, apply(text, fix.insertions))
        actions.append(
            types.CodeAction(
                title=f"pmcheck fix: {fix.description}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=answered,
                edit=types.WorkspaceEdit(changes={uri: edits}),
                is_preferred=True,
            )
        )
    return actions


def suppress_action(uri: str, lines: Sequence[str], found: types.Diagnostic) -> types.CodeAction | None:
    """A comment that turns the rule off: on the finding's line, or for the file when the finding is
    about the document as a whole (a missing part has no line of its own)."""
    data = found.data if isinstance(found.data, dict) else {}
    rule_id = data.get("rule_id")
    if not rule_id:
        return None
    line = found.range.start.line
    text = lines[line] if line < len(lines) else ""
    if data.get("document"):
        last = len(lines) - 1
        comment = f"\n<!-- pmcheck-disable-file {rule_id} -->"
        edit = types.TextEdit(_at(last, len(lines[last]) if lines else 0), comment)
        title = f"Turn off {rule_id} {data.get('rule_name', '')} for this file"
    elif text.lstrip().startswith("#"):
        # A comment at the end of a heading would become part of its title.
        edit = types.TextEdit(_at(line, 0), f"<!-- pmcheck-disable-next-line {rule_id} -->\n")
        title = f"Suppress {rule_id} {data.get('rule_name', '')} on this line"
    else:
        edit = types.TextEdit(_at(line, len(text)), f" <!-- pmcheck-disable-line {rule_id} -->")
        title = f"Suppress {rule_id} {data.get('rule_name', '')} on this line"
    return types.CodeAction(
        title=title.replace("  ", " ").strip(),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[found],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def covers(span: types.Range, position: types.Position) -> bool:
    start, end = span.start, span.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    before_end = (position.line, position.character) <= (end.line, end.character)
    return after_start and before_end


def overlaps(span: types.Range, other: types.Range) -> bool:
    return not (
        (span.end.line, span.end.character) < (other.start.line, other.start.character)
        or (other.end.line, other.end.character) < (span.start.line, span.start.character)
    )
