"""The report's own data quality: which documents lack what the figures need.

Each gap names the figures it leaves out, so the panel says why fixing it matters:

- **date**: the trends and the burn-down place incidents by their date;
- **severity**: the times by severity and the deadline policy need it;
- **impact start**: time to detect runs from it (a timeline entry, a ``started:`` field, or the
  summary's "between 14:02 and 14:40");
- **resolution time**: a timeline entry that says the incident was resolved;
- **owners** / **deadlines**: open corrective actions without them cannot be followed up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmcheck.learning_report.labels import UNKNOWN

if TYPE_CHECKING:
    from pmcheck.learning_report.model import Incident

GAPS: dict[str, str] = {
    "date": "no incident date: left out of every trend",
    "severity": "no severity: left out of the times by severity and the deadline policy",
    "impact start": "no impact start: no time to detect",
    "resolution time": "no resolution entry in the timeline: no time to resolve",
    "owners": "open corrective actions without an owner",
    "deadlines": "open corrective actions without a dated deadline",
}


@dataclass(frozen=True)
class Gaps:
    incident: str
    missing: tuple[str, ...]


def gaps(incident: Incident) -> tuple[str, ...]:
    """What ``incident`` lacks, in the order of :data:`GAPS`."""
    if not incident.readable:
        return tuple(GAPS)
    open_actions = [action for action in incident.actions if action.status != "done"]
    lacking = {
        "date": incident.date is None,
        "severity": incident.severity == UNKNOWN,
        "impact start": incident.timing.impact_start is None,
        "resolution time": incident.timing.to_resolve is None,
        "owners": any(not action.owners for action in open_actions),
        "deadlines": any(action.deadline is None for action in open_actions),
    }
    return tuple(name for name in GAPS if lacking[name])


def quality(incidents: Sequence[Incident]) -> list[Gaps]:
    """Every incident that lacks something, in the report's order."""
    found = [Gaps(incident.id, gaps(incident)) for incident in incidents]
    return [item for item in found if item.missing]
