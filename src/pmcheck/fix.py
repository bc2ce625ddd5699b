"""What ``pmcheck fix`` adds: the parts a post-mortem lacks that need no judgement to add.

Fixes answer findings of the rules in force and only ever insert lines, so everything the author
wrote stays, in order. Each kind of finding has one fixer:

- required-sections, actions-present, cause-present, contributing-factors: the missing section (or
  trigger line) with a one-line TODO prompt, which the placeholder rule reports until the author
  replaces it, placed by the section order (the ``section-order`` rule's, completed with the usual
  places of the other kinds);
- metadata-required: the missing field where the document keeps its metadata ("**Key:** value"
  lines, a key/value table, or front matter, added when there is none); in front matter the value is
  left empty with a comment, so ``metadata-required`` keeps asking for it;
- timeline-timezone: "All times UTC." under the timeline heading, when the document names exactly
  one time zone elsewhere.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass

import yaml

from pmcheck.engine import RuleSet, check_text
from pmcheck.finding import Finding
from pmcheck.model import Document, Section, normalize_title
from pmcheck.postmortem import METADATA_KEYS, PostMortem
from pmcheck.read import split_lines
from pmcheck.rule import Rule
from pmcheck.timeparse import TIME_PATTERN, stated_zone, zone_offset
from pmcheck.yamlfile import load_front_matter


@dataclass(frozen=True)
class Insertion:
    """Lines to put before source line index ``before`` (0-based; the line count means the end)."""

    before: int
    lines: tuple[str, ...]
    block: bool = True  # a block of its own, set off by blank lines; False joins the block it touches
    rank: int = 0


@dataclass(frozen=True)
class Fix:
    """One change, described for people, and the rule whose finding it answers."""

    rule_id: str
    description: str
    insertions: tuple[Insertion, ...]


@dataclass(frozen=True)
class FixResult:
    """The new text and the fixes made to get it (none: the text is unchanged)."""

    text: str
    fixes: tuple[Fix, ...]


@dataclass(frozen=True)
class _NewSection:
    """A section to add, placed only once every fixer has spoken (two may ask for the same one)."""

    kind: str
    body: tuple[str, ...]
    rule_id: str


Change = Fix | _NewSection
Fixer = Callable[[PostMortem, Rule], Iterator[Change]]

# Where sections usually sit, for the kinds the section-order rule leaves out.
USUAL_ORDER = [
    "metadata",
    "summary",
    "impact",
    "timeline",
    "detection",
    "trigger",
    "root-cause",
    "contributing-factors",
    "resolution",
    "actions",
    "lessons",
]
PROMPTS = {
    "summary": "TODO: two or three sentences: what happened, how long it lasted, whom it affected.",
    "impact": "TODO: who and what was affected, for how long, and how much.",
    "timeline": "TODO: one line per event, each starting with its time.",
    "detection": "TODO: how the problem was noticed, and how the system could have noticed it sooner.",
    "trigger": "TODO: the immediate event that started the incident.",
    "root-cause": "TODO: the weakness of the system that let the trigger cause harm.",
    "contributing-factors": "- TODO: a process gap, tooling limit, unclear ownership or missing safeguard.",
    "resolution": "TODO: what stopped the impact and what restored service.",
    "actions": "- [ ] TODO: a specific change to the system (Owner: TODO, due TODO)",
    "lessons": "- TODO: what went well, what went wrong, where we got lucky.",
}
FIELD_PROMPTS = {
    "date": "the incident date, e.g. 2026-03-02",
    "severity": "SEV1 (most severe) to SEV4",
    "status": "draft, in review or final",
    "authors": 'who wrote this, e.g. ["@alice", "@bob"]',
    "title": "the incident's title",
}
_KEY_LINE = re.compile(
    r"^(?P<lead>\s*(?:[-*+]\s+)?)(?P<open>\*\*|__)?(?P<key>[A-Za-z][A-Za-z ]{0,24}?)"
    r"(?P<sep>(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(?P<value>\S.*?)(?P<end>\s*\\?)$"
)
_TABLE_DELIMITER = re.compile(r"^\s*(?:\|\s*)?:?-{3,}")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def fix_text(text: str, *, path: str, ruleset: RuleSet) -> FixResult:
    """Check ``text`` with the fixable rules in force and add what their findings say is missing.

    Only fixes that take are made: a fix that a second run would make again (an unclosed HTML comment
    swallowed it, or the text reads as something else) is left out, so a second run changes nothing.
    """
    skip: set[str] = set()
    for _attempt in range(3):
        result = _fix_once(text, path=path, ruleset=ruleset, skip=skip)
        again = _fix_once(result.text, path=path, ruleset=ruleset) if result.fixes else result
        if not again.fixes:
            return result
        skip |= {fix.description for fix in again.fixes}
    return FixResult(text, ())


def _fix_once(text: str, *, path: str, ruleset: RuleSet, skip: Set[str] = frozenset()) -> FixResult:
    fixable = dataclasses.replace(ruleset, rules=[rule for rule in ruleset.rules if rule.kind.name in FIXERS])
    report = check_text(text, path, fixable)
    if report.postmortem is None or not report.findings:
        return FixResult(text, ())
    order = section_order(ruleset.all_rules)
    fixes = [
        fix
        for fix in plan(report.postmortem, report.findings, rules=fixable.rules, order=order)
        if fix.description not in skip
    ]
    return FixResult(apply(text, [insertion for fix in fixes for insertion in fix.insertions]), tuple(fixes))


def section_order(rules: Sequence[Rule]) -> list[str]:
    """The section-order rule's order, with the other usual kinds slotted in after their predecessors."""
    order = list(next((rule.options.order for rule in rules if rule.kind.name == "section-order"), []))
    for index, kind in enumerate(USUAL_ORDER):
        if kind not in order:
            before = [order.index(earlier) for earlier in USUAL_ORDER[:index] if earlier in order]
            order.insert(max(before) + 1 if before else 0, kind)
    return order


def plan(
    postmortem: PostMortem, findings: Sequence[Finding], *, rules: Sequence[Rule], order: Sequence[str]
) -> list[Fix]:
    """The fixes for these findings: insertions only, in document order."""
    fired = {finding.rule_id for finding in findings}
    changes = [
        change
        for rule in rules
        if rule.id in fired and rule.kind.name in FIXERS
        for change in FIXERS[rule.kind.name](postmortem, rule)
    ]
    fixes = [change for change in changes if isinstance(change, Fix)]
    new_sections: dict[str, _NewSection] = {}
    for change in changes:
        if isinstance(change, _NewSection):
            # Two rules may ask for the same section (required-sections and actions-present): add it once.
            known = new_sections.setdefault(change.kind, change)
            extra = tuple(line for line in change.body if line not in known.body)
            if extra:
                new_sections[change.kind] = dataclasses.replace(known, body=(*known.body, "", *extra))
    if "trigger" in new_sections and "root-cause" in new_sections:
        # One new root-cause section holds the trigger as a labelled line, as the templates do.
        trigger = new_sections.pop("trigger")
        root = new_sections["root-cause"]
        body = (f"**Trigger:** {trigger.body[0]}", "", *root.body)
        new_sections["root-cause"] = dataclasses.replace(root, body=body)
    layout = _Layout(postmortem, order)
    fixes.extend(layout.place(section) for section in new_sections.values())
    return sorted((fix for fix in fixes if fix.insertions), key=lambda fix: fix.insertions[0].before)


def apply(text: str, insertions: Sequence[Insertion]) -> str:
    """``text`` with the insertions made; every original line is kept as it was."""
    lines = split_lines(text, keepends=True)
    places: dict[int, list[Insertion]] = {}
    for insertion in insertions:
        places.setdefault(insertion.before, []).append(insertion)
    out: list[str] = []
    wants_gap = False
    for index in range(len(lines) + 1):
        for insertion in sorted(places.get(index, []), key=lambda item: item.rank):
            if out and not out[-1].endswith(("\n", "\r")):
                out[-1] += "\n"
            if insertion.block and out and out[-1].strip():
                out.append("\n")
            out.extend(f"{line}\n" for line in insertion.lines)
            wants_gap = insertion.block
        if index < len(lines):
            if wants_gap and lines[index].strip():
                out.append("\n")
            wants_gap = False
            out.append(lines[index])
    return "".join(out)


# Sections ---------------------------------------------------------------------------------------


def _missing_sections(postmortem: PostMortem, rule: Rule) -> Iterator[Change]:
    options = rule.options
    for kind in options.sections:
        if kind in options.intro_counts_as and postmortem.intro:
            continue
        if not postmortem.sections_of(kind):
            yield _NewSection(kind, (PROMPTS.get(kind, "TODO: write this section."),), rule.id)


def _missing_actions(postmortem: PostMortem, rule: Rule) -> Iterator[Change]:
    # A section that exists but lists nothing needs its author, not a second heading.
    if not postmortem.sections_of("actions"):
        yield _NewSection("actions", (PROMPTS["actions"],), rule.id)


def _missing_cause(postmortem: PostMortem, rule: Rule) -> Iterator[Change]:
    if rule.options.cause == "root":
        if not postmortem.sections_of("root-cause"):
            yield _NewSection("root-cause", (PROMPTS["root-cause"],), rule.id)
        return
    if postmortem.sections_of("trigger"):
        return
    root = postmortem.section("root-cause")
    if root is None:
        yield _NewSection("trigger", (PROMPTS["trigger"],), rule.id)
        return
    line = f"**Trigger:** {PROMPTS['trigger']}"
    insertion = Insertion(_below_heading(postmortem.document, root), (line,))
    yield Fix(rule.id, f'add a "**Trigger:**" line under "{root.title}"', (insertion,))


def _missing_factors(postmortem: PostMortem, rule: Rule) -> Iterator[Change]:
    # An existing section, or factors listed under the root cause, need their author.
    if not postmortem.sections_of("contributing-factors"):
        yield _NewSection("contributing-factors", (PROMPTS["contributing-factors"],), rule.id)


@dataclass
class _Layout:
    """Where a new section goes among the document's sections of the body's heading level."""

    postmortem: PostMortem
    order: Sequence[str]

    def __post_init__(self) -> None:
        document = self.postmortem.document
        sections = document.sections
        if sections and sections[0].level == 1 and sum(1 for s in sections if s.level == 1) == 1:
            sections = sections[1:]  # the document's title
        catalog = self.postmortem.catalog
        levels = [s.level for s in sections if catalog.kinds_of(s.title)] or [s.level for s in sections]
        self.level = min(levels) if levels else 2
        self.ranks = {kind: index for index, kind in enumerate(self.order)}
        self.siblings = [(self._rank(s), s) for s in sections if s.level == self.level]

    def _rank(self, section: Section) -> int | None:
        kinds = self.postmortem.catalog.kinds_of(section.title)
        ranks = [self.ranks[kind] for kind in kinds if kind in self.ranks]
        return min(ranks) if ranks else None

    def place(self, new: _NewSection) -> Fix:
        aliases = self.postmortem.catalog.aliases.get(new.kind)
        if not aliases:
            return Fix(new.rule_id, f"no heading is known for {new.kind}", ())
        title = aliases[0][:1].upper() + aliases[0][1:]
        rank = self.ranks.get(new.kind, len(self.ranks))
        lines = (f"{'#' * self.level} {title}", "", *new.body)
        insertion = Insertion(self._position(rank), lines, rank=rank)
        return Fix(new.rule_id, f'add "{lines[0]}"', (insertion,))

    def _position(self, rank: int) -> int:
        document = self.postmortem.document
        earlier = [section for known, section in self.siblings if known is not None and known < rank]
        if earlier:
            return _last_content_line(document, earlier[-1].line, earlier[-1].end_line)
        later = [section for known, section in self.siblings if known is not None and known > rank]
        if later:
            return later[0].line - 1
        return _last_content_line(document, 1, len(document.lines))


def _below_heading(document: Document, section: Section) -> int:
    """The index of the first line under a heading: past the underline of a setext heading."""
    lines = document.lines
    underlined = not lines[section.line - 1].lstrip().startswith("#") and section.line < len(lines)
    return section.line + 1 if underlined and _SETEXT_UNDERLINE.match(lines[section.line]) else section.line


def _last_content_line(document: Document, start: int, end: int) -> int:
    """The number of the last non-blank line from ``start`` to ``end``: insert after it."""
    for number in range(min(end, len(document.lines)), start - 1, -1):
        if document.lines[number - 1].strip():
            return number
    return start


# Metadata ---------------------------------------------------------------------------------------


def _missing_metadata(postmortem: PostMortem, rule: Rule) -> Iterator[Change]:
    document = postmortem.document
    keys = [normalize_title(key) for key in document.front_matter or {}]
    present = {METADATA_KEYS.get(key, key) for key in keys}
    missing = [
        name
        for name in rule.options.fields
        if not postmortem.metadata.get(name, "").strip()
        and name not in present
        and not (name == "title" and postmortem.title)
    ]
    if not missing or document.front_matter_error:
        return
    fields = ", ".join(missing)
    body = _body_metadata(postmortem, missing)
    if body is not None:
        yield Fix(rule.id, f"add {fields} beside the other metadata lines", (body,))
        return
    front = _front_matter(document, missing)
    if front is not None:
        where = "the front matter" if document.front_matter is not None else "new front matter at the top"
        yield Fix(rule.id, f"add {fields} to {where}", (front,))


def _body_metadata(postmortem: PostMortem, missing: list[str]) -> Insertion | None:
    """Missing fields as lines in the style of the last "Key: value" line or key/value table row."""
    document = postmortem.document
    body_lines = [n for n in postmortem.metadata_lines.values() if n > document.front_matter_end_line]
    if not body_lines:
        return None
    last = max(body_lines)
    source = document.lines[last - 1]
    if source.lstrip().startswith("|"):
        return _table_rows(document, last, missing)
    match = _KEY_LINE.match(source)
    if match is None:
        return None
    before_line = document.lines[last - 2] if last > 1 else ""
    previous = _KEY_LINE.match(before_line)
    end, position = match["end"], last
    if previous and previous["end"] and not match["end"]:
        # Hard line breaks end every line but the paragraph's last: go in before that one.
        end, position = previous["end"], last - 1
    capital = match["key"][:1].isupper()
    lines = tuple(
        f"{match['lead']}{match['open'] or ''}{name.capitalize() if capital else name}{match['sep']}TODO{end}"
        for name in missing
    )
    return Insertion(position, lines, block=False)


def _table_rows(document: Document, last: int, missing: list[str]) -> Insertion | None:
    cells = document.lines[last - 1].strip().strip("|").split("|")
    # Only a table of key/value rows takes new rows; a table whose header holds the keys does not.
    if len(cells) != 2 or normalize_title(cells[0]) not in METADATA_KEYS:
        return None
    # A key/value table may have its first pair as the header; the new rows go below the delimiter.
    header = last < len(document.lines) and _TABLE_DELIMITER.match(document.lines[last])
    position = last + 1 if header else last
    return Insertion(position, tuple(f"| {name.capitalize()} | TODO |" for name in missing), block=False)


def _front_matter(document: Document, missing: list[str]) -> Insertion | None:
    """Missing fields as empty front-matter keys with a prompt, in the block there is or a new one."""
    lines = tuple(f"{name}:  # TODO: {FIELD_PROMPTS.get(name, 'fill in')}" for name in missing)
    if document.front_matter is None:
        return Insertion(0, ("---", *lines, "---"))
    end = document.front_matter_end_line
    block = "\n".join([*document.lines[1 : end - 1], *lines])
    try:
        parsed = load_front_matter(block)
    except yaml.YAMLError:
        return None
    # The block must keep every value it had, or the insertion would change what the author wrote.
    kept = isinstance(parsed, dict) and all(parsed.get(k) == v for k, v in document.front_matter.items())
    if not kept:
        return None
    return Insertion(end - 1, lines, block=False)


# Timeline ---------------------------------------------------------------------------------------


def _timeline_zone(postmortem: PostMortem, rule: Rule) -> Iterator[Change]:
    section = postmortem.section("timeline")
    if section is None or postmortem.timeline_zone:
        return
    zones = named_zones(postmortem)
    if len(zones) != 1:
        return
    zone = zones.pop()
    # An offset is written without its colon: "All times in +01:00." would read as a timeline entry at 01:00.
    wordings = (f"All times {zone}.", f"All times in {zone.replace(':', '')}.")
    statement = next((text for text in wordings if _same_zone(stated_zone(text), zone)), None)
    if statement is not None:
        insertion = Insertion(_below_heading(postmortem.document, section), (statement,))
        yield Fix(rule.id, f'state the timeline\'s time zone ("{statement}")', (insertion,))


def named_zones(postmortem: PostMortem) -> set[str]:
    """Every time zone the document names: on times, in statements, in a ``timezone`` field."""
    document = postmortem.document
    texts = [section.title for section in document.sections]
    texts.extend(unit.text for unit in document.text_units())
    on_times = (match["zone"] for text in texts for match in TIME_PATTERN.finditer(text))
    zones = {_canonical_zone(zone) for zone in on_times if zone}
    zones.update(_canonical_zone(zone) for zone in map(stated_zone, texts) if zone)
    field = postmortem.metadata.get("timezone", "").strip()
    if field and zone_offset(field) is not None:
        zones.add(_canonical_zone(field))
    return zones


def _canonical_zone(zone: str) -> str:
    upper = zone.upper()
    if upper == "Z":
        return "UTC"
    numeric = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", upper)
    return f"{numeric[1]}{numeric[2]}:{numeric[3]}" if numeric else upper


def _same_zone(found: str | None, zone: str) -> bool:
    return found is not None and _canonical_zone(found) == zone


FIXERS: dict[str, Fixer] = {
    "required-sections": _missing_sections,
    "actions-present": _missing_actions,
    "cause-present": _missing_cause,
    "contributing-factors": _missing_factors,
    "metadata-required": _missing_metadata,
    "timeline-timezone": _timeline_zone,
}
