"""When impact began, as a document states it outside its timeline.

Two places say it, tried in order:

- a metadata field about the start (:mod:`fields`): ``impact start``, ``impact began``,
  ``customer impact start``, ``started``, ``start time``, ``incident start``, holding a clock time;
- the window the summary or the impact section states: "between 14:02 and 14:40 UTC", "from 09:30
  to 11:45".

A timeline entry that marks impact (:mod:`phases`) is the third source; :mod:`timing` uses it when
neither of these says. Only a time counts: "started: 2026-03-02" alone says the day, not the moment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from pmcheck.timeparse import ParsedTime, find_time

START_KEYS = (
    "impact start",
    "impact started",
    "impact began",
    "impact begin",
    "customer impact start",
    "customer impact began",
    "started",
    "start",
    "start time",
    "incident start",
)
_WINDOW = re.compile(r"\b(?:between|from)\s+(?P<rest>.{1,80})", re.IGNORECASE)
_WINDOW_JOIN = re.compile(r"^\s*(?:and|to|until|till|[-–—])\s+", re.IGNORECASE)


def start_from_metadata(fields: Mapping[str, str]) -> ParsedTime | None:
    """A clock time in a metadata field that says when the incident or its impact started."""
    for key in START_KEYS:
        found = find_time(fields[key]) if key in fields else None
        if found is not None:
            return found
    return None


def start_from_summary(texts: Iterable[str]) -> ParsedTime | None:
    """The first time of a window a text states ("between 14:02 and 14:40 UTC")."""
    for text in texts:
        for match in _WINDOW.finditer(text):
            rest = match["rest"]
            first = find_time(rest, within=0)
            if first is None or first.relative:
                continue
            after = rest[first.start + len(first.text) :]
            join = _WINDOW_JOIN.match(after)
            second = find_time(after[join.end() :], within=0) if join else None
            if second is None:
                continue
            if first.offset_minutes is None and second.offset_minutes is not None:
                # "between 14:02 and 14:40 UTC": the zone written once covers both ends.
                return replace(first, zone=second.zone, offset_minutes=second.offset_minutes)
            return first
    return None
