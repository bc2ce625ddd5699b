"""Times to detect, mitigate and resolve an incident, computed from its timeline.

Each timed entry becomes a moment: its own date or the date stated above it (else the incident
date), its clock time, converted to UTC when the entry or the timeline states a zone. Timelines
without dates that cross midnight (``23:52`` then ``00:14``) move to the next day whenever the clock
jumps back by more than 12 hours. The timeline starts at the first timed entry; the duration runs
to the last one.

The clock for detection, mitigation and resolution starts when impact began (:mod:`impact` finds
it: a metadata field, a timeline entry, or the window the summary states), not at the first entry,
which is often a merge or a deploy long before anyone was affected. Time to detect is known only
when impact start is; times to mitigate and resolve fall back to the first entry, and ``clock``
says which start was used. A figure that would be negative (entries out of order) is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pmcheck.learning_report.phases import classify
from pmcheck.timeline import TimelineEntry
from pmcheck.timeparse import ParsedTime, zone_offset

# Only differences between moments matter when a timeline names no date at all.
_UNDATED = dt.date(2000, 1, 1)
_WRAP = dt.timedelta(hours=12)


@dataclass(frozen=True)
class TimedEntry:
    """A timeline entry with its phases and, when it has a time, its moment (UTC when a zone is known)."""

    entry: TimelineEntry
    phases: tuple[str, ...]
    moment: dt.datetime | None


IMPACT_CLOCK, FIRST_ENTRY_CLOCK = "impact start", "first entry"


@dataclass(frozen=True)
class Timing:
    """Minutes from impact start (else the first timeline entry); None when the timeline does not say."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    dated: bool = False
    duration: int | None = None
    to_detect: int | None = None
    to_mitigate: int | None = None
    to_resolve: int | None = None
    impact_start: dt.datetime | None = None
    impact_source: str | None = None
    """Where impact start came from: metadata, timeline, summary or impact section; None when unknown."""
    clock: str | None = None
    """Which start the times to mitigate and resolve count from: impact start or the first entry."""

    def minutes_from_start(self, moment: dt.datetime | None) -> int | None:
        if self.start is None or moment is None:
            return None
        return _minutes(moment - self.start)


def timed_entries(
    entries: Sequence[TimelineEntry], *, incident_date: dt.date | None, zone: str | None
) -> list[TimedEntry]:
    """Every entry with its phases and moment, in document order."""
    default_offset = zone_offset(zone) if zone else None
    result: list[TimedEntry] = []
    previous: dt.datetime | None = None
    previous_day: dt.date | None = None
    rollover = 0
    for entry in entries:
        phases = classify(entry.text)
        if entry.time is None:
            result.append(TimedEntry(entry, phases, None))
            continue
        day = entry.date or incident_date or _UNDATED
        if day != previous_day:
            rollover = 0
        moment = _moment(entry.time, day, default_offset=default_offset) + dt.timedelta(days=rollover)
        if previous is not None and day == previous_day and moment < previous - _WRAP:
            rollover += 1
            moment += dt.timedelta(days=1)
        result.append(TimedEntry(entry, phases, moment))
        previous, previous_day = moment, day
    return result


def timing(
    timed: Sequence[TimedEntry],
    *,
    dated: bool = False,
    impact: tuple[dt.datetime, str] | None = None,
) -> Timing:
    """The incident's start, end, duration and times to detect / mitigate / resolve.

    ``impact`` is when impact began and where that was read (metadata or summary); without it, the
    first timeline entry marking impact is used.
    """
    moments = [(item.moment, item.phases) for item in timed if item.moment is not None]
    if not moments:
        return Timing()
    start, end = moments[0][0], moments[-1][0]
    if impact is None:
        marked = next((moment for moment, phases in moments if "impact" in phases), None)
        impact = (marked, "timeline") if marked is not None else None
    clock = impact[0] if impact else start

    def first(phase: str) -> int | None:
        found = next((moment for moment, phases in moments if phase in phases), None)
        return _non_negative(found - clock) if found is not None else None

    return Timing(
        start=start,
        end=end,
        dated=dated,
        duration=_non_negative(end - start),
        to_detect=first("detect") if impact else None,
        to_mitigate=first("mitigate"),
        to_resolve=first("resolve"),
        impact_start=impact[0] if impact else None,
        impact_source=impact[1] if impact else None,
        clock=IMPACT_CLOCK if impact else FIRST_ENTRY_CLOCK,
    )


def moment_of(time: ParsedTime, *, incident_date: dt.date | None, zone: str | None) -> dt.datetime:
    """The moment of a time written outside the timeline, on the same clock as :func:`timed_entries`."""
    default_offset = zone_offset(zone) if zone else None
    return _moment(time, time.date or incident_date or _UNDATED, default_offset=default_offset)


def _moment(time: ParsedTime, day: dt.date, *, default_offset: int | None) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time())
    if time.relative:
        return midnight + dt.timedelta(minutes=time.hour * 60 + time.minute, seconds=time.second)
    offset = time.offset_minutes if time.offset_minutes is not None else default_offset or 0
    clock = dt.timedelta(hours=time.hour, minutes=time.minute, seconds=time.second)
    return midnight + clock - dt.timedelta(minutes=offset)


def _minutes(delta: dt.timedelta) -> int:
    return round(delta.total_seconds() / 60)


def _non_negative(delta: dt.timedelta) -> int | None:
    minutes = _minutes(delta)
    return minutes if minutes >= 0 else None
