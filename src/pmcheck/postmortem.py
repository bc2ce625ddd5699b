"""What a post-mortem says, read from the document model.

Sections are found by name through a catalog of aliases (from the rule packs and the configuration),
never by position. From them come the metadata, timeline, causes, contributing factors and
corrective actions that rules check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from pmcheck.deadlines import Deadline, deadline_in_text, parse_deadline
from pmcheck.model import (
    Block,
    Document,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Section,
    Table,
    TableRow,
    normalize_title,
)
from pmcheck.people import owners_from_cell, owners_in_text, tracking_reference
from pmcheck.timeparse import ParsedTime, find_date, find_time, stated_zone

METADATA_KEYS: dict[str, str] = {
    "title": "title",
    "incident": "title",
    "name": "title",
    "date": "date",
    "incident date": "date",
    "started": "date",
    "start": "date",
    "start date": "date",
    "occurred": "date",
    "date of incident": "date",
    "incident start": "date",
    "start time": "date",
    "severity": "severity",
    "sev": "severity",
    "severity level": "severity",
    "priority": "severity",
    "impact level": "severity",
    "level": "severity",
    "status": "status",
    "state": "status",
    "document status": "status",
    "authors": "authors",
    "author": "authors",
    "written by": "authors",
    "owners": "authors",
    "owner": "authors",
    "incident commander": "commander",
    "ic": "commander",
    "timezone": "timezone",
    "time zone": "timezone",
    "duration": "duration",
}
_KEY_VALUE_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z ]{0,24}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*"
    r"(?P<value>\S.*?)\s*$"
)
_LABELLED = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z ()/'-]{1,40}?)(?:\*\*|__)?\s*[:\-–—]\s*(?:\*\*|__)?\s*"
    r"(?P<rest>.+)$",
    re.DOTALL,
)
# Cancelled actions are closed too: nobody owns or schedules them any more.
_DONE_STATUS = re.compile(
    r"^\W*(?:done|complete[d]?|closed|fixed|resolved|shipped|finished|yes|merged|cancell?ed|dropped|obsolete|"
    r"won'?t\s*(?:do|fix)|✅|✔️?|☑️?)(?!\w)",
    re.IGNORECASE,
)
_GROUP_LABEL_MAX_WORDS = 4
_HALF_DAY_MINUTES = 12 * 60

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "key", "ref id", "action id", "no", "number"),
    "owner": ("owner", "owners", "assignee", "assignees", "assigned to", "who", "dri", "responsible", "team"),
    "deadline": ("due", "due date", "deadline", "by", "eta", "target", "target date", "when", "date"),
    "status": ("status", "state", "done", "progress"),
    "tracking": ("tracking", "issue", "ticket", "bug", "link", "jira", "reference", "tracker", "pr"),
    "action": (
        "action",
        "action item",
        "item",
        "task",
        "description",
        "what",
        "corrective action",
        "follow up",
        "remediation",
        "details",
        "summary",
        "title",
    ),
    "time": ("time", "timestamp", "when", "time utc", "clock", "datetime", "date time", "at"),
    "date": ("date", "day"),
}


@dataclass(frozen=True)
class SectionCatalog:
    """Which headings mean which part of a post-mortem: ``{"timeline": ("timeline", "chronology"), ...}``."""

    aliases: Mapping[str, tuple[str, ...]]

    def kinds_of(self, title: str) -> set[str]:
        """The kinds a heading names: an exact alias wins, else aliases at its start or end."""
        normalized = normalize_title(title)
        if not normalized:
            return set()
        exact = {kind for kind, names in self.aliases.items() if normalized in names}
        if exact:
            return exact
        padded = f" {normalized} "
        return {
            kind
            for kind, names in self.aliases.items()
            for name in names
            if padded.startswith(f" {name} ") or padded.endswith(f" {name} ")
        }

    def merged(self, extra: Mapping[str, Iterable[str]]) -> SectionCatalog:
        # Pack aliases are compared with normalised headings, so they are normalised too ("what we're doing").
        combined = {kind: tuple(map(normalize_title, names)) for kind, names in self.aliases.items()}
        for kind, names in extra.items():
            combined[kind] = combined.get(kind, ()) + tuple(normalize_title(name) for name in names)
        return SectionCatalog(combined)


@dataclass(frozen=True)
class TextRef:
    """A piece of text the post-mortem states, with the line it starts on."""

    text: str
    line: int


@dataclass(frozen=True)
class TimelineEntry:
    text: str
    line: int
    time: ParsedTime | None
    date: dt.date | None = None


@dataclass(frozen=True)
class Action:
    """One corrective action, however it was written (table row, list item or task)."""

    text: str
    line: int
    owners: tuple[str, ...] = ()
    deadline: Deadline | None = None
    status: str | None = None
    done: bool = False
    tracking: str | None = None
    key: str | None = None
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "line": self.line,
            "owners": list(self.owners),
            "deadline": self.deadline.date.isoformat() if self.deadline and self.deadline.date else None,
            "deadline_text": self.deadline.text if self.deadline else None,
            "status": self.status,
            "done": self.done,
            "tracking": self.tracking,
            "id": self.key,
            "group": self.group,
        }


@dataclass
class PostMortem:
    """The post-mortem's parts as rules see them."""

    document: Document
    catalog: SectionCatalog
    kinds: dict[str, list[Section]] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    metadata_lines: dict[str, int] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    timeline_zone: str | None = None
    proximate_causes: list[TextRef] = field(default_factory=list)
    root_causes: list[TextRef] = field(default_factory=list)
    contributing_factors: list[TextRef] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    incident_date: dt.date | None = None
    intro: list[TextRef] = field(default_factory=list)
    cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def title(self) -> str | None:
        return self.metadata.get("title") or self.document.title

    def section(self, kind: str) -> Section | None:
        sections = self.kinds.get(kind)
        return sections[0] if sections else None

    def sections_of(self, kind: str) -> list[Section]:
        return self.kinds.get(kind, [])

    @property
    def severity(self) -> str | None:
        return self.metadata.get("severity")


def read_postmortem(document: Document, catalog: SectionCatalog) -> PostMortem:
    """Extract every part of a post-mortem from its document model."""
    postmortem = PostMortem(document=document, catalog=catalog)
    for section in document.sections:
        for kind in catalog.kinds_of(section.title):
            postmortem.kinds.setdefault(kind, []).append(section)
    _read_metadata(postmortem)
    postmortem.intro = _intro(postmortem)
    postmortem.incident_date = _incident_date(postmortem)
    _read_timeline(postmortem)
    if postmortem.incident_date is None:
        postmortem.incident_date = next((entry.date for entry in postmortem.timeline if entry.date), None)
    _read_causes(postmortem)
    postmortem.actions = list(_read_actions(postmortem))
    return postmortem


# Metadata ---------------------------------------------------------------------------------------


def _read_metadata(postmortem: PostMortem) -> None:
    document = postmortem.document
    for key, value in (document.front_matter or {}).items():
        canonical = METADATA_KEYS.get(normalize_title(str(key)), normalize_title(str(key)))
        if value is None or canonical in postmortem.metadata:
            continue
        postmortem.metadata[canonical] = _as_text(value)
        postmortem.metadata_lines[canonical] = _front_matter_line(document, str(key))
    for block, _section in _header_blocks(postmortem):
        if isinstance(block, Table):
            _metadata_from_table(postmortem, block)
        elif isinstance(block, (Paragraph, ListBlock)):
            for number in range(block.line, block.end_line + 1):
                match = _KEY_VALUE_LINE.match(document.lines[number - 1])
                if not match:
                    continue
                known = METADATA_KEYS.get(normalize_title(match["key"]))
                if known and known not in postmortem.metadata:
                    canonical = known
                    postmortem.metadata[canonical] = match["value"].strip("*_ ")
                    postmortem.metadata_lines[canonical] = number


def _intro(postmortem: PostMortem) -> list[TextRef]:
    """Opening prose under the title: many post-mortems put their summary there, untitled."""
    document = postmortem.document
    intro: list[TextRef] = []
    for block, _section in _header_blocks(postmortem):
        if _section.level > 1 or not isinstance(block, Paragraph):
            continue
        lines = document.lines[block.line - 1 : block.end_line]
        if all(_is_metadata_line(line) for line in lines):
            continue
        intro.append(TextRef(block.text, block.line))
    return intro


def _is_metadata_line(line: str) -> bool:
    match = _KEY_VALUE_LINE.match(line)
    return bool(match and normalize_title(match["key"]) in METADATA_KEYS)


def _header_blocks(postmortem: PostMortem) -> Iterator[tuple[Block, Section]]:
    """Blocks where metadata lives: before the first heading, under the title, in a metadata section."""
    document = postmortem.document
    yield from ((block, document.root) for block in document.root.blocks)
    for section in document.sections:
        if section.level == 1:
            yield from ((block, section) for block in section.blocks)
    for kind in ("metadata", "summary"):
        for section in postmortem.sections_of(kind):
            yield from ((block, section) for block in section.blocks)


def _metadata_from_table(postmortem: PostMortem, table: Table) -> None:
    header_keys = [METADATA_KEYS.get(normalize_title(cell)) for cell in table.header]
    if sum(1 for key in header_keys if key) >= 2 and table.rows:
        row = table.rows[0]
        for key, cell in zip(header_keys, row.cells, strict=False):
            if key and cell and key not in postmortem.metadata:
                postmortem.metadata[key] = cell
                postmortem.metadata_lines[key] = row.line
        return
    # A two-column key/value table often uses its first pair as the header row.
    header = [TableRow(cells=table.header, line=table.line)] if table.header else []
    for row in (*header, *table.rows):
        if len(row.cells) < 2:
            continue
        key = METADATA_KEYS.get(normalize_title(row.cells[0]))
        if key and row.cells[1] and key not in postmortem.metadata:
            postmortem.metadata[key] = row.cells[1]
            postmortem.metadata_lines[key] = row.line


def _as_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _front_matter_line(document: Document, key: str) -> int:
    pattern = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
    for number in range(1, document.front_matter_end_line + 1):
        if pattern.match(document.lines[number - 1]):
            return number
    return 1


def _incident_date(postmortem: PostMortem) -> dt.date | None:
    raw = postmortem.metadata.get("date")
    if raw:
        found = find_date(raw)
        if found:
            return found
    for text in (postmortem.title or "", PurePath(postmortem.path).name):
        found = find_date(text)
        if found:
            return found
    return None


# Timeline ---------------------------------------------------------------------------------------


def _read_timeline(postmortem: PostMortem) -> None:
    sections = postmortem.sections_of("timeline")
    if not sections:
        return
    current_date = postmortem.incident_date
    zone_sources: list[str] = [postmortem.metadata.get("timezone", "")]
    entries: list[TimelineEntry] = []
    seen_lines: set[int] = set()
    for top in sections:
        for section in top.walk():
            if section.line in seen_lines:
                continue
            seen_lines.add(section.line)
            zone_sources.append(section.title)
            if section is not top:
                heading_time = find_time(section.title)
                heading_date = find_date(section.title)
                if heading_date:
                    current_date = heading_date
                if heading_time:
                    body = section.text().strip()
                    entries.append(
                        TimelineEntry(
                            f"{section.title}: {body}".strip(": "),
                            section.line,
                            heading_time,
                            heading_time.date or current_date,
                        )
                    )
                    continue
            for block in section.blocks:
                current_date = _timeline_block(postmortem, block, entries, zone_sources, current_date)
    postmortem.timeline = _roll_over_midnight(entries)
    for source in zone_sources:
        zone = stated_zone(source) if source else None
        if zone:
            postmortem.timeline_zone = zone
            break


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


def _timeline_block(
    postmortem: PostMortem,
    block: Block,
    entries: list[TimelineEntry],
    zone_sources: list[str],
    current_date: dt.date | None,
) -> dt.date | None:
    document = postmortem.document
    if isinstance(block, Table):
        return _timeline_table(block, entries, zone_sources, current_date)
    if isinstance(block, ListBlock):
        for item in block.items:
            current_date = _timeline_item(postmortem, item, entries, zone_sources, current_date)
        return current_date
    if isinstance(block, Quote):
        for child in block.children:
            current_date = _timeline_block(postmortem, child, entries, zone_sources, current_date)
        return current_date
    if isinstance(block, Paragraph):
        for number in range(block.line, block.end_line + 1):
            raw = document.lines[number - 1].strip()
            time = find_time(raw, within=24)
            if time is None:
                zone_sources.append(raw)
                date_only = find_date(raw)
                if date_only and len(raw) <= 60:
                    current_date = date_only
                continue
            if time.date:
                current_date = time.date
            entries.append(TimelineEntry(_strip_markup(raw), number, time, time.date or current_date))
    return current_date


def _timeline_item(
    postmortem: PostMortem,
    item: ListItem,
    entries: list[TimelineEntry],
    zone_sources: list[str],
    current_date: dt.date | None,
) -> dt.date | None:
    time = find_time(item.text)
    if time is None:
        date_only = find_date(item.text)
        nested = list(item.sublists())
        if date_only and nested:
            current_date = date_only
        elif not nested:
            entries.append(TimelineEntry(item.text, item.line, None, current_date))
        for sub in nested:
            for child in sub.items:
                current_date = _timeline_item(postmortem, child, entries, zone_sources, current_date)
        return current_date
    if time.date:
        current_date = time.date
    entries.append(TimelineEntry(item.text, item.line, time, time.date or current_date))
    return current_date


def _timeline_table(
    table: Table, entries: list[TimelineEntry], zone_sources: list[str], current_date: dt.date | None
) -> dt.date | None:
    columns = _columns(table.header, ("time", "date"))
    zone_sources.extend(table.header)
    time_column = columns.get("time", 0)
    date_column = columns.get("date")
    for row in table.rows:
        cells = row.cells
        if not any(cells):
            continue
        stamp = cells[time_column] if time_column < len(cells) else ""
        if date_column is not None and date_column != time_column and date_column < len(cells):
            day = find_date(cells[date_column])
            if day:
                current_date = day
            stamp = f"{cells[date_column]} {stamp}"
        time = find_time(stamp, within=len(stamp))
        text = " — ".join(
            cell for index, cell in enumerate(cells) if index not in (time_column, date_column) and cell
        )
        if time and time.date:
            current_date = time.date
        entries.append(
            TimelineEntry(
                f"{stamp.strip()}: {text}", row.line, time, (time.date if time else None) or current_date
            )
        )
    return current_date


def _columns(header: tuple[str, ...], wanted: Iterable[str]) -> dict[str, int]:
    """Map column roles to header positions by alias; the first column to claim a role keeps it."""
    found: dict[str, int] = {}
    normalized = [normalize_title(cell) for cell in header]
    for role in wanted:
        for index, name in enumerate(normalized):
            if index in found.values():
                continue
            aliases = COLUMN_ALIASES[role]
            if name in aliases or any(name.startswith(f"{alias} ") for alias in aliases):
                found[role] = index
                break
    return found


def _strip_markup(text: str) -> str:
    return re.sub(r"^[-*+]\s+|\*\*|__", "", text).strip()


# Causes -----------------------------------------------------------------------------------------

_TRIGGER_LABELS = {
    "trigger",
    "triggers",
    "proximate cause",
    "immediate cause",
    "what triggered it",
    "direct cause",
    "triggering event",
}
_ROOT_LABELS = {"root cause", "root causes", "underlying cause", "underlying causes"}
_FACTOR_LABELS = {"contributing factors", "contributing factor", "contributors", "contributing causes"}


def _read_causes(postmortem: PostMortem) -> None:
    for section in postmortem.sections_of("trigger"):
        postmortem.proximate_causes.extend(_section_refs(section, exclude_kinds=postmortem))
    root_sections = postmortem.sections_of("root-cause")
    for section in root_sections:
        for unit_text, line in _own_units(section, postmortem):
            label, rest = _label(unit_text)
            if label in _TRIGGER_LABELS and "trigger" not in postmortem.catalog.kinds_of(section.title):
                postmortem.proximate_causes.append(TextRef(rest, line))
            elif label in _FACTOR_LABELS:
                continue
            else:
                postmortem.root_causes.append(TextRef(rest if label in _ROOT_LABELS else unit_text, line))
    if not root_sections or not postmortem.proximate_causes:
        for unit in postmortem.document.text_units():
            label, rest = _label(unit.text)
            if label in _TRIGGER_LABELS and not postmortem.proximate_causes:
                postmortem.proximate_causes.append(TextRef(rest, unit.line))
            elif label in _ROOT_LABELS and not root_sections:
                postmortem.root_causes.append(TextRef(rest, unit.line))
    _read_factors(postmortem)


def _read_factors(postmortem: PostMortem) -> None:
    for section in postmortem.sections_of("contributing-factors"):
        for text, line in _own_units(section, postmortem):
            label, rest = _label(text)
            # A combined "Causes and contributing factors" section also states the trigger and root cause.
            if label not in _TRIGGER_LABELS and label not in _ROOT_LABELS:
                postmortem.contributing_factors.append(TextRef(rest, line))
    if postmortem.contributing_factors:
        return
    for section in postmortem.sections_of("root-cause"):
        for block in section.all_blocks():
            if isinstance(block, ListBlock):
                postmortem.contributing_factors.extend(TextRef(item.text, item.line) for item in block.items)
    if postmortem.contributing_factors:
        return
    for unit in postmortem.document.text_units():
        label, rest = _label(unit.text)
        if label in _FACTOR_LABELS:
            postmortem.contributing_factors.append(TextRef(rest, unit.line))


def _section_refs(section: Section, *, exclude_kinds: PostMortem) -> list[TextRef]:
    """Each list item, or else each paragraph, of a section (without subsections of other kinds)."""
    refs: list[TextRef] = []
    for text, line in _own_units(section, exclude_kinds):
        refs.append(TextRef(_label(text)[1] if _label(text)[0] else text, line))
    return refs


def _own_units(section: Section, postmortem: PostMortem) -> Iterator[tuple[str, int]]:
    """Text units of a section and of subsections that are not themselves another known kind."""
    own_kinds = postmortem.catalog.kinds_of(section.title)
    for sub in section.walk():
        if sub is not section and postmortem.catalog.kinds_of(sub.title) - own_kinds:
            continue
        for block in sub.blocks:
            if isinstance(block, ListBlock):
                yield from ((item.text, item.line) for item in block.items if item.text)
            elif isinstance(block, Paragraph):
                yield block.text, block.line
            elif isinstance(block, Table):
                yield from ((" — ".join(cell for cell in row.cells if cell), row.line) for row in block.rows)


def _label(text: str) -> tuple[str | None, str]:
    """Split ``"**Trigger:** a bad push"`` into ``("trigger", "a bad push")``."""
    match = _LABELLED.match(text)
    if not match:
        return None, text
    label = normalize_title(match["label"])
    if label in _TRIGGER_LABELS | _ROOT_LABELS | _FACTOR_LABELS:
        return label, match["rest"].strip()
    return None, text


# Corrective actions -----------------------------------------------------------------------------


def _read_actions(postmortem: PostMortem) -> Iterator[Action]:
    # A day without a year ("Due: Dec 1") needs a year; today's is the best guess in an undated document.
    reference = postmortem.incident_date or dt.date.today()
    seen: set[int] = set()
    for top in postmortem.sections_of("actions"):
        for section in top.walk():
            if section.line in seen:
                continue
            seen.add(section.line)
            group = section.title if section is not top else None
            for block in section.blocks:
                if isinstance(block, Paragraph) and _is_label_paragraph(postmortem.document, block):
                    group = block.text.strip("*_: ")
                elif isinstance(block, Table):
                    yield from _table_actions(block, group, reference)
                elif isinstance(block, ListBlock):
                    yield from _list_actions(block, group, reference)


def _is_label_paragraph(document: Document, block: Paragraph) -> bool:
    """A bold line or a short line ending in a colon that heads the list below it ("**Short term**")."""
    source = " ".join(document.lines[block.line - 1 : block.end_line]).strip()
    bold = re.fullmatch(r"(\*\*|__)[^*_]{1,60}?:?\1:?", source) is not None
    return bold or (source.endswith(":") and len(source.split()) <= _GROUP_LABEL_MAX_WORDS + 2)


def _table_actions(table: Table, group: str | None, reference: dt.date | None) -> Iterator[Action]:
    columns = _columns(table.header, ("id", "owner", "status", "tracking", "action", "deadline"))
    if "action" not in columns:
        free = [index for index in range(len(table.header)) if index not in columns.values()]
        columns["action"] = free[0] if free else 0

    def cell(row: tuple[str, ...], role: str) -> str:
        index = columns.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    for row in table.rows:
        text = cell(row.cells, "action")
        if not text:
            continue
        # With a Tracking column, only that cell tracks the action; else any cell but the ID may.
        id_index = columns.get("id")
        joined = " ".join(value for index, value in enumerate(row.cells) if index != id_index)
        owner_cell = cell(row.cells, "owner")
        deadline_cell = cell(row.cells, "deadline")
        status = cell(row.cells, "status") or None
        tracking_cell = cell(row.cells, "tracking")
        yield Action(
            text=text,
            line=row.line,
            owners=tuple(owners_from_cell(owner_cell) if "owner" in columns else owners_in_text(text)),
            deadline=parse_deadline(deadline_cell, reference=reference)
            if "deadline" in columns
            else deadline_in_text(text, reference=reference),
            status=status,
            done=bool(status and _DONE_STATUS.match(status)) or _checked(text),
            tracking=tracking_reference(tracking_cell if "tracking" in columns else joined),
            key=cell(row.cells, "id") or None,
            group=group,
        )


def _checked(text: str) -> bool:
    return bool(re.match(r"^\s*(?:\[[xX]\]|✅|☑)", text))


def _list_actions(block: ListBlock, group: str | None, reference: dt.date | None) -> Iterator[Action]:
    for item in block.items:
        nested = list(item.sublists())
        if nested and _is_group_label(item.text, nested):
            label = item.text.strip("*_: ")
            for sub in nested:
                yield from _list_actions(sub, label, reference)
            continue
        if not item.text:
            continue
        # Details in a sub-list ("Owner: @a", "Due: ...") are separate statements; keep them apart.
        searchable = "; ".join([item.text, *(child.text for sub in nested for child in sub.items)])
        details = searchable[len(item.text) + 2 :]
        status_match = re.search(r"\bstatus\s*:\s*(\w[\w -]*)", searchable, re.IGNORECASE)
        status = status_match.group(1).strip() if status_match else None
        yield Action(
            text=item.text,
            line=item.line,
            owners=tuple(owners_in_text(item.text) or owners_in_text(details)),
            deadline=deadline_in_text(searchable, reference=reference),
            status=status,
            done=bool(item.checked) or bool(status and _DONE_STATUS.match(status)),
            tracking=tracking_reference(searchable),
            key=_inline_key(searchable),
            group=group,
        )


_DETAIL_LINE = re.compile(
    r"^\W*(?:owners?|assignees?|assigned\s+to|due(?:\s+date)?|deadline|eta|target|status|tracking|"
    r"issue|ticket|bug|jira|link|id|priority|type)\s*:",
    re.IGNORECASE,
)


def _is_group_label(text: str, nested: list[ListBlock]) -> bool:
    stripped = text.strip()
    if any(_DETAIL_LINE.match(child.text) for sub in nested for child in sub.items):
        return False
    return (
        not stripped
        or stripped.endswith(":")
        or (stripped.startswith(("**", "__")) and stripped.endswith(("**", "__")))
        or (len(stripped.split()) <= _GROUP_LABEL_MAX_WORDS and not re.search(r"[@#\d]", stripped))
    )


def _inline_key(text: str) -> str | None:
    match = re.search(r"\b(?:id|action[ -]id)\s*[:=]\s*([\w.-]+)", text, re.IGNORECASE)
    return match.group(1) if match else None
