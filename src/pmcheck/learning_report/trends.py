"""Change over time: per month, or per quarter when the data spans more than two years.

For each period: incidents by severity (or by team, service...); the median and 90th percentile of
time to detect, mitigate and resolve by severity (or by team, service...); and the corrective-action
burn-down (overall, or for the incidents of one team, service...) — actions
opened and closed in the period, open and open-and-overdue at its end, the median age of the open
ones, and the share of those closed in it that were closed within the deadline policy (the
severity's days from the incident date, else the action's own deadline).

An action's opening and closing days come from its :class:`pmcheck.learning_report.history.Life`; actions
marked done on a day nobody recorded are left out of the burn-down, and counted apart.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pmcheck.learning_report.model import ActionRow, Incident, Report

MONTHLY_SPAN = 24
MEASURES = (
    ("to_detect", "Time to detect"),
    ("to_mitigate", "Time to mitigate"),
    ("to_resolve", "Time to resolve"),
)


@dataclass(frozen=True)
class Period:
    key: str
    """``2026-03`` or ``2026-Q1``."""
    label: str
    start: dt.date
    end: dt.date
    """The last day of the period."""


@dataclass(frozen=True)
class Spread:
    count: int
    median: int | None
    p90: int | None


@dataclass(frozen=True)
class BurnDown:
    period: Period
    opened: int
    closed: int
    open_at_end: int
    overdue_at_end: int
    median_open_age_days: int | None
    closed_within_policy: int
    closed_judged: int
    """Closed in the period with a policy or deadline to judge them by."""

    @property
    def share_within_policy(self) -> float | None:
        return self.closed_within_policy / self.closed_judged if self.closed_judged else None


def periods(days: Sequence[dt.date]) -> list[Period]:
    """Months from the first to the last day, or quarters when that spans more than two years."""
    if not days:
        return []
    first, last = min(days), max(days)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 3 if months > MONTHLY_SPAN else 1
    month = first.month - (first.month - 1) % step
    year, found = first.year, []
    while (year, month) <= (last.year, last.month):
        start = dt.date(year, month, 1)
        next_year, next_month = (year + 1, month + step - 12) if month + step > 12 else (year, month + step)
        end = dt.date(next_year, next_month, 1) - dt.timedelta(days=1)
        if step == 1:
            key, label = f"{year:04d}-{month:02d}", start.strftime("%b %Y")
        else:
            quarter = (month - 1) // 3 + 1
            key, label = f"{year:04d}-Q{quarter}", f"Q{quarter} {year}"
        found.append(Period(key, label, start, end))
        year, month = next_year, next_month
    return found


def report_periods(report: Report) -> list[Period]:
    """The periods the trends cover: from the first incident or action to the report date."""
    days = [incident.date for incident in report.incidents if incident.date]
    days += [a.opened for i in report.incidents for a in i.actions if a.opened and a.opened <= report.as_of]
    if not days:
        return []
    return periods([*days, report.as_of])


def period_of(day: dt.date | None, spans: Sequence[Period]) -> Period | None:
    if day is None:
        return None
    return next((period for period in spans if period.start <= day <= period.end), None)


def counts_by(
    incidents: Sequence[Incident], spans: Sequence[Period], group: Callable[[Incident], Sequence[str]]
) -> list[dict[str, int]]:
    """Per period, incidents per group value (an incident with several values counts in each)."""
    result: list[Counter[str]] = [Counter() for _ in spans]
    index = {period.key: place for place, period in enumerate(spans)}
    for incident in incidents:
        period = period_of(incident.date, spans)
        if period is not None:
            result[index[period.key]].update(group(incident) or ("unknown",))
    return [dict(counter) for counter in result]


def spread(values: Sequence[int]) -> Spread:
    if not values:
        return Spread(0, None, None)
    ordered = sorted(values)
    # Nearest rank: the value at or below which 90% of the incidents fall.
    p90 = ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]
    return Spread(len(ordered), round(statistics.median(ordered)), p90)


def times_by_severity(
    incidents: Sequence[Incident], spans: Sequence[Period], severities: Sequence[str]
) -> dict[str, dict[str, list[Spread]]]:
    """measure → severity → one :class:`Spread` per period."""
    return times_by(incidents, spans, severities, lambda incident: (incident.severity,))


def times_by(
    incidents: Sequence[Incident],
    spans: Sequence[Period],
    names: Sequence[str],
    group: Callable[[Incident], Sequence[str]],
) -> dict[str, dict[str, list[Spread]]]:
    """measure → group value → one :class:`Spread` per period (an incident counts under each value)."""
    result: dict[str, dict[str, list[Spread]]] = {}
    for measure, _label in MEASURES:
        per: dict[str, list[list[int]]] = {name: [[] for _ in spans] for name in names}
        for incident in incidents:
            value = getattr(incident.timing, measure)
            period = period_of(incident.date, spans)
            if value is None or period is None:
                continue
            for name in group(incident):
                if name in per:
                    per[name][spans.index(period)].append(value)
        result[measure] = {name: [spread(values) for values in rows] for name, rows in per.items()}
    return result


def burn_down(incidents: Sequence[Incident], spans: Sequence[Period], *, as_of: dt.date) -> list[BurnDown]:
    """The corrective-action burn-down, one row per period that has begun by ``as_of``."""
    actions = [(incident, action) for incident in incidents for action in incident.actions]
    rows = []
    for period in spans:
        if period.start > as_of:
            break
        end = min(period.end, as_of)
        opened = closed = open_now = overdue = within = judged = 0
        ages: list[int] = []
        for incident, action in actions:
            if not dated(action):
                continue
            opened_on = action.opened
            assert opened_on is not None
            if period.start <= opened_on <= period.end:
                opened += 1
            if action.closed is not None and period.start <= action.closed <= period.end:
                closed += 1
                due = policy_due(incident, action)
                if due is not None:
                    judged += 1
                    within += action.closed <= due
            if opened_on <= end and not _gone_by(action, end):
                open_now += 1
                ages.append((end - opened_on).days)
                overdue += action.deadline is not None and action.deadline < end
        median_age = round(statistics.median(ages)) if ages else None
        rows.append(BurnDown(period, opened, closed, open_now, overdue, median_age, within, judged))
    return rows


def dated(action: ActionRow) -> bool:
    """Whether the burn-down can place an action: it has an opening day, and a closing day if done."""
    return action.opened is not None and not (action.status == "done" and action.closed is None)


def policy_due(incident: Incident, action: ActionRow) -> dt.date | None:
    """The day the policy wants the action done by: incident date + the severity's days, else its deadline."""
    if incident.date is not None and action.policy_days is not None:
        return incident.date + dt.timedelta(days=action.policy_days)
    return action.deadline


def _gone_by(action: ActionRow, day: dt.date) -> bool:
    return any(when is not None and when <= day for when in (action.closed, action.removed))
