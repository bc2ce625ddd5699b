"""What a post-mortem says, read from the document model.

Sections are found by name through a catalog of aliases (from the rule packs and the configuration),
never by position. From them come the metadata, timeline, causes, contributing factors and
corrective actions that rules check.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from pmcheck.action_owners import owners_from_cell, owners_in_text, tracking_reference
from pmcheck.deadlines import Deadline, deadline_in_text, parse_deadline
from pmcheck.labelled_fields import heading_field, labelled_sections
from pmcheck.model import (
    Block,
    Document,
    ListBlock,
    Paragraph,
    Section,
    Table,
    TableRow,
    action_state,
    normalize_title,
    strip_status_words,
)
from pmcheck.timeline import TimelineEntry, read_timeline
from pmcheck.timeparse import ZONE_OFFSETS, date_alone, document_zone, find_date, find_time
from pmcheck.values import IssueRef, SeverityLevel, is_placeholder, issue_ref, severity_level

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
_GROUP_LABEL_MAX_WORDS = 4
_HALF_DAY_MINUTES = 12 * 60

_CONTRACTIONS = (
    (" didn t ", " did not "),
    (" wasn t ", " was not "),
    (" weren t ", " were not "),
    (" isn t ", " is not "),
    (" don t ", " do not "),
    (" doesn t ", " does not "),
    (" we re ", " we are "),
    (" it s ", " it is "),
    (" what s ", " what is "),
)
_IRREGULAR = {
    "went": "go",
    "gone": "go",
    "goes": "go",
    "going": "go",
    "learnt": "learn",
    "learned": "learn",
    "impacted": "impact",
}
# Words that do not change what a heading names: "Why did all this happen?" asks "why did it happen".
_FILLER = {"the", "a", "an", "so", "our", "its", "it", "this", "that", "all"}
# A one-word name ("Timeline", "Prevention") names a longer heading only when it is short: "Attack
# timeline" is a timeline, "Anti-impersonation email prevention" is a lesson about prevention.
_AFFIX_MAX_WORDS = 3
# Zone abbreviations that are not also words people put in headings ("Pacific", "Central").
_HEADING_ZONES = {zone for zone in ZONE_OFFSETS if len(zone) > 2 and zone.isupper() and zone.isalpha()}


def lemma_key(normalized: str) -> str:
    """Headings compared by their words' base forms: "What Didn't Go So Well?" ~ "what did not go well".

    Plurals, past tenses of a few verbs, contractions and filler words do not change what a heading names.
    """
    text = f" {normalized} "
    for short, full in _CONTRACTIONS:
        text = text.replace(short, full)
    words = []
    for word in text.split():
        if word in _FILLER or word.isdigit():
            continue  # filler words and the numbers of a date ("Timeline 7/5/2023") name nothing
        word = _IRREGULAR.get(word, word)
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        words.append(word)
    # "Issue Timeline - UTC" names a timeline: a zone at the end of a heading names no part.
    while len(words) > 1 and words[-1].upper() in _HEADING_ZONES:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class SectionCatalog:
    """Which headings mean which part of a post-mortem: ``{"timeline": ("timeline", "chronology"), ...}``.

    Headings and aliases are compared by :func:`lemma_key`, so plurals, tenses and contractions match.
    """

    aliases: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def _lemmas(self) -> dict[str, tuple[str, ...]]:
        return {kind: tuple(lemma_key(name) for name in names) for kind, names in self.aliases.items()}

    def kinds_of(self, title: str, *, exact: bool = False) -> set[str]:
        """The kinds a heading names: an exact alias wins, else (unless ``exact``) one at its start or end."""
        normalized = lemma_key(normalize_title(title))
        if not normalized:
            return set()
        lemmas = self._lemmas
        found = {kind for kind, names in lemmas.items() if normalized in names}
        if found or exact:
            return found
        padded = f" {normalized} "
        short = len(normalized.split()) <= _AFFIX_MAX_WORDS
        return {
            kind
            for kind, names in lemmas.items()
            for name in names
            if (short or " " in name) and (padded.startswith(f" {name} ") or padded.endswith(f" {name} "))
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
class Action:
    """One corrective action, however it was written (table row, list item or task)."""

    text: str
    line: int
    owners: tuple[str, ...] = ()
    deadline: Deadline | None = None
    status: str | None = None
    # The status as one of "open", "in progress", "done", "cancelled" (None when not stated): read once
    # here from a Status column, a task box, "[DONE]" or "(in progress)", so every reader agrees.
    state: str | None = None
    done: bool = False
    tracking: str | None = None
    key: str | None = None
    group: str | None = None

    @property
    def tracked_by(self) -> str | None:
        """The tracking reference, unless it is the action's own id (an "ID" cell like CK-2 is no ticket)."""
        tracking = (self.tracking or "").strip()
        if not tracking or (self.key and tracking.strip("#").casefold() == self.key.strip("#").casefold()):
            return None
        return tracking

    @functools.cached_property
    def issue_ref(self) -> IssueRef | None:
        """The GitHub issue (or pull request) that tracks the action, when it names one."""
        return issue_ref(self.tracked_by)

    def issue_number(self, repo: str | None) -> int | None:
        """The number of the issue of ``repo`` that tracks the action, if one does."""
        return self.issue_ref.number_in(repo) if self.issue_ref else None

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "line": self.line,
            "owners": list(self.owners),
            "deadline": self.deadline.date.isoformat() if self.deadline and self.deadline.date else None,
            "deadline_text": self.deadline.text if self.deadline else None,
            "status": self.status,
            "state": self.state,
            "done": self.done,
            "tracking": self.tracking,
            "id": self.key,
            "group": self.group,
        }


class _Parts:
    """Look-ups shared by the post-mortem and the reading that builds it."""

    document: Document
    kinds: Mapping[str, Sequence[Section]]
    metadata: Mapping[str, str]

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def title(self) -> str | None:
        return self.metadata.get("title") or self.document.title

    def section(self, kind: str) -> Section | None:
        sections = self.kinds.get(kind)
        return sections[0] if sections else None

    def sections_of(self, kind: str) -> Sequence[Section]:
        return self.kinds.get(kind, ())


@dataclass(frozen=True)
class PostMortem(_Parts):
    """The post-mortem's parts as rules see them: read once from the document, then never changed."""

    document: Document
    catalog: SectionCatalog
    kinds: Mapping[str, tuple[Section, ...]] = field(default_factory=dict)
    metadata: Mapping[str, str] = field(default_factory=dict)
    metadata_lines: Mapping[str, int] = field(default_factory=dict)
    timeline: tuple[TimelineEntry, ...] = ()
    timeline_zone: str | None = None
    timeline_ambiguous_date: tuple[str, int] | None = None
    proximate_causes: tuple[TextRef, ...] = ()
    root_causes: tuple[TextRef, ...] = ()
    contributing_factors: tuple[TextRef, ...] = ()
    actions: tuple[Action, ...] = ()
    incident_date: dt.date | None = None
    incident_date_source: str | None = None
    intro: tuple[TextRef, ...] = ()

    @property
    def severity(self) -> str | None:
        """The severity as written ("Sev 2"); ``severity_level`` is what every reader compares."""
        return self.metadata.get("severity")

    @functools.cached_property
    def severity_level(self) -> SeverityLevel | None:
        """The incident's severity in one spelling ("SEV-2", "sev 2", "Severity 2" → ``SEV2``)."""
        return severity_level(self.severity)


@dataclass
class _Reading(_Parts):
    """A post-mortem while it is being read: the parts found so far."""

    document: Document
    catalog: SectionCatalog
    kinds: dict[str, list[Section]] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    metadata_lines: dict[str, int] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    timeline_zone: str | None = None
    timeline_ambiguous_date: tuple[str, int] | None = None
    proximate_causes: list[TextRef] = field(default_factory=list)
    root_causes: list[TextRef] = field(default_factory=list)
    contributing_factors: list[TextRef] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    incident_date: dt.date | None = None
    incident_date_source: str | None = None
    intro: list[TextRef] = field(default_factory=list)

    def frozen(self) -> PostMortem:
        return PostMortem(
            document=self.document,
            catalog=self.catalog,
            kinds={kind: tuple(sections) for kind, sections in self.kinds.items()},
            metadata=dict(self.metadata),
            metadata_lines=dict(self.metadata_lines),
            timeline=tuple(self.timeline),
            timeline_zone=self.timeline_zone,
            timeline_ambiguous_date=self.timeline_ambiguous_date,
            proximate_causes=tuple(self.proximate_causes),
            root_causes=tuple(self.root_causes),
            contributing_factors=tuple(self.contributing_factors),
            actions=tuple(self.actions),
            incident_date=self.incident_date,
            incident_date_source=self.incident_date_source,
            intro=tuple(self.intro),
        )


def read_postmortem(document: Document, catalog: SectionCatalog) -> PostMortem:
    """Extract every part of a post-mortem from its document model."""
    postmortem = _Reading(document=document, catalog=catalog)
    for heading in document.sections:
        section = heading_field(heading, catalog.kinds_of) or heading
        for kind in catalog.kinds_of(section.title):
            if not _lesson_named_like(section, kind, catalog):
                postmortem.kinds.setdefault(kind, []).append(section)
    # Headings first, then labelled fields: a heading is the better anchor for a finding.
    skip = {section.line for section in postmortem.sections_of("timeline")}
    for field_section in labelled_sections(document, catalog.kinds_of, skip=skip):
        for kind in catalog.kinds_of(field_section.title):
            if not _under_kind(field_section, kind, postmortem) and not _loose_label_in_part(
                field_section, catalog
            ):
                postmortem.kinds.setdefault(kind, []).append(field_section)
    if not postmortem.sections_of("timeline"):
        untitled = _untitled_timeline(postmortem)
        if untitled is not None:
            postmortem.kinds["timeline"] = [untitled]
    _read_metadata(postmortem)
    postmortem.intro = _intro(postmortem)
    postmortem.incident_date, postmortem.incident_date_source = _incident_date(postmortem)
    _read_timeline(postmortem)
    if postmortem.incident_date is None:
        postmortem.incident_date = next((entry.date for entry in postmortem.timeline if entry.date), None)
        postmortem.incident_date_source = "first timeline entry" if postmortem.incident_date else None
    if postmortem.incident_date is None:
        # "On April 26, 2023, ..." opening the summary: the last place a narrative states its date.
        postmortem.incident_date = _summary_date(postmortem)
        postmortem.incident_date_source = "summary" if postmortem.incident_date else None
    _read_causes(postmortem)
    postmortem.actions = list(_read_actions(postmortem))
    return postmortem.frozen()


# Metadata ---------------------------------------------------------------------------------------


def _read_metadata(postmortem: _Reading) -> None:
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
                _metadata_line(postmortem, match, number)
    for section in document.sections:
        # A heading used as a field: "## Date: December 08, 2022".
        match = _KEY_VALUE_LINE.match(section.title)
        if match:
            _metadata_line(postmortem, match, section.line)


def _metadata_line(postmortem: _Reading, match: re.Match[str], number: int) -> None:
    known = METADATA_KEYS.get(normalize_title(match["key"]))
    if known and known not in postmortem.metadata:
        # "Status: final<br> Owners: @a" holds two fields; each ends at a line break.
        value = html.unescape(re.split(r"<br\s*/?>", match["value"], flags=re.IGNORECASE)[0]).strip("*_ ")
        if not value:
            return  # "**Severity:**&#x20;" over a list: the label heads the list, it holds no value
        postmortem.metadata[known] = value
        postmortem.metadata_lines[known] = number


def _lesson_named_like(section: Section, kind: str, catalog: SectionCatalog) -> bool:
    """ "Improvements" under "Lessons learned" is a lesson about improving, not the action items.

    So is a paragraph of intent there ("Looking forward: we will keep extending these checks"); a list
    or table under such a heading still holds actions.
    """
    parent = section.parent
    return (
        kind == "actions"
        and parent is not None
        and parent.level > 0
        and "lessons" in catalog.kinds_of(parent.title)
        and (
            len(normalize_title(section.title).split()) == 1
            or not any(isinstance(block, (ListBlock, Table)) for block in section.all_blocks())
        )
    )


def _summary_date(postmortem: _Reading) -> dt.date | None:
    """The first full date in the opening paragraph or the summary's first paragraph."""
    summary = postmortem.section("summary")
    paragraphs = [ref.text for ref in postmortem.intro[:1]]
    if summary is not None:
        paragraphs += [block.text for block in summary.blocks[:1] if isinstance(block, Paragraph)]
    for text in paragraphs:
        full = find_date(text)
        if full is not None:
            # "Between November 11 and November 15, 2025": the year written once holds for both.
            return find_date(text, default_year=full.year)
    return None


def _loose_label_in_part(section: Section, catalog: SectionCatalog) -> bool:
    """A label named only by its last or first word inside another part ("**Destructive Action:**"
    in a root cause's chain of labels) belongs to that part; an exact name ("**Action items:**") does not."""
    parent = section.parent
    if parent is None or parent.level == 0 or catalog.kinds_of(section.title, exact=True):
        return False
    return bool(catalog.kinds_of(parent.title))


def _under_kind(section: Section, kind: str, postmortem: _Reading) -> bool:
    """Whether a labelled field sits under a heading of its kind ("Root cause:" under "## Root cause")."""
    parent = section.parent
    while parent is not None and parent.level > 0:
        if kind in postmortem.catalog.kinds_of(parent.title):
            return True
        parent = parent.parent
    return False


def _intro(postmortem: _Reading) -> list[TextRef]:
    """Opening prose under the title: many post-mortems put their summary there, untitled."""
    document = postmortem.document
    intro: list[TextRef] = []
    titles = {section.line for section in _title_sections(document)}
    for block, _section in _header_blocks(postmortem):
        if (_section.level > 0 and _section.line not in titles) or not isinstance(block, Paragraph):
            continue
        lines = document.lines[block.line - 1 : block.end_line]
        if all(_is_metadata_line(line) for line in lines):
            continue
        intro.append(TextRef(block.text, block.line))
    return intro


def _title_sections(document: Document) -> list[Section]:
    """The title headings: every H1, or else the first heading (many pages start at "## ...")."""
    sections = document.sections
    titles = [section for section in sections if section.level == 1]
    return titles or sections[:1]


def _is_metadata_line(line: str) -> bool:
    match = _KEY_VALUE_LINE.match(line)
    return bool(match and normalize_title(match["key"]) in METADATA_KEYS)


def _header_blocks(postmortem: _Reading) -> Iterator[tuple[Block, Section]]:
    """Blocks where metadata lives: before the first heading, under the title, in a metadata section."""
    document = postmortem.document
    yield from ((block, document.root) for block in document.root.blocks)
    for section in _title_sections(document):
        yield from ((block, section) for block in section.blocks)
        first = section.subsections[0] if section.subsections else None
        if not section.blocks and first is not None and not postmortem.catalog.kinds_of(first.title):
            # "# Testnet halt" then "## Testnet halt" over the fields: a subtitle, not a part, goes on
            # with the title.
            yield from ((block, first) for block in first.blocks)
    for kind in ("metadata", "summary"):
        for section in postmortem.sections_of(kind):
            yield from ((block, section) for block in section.blocks)


def _metadata_from_table(postmortem: _Reading, table: Table) -> None:
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


def _incident_date(postmortem: _Reading) -> tuple[dt.date | None, str | None]:
    """The incident's date and where it was read: front matter or a field, the title, the file name."""
    raw = postmortem.metadata.get("date")
    if raw:
        found = find_date(raw)
        if found:
            in_front_matter = "date" in {
                normalize_title(str(key)) for key in postmortem.document.front_matter or {}
            }
            return found, "front matter" if in_front_matter else "date field"
    for text, source in ((postmortem.title or "", "title"), (PurePath(postmortem.path).name, "file name")):
        found = find_date(text)
        if found:
            return found, source
    found = _date_line(postmortem.document)
    return (found, "date line") if found else (None, None)


_DATE_LINE_LOOKAHEAD = 4


def _date_line(document: Document) -> dt.date | None:
    """A line holding only a date among the first lines of text after the title ("September 26, 2021")."""
    seen = 0
    for raw in document.lines[document.front_matter_end_line :]:
        text = raw.strip()
        if not text or text.startswith(("#", "<!--", "|", "---", "===")):
            continue
        found = date_alone(text)
        if found:
            return found
        seen += 1
        if seen >= _DATE_LINE_LOOKAHEAD:
            return None
    return None


# Timeline ---------------------------------------------------------------------------------------


# An untitled list is a timeline when at least this many items, and nearly all, open with a time.
_UNTITLED_TIMELINE_MIN_ENTRIES = 3
_UNTITLED_TIMELINE_SHARE = 0.8


def _untitled_timeline(postmortem: _Reading) -> Section | None:
    """A list (or lines) of time-stamped items under no timeline heading, as status pages write it.

    "- 12:07 AM UTC: the expired certificate is identified" and three more like it, straight under the
    summary: the list is the timeline, read as if it had its heading. Lists in actions sections are not.
    """
    for section in postmortem.document.root.walk():
        if "actions" in postmortem.catalog.kinds_of(section.title):
            continue
        for lead, block in zip((None, *section.blocks), section.blocks, strict=False):
            lines = _entry_lines(postmortem.document, block)
            timed = sum(1 for line in lines if find_time(line.lstrip(_BULLETS), within=12) is not None)
            if timed >= _UNTITLED_TIMELINE_MIN_ENTRIES and timed >= _UNTITLED_TIMELINE_SHARE * len(lines):
                # "Chronology of the incident (EDT):" introducing the list belongs to it: it states the zone.
                led = lead if isinstance(lead, Paragraph) and lead.text.rstrip().endswith(":") else None
                blocks = (led, block) if led is not None else (block,)
                return Section(
                    title=led.text.strip().rstrip(":") if led is not None else "Timeline",
                    level=section.level + 1,
                    line=blocks[0].line,
                    end_line=block.end_line,
                    blocks=blocks,
                    parent=section,
                    labelled=True,
                )
    return None


# Bullets pasted from a rich-text page, which Markdown does not read as a list: "  • 12:07 AM UTC: ...".
_BULLETS = " \t•·‣◦▪–-*"


def _entry_lines(document: Document, block: Block) -> list[str]:
    """The lines of a block that could each be a timeline entry: list items, or a paragraph's lines."""
    if isinstance(block, ListBlock):
        return [item.text for item in block.items]
    if isinstance(block, Paragraph):
        return [line for line in document.lines[block.line - 1 : block.end_line] if line.strip()]
    return []


def _read_timeline(postmortem: _Reading) -> None:
    sections = postmortem.sections_of("timeline")
    if not sections:
        return
    # A part of its own under the timeline heading ("### Duration of impact") holds no entries.
    timeline_lines = {section.line for section in sections}
    elsewhere = {
        section.line
        for kind, named in postmortem.kinds.items()
        if kind != "timeline"
        for section in named
        if not section.labelled and section.line not in timeline_lines
    }
    timeline = read_timeline(
        postmortem.document,
        sections,
        incident_date=postmortem.incident_date,
        zone_hint=postmortem.metadata.get("timezone", ""),
        zone_fallback=document_zone(postmortem.document.lines),
        skip=elsewhere,
    )
    postmortem.timeline = timeline.entries
    postmortem.timeline_zone = timeline.zone
    postmortem.timeline_ambiguous_date = timeline.ambiguous_date


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


def _read_causes(postmortem: _Reading) -> None:
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
    for refs in (postmortem.proximate_causes, postmortem.root_causes, postmortem.contributing_factors):
        # A labelled line is found both as a field and as a label inside its section: keep it once.
        unique = {(ref.line, ref.text): ref for ref in refs}
        refs[:] = list(unique.values())


def _read_factors(postmortem: _Reading) -> None:
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


def _section_refs(section: Section, *, exclude_kinds: _Reading) -> list[TextRef]:
    """Each list item, or else each paragraph, of a section (without subsections of other kinds)."""
    refs: list[TextRef] = []
    for text, line in _own_units(section, exclude_kinds):
        refs.append(TextRef(_label(text)[1] if _label(text)[0] else text, line))
    return refs


def _own_units(section: Section, postmortem: _Reading) -> Iterator[tuple[str, int]]:
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


def _read_actions(postmortem: _Reading) -> Iterator[Action]:
    # A day without a year ("Due: Dec 1") needs a year; today's is the best guess in an undated document.
    reference = postmortem.incident_date or dt.date.today()
    seen: set[int] = set()
    lines: set[int] = set()
    tops = postmortem.sections_of("actions")
    headed = [top.line for top in tops if not top.labelled]
    for top in tops:
        if len(tops) > 1 and _is_status_view(top):
            # "## Action items status" restates, as a checklist, the actions listed (with their owners)
            # in another actions section: its items are not actions of their own.
            continue
        if top.labelled and headed and top.line < min(headed) and _in_header(postmortem, top):
            # "| **Remediation** | Manual rollback ... |" in the fields over the summary sums up what was
            # done; the actions section further down lists the actions.
            continue
        # Paragraphs are actions where a team writes them as prose: under a label ("**Action taken:**")
        # or in an actions section that holds no list or table at all.
        prose = top.labelled or not any(isinstance(block, (ListBlock, Table)) for block in top.all_blocks())
        for section in top.walk():
            if section.line in seen:
                continue
            seen.add(section.line)
            if section is not top and _is_action_heading(section, postmortem.catalog):
                # "### 1. Remove the reset hook": the heading is the action, what follows its details.
                seen.update(sub.line for sub in section.walk())
                action = _heading_action(section, reference)
                if action.line not in lines:
                    lines.add(action.line)
                    yield action
                continue
            group = section.title if section is not top else None
            group_deadline = deadline_in_text(section.title, reference=reference)
            group_state = _group_state(section.title)
            previous: Block | None = None
            for block in section.blocks:
                found: Iterable[Action] = ()
                if isinstance(block, Paragraph) and _is_label_paragraph(postmortem.document, block):
                    group = block.text.strip("*_: ")
                    group_deadline = deadline_in_text(block.text, reference=reference) or group_deadline
                    group_state = _group_state(block.text) or group_state
                elif _details_of(postmortem.document, previous, block):
                    pass
                elif isinstance(block, Paragraph) and prose:
                    found = [_prose_action(block, group, reference)]
                elif isinstance(block, Table):
                    found = _table_actions(block, group, reference)
                elif isinstance(block, ListBlock):
                    listed = _list_actions(block, group, reference, postmortem.document.lines)
                    found = _not_advice(list(listed))
                if not isinstance(block, Paragraph) or not _is_label_paragraph(postmortem.document, block):
                    previous = block
                for action in found:
                    if action.line in lines or _NO_ACTION.match(action.text):
                        continue
                    lines.add(action.line)
                    # A deadline or state stated once for a group ("Target: Q4 2025", "(completed)")
                    # holds for the items under it that state none of their own.
                    if action.deadline is None and group_deadline is not None:
                        action = replace(action, deadline=group_deadline)
                    yield _in_group_state(action, group_state)
    # A table whose header names its rows as actions ("Action Item | Owner | Bug") is an action table
    # wherever it stands: the SRE-book template often puts it after labelled fields, under no heading.
    for section in postmortem.document.root.walk():
        for block in section.blocks:
            if isinstance(block, Table) and _names_actions(block):
                yield from (
                    action for action in _table_actions(block, None, reference) if action.line not in lines
                )


# Groups are named in a word or two ("1. Short term", "2. Process"); an action takes more.
_GROUP_HEADING_MAX_WORDS = 2
_NUMBERED_HEADING = re.compile(r"^\s*\d{1,2}[.)]\s+(?P<text>\S.*)$")


_STATUS_VIEW = re.compile(r"\b(?:status|progress|tracker|tracking)\W*$", re.IGNORECASE)


def _in_group_state(action: Action, state: str | None) -> Action:
    """The action with its group's state ("### Done", "- **Actions taken**:") where it states none itself."""
    if action.state is not None or state is None:
        return action
    return replace(action, state=state, done=state in _CLOSED_STATES)


def _in_header(postmortem: _Reading, section: Section) -> bool:
    """Whether a labelled field stands among the header fields, above the document's first part."""
    titles = {title.line for title in _title_sections(postmortem.document)}
    parts = [other.line for other in postmortem.document.sections if other.line not in titles]
    return section.line < min(parts, default=section.line + 1)


def _is_status_view(section: Section) -> bool:
    """An actions heading that ends in "status" or "progress": a view of actions listed elsewhere."""
    return _STATUS_VIEW.search(section.title) is not None


def _is_action_heading(section: Section, catalog: SectionCatalog) -> bool:
    """A numbered sub-heading of an actions section that is one action, not a group of them.

    "### 1. Add a canary stage" is an action; "### 1. Short term" or "### Process" names a group.
    """
    match = _NUMBERED_HEADING.match(section.title)
    if match is None or "actions" in catalog.kinds_of(match["text"]) or _group_state(section.title):
        return False
    return len(normalize_title(match["text"]).split()) > _GROUP_HEADING_MAX_WORDS


def _heading_action(section: Section, reference: dt.date | None) -> Action:
    match = _NUMBERED_HEADING.match(section.title)
    text = match["text"] if match else section.title
    searchable = "; ".join([text, section.text()])
    status = _status_in_text(text)
    # "#### 1) Cron cleanup scheduled `@ana`": a heading that reports its change as made is done work.
    state = action_state(status) or ("done" if _reports_done(text) else None)
    return Action(
        text=text,
        line=section.line,
        owners=tuple(owners_in_text(text) or owners_in_text(section.text())),
        deadline=deadline_in_text(searchable, reference=reference),
        status=status,
        state=state,
        done=state in _CLOSED_STATES,
        tracking=tracking_reference(searchable),
        group=section.parent.title if section.parent is not None else None,
    )


def _names_actions(table: Table) -> bool:
    """A table of corrective actions by its header: an Action column, and an owner, due, status or bug one."""
    roles = table.roles
    index = roles.get("action")
    if index is None or not any(role in roles for role in ("owner", "deadline", "status", "tracking")):
        return False
    return any(word.startswith("action") for word in normalize_title(table.header[index]).split())


# "None.", "N/A", "No further actions are needed.": a section saying there is nothing to do lists no action.
_NO_ACTION = re.compile(
    r"^\W*(?:none|n/?a|nothing(?:\s+to\s+do)?)\W*$"
    r"|^\W*no\s+(?:further\s+|other\s+|additional\s+|more\s+)?(?:corrective\s+|follow[\s-]*up\s+)?"
    r"(?:actions?|action\s+items?|changes?|follow[\s-]*ups?|work)\s+(?:(?:is|are)\s+)?"
    r"(?:needed|required|necessary|planned)\b",
    re.IGNORECASE,
)


_GROUP_STATES = (
    # "What is being done about it" is the plan, not a record of what was done.
    (
        "done",
        re.compile(r"(?<!being\s)(?<!be\s)\b(?:completed?|done|taken|finished|shipped)\b", re.IGNORECASE),
    ),
    ("in progress", re.compile(r"\bin[\s-]progress\b", re.IGNORECASE)),
    ("open", re.compile(r"\b(?:planned|proposed|to\s+do|todo)\b", re.IGNORECASE)),
)


def _group_state(title: str) -> str | None:
    """A state given to a whole group: "Immediate actions (completed)", "**Actions taken:**"."""
    return next((state for state, pattern in _GROUP_STATES if pattern.search(title)), None)


def _details_of(document: Document, previous: Block | None, block: Block) -> bool:
    """A bullet list that details the numbered item above it ("1. **Migration**" then "- step").

    Numbered actions with bold titles are often followed by bullets at the same indentation: the
    bullets are the steps or subjects of that action, not actions of their own.
    """
    if not isinstance(block, ListBlock) or block.ordered:
        return False
    if not isinstance(previous, ListBlock) or not previous.ordered or not previous.items:
        return False
    last = previous.items[-1]
    source = document.lines[last.line - 1].strip()
    return last.text.rstrip().endswith(":") or re.fullmatch(r"\d+[.)]\s+(\*\*|__).+?\1:?", source) is not None


_TRAILING_STATUS = re.compile(r"\((?P<status>[^()]{1,160})\)\s*\.?\s*$")
_BRACKETED_STATUS = re.compile(r"^\s*\[(?P<status>[^\]]{1,20})\]")
_LEADING_MARK = re.compile(r"^\s*(?P<status>[✅❌✔☑✖]\ufe0f?)")
_CAPITAL_STATUS = re.compile(r"(?<![\w-])(?P<status>DONE|TODO|WIP|FIXED|CLOSED|PR exists)(?![\w-])")


def _status_in_text(text: str) -> str | None:
    """A status written into an action's text: "[DONE] ...", "... (in progress)", "... DONE in #12"."""
    for pattern in (_LEADING_MARK, _BRACKETED_STATUS, _TRAILING_STATUS, _CAPITAL_STATUS):
        match = pattern.search(text)
        if match and action_state(match["status"]):
            return match["status"].strip()
    return None


# "Extra monitoring was added", "We have rotated the keys": a change reported as made, with nothing
# still to come in the same item ("... and will be announced", "were to be filtered").
_REPORTED_DONE = re.compile(
    r"^(?:(?!\b(?:what|which|that|how|when|if|once|after|before|until|since|because|based)\b)[^.;:,]){0,80}?"
    r"\b(?:was|were|has(?:\s+been)?|have(?:\s+been)?)\s+(?:\w+ly\s+)?(?:\w+ed|made|built|set\s+up|sent)\b",
    re.IGNORECASE,
)
_STILL_TO_COME = re.compile(
    r"\b(?:will|would|shall|should|must|needs?\s+to|to\s+be|going\s+to|plan(?:ned|s)?\s+to|not|yet)\b"
    r"|\b(?:am|is|are)\s+\w+ing\b",
    re.IGNORECASE,
)


# "Rolled back the deploy", "Validators downgraded their nodes", "We rotated the keys": an item that
# opens with a change verb in the past tense, bare or after a short subject, reports the change made.
_CHANGE_VERBS = (
    "added|removed|fixed|deployed|rolled back|reverted|migrated|disabled|enabled|patched|upgraded|"
    "downgraded|rotated|revoked|restored|restarted|replaced|renamed|updated|merged|released|shipped|"
    "sent|notified|informed|published|documented|refunded|blocked|deleted|configured|installed"
)
# The subject is a pronoun or a plural noun: "Keep deleted files" is an order, not a report.
_DONE_OPENING = re.compile(rf"^\W*(?:(?:we|they|the\s+team|\w+s)\s+)?(?:{_CHANGE_VERBS})\b", re.IGNORECASE)


# "All bridge transactions identified (Section 5).", "New tokens generated; stores updated.", "Leaked
# tokens scrubbed from two files.": a headline passive, its change reported as made. The participle
# closes the clause, or only a phrase of place or means follows it.
_HEADLINE_VERBS = (
    f"{_CHANGE_VERBS}|identified|completed|halted|paused|generated|scrubbed|hardened|implemented|created|"
    "corrected|recreated|relocated|purged|suppressed|reissued|regenerated|scheduled"
)
_HEADLINE_DONE = re.compile(
    rf"^(?![^.;:()]*\b(?:is|are|be|been|being|get|gets|ensure|make|verify|check|when|whenever|if|once|"
    rf"after|before|until|unless|where|why)\b)[^.;:()]{{3,120}}?\b(?:{_HEADLINE_VERBS})"
    r"(?:\s+(?:from|in|on|into|across|for|at|via|with|to\s+(?!be\b)\w+)\b[^.;:()]{0,80})?\s*(?:\(|[.;:]|$)",
    re.IGNORECASE,
)


# "... by `@ana`", "`@ana`" after a headline names who did it; it is not part of the sentence.
_OWNER_MENTION = re.compile(r"(?<!\S)(?:by\s+)?`?@[\w.-]+`?")


def _reports_done(text: str) -> bool:
    """Whether an action item reports its change as made rather than asking for it."""
    text = " ".join(_OWNER_MENTION.sub("", text).split())
    made = _REPORTED_DONE.match(text) or _DONE_OPENING.match(text) or _HEADLINE_DONE.match(text)
    return bool(made) and not _STILL_TO_COME.search(text)


# A paragraph that tells what happened ("We found a patch that ...", "Setting X to nothing was not
# ideal, ...") and says nothing of what is still to do is a record, not an open action.
_TOLD_PAST = re.compile(
    r"\b(?:was|were|had|did)\b"
    r"|\b(?:we|it|they|i|this|that)\s+(?:\w+ed|found|made|took|saw|got|ran|began|came|went|knew|chose|built)\b",
    re.IGNORECASE,
)
_INTENT = re.compile(
    r"\b(?:will|would|shall|should|must|could|needs?\s+to|to\s+be|going\s+to|plan(?:s|ned)?|intend\w*|"
    r"yet|todo|next|future|forward|consider\w*|recommend\w*|propos\w+|want\w*|aim\w*)\b",
    re.IGNORECASE,
)


def _tells_what_happened(text: str) -> bool:
    return _TOLD_PAST.search(text) is not None and _INTENT.search(text) is None


def _prose_action(block: Paragraph, group: str | None, reference: dt.date | None) -> Action:
    status = _status_in_text(block.text)
    # "(filed #12)" at the end is a status, not the owner's name in parentheses.
    unstated = _TRAILING_STATUS.sub("", block.text) if status else block.text
    told = _reports_done(block.text) or _tells_what_happened(block.text)
    state = action_state(status) or ("done" if told else None)
    return Action(
        text=block.text,
        line=block.line,
        owners=tuple(owners_in_text(unstated)),
        deadline=deadline_in_text(block.text, reference=reference),
        status=status,
        state=state,
        done=state in _CLOSED_STATES,
        tracking=tracking_reference(block.text),
        group=group,
    )


_CLOSED_STATES = {"done", "cancelled"}


def _is_label_paragraph(document: Document, block: Paragraph) -> bool:
    """A bold line or a short line ending in a colon that heads the list below it ("**Short term**")."""
    source = " ".join(document.lines[block.line - 1 : block.end_line]).strip()
    bold = re.fullmatch(r"(\*\*|__)[^*_]{1,60}?:?\1:?", source) is not None
    return bold or (source.endswith(":") and len(source.split()) <= _GROUP_LABEL_MAX_WORDS + 2)


def _table_actions(table: Table, group: str | None, reference: dt.date | None) -> Iterator[Action]:
    columns = table.action_roles

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
        # Without a Status column, teams write the state into another cell ("Bug 12 **DONE**").
        status = (
            cell(row.cells, "status")
            or _status_in_text(text)
            or _status_in_text(joined)
            or _state_cell(row.cells)
        )
        state = action_state(status)
        tracking_cell = cell(row.cells, "tracking")
        yield Action(
            text=text,
            line=row.line,
            owners=tuple(owners_from_cell(owner_cell) if "owner" in columns else owners_in_text(text)),
            deadline=parse_deadline(deadline_cell, reference=reference)
            if "deadline" in columns
            else deadline_in_text(text, reference=reference),
            status=status,
            state=state,
            done=state in _CLOSED_STATES or _checked(text),
            tracking=_tracking_cell(tracking_cell) if "tracking" in columns else tracking_reference(joined),
            key=cell(row.cells, "id") or None,
            group=group,
        )


def _state_cell(cells: tuple[str, ...]) -> str | None:
    """A cell that is only a status ("Done" in a Notes column); "Yes" or "No" elsewhere may mean anything."""
    return next(
        (
            cell
            for cell in cells
            if len(cell.split()) <= 2
            and action_state(cell)
            and cell.strip(" *_.").lower() not in {"yes", "no"}
        ),
        None,
    )


def _tracking_cell(cell: str) -> str | None:
    """What a Bug / Issue / Ticket / Link column says: a reference, else its words ("Bug 5554823")."""
    found = tracking_reference(cell)
    if found:
        return found
    words = strip_status_words(cell).strip(" *_`")
    return None if is_placeholder(words) else words


# "fix your implementation", "if you drop sessions, document it": advice to the reader (users, another
# network), not the team's own work. Quoted and code text ("an 'are you sure' prompt") is left out.
# An item that also speaks for the team ("We will open a bounty; if you have ideas, write to us") is
# the team's own.
_READER = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
_TEAM = re.compile(r"\b(?:we|we'?ll|we'?re|our|ours|us)\b", re.IGNORECASE)
_QUOTED = re.compile(r"`[^`\n]{0,300}`|\"[^\"\n]{0,300}\"|“[^“”\n]{0,300}”|'[^'\n]{0,300}'(?!\w)")


def _speaks_to_reader(text: str) -> bool:
    plain = _QUOTED.sub(" ", text)
    return _READER.search(plain) is not None and _TEAM.search(plain) is None


def _not_advice(actions: list[Action]) -> list[Action]:
    """A list's actions, or none when most of its items speak to the reader ("update your client")."""
    speaking = sum(1 for action in actions if _speaks_to_reader(action.text))
    return [] if actions and speaking * 2 > len(actions) else actions


def _checked(text: str) -> bool:
    return bool(re.match(r"^\s*(?:\[[xX]\]|✅|☑)", text))


def _list_actions(
    block: ListBlock, group: str | None, reference: dt.date | None, lines: Sequence[str] = ()
) -> Iterator[Action]:
    for item in block.items:
        nested = list(item.sublists())
        source = lines[item.line - 1] if 0 < item.line <= len(lines) else item.text
        if nested and _is_group_label(item.text, nested) and not _titled_action(block, source):
            label = item.text.strip("*_: ")
            # "- **Immediate actions taken**:" gives its state to the items under it, as a heading does.
            label_state = _group_state(label)
            for sub in nested:
                for action in _not_advice(list(_list_actions(sub, label, reference, lines))):
                    yield _in_group_state(action, label_state)
            continue
        if not item.text:
            continue
        # Details in a sub-list ("Owner: @a", "Due: ...") are separate statements; keep them apart.
        searchable = "; ".join([item.text, *(child.text for sub in nested for child in sub.items)])
        details = searchable[len(item.text) + 2 :]
        status_match = re.search(r"\bstatus\s*:\s*(\w[\w -]*)", searchable, re.IGNORECASE)
        status = status_match.group(1).strip() if status_match else _status_in_text(item.text)
        state = "done" if item.checked else action_state(status)
        if item.checked is False and state is None:
            state = "open"
        if state is None and _reports_done(item.text):
            state = "done"
        yield Action(
            text=item.text,
            line=item.line,
            owners=tuple(owners_in_text(item.text) or owners_in_text(details)),
            deadline=deadline_in_text(searchable, reference=reference),
            status=status,
            state=state,
            done=state in _CLOSED_STATES,
            tracking=tracking_reference(searchable),
            key=_inline_key(searchable),
            group=group,
        )


_DETAIL_LINE = re.compile(
    r"^\W*(?:owners?|assignees?|assigned\s+to|due(?:\s+date)?|deadline|eta|target|status|tracking|"
    r"issue|ticket|bug|jira|link|id|priority|type)\s*:",
    re.IGNORECASE,
)


def _titled_action(block: ListBlock, source: str) -> bool:
    """A numbered item with a bold title of more than two words ("2. **Add integration tests**").

    Its bullets are the details of that action, as under a numbered heading; a title of a word or two
    ("1. **Short term**") or one ending in a colon names a group of actions.
    """
    match = re.fullmatch(r"\s*\d{1,2}[.)]\s+(\*\*|__)(?P<title>[^*_]+?)\1\s*", source)
    if not block.ordered or match is None:
        return False
    title = match["title"].strip()
    if title.endswith(":") or _group_state(title):
        return False
    return len(normalize_title(title).split()) > _GROUP_HEADING_MAX_WORDS


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
