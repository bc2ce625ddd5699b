"""The figures behind the charts and the headline numbers, aggregated from the report model.

Months run without gaps from the earliest to the latest dated incident, so quiet months show as
zero rather than vanishing. Undated incidents are counted apart.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pmcheck.learning_report.action_status import STATUSES
from pmcheck.learning_report.labels import severity_sort_key
from pmcheck.learning_report.model import Incident

# (label, from minutes inclusive, to minutes exclusive or None)
RESOLVE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("< 30 min", 0, 30),
    ("30–60 min", 30, 60),
    ("1–2 h", 60, 120),
    ("2–4 h", 120, 240),
    ("4–8 h", 240, 480),
    ("8–24 h", 480, 1440),
    ("1–3 days", 1440, 4320),
    ("> 3 days", 4320, None),
)


@dataclass(frozen=True)
class MonthCounts:
    month: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Bucket:
    label: str
    low: int
    high: int | None
    count: int


@dataclass(frozen=True)
class CategoryCount:
    category: str
    incidents: int
    factors: int


def months_between(first: str, last: str) -> list[str]:
    """``"2025-11"`` … ``"2026-02"``, every month in between included."""
    year, month = (int(part) for part in first.split("-"))
    end = tuple(int(part) for part in last.split("-"))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def severities(incidents: Sequence[Incident]) -> list[str]:
    """The severity labels in use, most severe first."""
    return sorted({incident.severity for incident in incidents}, key=severity_sort_key)


def incidents_per_month(incidents: Sequence[Incident]) -> list[MonthCounts]:
    counts: dict[str, Counter[str]] = {}
    for incident in incidents:
        if incident.month:
            counts.setdefault(incident.month, Counter())[incident.severity] += 1
    return [MonthCounts(month, dict(counts.get(month, Counter()))) for month in _span(counts)]


def actions_per_month(incidents: Sequence[Incident]) -> list[MonthCounts]:
    """Corrective actions by the month of their incident, by their status on the report date."""
    counts: dict[str, Counter[str]] = {}
    for incident in incidents:
        if incident.month and incident.actions:
            counter = counts.setdefault(incident.month, Counter())
            counter.update(action.status for action in incident.actions)
    return [
        MonthCounts(month, {status: counts.get(month, Counter())[status] for status in STATUSES})
        for month in _span(counts)
    ]


def resolve_distribution(incidents: Sequence[Incident]) -> list[Bucket]:
    minutes = [incident.timing.to_resolve for incident in incidents if incident.timing.to_resolve is not None]
    return [
        Bucket(label, low, high, sum(1 for value in minutes if low <= value < (high or value + 1)))
        for label, low, high in RESOLVE_BUCKETS
    ]


def category_counts(incidents: Sequence[Incident], order: Sequence[str]) -> list[CategoryCount]:
    """Categories named by at least one factor, by the number of incidents that name them."""
    per_incident: Counter[str] = Counter(
        category for incident in incidents for category in incident.categories
    )
    per_factor: Counter[str] = Counter(
        category for incident in incidents for factor in incident.factors for category in factor.categories
    )
    rank = {name: index for index, name in enumerate(order)}
    found = [CategoryCount(name, per_incident[name], per_factor[name]) for name in per_incident]
    return sorted(found, key=lambda item: (-item.incidents, -item.factors, rank.get(item.category, 0)))


def action_totals(incidents: Sequence[Incident]) -> dict[str, int]:
    counts = Counter(action.status for incident in incidents for action in incident.actions)
    return {status: counts[status] for status in STATUSES}


def median_minutes(incidents: Sequence[Incident], attribute: str) -> int | None:
    values = [getattr(incident.timing, attribute) for incident in incidents]
    known = [value for value in values if value is not None]
    return round(statistics.median(known)) if known else None


def _span(counts: dict[str, Counter[str]]) -> list[str]:
    return months_between(min(counts), max(counts)) if counts else []
