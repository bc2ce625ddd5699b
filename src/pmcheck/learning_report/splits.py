"""The overview's figures split by severity or by a dimension (team, service, component...).

A :class:`Grouping` says which values an incident counts under: its severity, or the values it
names for a dimension (an incident naming several counts under each; one naming none is
"unknown"). The page draws a dimension's :data:`SPLIT_LIMIT` most frequent values on their own and
groups the rest as "other"; ``report.json`` keeps every value (``limit=None``).

Each function here returns plain numbers for one grouping; the HTML and ``report.json`` read the same
ones, so the page and the file cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pmcheck.learning_report.labels import UNKNOWN
from pmcheck.learning_report.model import Incident, Report
from pmcheck.learning_report.series import RESOLVE_BUCKETS, severities
from pmcheck.learning_report.trends import BurnDown, Period, burn_down

SEVERITY = "severity"
OTHER = "other"
SPLIT_LIMIT = 7
"""Values of a dimension the page draws on their own; the rest are grouped as "other"."""


@dataclass(frozen=True)
class Grouping:
    key: str
    """``severity`` or a dimension's name."""
    values: tuple[str, ...]
    """Every value in use, in drawing order: the named ones (most frequent first), then "other",
    then "unknown"."""
    named: frozenset[str]
    """The values kept under their own name; any other dimension value counts as "other"."""

    def of(self, incident: Incident) -> tuple[str, ...]:
        """The values ``incident`` counts under."""
        if self.key == SEVERITY:
            return (incident.severity,)
        found = incident.dimensions.get(self.key, ())
        return tuple(dict.fromkeys(value if value in self.named else OTHER for value in found)) or (UNKNOWN,)


def grouping(incidents: Sequence[Incident], key: str, *, limit: int | None = SPLIT_LIMIT) -> Grouping:
    """How to split ``incidents`` by ``key``: every severity, or a dimension's most frequent values."""
    if key == SEVERITY:
        names = severities(incidents)
        return Grouping(key, tuple(names), frozenset(names))
    tally: Counter[str] = Counter(
        value for incident in incidents for value in incident.dimensions.get(key, ())
    )
    ranked = sorted(tally, key=lambda value: (-tally[value], value))
    named = ranked if limit is None else ranked[:limit]
    draft = Grouping(key, (), frozenset(named))
    found = {value for incident in incidents for value in draft.of(incident)}
    extra = sorted(found - set(named), key=lambda value: (value == UNKNOWN, value))
    return Grouping(key, (*named, *extra), frozenset(named))


def split_keys(report: Report) -> list[tuple[str, str]]:
    """(key, label) of each way the page can split its charts: severity, then each dimension in use."""
    return [(SEVERITY, "Severity")] + [
        (name, name.capitalize())
        for name in report.dimension_names
        if any(incident.dimensions.get(name) for incident in report.incidents)
    ]


def shared(incidents: Sequence[Incident], key: str) -> bool:
    """Whether some incident counts under several values of ``key`` (so split totals exceed the whole)."""
    return key != SEVERITY and any(len(incident.dimensions.get(key, ())) > 1 for incident in incidents)


def shared_note(incidents: Sequence[Incident], key: str, label: str) -> str:
    """What a reader of a split chart must know when totals can exceed the whole ("" when they cannot)."""
    if shared(incidents, key):
        return f"An incident that names several values of {label.lower()} counts under each."
    return ""


def tally(incidents: Sequence[Incident], group: Grouping) -> dict[str, int]:
    """Incidents per value, the most first (for a theme's or cluster's incidents)."""
    counts: Counter[str] = Counter(value for incident in incidents for value in group.of(incident))
    return {value: counts[value] for value in group.values if counts[value]}


def burn_down_by(
    incidents: Sequence[Incident], spans: Sequence[Period], group: Grouping, *, as_of: dt.date
) -> dict[str, list[BurnDown]]:
    """The action burn-down of each value's incidents (opened, closed, open and overdue per period)."""
    members: dict[str, list[Incident]] = {value: [] for value in group.values}
    for incident in incidents:
        for value in group.of(incident):
            members[value].append(incident)
    return {value: burn_down(found, spans, as_of=as_of) for value, found in members.items()}


def categories_by(
    incidents: Sequence[Incident], group: Grouping, order: Sequence[str]
) -> list[tuple[str, dict[str, int]]]:
    """Per factor category (most incidents first), the incidents of each value that name it."""
    per: dict[str, Counter[str]] = {}
    for incident in incidents:
        for category in incident.categories:
            per.setdefault(category, Counter()).update(group.of(incident))
    totals = Counter({category: sum(1 for i in incidents if category in i.categories) for category in per})
    rank = {name: index for index, name in enumerate(order)}
    ranked = sorted(per, key=lambda category: (-totals[category], rank.get(category, len(rank)), category))
    return [(category, {value: per[category][value] for value in group.values}) for category in ranked]


def resolve_by(incidents: Sequence[Incident], group: Grouping) -> list[dict[str, int]]:
    """Per bucket of :data:`RESOLVE_BUCKETS`, the incidents of each value resolved in that time."""
    rows: list[Counter[str]] = [Counter() for _ in RESOLVE_BUCKETS]
    for incident in incidents:
        minutes = incident.timing.to_resolve
        if minutes is None or minutes < 0:
            continue
        place = next(
            index
            for index, (_label, low, high) in enumerate(RESOLVE_BUCKETS)
            if high is None or minutes < high
        )
        rows[place].update(group.of(incident))
    return [{value: row[value] for value in group.values} for row in rows]
