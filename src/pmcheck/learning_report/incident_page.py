"""One page per incident: its problems, summary, key times, timeline, causes, factors and actions."""

from __future__ import annotations

import datetime as dt

from pmcheck import __version__
from pmcheck.learning_report.html import UNKNOWN_MARK, badge, duration_html, esc, paragraphs, template
from pmcheck.learning_report.model import ActionRow, Incident, Report, TextItem
from pmcheck.learning_report.phases import DESCRIPTIONS
from pmcheck.learning_report.timing import IMPACT_CLOCK

PHASE_NAMES = {"impact": "impact began", "detect": "detected", "mitigate": "mitigated", "resolve": "resolved"}
NOT_STATED = "Not stated in the document."
HISTORY_SOURCES = {"git": "git history", "github": "tracking issue", "document": "incident date"}
NO_SUMMARY = "No summary: the document has neither a summary section nor an opening paragraph."


def render_incident(incident: Incident, report: Report) -> str:
    sections = (
        []
        if not incident.readable
        else [
            _section("summary", "Summary", body=paragraphs(incident.summary, NO_SUMMARY)),
            _section("times", "Key times", body=_times(incident)),
            _section("timeline", "Timeline", body=_timeline(incident)),
            _section("causes", "Causes", body=_causes(incident)),
            _section("factors", "Contributing factors", body=_factors(incident)),
            _section("actions", "Corrective actions", body=_actions(incident, report.as_of)),
        ]
    )
    related = _related(incident, report)
    if related:
        sections.append(_section("related", "Related incidents", body=related))
    return template("incident.html").substitute(
        version=esc(__version__),
        title=esc(incident.title),
        meta=_meta(incident),
        problems=_problems(incident),
        sections="\n".join(sections),
        path=esc(incident.path),
        as_of=esc(report.as_of.isoformat()),
    )


def _section(key: str, heading: str, *, body: str, css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return (
        f'<section{attribute} aria-labelledby="{key}-heading"><h2 id="{key}-heading">{esc(heading)}</h2>'
        f"{body}</section>"
    )


def _table(key: str, caption: str, *, headers: tuple[str, ...], rows: list[str]) -> str:
    head = "".join(f'<th scope="col">{esc(header)}</th>' for header in headers)
    return (
        f'<div class="table-wrap" role="region" aria-labelledby="{key}-caption" tabindex="0">'
        f'<table class="{key}"><caption id="{key}-caption">{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _meta(incident: Incident) -> str:
    severity = incident.severity
    if incident.severity_text and incident.severity_text != severity:
        severity += f" (written “{incident.severity_text}”)"
    items = [
        ("Date", incident.date.isoformat() if incident.date else "not stated"),
        ("Severity", severity),
        ("Status", incident.status),
        ("Authors", incident.authors or "not stated"),
    ]
    cells = "".join(f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>" for label, value in items)
    return f'<dl class="meta">{cells}</dl>'


def _problems(incident: Incident) -> str:
    if not incident.problems:
        return _section(
            "problems",
            "Problems",
            body="<p>pmcheck found no problems in this document.</p>",
            css="problems clean",
        )
    intro = (
        "<p>This document could not be read, so only its problems are shown.</p>"
        if not incident.readable
        else ""
    )
    items = "".join(
        f"<li>Line {problem.line}: {badge(problem.severity, problem.severity)} {esc(problem.message)} "
        f'<span class="muted">({esc(problem.rule_id)} {esc(problem.rule_name)})</span></li>'
        for problem in incident.problems
    )
    return _section(
        "problems",
        f"Problems pmcheck found ({len(incident.problems)})",
        body=f"{intro}<ul>{items}</ul>",
        css="problems",
    )


def _times(incident: Incident) -> str:
    timing = incident.timing
    if timing.start is None:
        return '<p class="muted">The timeline has no times, so none can be computed.</p>'
    # As written in the document: the computed moment is in UTC when the timeline names a zone.
    start = next((row.time for row in incident.timeline if row.minutes is not None and row.time), "")
    impact = (
        f"{timing.impact_start.strftime('%H:%M')} (from the {timing.impact_source})"
        if timing.impact_start is not None and timing.impact_source
        else None
    )
    items = [
        ("First entry", esc(start)),
        ("Impact began", esc(impact) if impact else UNKNOWN_MARK),
        ("Time to detect", duration_html(timing.to_detect)),
        ("Time to mitigate", duration_html(timing.to_mitigate)),
        ("Time to resolve", duration_html(timing.to_resolve)),
        ("Duration (first to last entry)", duration_html(timing.duration)),
    ]
    cells = "".join(f"<div><dt>{esc(label)}</dt><dd>{value}</dd></div>" for label, value in items)
    words = "; ".join(
        f"{PHASE_NAMES[phase]} ({keywords})" for phase, keywords in DESCRIPTIONS.items() if phase != "impact"
    )
    clock = (
        "Time to detect, mitigate and resolve run from when impact began"
        if timing.clock == IMPACT_CLOCK
        else "No entry, field or summary says when impact began, so there is no time to detect; times "
        "to mitigate and resolve run from the first timed entry"
    )
    return (
        f'<dl class="times">{cells}</dl><p class="muted">{esc(clock)} to the first entry that says the '
        f"incident was {esc(words)}. Impact began: a field such as <code>started:</code>, an entry that "
        f"says so ({esc(DESCRIPTIONS['impact'])}), or a window in the summary or impact section "
        "(\u201cbetween 14:02 and 14:40\u201d). "
        "Times with a zone are compared in UTC.</p>"
    )


def _timeline(incident: Incident) -> str:
    if not incident.timeline:
        return f'<p class="muted">{NOT_STATED}</p>'
    rows = []
    for row in incident.timeline:
        since = f"+{row.minutes} min" if row.minutes is not None else ""
        marks = "".join(f'<span class="phase">{esc(PHASE_NAMES[phase])}</span>' for phase in row.phases)
        rows.append(
            f"<tr><td>{esc(row.time) if row.time else UNKNOWN_MARK}</td><td>{esc(since)}</td>"
            f"<td>{esc(row.text)}</td><td>{marks}</td></tr>"
        )
    return _table(
        "timeline",
        "Timeline entries in document order",
        headers=("Time", "Since start", "What happened", "Marks"),
        rows=rows,
    )


def _causes(incident: Incident) -> str:
    return (
        f"<h3>Trigger</h3>{_items(incident.proximate_causes)}"
        f"<h3>Root cause</h3>{_items(incident.root_causes)}"
    )


def _items(items: tuple[TextItem, ...]) -> str:
    if not items:
        return f'<p class="muted">{NOT_STATED}</p>'
    return "<ul>" + "".join(f"<li>{esc(item.text)}</li>" for item in items) + "</ul>"


def _factors(incident: Incident) -> str:
    if not incident.factors:
        return f'<p class="muted">{NOT_STATED}</p>'
    items = []
    for factor in incident.factors:
        tags = "".join(
            f'<li><a href="../index.html#category={esc(category)}">{esc(category)}</a></li>'
            for category in factor.categories
        )
        tag_list = (
            f'<ul class="tags" aria-label="Categories">{tags}</ul>'
            if tags
            else '<span class="muted"> (no category)</span>'
        )
        items.append(f"<li>{esc(factor.text)} {tag_list}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _actions(incident: Incident, as_of: dt.date) -> str:
    if not incident.actions:
        return f'<p class="muted">{NOT_STATED}</p>'
    return _table(
        "actions",
        f"Status on {as_of.isoformat()}",
        headers=("Action", "Owner", "Deadline", "Status", "Opened / closed", "Tracking"),
        rows=[_action_row(action) for action in incident.actions],
    )


def _action_row(action: ActionRow) -> str:
    deadline = action.deadline.isoformat() if action.deadline else action.deadline_text
    source = " (from GitHub)" if action.status_source == "github" else ""
    return (
        f"<tr><td>{esc(action.text)}</td><td>{esc(', '.join(action.owners)) or UNKNOWN_MARK}</td>"
        f"<td>{esc(deadline) if deadline else UNKNOWN_MARK}</td>"
        f"<td>{badge(action.status, action.status)}{esc(source)}</td><td>{esc(_life(action))}</td>"
        f"<td>{_tracking(action)}</td></tr>"
    )


def _life(action: ActionRow) -> str:
    """When the action appeared and was closed, and where those days come from."""
    opened = action.opened.isoformat() if action.opened else "?"
    closed = action.closed.isoformat() if action.closed else ("?" if action.status == "done" else "")
    span = f"{opened} → {closed}" if closed else opened
    return f"{span} ({HISTORY_SOURCES.get(action.history_source, action.history_source)})"


def _tracking(action: ActionRow) -> str:
    if not action.tracking:
        return ""
    url = action.issue.url if action.issue and action.issue.url else None
    if url is None and action.tracking.startswith(("https://", "http://")):
        url = action.tracking
    label = esc(action.tracking) + (f" ({esc(action.issue.state)})" if action.issue else "")
    return f'<a href="{esc(url)}">{label}</a>' if url else label


def _related(incident: Incident, report: Report) -> str:
    related = report.related.get(incident.id, ())
    if not related:
        return ""
    items = []
    for item in related:
        other = report.incident(item.id)
        date = other.date.isoformat() if other.date else "undated"
        items.append(
            f'<li><a href="{esc(other.id)}.html">{esc(other.title)}</a> <span class="muted">{date}; '
            f"also {esc(', '.join(item.shared))}</span></li>"
        )
    return (
        "<p>Incidents whose contributing factors fall in the same categories.</p><ul>"
        + "".join(items)
        + "</ul>"
    )
