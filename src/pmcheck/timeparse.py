"""Times in timelines: ``14:02``, ``14:02 UTC``, ``2019-03-26 14:02Z``, ``2:02 pm PST``, ``T+00:05``.

Pure functions over strings; :mod:`pmcheck.postmortem` decides where a time is expected.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil import parser as date_parser

# Fixed offsets for the abbreviations people actually write in post-mortems. Abbreviations that are
# also English words ("EAT", "CAT", "WEST", "ART") are left out: matching ignores case.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "SAST": 120,
    "TRT": 180,
    "GST": 240,
    "PKT": 300,
    "IST": 330,
    "ICT": 420,
    "WIB": 420,
    "PHT": 480,
    "AWST": 480,
    "ACST": 570,
    "ACDT": 630,
    "SGT": 480,
    "HKT": 480,
    "CST": -360,
    "CDT": -300,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "AST": -240,
    "ADT": -180,
    "NST": -210,
    "NDT": -150,
    "BRT": -180,
    "HST": -600,
    # US zones by region name, as blogs write them ("7:09 AM Eastern", "10am PT"): standard time.
    "ET": -300,
    "EASTERN": -300,
    "CT": -360,
    "CENTRAL": -360,
    "MT": -420,
    "MOUNTAIN": -420,
    "PT": -480,
    "PACIFIC": -480,
}
_ZONE_NAMES = "|".join(sorted(ZONE_OFFSETS, key=len, reverse=True))
_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
MONTH_NAMES = _MONTH_NAMES  # for patterns elsewhere ("by end of March")


def month_number(name: str) -> int:
    """1 for "Jan", "January" or "jan."."""
    return _MONTHS[name.lower().rstrip(".")]


_ISO_DATE = r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
# A range of days ("7-13th Nov", "Nov 7-13") is dated by its first day.
_DAY_RANGE_END = r"(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?(?!\d))?"
# Month names between hyphens are dates too: "Feb-12-2022", "2025-DEC-5", "12-Feb-2022".
_WORD_DATE = (
    rf"(?:(?P<ymyear>\d{{4}})-(?P<ymmonth>{_MONTH_NAMES})-(?P<ymday>\d{{1,2}})(?!\d)"
    rf"|(?:(?P<wday>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_RANGE_END}(?:\s+|-)(?P<wmonth>{_MONTH_NAMES})\.?"
    rf"|(?P<wmonth2>{_MONTH_NAMES})\.?(?:\s+|-)(?P<wday2>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_RANGE_END})"
    r"(?:(?:,?\s+|-)(?P<wyear>\d{4}))?)"
)
# "14:02", "2:02 pm", "14h02", or an hour with am/pm ("2pm"); "am" must not start a word ("amended").
_CLOCK = (
    r"(?:(?P<hour>[01]?\d|2[0-3])(?::|h)(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?"
    r"|(?P<bare_hour>1[0-2]|0?[1-9])\s*(?P<bare_ampm>[ap]\.?m\.?)(?![a-z]))"
)
_ZONE = (
    rf"(?P<zone>(?:UTC|GMT)[+-]\d{{1,2}}(?::?[0-5]\d)?(?!\d)|(?<![A-Za-z])(?:{_ZONE_NAMES})(?![A-Za-z])"
    rf"|[+-](?:0\d|1[0-4]):?[0-5]\d)"
)

TIME_PATTERN = re.compile(
    rf"(?:(?:{_ISO_DATE}|{_WORD_DATE})(?:[ T,]+|\s+at\s+|\s*[-–—@]\s*))?"
    rf"(?<![\d:]){_CLOCK}(?![\d])(?:\s*\(?{_ZONE}\)?)?",
    re.IGNORECASE,
)
# "2022-02-02 1625" and "1915 UTC": four digits are a time only beside a date or a zone.
HHMM_PATTERN = re.compile(
    r"(?<![\d-])(?P<hyear>\d{4})-(?P<hmonth>\d{1,2})-(?P<hday>\d{1,2})\s+(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)(?!\d)"
    r"|(?<![\d:.-])(?P<zh>[01]\d|2[0-3])(?P<zm>[0-5]\d)\s*(?P<hzone>UTC|GMT|Z)\b"
    # "10.42: ..." and "10.42am": a dot between hour and minute, at an entry's start or with am/pm.
    r"|(?<![\d.])(?P<dh>[01]?\d|2[0-3])\.(?P<dm>[0-5]\d)(?:\s*(?P<dampm>[ap]m)\b|(?=\s*[:\-–—]\s))"
)
# "7/5/2023", "24/07/25", "24-10-2024": which field is the day is decided per document.
NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<first>\d{1,2})(?P<sep>[/-])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?![\d/-])"
)
RELATIVE_PATTERN = re.compile(r"\bT\s*([+-])\s*(\d{1,3}):([0-5]\d)(?::([0-5]\d))?\b")
# "[+1 hrs]", "+6.5 hrs", "+90 min", "[+2 business days later]": an offset from the first entry, at the start.
_OFFSET_UNITS = {"m": 1, "h": 60, "d": 24 * 60}
RELATIVE_OFFSET = re.compile(
    r"^\W{0,3}\+\s*(?P<amount>\d{1,4}(?:\.\d+)?)\s*"
    r"(?P<unit>mins?\b|minutes?\b|m\b|hrs?\b|hours?\b|h\b|(?:business\s+|working\s+)?days?\b|d\b)",
    re.IGNORECASE,
)
DATE_PATTERN = re.compile(rf"(?<!\d){_ISO_DATE}(?!\d)|\b{_WORD_DATE}\b", re.IGNORECASE)
# "All times are in America/New_York": a zone of the tz database, read with zoneinfo.
# tz database names, with the older country areas teams still write ("US/Pacific", "Canada/Eastern").
IANA_ZONE = re.compile(
    r"\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc|US|Canada|Mexico|Brazil"
    r"|Chile)/[A-Za-z_]+(?:/[A-Za-z_]+)?"
)
ZONE_STATEMENT = re.compile(
    rf"(?:all\s+)?(?:times?|timestamps?)\b[^.\n]{{0,40}}?\b(?:in|are|is|:)\s*\(?(?P<zone>{_ZONE_NAMES}|[+-]\d{{2}}:?\d{{2}})\b"
    rf"|\btimes?\s+\(?(?P<after>{_ZONE_NAMES})\b|\((?P<paren>{_ZONE_NAMES})(?:\s+time\s?zone)?\)|\b(?P<bare>UTC|GMT)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedTime:
    """A timeline timestamp as written: clock time, optional date, optional zone offset in minutes."""

    text: str
    start: int
    hour: int
    minute: int
    second: int = 0
    date: dt.date | None = None
    zone: str | None = None
    offset_minutes: int | None = None
    relative: bool = False
    # Whether "am"/"pm" was written: a time without it may be a 12-hour clock's afternoon.
    meridiem: bool = False

    def minutes_of_day(self) -> int:
        return self.hour * 60 + self.minute


def _offset_time(text: str) -> ParsedTime | None:
    """An offset written at the start of an entry ("[+1 hrs]"), as minutes after the first entry."""
    match = RELATIVE_OFFSET.match(text)
    if match is None:
        return None
    total = round(float(match["amount"]) * _OFFSET_UNITS[match["unit"].lower().split()[-1][0]])
    return ParsedTime(
        text=match.group(0).lstrip("\\[( ").strip(),
        start=match.start("amount"),
        hour=total // 60,
        minute=total % 60,
        relative=True,
        zone="relative",
        offset_minutes=0,
    )


def find_time(text: str, *, within: int = 48) -> ParsedTime | None:
    """The first timestamp that starts within ``within`` characters of the start of ``text``."""
    offset = _offset_time(text)
    if offset is not None:
        return offset
    relative = RELATIVE_PATTERN.search(text[: within + 12])
    match = TIME_PATTERN.search(text[: within + 40])
    if relative and (match is None or relative.start() <= match.start()):
        sign = -1 if relative.group(1) == "-" else 1
        total = sign * (int(relative.group(2)) * 60 + int(relative.group(3)))
        return ParsedTime(
            text=relative.group(0),
            start=relative.start(),
            hour=total // 60,
            minute=total % 60,
            relative=True,
            zone="relative",
            offset_minutes=0,
        )
    four = HHMM_PATTERN.search(text[: within + 40])
    if four and four.start() <= within and (match is None or four.start() <= match.start()):
        return _four_digit_time(four)
    if match is None or match.start() > within:
        return None
    hour = int(match["hour"] or match["bare_hour"])
    ampm = (match["ampm"] or match["bare_ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    zone = match["zone"]
    text = match.group(0).strip()
    zone_at = match.start("zone") if zone else 0
    attached = zone_at > 0 and match.string[zone_at - 1].isdigit()
    if zone and zone[0] == "-" and attached and _range_end(match):
        # "02:00-04:30" is a range, not 02:00 at UTC-4:30: a bare offset belongs to an ISO timestamp,
        # and "2025-08-19 00:35-02:43 UTC" ends in a zone of its own. The zone after the range holds.
        after = _ZONE_AFTER.match(match.string, match.end())
        zone = after["zone"] if after else None
        text = match.group(0)[: match.start("zone") - match.start()].rstrip(" (")
    return ParsedTime(
        text=text,
        start=match.start(),
        hour=hour,
        minute=int(match["minute"] or 0),
        second=int(match["second"] or 0),
        date=_match_date(match),
        zone=zone.upper() if zone else None,
        offset_minutes=zone_offset(zone) if zone else None,
        meridiem=bool(ampm),
    )


_ZONE_AFTER = re.compile(rf"[ \t]{{0,3}}\(?{_ZONE}\)?")
_OFFSET_MINUTES = {"00", "30", "45"}


def _range_end(match: re.Match[str]) -> bool:
    """Whether "-HH:MM" right after a clock time ends a range rather than giving a UTC offset."""
    if not match["year"] or _ZONE_AFTER.match(match.string, match.end()):
        return True
    return match["zone"][-2:] not in _OFFSET_MINUTES


def _four_digit_time(match: re.Match[str]) -> ParsedTime:
    zone = match["hzone"]
    if match["dh"]:
        hour = int(match["dh"])
        ampm = (match["dampm"] or "").lower()
        hour += 12 if ampm == "pm" and hour < 12 else 0
        hour = 0 if ampm == "am" and hour == 12 else hour
        return ParsedTime(
            text=match.group(0).strip(),
            start=match.start(),
            hour=hour,
            minute=int(match["dm"]),
            meridiem=bool(ampm),
        )
    date = None
    if match["hyear"]:
        try:
            date = dt.date(int(match["hyear"]), int(match["hmonth"]), int(match["hday"]))
        except ValueError:
            date = None
    return ParsedTime(
        text=match.group(0).strip(),
        start=match.start(),
        hour=int(match["hh"] or match["zh"]),
        minute=int(match["mm"] or match["zm"]),
        date=date,
        zone=zone.upper() if zone else None,
        offset_minutes=zone_offset(zone) if zone else None,
    )


def find_date(text: str, *, default_year: int | None = None, dayfirst: bool | None = None) -> dt.date | None:
    """The first calendar date in ``text``: ISO (``2026-03-02``), words (``March 2, 2026``, ``6th Nov``)
    or numbers (``7/5/2023``, ``24/07/25``).

    Numeric dates are read day-first or month-first as ``dayfirst`` says (the document decides, see
    :func:`numeric_date_order`); when it is None only a date with a field over 12 is read.
    """
    for match in DATE_PATTERN.finditer(text):
        found = _match_date(match, default_year=default_year)
        if found is not None:
            return found
    for numeric in NUMERIC_DATE.finditer(text):
        found = _numeric_date(numeric, dayfirst)
        if found is not None:
            return found
    return None


def _numeric_date(match: re.Match[str], dayfirst: bool | None) -> dt.date | None:
    first, second = int(match["first"]), int(match["second"])
    if dayfirst is None:
        if first > 12 >= second:
            dayfirst = True
        elif second > 12 >= first:
            dayfirst = False
        else:
            return None
    try:
        return date_parser.parse(match.group(0), dayfirst=dayfirst, yearfirst=False).date()
    except (ValueError, OverflowError):
        return None


def numeric_date_order(texts: list[str], *, reference: dt.date | None = None) -> bool | None:
    """Whether the numeric dates of a document put the day first: True, False, or None when unknown.

    A field over 12 decides (``24/07/25`` is day-first); else a date that agrees with the document's
    other dates (the title's or file name's ``reference``) in one reading only.
    """
    candidates = [match for text in texts for match in NUMERIC_DATE.finditer(text)]
    for match in candidates:
        first, second = int(match["first"]), int(match["second"])
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    if reference is not None:
        for match in candidates:
            day_first, month_first = _numeric_date(match, True), _numeric_date(match, False)
            if (day_first == reference) != (month_first == reference):
                return day_first == reference
    return None


def _match_date(match: re.Match[str], *, default_year: int | None = None) -> dt.date | None:
    groups = match.groupdict()
    try:
        if groups.get("year"):
            return dt.date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
        month_name = groups.get("wmonth") or groups.get("wmonth2") or groups.get("ymmonth")
        day = groups.get("wday") or groups.get("wday2") or groups.get("ymday")
        written_year = groups.get("wyear") or groups.get("ymyear")
        if month_name and day:
            year = int(written_year) if written_year else default_year
            if year is None:
                return None
            return dt.date(year, _MONTHS[month_name.lower().rstrip(".")], int(day))
    except ValueError:
        return None
    return None


def zone_offset(zone: str) -> int | None:
    """Minutes east of UTC for an abbreviation, a ``+02:00`` style offset or a tz database name.

    A tz database zone gives its standard (winter) offset: one offset for a whole timeline is what
    ordering needs.
    """
    if IANA_ZONE.fullmatch(zone):
        try:
            offset = zoneinfo.ZoneInfo(zone).utcoffset(dt.datetime(2001, 1, 15))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
        return int(offset.total_seconds() // 60) if offset is not None else None
    upper = zone.upper()
    if upper in ZONE_OFFSETS:
        return ZONE_OFFSETS[upper]
    numeric = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", upper)
    if numeric:
        sign = -1 if numeric.group(1) == "-" else 1
        return sign * (int(numeric.group(2)) * 60 + int(numeric.group(3) or 0))
    return None


def stated_zone(text: str) -> str | None:
    """A time zone stated once for a whole timeline ("All times UTC", "Timeline (PDT)")."""
    iana = IANA_ZONE.search(text)
    if iana and zone_offset(iana.group(0)) is not None:
        return iana.group(0)
    match = ZONE_STATEMENT.search(text)
    if not match:
        return None
    zone = match["zone"] or match["after"] or match["paren"] or match["bare"]
    return zone.upper() if zone else None


# "_All timestamps are in UTC._" above the summary: a statement for the whole document.
_DOCUMENT_ZONE = re.compile(
    rf"\b(?:all\s+)?(?:times|timestamps|dates\s+and\s+times)\s+(?:are\s+)?(?:in\s+|given\s+in\s+)?"
    rf"(?:local\s+)?\(?(?P<zone>{_ZONE_NAMES}|(?:UTC|GMT)[+-]\d{{1,2}}(?::?[0-5]\d)?)(?![A-Za-z])",
    re.IGNORECASE,
)


def document_zone(lines: Iterable[str]) -> str:
    """The zone a document states for all its times ("All timestamps are in UTC"), or ""."""
    for line in lines:
        match = _DOCUMENT_ZONE.search(line)
        if match:
            return match["zone"].upper()
    return ""


_MONTH_YEAR = re.compile(rf"\b(?:{_MONTH_NAMES})\.?,?\s+\d{{4}}\b", re.IGNORECASE)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DATE_ALONE = re.compile(rf"{_WEEKDAY}(?:{_ISO_DATE}|{_WORD_DATE})", re.IGNORECASE)


def names_month(text: str) -> bool:
    """Whether ``text`` names a month of a year ("Post mortem covering June 2026")."""
    return _MONTH_YEAR.search(text) is not None


def date_alone(text: str) -> dt.date | None:
    """The date of a line that holds nothing else ("September 26, 2021", "**Friday, 2023-04-25**")."""
    match = _DATE_ALONE.fullmatch(text.strip().strip("*_`").strip(" .,:"))
    return _match_date(match) if match else None
