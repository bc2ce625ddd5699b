"""Recurring themes: contributing-factor categories that come back across incidents.

A theme is a category named by the factors of at least two incidents, with the incidents (most
recent first), how many factors it covers, and the categories it most often appears together with.
Related incidents of one incident are those that share its categories: the most shared first, then
the nearest in time. Candidates are drawn from each category's neighbours in time, so that a
repository of thousands of incidents does not compare every pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmcheck.learning_report.model import Incident

MIN_INCIDENTS = 2
RELATED_LIMIT = 5


@dataclass(frozen=True)
class Theme:
    category: str
    incidents: tuple[str, ...]
    factors: int
    together: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Related:
    id: str
    shared: tuple[str, ...]


def find_themes(incidents: Sequence[Incident]) -> list[Theme]:
    """Categories shared by at least two incidents, the most widespread first."""
    members: dict[str, list[str]] = {}
    factor_counts: Counter[str] = Counter()
    together: dict[str, Counter[str]] = {}
    for incident in incidents:
        categories = incident.categories
        for category in categories:
            members.setdefault(category, []).append(incident.id)
            others = (other for other in categories if other != category)
            together.setdefault(category, Counter()).update(others)
        factor_counts.update(category for factor in incident.factors for category in factor.categories)
    themes = [
        Theme(category, tuple(ids), factor_counts[category], tuple(together[category].most_common()))
        for category, ids in members.items()
        if len(ids) >= MIN_INCIDENTS
    ]
    return sorted(themes, key=lambda theme: (-len(theme.incidents), -theme.factors, theme.category))


def related_incidents(
    incidents: Sequence[Incident], *, limit: int = RELATED_LIMIT
) -> dict[str, tuple[Related, ...]]:
    """For each incident, up to ``limit`` others sharing its categories (``incidents`` newest first)."""
    by_category: dict[str, list[int]] = {}
    for index, incident in enumerate(incidents):
        for category in incident.categories:
            by_category.setdefault(category, []).append(index)
    positions = {
        category: {index: place for place, index in enumerate(members)}
        for category, members in by_category.items()
    }
    result: dict[str, tuple[Related, ...]] = {}
    for index, incident in enumerate(incidents):
        own = set(incident.categories)
        candidates: set[int] = set()
        for category in own:
            members = by_category[category]
            place = positions[category][index]
            candidates.update(members[max(0, place - limit) : place + limit + 1])
        candidates.discard(index)
        ranked = sorted(
            candidates,
            key=lambda other: (-len(own & set(incidents[other].categories)), abs(other - index), other),
        )[:limit]
        if ranked:
            result[incident.id] = tuple(_related(incident, incidents[other]) for other in ranked)
    return result


def _related(incident: Incident, other: Incident) -> Related:
    theirs = set(other.categories)
    return Related(other.id, tuple(category for category in incident.categories if category in theirs))
