"""The report's data model, computed from checked documents: pure values in, pure values out.

``build_report`` turns the checker's ``FileReport`` list into a ``Report``: one ``Incident`` per
document (unreadable and flawed ones included, with their findings as problems), the timing of each
incident, its categorised contributing factors, the status of each corrective action, recurring
themes and related incidents. Rendering (HTML, JSON) reads only this model.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from pmcheck.engine import FileReport
from pmcheck.finding import Finding, Severity
from pmcheck.learning_report.action_status import DONE, IssueState, action_status
from pmcheck.learning_report.categories import Categoriser
from pmcheck.learning_report.clusters import Cluster, cluster_factors
from pmcheck.learning_report.fields import body_field, header_fields
from pmcheck.learning_report.history import DOCUMENT, Life
from pmcheck.learning_report.impact import start_from_metadata, start_from_summary
from pmcheck.learning_report.labels import UNKNOWN, severity_label, status_label
from pmcheck.learning_report.masking import mask, sensitive_texts
from pmcheck.learning_report.themes import Related, Theme, find_themes, related_incidents
from pmcheck.learning_report.timing import Timing, moment_of, timed_entries, timing
from pmcheck.postmortem import Action, PostMortem, TextRef
from pmcheck.timeline import TimelineEntry
from pmcheck.values import SeverityLevel, severity_level

PolicyDays = Callable[[SeverityLevel | None], int | None]
SEVERITY_KEYS = ("severity", "sev", "priority", "incident severity", "severity level")
# A timestamp may follow a little markup ("**", "[", "- "); what separates it from the text goes too.
_STAMP_SLACK = 4
_STAMP_SEPARATORS = " \t*_])|:,.—–-"


@dataclass(frozen=True)
class TextItem:
    text: str
    line: int


@dataclass(frozen=True)
class Factor:
    text: str
    line: int
    categories: tuple[str, ...]


@dataclass(frozen=True)
class TimelineRow:
    text: str
    line: int
    time: str | None
    phases: tuple[str, ...]
    minutes: int | None
    """Minutes since the incident's first timed entry."""


@dataclass(frozen=True)
class ActionRow:
    text: str
    line: int
    owners: tuple[str, ...]
    deadline: dt.date | None
    deadline_text: str | None
    status: str
    status_source: str
    tracking: str | None
    issue: IssueState | None
    group: str | None
    opened: dt.date | None = None
    closed: dt.date | None = None
    removed: dt.date | None = None
    history_source: str = DOCUMENT
    """Where ``opened`` / ``closed`` come from: git, github or document (the incident date only)."""
    policy_days: int | None = None
    """Days the deadline policy allows for the incident's severity, when it sets any."""


@dataclass(frozen=True)
class Problem:
    """A finding as the report shows it (secrets and personal data already masked)."""

    line: int
    column: int
    severity: str
    rule_id: str
    rule_name: str
    message: str


@dataclass(frozen=True)
class Incident:
    id: str
    path: str
    title: str
    readable: bool
    date: dt.date | None = None
    severity: str = UNKNOWN
    severity_text: str | None = None
    status: str = UNKNOWN
    authors: str | None = None
    summary: tuple[str, ...] = ()
    timing: Timing = field(default_factory=Timing)
    timeline: tuple[TimelineRow, ...] = ()
    proximate_causes: tuple[TextItem, ...] = ()
    root_causes: tuple[TextItem, ...] = ()
    factors: tuple[Factor, ...] = ()
    actions: tuple[ActionRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    categories: tuple[str, ...] = ()
    """The categories of all its factors, in the order the categories are defined."""
    dimensions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Team, service, component... → the values the document (or its folder) names."""

    @property
    def month(self) -> str | None:
        return self.date.strftime("%Y-%m") if self.date else None

    @property
    def worst_problem(self) -> str | None:
        """The highest severity among the document's findings, or None when it has none."""
        ranked = sorted((Severity(problem.severity) for problem in self.problems), key=lambda s: s.rank)
        return ranked[-1].value if ranked else None


@dataclass(frozen=True)
class Classification:
    """How contributing factors were categorised, and the keywords of each category."""

    method: str
    categories: Mapping[str, tuple[str, ...]]
    note: str | None = None


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    incidents: tuple[Incident, ...]
    classification: Classification
    themes: tuple[Theme, ...] = ()
    related: Mapping[str, tuple[Related, ...]] = field(default_factory=dict)
    repo: str | None = None
    notices: tuple[str, ...] = ()
    dimension_names: tuple[str, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    history: str = ""
    """In words: where the actions' opening and closing days came from."""

    def incident(self, incident_id: str) -> Incident:
        return self._by_id[incident_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, Incident]:
        return {incident.id: incident for incident in self.incidents}


def build_report(
    reports: Sequence[FileReport],
    *,
    as_of: dt.date,
    categoriser: Categoriser,
    repo: str | None = None,
    issues: Mapping[int, IssueState] | None = None,
    notices: Sequence[str] = (),
    dimensions: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
    dimension_names: Sequence[str] = (),
    lives: Mapping[str, Sequence[Life]] | None = None,
    policy_days: PolicyDays | None = None,
    history: str = "",
) -> Report:
    """Everything the report shows, from the checker's results.

    ``dimensions`` and ``lives`` are keyed by document path (lives aligned with its actions);
    ``policy_days`` gives the days the deadline policy allows for a severity.
    """
    ordered = sorted(reports, key=lambda report: report.path)
    masks = [_masks(report) for report in ordered]
    factor_texts = [
        [mask(ref.text, secrets) for ref in _factors(report)]
        for report, secrets in zip(ordered, masks, strict=True)
    ]
    flat = categoriser.classify([text for texts in factor_texts for text in texts])
    order = tuple(categoriser.categories)
    position = 0
    incidents = []
    for report, secrets, texts, incident_id in zip(ordered, masks, factor_texts, _ids(ordered), strict=True):
        categories = flat[position : position + len(texts)]
        position += len(texts)
        problems = tuple(_problem(finding, secrets) for finding in report.findings)
        if report.postmortem is None:
            incidents.append(
                Incident(
                    id=incident_id,
                    path=report.path,
                    title=_fallback_title(report.path),
                    readable=False,
                    problems=problems,
                )
            )
            continue
        context = _Context(
            as_of=as_of,
            repo=repo,
            issues=issues,
            secrets=secrets,
            order=order,
            lives=tuple((lives or {}).get(report.path, ())),
            policy_days=policy_days(report.postmortem.severity_level) if policy_days else None,
            dimensions=dict((dimensions or {}).get(report.path, {})),
        )
        incidents.append(
            _incident(
                report.postmortem,
                incident_id,
                problems=problems,
                factor_texts=texts,
                categories=categories,
                context=context,
            )
        )
    incidents.sort(key=_newest_first)
    return Report(
        as_of=as_of,
        incidents=tuple(incidents),
        classification=Classification(categoriser.method, dict(categoriser.categories), categoriser.note),
        themes=tuple(find_themes(incidents)),
        related=related_incidents(incidents),
        repo=repo,
        notices=tuple(notices) + ((categoriser.note,) if categoriser.note else ()),
        dimension_names=tuple(dimension_names),
        clusters=tuple(cluster_factors(incidents, words=categoriser.words)),
        history=history,
    )


@dataclass(frozen=True)
class _Context:
    as_of: dt.date
    repo: str | None
    issues: Mapping[int, IssueState] | None
    secrets: tuple[str, ...]
    order: tuple[str, ...]
    lives: tuple[Life, ...] = ()
    policy_days: int | None = None
    dimensions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _incident(
    postmortem: PostMortem,
    incident_id: str,
    *,
    problems: tuple[Problem, ...],
    factor_texts: list[str],
    categories: list[tuple[str, ...]],
    context: _Context,
) -> Incident:
    secrets = context.secrets
    timed = timed_entries(
        postmortem.timeline, incident_date=postmortem.incident_date, zone=postmortem.timeline_zone
    )
    dated = postmortem.incident_date is not None or any(entry.date for entry in postmortem.timeline)
    times = timing(timed, dated=dated, impact=_impact(postmortem))
    severity_text = postmortem.severity or body_field(postmortem, SEVERITY_KEYS)
    return Incident(
        id=incident_id,
        path=postmortem.path,
        title=mask(_title(postmortem), secrets),
        readable=True,
        date=postmortem.incident_date,
        severity=severity_label(postmortem.severity_level or severity_level(severity_text)),
        severity_text=mask(severity_text, secrets) if severity_text else None,
        status=status_label(postmortem.metadata.get("status")),
        authors=mask(postmortem.metadata["authors"], secrets) if postmortem.metadata.get("authors") else None,
        summary=tuple(mask(text, secrets) for text in _summary(postmortem)),
        timing=times,
        timeline=tuple(
            TimelineRow(
                mask(_without_stamp(item.entry), secrets),
                item.entry.line,
                item.entry.time.text if item.entry.time else None,
                item.phases,
                times.minutes_from_start(item.moment),
            )
            for item in timed
        ),
        proximate_causes=_items(postmortem.proximate_causes, secrets),
        root_causes=_items(postmortem.root_causes, secrets),
        factors=tuple(
            Factor(text, ref.line, found)
            for text, ref, found in zip(
                factor_texts, postmortem.contributing_factors, categories, strict=True
            )
        ),
        actions=tuple(
            _action_row(action, context, life=context.lives[index] if index < len(context.lives) else None)
            for index, action in enumerate(postmortem.actions)
        ),
        problems=problems,
        categories=tuple(name for name in context.order if any(name in found for found in categories)),
        dimensions=context.dimensions,
    )


def _impact(postmortem: PostMortem) -> tuple[dt.datetime, str] | None:
    """When impact began: metadata, else the window the summary or impact section states.

    A timeline entry that marks impact is tried by ``timing`` when none of these says.
    """
    stated = start_from_metadata(header_fields(postmortem))
    source = "metadata"
    if stated is None:
        stated, source = (
            start_from_summary([*_summary(postmortem), *_section_texts(postmortem, "impact")]),
            "summary",
        )
    if stated is None:
        return None
    moment = moment_of(stated, incident_date=postmortem.incident_date, zone=postmortem.timeline_zone)
    return moment, source


def _action_row(action: Action, context: _Context, *, life: Life | None) -> ActionRow:
    status = action_status(action, as_of=context.as_of, repo=context.repo, issues=context.issues)
    deadline = action.deadline
    if life is None:
        life = Life(None)
    return ActionRow(
        text=mask(action.text, context.secrets),
        line=action.line,
        owners=action.owners,
        deadline=deadline.date if deadline else None,
        deadline_text=mask(deadline.text, context.secrets) if deadline else None,
        status=status.status,
        status_source=status.source,
        tracking=action.tracking,
        issue=status.issue,
        group=mask(action.group, context.secrets) if action.group else None,
        opened=life.opened,
        closed=life.closed if status.status == DONE else None,
        removed=life.removed,
        history_source=life.source,
        policy_days=context.policy_days,
    )


def _without_stamp(entry: TimelineEntry) -> str:
    """The entry's text without the timestamp it starts with (the report shows the time apart)."""
    if entry.time is None:
        return entry.text
    index = entry.text.find(entry.time.text)
    if not 0 <= index <= _STAMP_SLACK:
        return entry.text
    rest = entry.text[index + len(entry.time.text) :].lstrip(_STAMP_SEPARATORS)
    return rest or entry.text


def _summary(postmortem: PostMortem) -> list[str]:
    """The summary section's text, else the untitled opening paragraphs under the title."""
    section = postmortem.section("summary")
    if section is not None and not section.is_empty():
        return [unit.text for unit in section.text_units() if unit.text.strip()]
    return [ref.text for ref in postmortem.intro if ref.text.strip()]


def _section_texts(postmortem: PostMortem, kind: str) -> list[str]:
    return [unit.text for section in postmortem.sections_of(kind) for unit in section.text_units()]


def _items(refs: Sequence[TextRef], secrets: tuple[str, ...]) -> tuple[TextItem, ...]:
    return tuple(TextItem(mask(ref.text, secrets), ref.line) for ref in refs if ref.text.strip())


def _problem(finding: Finding, secrets: tuple[str, ...]) -> Problem:
    return Problem(
        finding.line,
        finding.column,
        finding.severity.value,
        finding.rule_id,
        finding.rule_name,
        mask(finding.message, secrets),
    )


def _factors(report: FileReport) -> list[TextRef]:
    return list(report.postmortem.contributing_factors) if report.postmortem else []


def _masks(report: FileReport) -> tuple[str, ...]:
    lines = report.postmortem.document.lines if report.postmortem else []
    return sensitive_texts(report.findings, lines)


def _title(postmortem: PostMortem) -> str:
    """The document's title; its file name when it has none, or when its first heading is a section
    ("## Summary" in a page whose site generator adds the real title)."""
    title = _unquoted(postmortem.title)
    named = postmortem.metadata.get("title")
    sections = (section for found in postmortem.kinds.values() for section in found)
    if title is None or (not named and any(section.title == postmortem.title for section in sections)):
        return _fallback_title(postmortem.path)
    return title


def _unquoted(title: str | None) -> str | None:
    """A title without the quotes around all of it (``"Phishing attack: report"`` from a YAML-ish line)."""
    text = (title or "").strip()
    if len(text) > 2 and (text[0], text[-1]) in (('"', '"'), ("'", "'"), ("\u201c", "\u201d")):
        return text[1:-1].strip() or None
    return text or None


def _fallback_title(path: str) -> str:
    return PurePath(path).stem.replace("-", " ").replace("_", " ").strip() or path


def _ids(reports: Sequence[FileReport]) -> list[str]:
    """A file-name-safe id per document, from its file name; repeated names get -2, -3..."""
    taken: set[str] = set()
    ids = []
    for report in reports:
        base = re.sub(r"[^a-z0-9]+", "-", PurePath(report.path).stem.lower()).strip("-") or "incident"
        candidate, counter = base, 1
        while candidate in taken:
            counter += 1
            candidate = f"{base}-{counter}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _newest_first(incident: Incident) -> tuple[bool, int, str]:
    ordinal = incident.date.toordinal() if incident.date else 0
    return (incident.date is None, -ordinal, incident.path)
