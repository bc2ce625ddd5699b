"""Keep what the checks flag as secret or personal out of the published report.

The report quotes documents (titles, summaries, timelines, factors, actions, finding messages) and
is meant to be published. Any text a secret finding points at (``conceal``), or a personal-data
finding matched, is replaced by ``[redacted]`` wherever the report would show it. The exact text is
recovered from the source line and the finding's columns, because a concealed finding carries only
a shortened excerpt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pmcheck.finding import Finding

MASKED_RULE_NAMES = frozenset({"personal-data"})
REDACTED = "[redacted]"
_SHORTEST = 4


def sensitive_texts(findings: Iterable[Finding], lines: Sequence[str]) -> tuple[str, ...]:
    """The exact strings to hide, longest first so that one never leaves part of another behind."""
    found: set[str] = set()
    for finding in findings:
        if not (finding.conceal or finding.rule_name in MASKED_RULE_NAMES):
            continue
        if not 0 < finding.line <= len(lines):
            continue
        line = lines[finding.line - 1]
        same_line = finding.end_line in (None, finding.line) and finding.end_column is not None
        end = (finding.end_column or 0) - 1 if same_line else len(line)
        text = line[finding.column - 1 : end].strip()
        if len(text) >= _SHORTEST:
            found.add(text)
        if finding.excerpt and not finding.conceal and len(finding.excerpt) >= _SHORTEST:
            found.add(finding.excerpt)
    return tuple(sorted(found, key=len, reverse=True))


def mask(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text
