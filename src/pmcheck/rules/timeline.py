"""Kinds that check the timeline: entries exist, have times, run in order and say their time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.timeline import TimelineEntry
from pmcheck.timeparse import find_date, zone_offset
from pmcheck.validation import FORBID_EXTRA, about

_HALF_DAY = 12 * 60
_DAY = 24 * 60


@dataclass(frozen=True, kw_only=True)
class EntriesOptions:
    __pydantic_config__ = FORBID_EXTRA
    min_entries: int = field(
        default=1, metadata=about("Fewest timeline entries a timeline section must hold.", ge=1)
    )


def check_entries(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a timeline section from which no entries can be read."""
    options: EntriesOptions = rule.options
    section = postmortem.section("timeline")
    if section is not None and len(postmortem.timeline) < options.min_entries:
        yield rule.hit(
            section.line, section=section.title, count=len(postmortem.timeline), minimum=options.min_entries
        )


@dataclass(frozen=True, kw_only=True)
class NoOptions:
    __pydantic_config__ = FORBID_EXTRA


def check_times(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report, once per timeline, how many entries carry neither a time nor a date that can be read.

    Untimed entries between timed ones are normal (an observation, a quoted message); one finding
    says how many there are and where the first one is, rather than one finding per line.
    """
    untimed = [entry for entry in postmortem.timeline if entry.time is None and not _dated(entry)]
    if not untimed:
        return
    first = untimed[0]
    yield rule.hit(
        first.line,
        excerpt=first.text[:80],
        entry=_short(first.text),
        count=len(untimed),
        total=len(postmortem.timeline),
        entries="entry has" if len(untimed) == 1 else "entries have",
    )


def _dated(entry: TimelineEntry) -> bool:
    """An entry that starts with its own date ("2021-08-17: ...") is placed in time to the day."""
    return entry.date is not None and find_date(entry.text[:40], default_year=entry.date.year) == entry.date


def check_order(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report each place where the timeline goes back in time (midnight crossings allowed).

    Entries are compared by date where both have one, then by time; an entry dated to the day only is
    compared by its date. After a step back, the next entries are compared with the one that stepped
    back, so one misplaced row is one finding. A timeline kept newest first (as status pages are) is
    read in that order: it is checked both ways and the reading with fewer steps back is reported.
    """
    entries = postmortem.timeline
    stated = zone_offset(postmortem.timeline_zone) if postmortem.timeline_zone else None
    forward = list(_steps_back(entries, stated, rule))
    if len(forward) > 1:
        backward = list(_steps_back(entries[::-1], stated, rule))
        if len(backward) < len(forward):
            yield from backward[::-1]
            return
    yield from forward


def _steps_back(entries: Sequence[TimelineEntry], stated: int | None, rule: Rule) -> Iterator[Hit]:
    previous: tuple[float, TimelineEntry] | None = None
    previous_relative: tuple[int, TimelineEntry] | None = None
    previous_day: tuple[dt.date, TimelineEntry] | None = None
    day_shift = 0
    previous_date = None
    for entry in entries:
        time = entry.time
        if time is None:
            if entry.date is not None and _dated(entry):
                if previous_day and entry.date < previous_day[0]:
                    yield _out_of_order(rule, entry, previous_day[1])
                previous_day = (entry.date, entry)
            continue
        if time.relative:
            since_start = time.hour * 60 + time.minute
            if previous_relative and since_start < previous_relative[0]:
                yield _out_of_order(rule, entry, previous_relative[1])
            previous_relative = (since_start, entry)
            continue
        if entry.date is None and previous is not None and previous[1].date is not None:
            # A time whose day could not be read, among dated ones, cannot be placed: it is not compared.
            continue
        if entry.date is not None:
            if previous_day and entry.date < previous_day[0]:
                yield _out_of_order(rule, entry, previous_day[1])
                previous, previous_day = None, (entry.date, entry)
                continue
            previous_day = (entry.date, entry)
        if entry.date != previous_date:
            day_shift = 0
            previous_date = entry.date
        offset = time.offset_minutes if time.offset_minutes is not None else (stated or 0)
        minutes = time.hour * 60 + time.minute + time.second / 60 - offset
        # Minutes with a fraction: seconds order entries within a minute.
        value = (entry.date.toordinal() * _DAY if entry.date else 0) + minutes + day_shift * _DAY
        if previous is not None and value < previous[0]:
            dated_apart = entry.date is not None and previous[1].date != entry.date
            explicit_date = time.date is not None or dated_apart
            if not explicit_date and previous[0] - value > _HALF_DAY:
                day_shift += 1
                value += _DAY
            else:
                yield _out_of_order(rule, entry, previous[1])
        previous = (value, entry)


def _out_of_order(rule: Rule, entry: TimelineEntry, before: TimelineEntry) -> Hit:
    return rule.hit(
        entry.line,
        excerpt=entry.text[:80],
        time=_when(entry),
        previous=_when(before),
        previous_line=before.line,
    )


def _when(entry: TimelineEntry) -> str:
    if entry.time is not None:
        return entry.time.text
    return entry.date.isoformat() if entry.date else "?"


def check_timezone(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report the first timed entry whose zone is unknown when no zone is stated for the timeline."""
    if postmortem.timeline_zone:
        return
    for entry in postmortem.timeline:
        if entry.time is not None and entry.time.zone is None:
            yield rule.hit(entry.line, excerpt=entry.text[:80], time=entry.time.text)
            return


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_dates(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a numeric date that reads as two days when nothing in the document says which.

    "05/06/2023" is 5 June day-first and May 6 month-first. pmcheck decides once per document (a field
    over 12, or agreement with the title's or file name's date) and never guesses: an undecided date
    leaves its entries undated, so this finding asks for an unambiguous form.
    """
    found = postmortem.timeline_ambiguous_date
    if found is not None:
        text, line = found
        yield rule.hit(line, excerpt=text, date=text)


KINDS = [
    RuleKind("timeline-entries", EntriesOptions, check_entries, doc=check_entries.__doc__ or ""),
    RuleKind("timeline-times", NoOptions, check_times, doc=check_times.__doc__ or ""),
    RuleKind("timeline-order", NoOptions, check_order, doc=check_order.__doc__ or ""),
    RuleKind("timeline-timezone", NoOptions, check_timezone, doc=check_timezone.__doc__ or ""),
    RuleKind("timeline-dates", NoOptions, check_dates, doc=check_dates.__doc__ or ""),
]
