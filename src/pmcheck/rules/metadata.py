"""Kinds that check the document as a file and its metadata (front matter or "Key: value" lines)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.timeparse import find_date, names_month
from pmcheck.validation import FORBID_EXTRA, about
from pmcheck.values import SeverityLevel, severity_level


@dataclass(frozen=True, kw_only=True)
class NoOptions:
    __pydantic_config__ = FORBID_EXTRA


def check_readable(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a document with no text. (Unreadable files are reported under this rule by the engine.)"""
    if not postmortem.document.source.strip():
        yield rule.hit(1, problem="the file is empty")


def check_front_matter(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report front matter that is not a valid YAML mapping."""
    error = postmortem.document.front_matter_error
    if error is not None:
        line, problem = error
        yield rule.hit(line, problem=problem)


@dataclass(frozen=True, kw_only=True)
class RequiredFieldsOptions:
    __pydantic_config__ = FORBID_EXTRA
    fields: list[str] = field(metadata=about("Metadata fields that must be present."))


def check_required_fields(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report each required metadata field that neither front matter nor a "Key: value" line gives."""
    options: RequiredFieldsOptions = rule.options
    for name in options.fields:
        value = postmortem.metadata.get(name)
        if name == "title" and not value:
            value = postmortem.title
        if name == "date" and not value and postmortem.incident_date is not None:
            # The title, the file name or the first timeline entry dates the incident as well.
            value = postmortem.incident_date.isoformat()
        if name == "date" and not value and names_month(postmortem.title or ""):
            # "Post mortem covering June 2026": the month is the precision the author chose.
            value = postmortem.title
        if not value or not str(value).strip():
            where = ", the title, the file name or the timeline" if name == "date" else ""
            yield rule.hit(1, subject=f"field {name}", field=name, where=where)


@dataclass(frozen=True, kw_only=True)
class AllowedValuesOptions:
    __pydantic_config__ = FORBID_EXTRA
    allowed: dict[str, list[str]] = field(
        default_factory=dict, metadata=about("Field → accepted values (case-insensitive).")
    )
    dates: list[str] = field(
        default_factory=list, metadata=about("Fields whose value must be a calendar date.")
    )


def check_values(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report metadata values outside the allowed set, and date fields that hold no date."""
    options: AllowedValuesOptions = rule.options
    for name, allowed in options.allowed.items():
        value = postmortem.metadata.get(name)
        if value is None or (name == "severity" and _allowed_level(postmortem.severity_level, allowed)):
            continue
        accepted = {_fold(item) for item in allowed}
        # "Closed April 14, 2026 at 10am PT" states the value, then when: its first words decide.
        words = re.sub(r"[^\w\s-]", " ", value).split()
        if len(words) >= _PROSE_WORDS:
            continue  # "Pool halted, withdrawals still open": a sentence about the incident, not a state
        leading = {_fold(" ".join(words[:count])) for count in (1, 2, 3)}
        if _fold(value) not in accepted and not leading & accepted:
            yield rule.hit(
                postmortem.metadata_lines.get(name, 1),
                field=name,
                value=_shown(value),
                expected=", ".join(allowed),
            )
    for name in options.dates:
        value = postmortem.metadata.get(name)
        # A month and year ("January 2025") is a date of the precision the author chose, as for PM003.
        if value is not None and find_date(value) is None and not names_month(value):
            yield rule.hit(
                postmortem.metadata_lines.get(name, 1),
                field=name,
                value=_shown(value),
                expected="a date such as 2026-03-02",
            )


# A value this long is a sentence about the incident ("Status: control plane recovered, data recovery in
# progress"), written where no process vocabulary is in use; it is not checked against one.
_PROSE_WORDS = 5


def _shown(value: str, limit: int = 60) -> str:
    """A value short enough to quote in a message (front matter can hold thousands of characters)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _allowed_level(level: SeverityLevel | None, allowed: list[str]) -> bool:
    """Whether the incident's severity level is one of the allowed values' ("Severity 2" is "SEV2")."""
    return level is not None and level in {severity_level(item) for item in allowed}


def _fold(value: str) -> str:
    return re.sub(r"[\s_-]+", "", value.strip().lower())


KINDS = [
    RuleKind("readable-file", NoOptions, check_readable, doc=check_readable.__doc__ or ""),
    RuleKind("front-matter-syntax", NoOptions, check_front_matter, doc=check_front_matter.__doc__ or ""),
    RuleKind(
        "metadata-required",
        RequiredFieldsOptions,
        check_required_fields,
        doc=check_required_fields.__doc__ or "",
    ),
    RuleKind("metadata-values", AllowedValuesOptions, check_values, doc=check_values.__doc__ or ""),
]
