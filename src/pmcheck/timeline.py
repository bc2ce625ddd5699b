"""Timeline entries read from the timeline sections, as real teams write them.

Tables (with Time, or separate Day / Date / Time columns), lists, one heading per time, date headings
or date lines followed by times, ``<br>`` runs inside paragraphs and code blocks of timed lines. Dates
without a year take the incident's year; numeric dates are read day-first or month-first as the whole
document says; a 12-hour clock written without "am"/"pm" is read on into the afternoon; entries that
run past midnight without a date of their own get the next day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Set
from dataclasses import dataclass, field, replace

from pmcheck.model import (
    Block,
    CodeBlock,
    Document,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Section,
    Table,
    column_roles,
)
from pmcheck.timeparse import (
    NUMERIC_DATE,
    ParsedTime,
    date_alone,
    find_date,
    find_time,
    numeric_date_order,
    stated_zone,
    zone_offset,
)

_HALF_DAY_MINUTES = 12 * 60
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_DATE_LINE_MAX = 60
_DATE_ITEM_MAX = 25  # a bullet this short with a date is a date heading ("- Monday, March 2, 2026")
_DATE_HEAD = 40  # a date this near the start of an entry is the entry's date
# "10-01 09:45", "10/02 ~07:01": a numeric day and month, without a year, before a time or a word.
_YEARLESS = re.compile(
    r"^\W{0,3}(?P<first>\d{1,2})[-/](?P<second>\d{1,2})(?![-/]?\d)"
    r"(?=\s+(?:~\s*|approx\.?\s*)?\d{1,2}[:.h]\d{2}|\s+(?:morning|afternoon|evening|night|noon|midnight)\b)",
    re.IGNORECASE,
)
_YEARLESS_NEAR_DAYS = 31
_WEEKDAY_LINE = re.compile(
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b", re.IGNORECASE
)


@dataclass(frozen=True)
class TimelineEntry:
    text: str
    line: int
    time: ParsedTime | None
    date: dt.date | None = None


@dataclass
class Timeline:
    """What the timeline sections hold: entries in document order and the zone stated for them."""

    entries: list[TimelineEntry] = field(default_factory=list)
    zone: str | None = None
    dayfirst: bool | None = None
    # A numeric date that reads two ways ("05/06/2023") where nothing in the document decides: (text, line).
    ambiguous_date: tuple[str, int] | None = None


@dataclass
class _Reader:
    document: Document
    default_year: int | None
    dayfirst: bool | None
    current_date: dt.date | None
    reference: dt.date | None = None
    entries: list[TimelineEntry] = field(default_factory=list)
    zone_sources: list[str] = field(default_factory=list)
    lists: list[tuple[int, int]] = field(default_factory=list)  # where each list's entries start and end

    def explanations(self) -> set[int]:
        """Entries of lists that hold no time or date at all, beside a timeline that has them.

        "This is what we have learnt:" and a list of findings, inside a "What happened" section, is
        an explanation, not a run of entries that forgot their times.
        """
        if not any(entry.time or _own_date(entry) for entry in self.entries):
            return set()
        skipped: set[int] = set()
        for start, end in self.lists:
            run = self.entries[start:end]
            if run and not any(entry.time or _own_date(entry) for entry in run):
                skipped.update(range(start, end))
        return skipped

    def date_in(self, text: str) -> dt.date | None:
        found = find_date(text[:_DATE_HEAD], default_year=self.default_year, dayfirst=self.dayfirst)
        return found or self.yearless_date(text)

    def yearless_date(self, text: str) -> dt.date | None:
        """ "10-01 09:45": a day and month without a year opening an entry, read the one way that
        falls within a month of the incident date (or as a field over 12 decides)."""
        match = _YEARLESS.match(text)
        if match is None or self.reference is None:
            return None
        first, second = int(match["first"]), int(match["second"])
        readings = {(first, second), (second, first)} if self.dayfirst is None else set()
        if self.dayfirst is not None:
            readings = {(second, first) if self.dayfirst else (first, second)}
        near = []
        for month, day in readings:
            try:
                date = dt.date(self.reference.year, month, day)
            except ValueError:
                continue
            if abs((date - self.reference).days) <= _YEARLESS_NEAR_DAYS:
                near.append(date)
        return near[0] if len(set(near)) == 1 else None

    def add(self, text: str, line: int, time: ParsedTime | None) -> None:
        """One entry: its date is the time's own, a date written near its start, or the running date."""
        date = (time.date if time else None) or self.date_in(text)
        if date is None and _YEARLESS.match(text):
            # "12-05 16:21" months away from the incident: a day of its own that cannot be read, not
            # the running one.
            self.entries.append(TimelineEntry(text, line, time, None))
            return
        if date is not None:
            self.current_date = date
        self.entries.append(TimelineEntry(text, line, time, date or self.current_date))

    def line_of_text(self, raw: str, number: int) -> None:
        """A source line of a paragraph or code block: a timed entry, a date line or a zone statement."""
        text = _strip_markup(raw)
        if not text:
            return
        time = find_time(text, within=24)
        if time is None:
            self.zone_sources.append(text)
            date_only = self.date_in(text)
            if date_only and len(text) <= _DATE_LINE_MAX:
                self.current_date = date_only
            elif _WEEKDAY_LINE.match(text) and len(text) <= _DATE_ITEM_MAX:
                # "Friday 15th Feburary": a new day whose date cannot be read; the old one no longer holds.
                self.current_date = None
            return
        self.add(text, number, time)

    def block(self, block: Block) -> None:
        if isinstance(block, Table):
            self.table(block)
        elif isinstance(block, ListBlock):
            start = len(self.entries)
            for item in block.items:
                self.item(item)
            self.lists.append((start, len(self.entries)))
        elif isinstance(block, Quote):
            for child in block.children:
                self.block(child)
        elif isinstance(block, Paragraph):
            for number in range(block.line, block.end_line + 1):
                for segment in _BREAK.split(self.document.lines[number - 1]):
                    self.line_of_text(segment, number)
        elif isinstance(block, CodeBlock) and not _fenced(block):
            # A list of timed lines indented four spaces: Markdown shows it as code, people meant a list.
            for offset, raw in enumerate(block.text.splitlines()):
                self.line_of_text(raw, block.line + offset)

    def item(self, item: ListItem, *, details: bool = False) -> None:
        """A list item: an entry, or a heading for the entries nested under it ("- 2026-03-02" + times)."""
        time = find_time(item.text)
        nested = [child for sub in item.sublists() for child in sub.items]
        date = self.date_in(item.text)
        if time is None and nested and date and len(item.text) <= _DATE_ITEM_MAX:
            self.current_date = date
            for child in nested:
                self.item(child)
            return
        if details and time is None and date is None:
            return  # a detail of the entry above it (a build number, a quoted line), not an entry
        if time is None and date is None and nested and not item.text:
            for child in nested:
                self.item(child)
            return
        self.add(item.text, item.line, time)
        for child in nested:
            self.item(child, details=True)

    def table(self, table: Table) -> None:
        columns = column_roles(table.header, ("time", "date"))
        self.zone_sources.extend(table.header)
        time_column = columns.get("time", 0)
        date_column = columns.get("date")
        for row in table.rows:
            cells = row.cells
            if not any(cells):
                continue
            stamp = cells[time_column] if time_column < len(cells) else ""
            if date_column is not None and date_column != time_column and date_column < len(cells):
                stamp = f"{cells[date_column]} {stamp}"
            time = find_time(stamp, within=len(stamp))
            text = " — ".join(
                cell for index, cell in enumerate(cells) if index not in (time_column, date_column) and cell
            )
            date = (time.date if time else None) or self.date_in(stamp)
            if date is not None:
                self.current_date = date
            self.entries.append(
                TimelineEntry(f"{stamp.strip()}: {text}", row.line, time, date or self.current_date)
            )


def read_timeline(
    document: Document,
    sections: Iterable[Section],
    *,
    incident_date: dt.date | None,
    zone_hint: str = "",
    zone_fallback: str = "",
    skip: Set[int] = frozenset(),
) -> Timeline:
    """Read the entries of the timeline sections (headings preferred to labelled fields).

    ``zone_fallback`` (a zone the document states for all its times) applies when the timeline
    states none. Sub-headings on a line of ``skip`` (parts of their own, such as "Duration of
    impact") and what lies under them are left out."""
    chosen = [section for section in sections if not section.labelled] or list(sections)
    texts = [document.lines[number - 1] for top in chosen for number in range(top.line, top.end_line + 1)]
    dayfirst = numeric_date_order(texts, reference=incident_date)
    reader = _Reader(
        document,
        # A date without a year ("Jan 14") takes the incident's; in an undated document, this year's.
        default_year=(incident_date or dt.date.today()).year,
        dayfirst=dayfirst,
        current_date=incident_date,
        reference=incident_date,
        zone_sources=[zone_hint],
    )
    seen: set[int] = set()
    for top in chosen:
        for section in top.walk():
            if section.line in seen:
                continue
            seen.add(section.line)
            if section is not top and section.line in skip:
                seen.update(sub.line for sub in section.walk())
                continue
            reader.zone_sources.append(section.title)
            if section is not top and _heading_entry(reader, section):
                continue
            before = len(reader.entries)
            for block in section.blocks:
                reader.block(block)
            if section is not top and len(reader.entries) == before:
                _day_entry(reader, section)
    skipped = reader.explanations()
    kept = [entry for index, entry in enumerate(reader.entries) if index not in skipped]
    entries = _roll_over_midnight(_afternoons(kept))
    zone = next((found for source in reader.zone_sources if source and (found := stated_zone(source))), None)
    # The fallback is already a zone ("PDT" from "All times PDT." above the summary), not a statement.
    zone = zone or (zone_fallback if zone_fallback and zone_offset(zone_fallback) is not None else None)
    ambiguous = None
    if dayfirst is None:
        ambiguous = next(
            (
                (match.group(0), top.line + offset)
                for top in chosen
                for offset, text in enumerate(document.lines[top.line - 1 : top.end_line])
                for match in NUMERIC_DATE.finditer(text)
                if int(match["first"]) <= 12
                and int(match["second"]) <= 12
                and match["first"] != match["second"]
            ),
            None,
        )
    return Timeline(entries=entries, zone=zone, dayfirst=dayfirst, ambiguous_date=ambiguous)


def _heading_entry(reader: _Reader, section: Section) -> bool:
    """A heading that is itself an entry ("### 14:02") or a date for the entries under it."""
    heading_time = find_time(section.title)
    heading_date = reader.date_in(section.title)
    if heading_date:
        reader.current_date = heading_date
    if heading_time is None:
        return False
    body = section.text().strip()
    reader.add(f"{section.title}: {body}".strip(": "), section.line, heading_time)
    return True


def _day_entry(reader: _Reader, section: Section) -> None:
    """A heading holding only a date ("#### [2026-06-29]") over lines with no time: one entry for the day."""
    if section.subsections:
        return
    day = date_alone(section.title.strip().strip("[]"))
    body = " ".join(section.text().split())
    if day is not None and body:
        reader.entries.append(TimelineEntry(f"{section.title}: {body}", section.line, None, day))


def _own_date(entry: TimelineEntry) -> bool:
    return (
        entry.date is not None
        and find_date(entry.text[:_DATE_HEAD], default_year=entry.date.year) == entry.date
    )


def _fenced(block: CodeBlock) -> bool:
    return bool(block.info) or block.end_line - block.line + 1 >= len(block.text.splitlines()) + 2


def _afternoons(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """On a 12-hour clock written without am/pm ("12:16", "1:52"), read a time that goes back as pm."""
    timed = [entry.time for entry in entries if entry.time is not None and not entry.time.relative]
    # A time past 12 written without am/pm shows a 24-hour clock: then nothing is read as pm.
    if not timed or any(not time.meridiem and (time.hour > 12 or time.hour == 0) for time in timed):
        return entries
    result: list[TimelineEntry] = []
    previous: tuple[dt.date | None, int] | None = None
    for entry in entries:
        time = entry.time
        if time is None or time.relative:
            result.append(entry)
            continue
        minutes = time.minutes_of_day()
        if time.meridiem:
            previous = (entry.date, minutes)
            result.append(entry)
            continue
        went_back = previous is not None and previous[0] == entry.date and minutes < previous[1]
        if went_back and previous and time.hour < 12 and minutes + _HALF_DAY_MINUTES >= previous[1]:
            time = replace(time, hour=time.hour + 12)
            minutes += _HALF_DAY_MINUTES
            entry = replace(entry, time=time)
        previous = (entry.date, minutes)
        result.append(entry)
    return result


def _roll_over_midnight(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Give entries that run past midnight without a date of their own the next day's date."""
    rolled: list[TimelineEntry] = []
    stated: dt.date | None = None
    previous: int | None = None
    days = 0
    for entry in entries:
        time = entry.time
        if time is None or time.relative or entry.date is None:
            rolled.append(entry)
            continue
        minutes = time.minutes_of_day() - (time.offset_minutes or 0)
        if time.date is not None or entry.date != stated:
            stated, days = entry.date, 0
        elif previous is not None and previous - minutes > _HALF_DAY_MINUTES:
            days += 1
        previous = minutes
        rolled.append(replace(entry, date=entry.date + dt.timedelta(days=days)) if days else entry)
    return rolled


def _strip_markup(text: str) -> str:
    return re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+|\*\*|__|^_|_$", "", text.strip()).strip()
