"""Deadlines of corrective actions: a real date, or a vague promise such as "ASAP" or "Q3"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from pmcheck.timeparse import DATE_PATTERN, MONTH_NAMES, find_date, month_number

VAGUE_DEADLINE = re.compile(
    r"\b(?:asap|as soon as possible|soon|someday|eventually|tbd|tba|n/?a|ongoing|later|"
    r"next\s+(?:sprint|week|month|quarter|release|cycle)|this\s+(?:sprint|week|month|quarter)|"
    r"end\s+of\s+(?:the\s+)?(?:sprint|week|month|quarter|year)|eo[wmqy]|"
    r"q[1-4](?:\s*(?:fy)?\s*'?\d{2,4})?|h[12](?:\s*\d{4})?|(?:fy|cy)\s*'?\d{2,4}|"
    r"sprint\s*\d+|when\s+possible|in\s+(?:a\s+few|the\s+coming)\s+(?:days|weeks))\b",
    re.IGNORECASE,
)
# Vague deadlines that are recognisable even without "due" or "by" in front of them.
UNCUED_VAGUE_DEADLINE = re.compile(
    r"\b(?:asap|as soon as possible|tbd|next\s+(?:sprint|quarter|release)|eo[wmq]|"
    r"q[1-4](?:\s*'?\d{2,4})?|h[12]\s*\d{4})\b",
    re.IGNORECASE,
)
DEADLINE_CUE = re.compile(
    r"\b(?:due(?:\s+date)?|deadline|target(?:\s+date)?|eta|by|before|until|no\s+later\s+than)\b\s*[:\-–]?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Deadline:
    """What a deadline says: ``date`` when it names a day, ``vague`` when it only gestures at one."""

    text: str
    date: dt.date | None
    vague: bool = False


END_OF_MONTH = re.compile(
    rf"\b(?:the\s+)?end\s+of\s+(?P<month>{MONTH_NAMES})\.?(?:\s+(?P<year>\d{{4}}))?\b", re.IGNORECASE
)


def _end_of_month(text: str, reference: dt.date | None) -> Deadline | None:
    """ "by end of March" names a day: the last of that month (the next March when none is written)."""
    match = END_OF_MONTH.match(text.strip())
    if not match:
        return None
    month = month_number(match["month"])
    year = int(match["year"]) if match["year"] else (reference or dt.date.today()).year
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    if not match["year"] and reference and last < reference:
        last = dt.date(year + 1, month, calendar.monthrange(year + 1, month)[1])
    return Deadline(text=match.group(0), date=last)


def parse_deadline(text: str, *, reference: dt.date | None = None) -> Deadline | None:
    """Read a deadline from a table cell or the text after a cue ("due", "by"). None when absent.

    A day without a year ("Dec 1") takes the first such day on or after ``reference``.
    """
    cleaned = text.strip().strip("*_`")
    if not cleaned or cleaned in {"-", "—", "–"}:
        return None
    month_end = _end_of_month(cleaned, reference)
    if month_end is not None:
        return month_end
    default_year = reference.year if reference else None
    date = find_date(cleaned, default_year=default_year)
    if date is not None:
        if reference and not re.search(r"\d{4}", cleaned) and date < reference:
            date = date.replace(year=date.year + 1)
        return Deadline(text=cleaned, date=date)
    vague = VAGUE_DEADLINE.search(cleaned)
    if vague:
        return Deadline(text=vague.group(0), date=None, vague=True)
    return Deadline(text=cleaned, date=None, vague=True)


def deadline_in_text(text: str, *, reference: dt.date | None = None) -> Deadline | None:
    """Find a deadline inside free text: "by 2026-12-01", "Due: Dec 1", "(ETA Q3)", or a lone date."""
    for cue in DEADLINE_CUE.finditer(text):
        tail = text[cue.end() : cue.end() + 40]
        month_end = _end_of_month(tail, reference)
        if month_end is not None:
            return month_end
        written = DATE_PATTERN.match(tail.lstrip())
        if written and find_date(written.group(0), default_year=reference.year if reference else None):
            # Only the date itself: the text after it ("(@bob)", ", OPS-12") is not part of the deadline.
            return parse_deadline(written.group(0), reference=reference)
        vague = VAGUE_DEADLINE.match(tail)
        if vague:
            return Deadline(text=vague.group(0), date=None, vague=True)
    date = find_date(text, default_year=reference.year if reference else None)
    if date is not None:
        return Deadline(text=date.isoformat(), date=date)
    loose = UNCUED_VAGUE_DEADLINE.search(text)
    if loose:
        return Deadline(text=loose.group(0), date=None, vague=True)
    return None
