"""Kinds that check the timeline: entries exist, have times, run in order and say their time zone."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, Field

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem, TimelineEntry
from pmcheck.rule import Rule, RuleKind
from pmcheck.timeparse import zone_offset

_HALF_DAY = 12 * 60
_DAY = 24 * 60


class EntriesOptions(BaseModel, extra="forbid"):
    min_entries: int = Field(1, ge=1, description="Fewest timeline entries a timeline section must hold.")


def check_entries(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a timeline section from which no entries can be read."""
    options: EntriesOptions = rule.options
    section = postmortem.section("timeline")
    if section is not None and len(postmortem.timeline) < options.min_entries:
        yield rule.hit(
            section.line, section=section.title, count=len(postmortem.timeline), minimum=options.min_entries
        )


class NoOptions(BaseModel, extra="forbid"):
    pass


def check_times(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report timeline entries that carry no time that can be read."""
    for entry in postmortem.timeline:
        if entry.time is None:
            yield rule.hit(entry.line, excerpt=entry.text[:80], entry=_short(entry.text))


def check_order(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report an entry whose time is earlier than the entry before it (midnight crossings allowed)."""
    stated = zone_offset(postmortem.timeline_zone) if postmortem.timeline_zone else None
    previous: tuple[float, TimelineEntry] | None = None
    previous_relative: tuple[int, TimelineEntry] | None = None
    day_shift = 0
    previous_date = None
    for entry in postmortem.timeline:
        time = entry.time
        if time is None:
            continue
        if time.relative:
            since_start = time.hour * 60 + time.minute
            if previous_relative and since_start < previous_relative[0]:
                yield _out_of_order(rule, entry, previous_relative[1])
            previous_relative = (since_start, entry)
            continue
        if entry.date != previous_date:
            day_shift = 0
            previous_date = entry.date
        offset = time.offset_minutes if time.offset_minutes is not None else (stated or 0)
        minutes = time.hour * 60 + time.minute + time.second / 60 - offset
        # Minutes with a fraction: seconds order entries within a minute.
        value = (entry.date.toordinal() * _DAY if entry.date else 0) + minutes + day_shift * _DAY
        if previous is not None and value < previous[0]:
            explicit_date = time.date is not None
            if not explicit_date and previous[0] - value > _HALF_DAY:
                day_shift += 1
                value += _DAY
            else:
                yield _out_of_order(rule, entry, previous[1])
                continue
        previous = (value, entry)


def _out_of_order(rule: Rule, entry: TimelineEntry, before: TimelineEntry) -> Hit:
    assert entry.time is not None and before.time is not None
    return rule.hit(
        entry.line,
        excerpt=entry.text[:80],
        time=entry.time.text,
        previous=before.time.text,
        previous_line=before.line,
    )


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


KINDS = [
    RuleKind("timeline-entries", EntriesOptions, check_entries, doc=check_entries.__doc__ or ""),
    RuleKind("timeline-times", NoOptions, check_times, doc=check_times.__doc__ or ""),
    RuleKind("timeline-order", NoOptions, check_order, doc=check_order.__doc__ or ""),
    RuleKind("timeline-timezone", NoOptions, check_timezone, doc=check_timezone.__doc__ or ""),
]
