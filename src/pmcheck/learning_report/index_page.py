"""The report's front page: headline numbers, charts, the incident table and recurring themes."""

from __future__ import annotations

from pmcheck import __version__
from pmcheck.learning_report.distributions_html import distributions_html
from pmcheck.learning_report.html import asset, badge, duration_html, duration_text, esc, plural, template
from pmcheck.learning_report.labels import severity_sort_key
from pmcheck.learning_report.model import Incident, Report
from pmcheck.learning_report.panels import (
    breakdown_html,
    clocks_html,
    clusters_html,
    overdue_html,
    quality_html,
)
from pmcheck.learning_report.series import action_totals, median_minutes
from pmcheck.learning_report.splits import split_keys
from pmcheck.learning_report.trends_html import trends_html

THEME_LISTED = 8
# (key, heading, sort type, numeric column)
COLUMNS = (
    ("date", "Date", "text", False),
    ("title", "Incident", "text", False),
    ("severity", "Severity", "number", False),
    ("status", "Status", "text", False),
    ("duration", "Duration", "number", True),
    ("detect", "Time to detect", "number", True),
    ("mitigate", "Time to mitigate", "number", True),
    ("resolve", "Time to resolve", "number", True),
    ("findings", "Findings", "number", True),
)


def render_index(report: Report) -> str:
    incidents = report.incidents
    dated = [incident.date for incident in incidents if incident.date]
    span = f" from {min(dated).isoformat()} to {max(dated).isoformat()}" if dated else ""
    lede = (
        f"What {plural(len(incidents), 'post-mortem')}{span} teach: when incidents happen, how fast they "
        "are detected and resolved, which contributing factors keep coming back, and whether "
        "corrective actions get done."
    )
    return template("index.html").substitute(
        version=esc(__version__),
        heading="Learning from incidents",
        as_of=esc(report.as_of.isoformat()),
        lede=esc(lede),
        stats=_stats(report),
        notices=_notices(report),
        trends=trends_html(report),
        charts=distributions_html(report),
        clocks=clocks_html(report),
        overdue=overdue_html(report),
        clusters=clusters_html(report),
        quality=quality_html(report),
        dimension_filters=_dimension_filters(report),
        severity_options=_options(sorted({i.severity for i in incidents}, key=severity_sort_key)),
        status_options=_options(sorted({i.status for i in incidents})),
        category_options=_options(
            [
                name
                for name in report.classification.categories
                if any(name in i.categories for i in incidents)
            ]
        ),
        caption=esc(
            f"{plural(len(incidents), 'incident')}, newest first. Select a column heading to sort; "
            "times come from each document's timeline."
        ),
        header="\n".join(
            _header_cell(key, label, kind=kind, numeric=numeric) for key, label, kind, numeric in COLUMNS
        ),
        rows="\n".join(_row(incident) for incident in incidents),
        themes=_themes(report),
        documents=esc(plural(len(incidents), "document")),
        method=esc(f"Contributing factors categorised by {report.classification.method}."),
        script=asset("report.js"),
    )


def _stats(report: Report) -> str:
    incidents = report.incidents
    totals = action_totals(incidents)
    with_problems = sum(1 for incident in incidents if incident.problems)
    unreadable = sum(1 for incident in incidents if not incident.readable)
    problem_text = str(with_problems) + (f", {unreadable} unreadable" if unreadable else "")
    items = [
        ("Incidents", str(len(incidents))),
        ("Documents with problems", problem_text),
        ("Median time to detect", duration_text(median_minutes(incidents, "to_detect")) or "—"),
        ("Median time to resolve", duration_text(median_minutes(incidents, "to_resolve")) or "—"),
        ("Actions done", str(totals["done"])),
        ("Actions open", str(totals["open"])),
        ("Actions overdue", str(totals["overdue"])),
    ]
    cells = "".join(f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>" for label, value in items)
    return f'<dl class="stats">{cells}</dl>'


def _notices(report: Report) -> str:
    notes = list(report.notices)
    undated = sum(1 for incident in report.incidents if incident.date is None)
    if undated:
        notes.append(
            f"{plural(undated, 'document')} state no incident date, so the monthly charts leave "
            f"{'it' if undated == 1 else 'them'} out."
        )
    if not notes:
        return ""
    return '<div class="notices" role="note">' + "".join(f"<p>{esc(note)}</p>" for note in notes) + "</div>"


def _dimensions_in_use(report: Report) -> list[tuple[str, list[str]]]:
    found = []
    for name in report.dimension_names:
        values = sorted(
            {value for incident in report.incidents for value in incident.dimensions.get(name, ())}
        )
        if values:
            found.append((name, values))
    return found


def _dimension_filters(report: Report) -> str:
    return "".join(
        f'<div class="field"><label for="filter-{esc(name)}">{esc(name.capitalize())}</label>'
        f'<select id="filter-{esc(name)}" name="dim-{esc(name)}" data-dimension="{esc(name)}">'
        f'<option value="">All</option>{_options(values)}</select></div>'
        for name, values in _dimensions_in_use(report)
    )


def _options(values: list[str]) -> str:
    return "".join(f'<option value="{esc(value)}">{esc(value)}</option>' for value in values)


def _header_cell(key: str, label: str, *, kind: str, numeric: bool) -> str:
    sort = ' aria-sort="descending"' if key == "date" else ""
    css = ' class="num"' if numeric else ""
    return (
        f'<th scope="col" data-key="{key}" data-type="{kind}"{sort}{css}><button type="button">'
        f'{esc(label)}<span class="arrow" aria-hidden="true"></span></button></th>'
    )


def _row(incident: Incident) -> str:
    worst = incident.worst_problem or "none"
    search = " ".join(
        [
            incident.title,
            incident.path,
            incident.severity,
            incident.status,
            *incident.categories,
            *(value for values in incident.dimensions.values() for value in values),
        ]
    )
    group, level, _label = severity_sort_key(incident.severity)
    timing = incident.timing
    cells = [
        f'<td data-sort="{esc(incident.date.isoformat() if incident.date else "")}">'
        f"{esc(incident.date.isoformat()) if incident.date else 'undated'}</td>",
        f'<th scope="row"><a href="incidents/{esc(incident.id)}.html">{esc(incident.title)}</a>'
        f'<span class="path">{esc(incident.path)}</span>{_categories(incident)}</th>',
        f'<td data-sort="{group * 100 + level}"><span class="sev">{esc(incident.severity)}</span></td>',
        f"<td>{esc(incident.status)}</td>",
        *(
            _minutes_cell(value)
            for value in (timing.duration, timing.to_detect, timing.to_mitigate, timing.to_resolve)
        ),
        f'<td class="num" data-sort="{len(incident.problems)}">{_findings(incident)}</td>',
    ]
    dimensions = "".join(
        f' data-dim-{esc(name)}="{esc("|".join(values))}"' for name, values in incident.dimensions.items()
    )
    return (
        f'<tr data-severity="{esc(incident.severity)}" data-status="{esc(incident.status)}"{dimensions} '
        f'data-categories="{esc(" ".join(incident.categories))}" data-problems="{worst}" '
        f'data-search="{esc(search.lower())}">'
        + "".join(_labelled(cell, column[1]) for cell, column in zip(cells, COLUMNS, strict=True))
        + "</tr>"
    )


def _labelled(cell: str, label: str) -> str:
    """A data cell that names its column, for the one-card-per-incident layout on narrow screens."""
    return cell.replace("<td", f'<td data-label="{esc(label)}"', 1) if cell.startswith("<td") else cell


def _categories(incident: Incident) -> str:
    dimensions = [
        f'<li><span class="dim">{esc(name)}: {esc(value)}</span></li>'
        for name, values in incident.dimensions.items()
        for value in values
    ]
    if not incident.categories and not dimensions:
        return ""
    tags = "".join(f"<li><span>{esc(category)}</span></li>" for category in incident.categories)
    return (
        f'<ul class="tags" aria-label="Team, service and factor categories">{"".join(dimensions)}{tags}</ul>'
    )


def _minutes_cell(minutes: int | None) -> str:
    sort = "" if minutes is None else str(minutes)
    return f'<td class="num" data-sort="{sort}">{duration_html(minutes)}</td>'


def _findings(incident: Incident) -> str:
    if not incident.readable:
        return badge("unreadable", "error")
    if not incident.problems:
        return badge("0", "none")
    return badge(str(len(incident.problems)), incident.worst_problem or "info")


def _themes(report: Report) -> str:
    if not report.themes:
        return '<p class="muted">No contributing-factor category is shared by two incidents yet.</p>'
    blocks = []
    keys = split_keys(report)[1:]
    for theme in report.themes:
        listed = theme.incidents[:THEME_LISTED]
        items = "".join(_theme_item(report.incident(incident_id)) for incident_id in listed)
        together = ", ".join(f"{name} ({count})" for name, count in theme.together[:4])
        more = len(theme.incidents) - len(listed)
        link_text = f"Show all {len(theme.incidents)} in the table" if more else "Show them in the table"
        blocks.append(
            f'<article class="theme"><h3>{esc(theme.category)}</h3>'
            f"<p>{esc(plural(len(theme.incidents), 'incident'))}, "
            f"{esc(plural(theme.factors, 'contributing factor'))}.</p>"
            + (f'<p class="together">Often together with: {esc(together)}</p>' if together else "")
            + f"<ul>{items}</ul>"
            + breakdown_html(report, theme.incidents, keys=keys)
            + f'<p><a href="#category={esc(theme.category)}">{esc(link_text)}</a></p></article>'
        )
    return '<div class="themes">' + "".join(blocks) + "</div>"


def _theme_item(incident: Incident) -> str:
    date = incident.date.isoformat() if incident.date else "undated"
    return (
        f'<li><a href="incidents/{esc(incident.id)}.html">{esc(incident.title)}</a> '
        f'<span class="muted">{date}</span></li>'
    )
