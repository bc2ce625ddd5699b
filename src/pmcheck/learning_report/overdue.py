"""Overdue corrective actions by who holds them: each owner, and each team, in one list.

An action counts for every owner it names; an owner written ``@org/team`` is a team. It also
counts for the team of its incident (the ``team`` dimension), so a team sees the overdue work of
its incidents even when the owners are people. Actions without an owner are listed as "no owner".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmcheck.learning_report.model import ActionRow, Incident

OWNER, TEAM = "owner", "team"
NO_OWNER = "no owner"


@dataclass(frozen=True)
class Holder:
    kind: str
    name: str
    actions: tuple[tuple[str, ActionRow], ...]
    """(incident id, action), the longest overdue first."""


def overdue_by_holder(incidents: Sequence[Incident]) -> list[Holder]:
    """Owners and teams with overdue actions, the most overdue actions first."""
    held: dict[tuple[str, str], list[tuple[str, ActionRow]]] = {}
    for incident in incidents:
        teams = incident.dimensions.get("team", ())
        for action in incident.actions:
            if action.status != "overdue":
                continue
            holders = {_holder(owner) for owner in action.owners} or {(OWNER, NO_OWNER)}
            holders.update((TEAM, team) for team in teams)
            for holder in holders:
                held.setdefault(holder, []).append((incident.id, action))
    result = [
        Holder(kind, name, tuple(sorted(items, key=lambda item: (item[1].deadline or dt.date.max, item[0]))))
        for (kind, name), items in held.items()
    ]
    return sorted(result, key=lambda holder: (-len(holder.actions), holder.kind, holder.name))


def _holder(owner: str) -> tuple[str, str]:
    name = owner.strip().lstrip("@")
    return (TEAM, name.split("/", 1)[1].lower()) if "/" in name else (OWNER, name)
