"""The Trends section: incidents per period, the action burn-down, and the times to detect, mitigate
and resolve per period, each split by severity or by a dimension (team, service...) chosen on the page.

A dimension's most frequent values are drawn on their own and the rest grouped as "other"; incidents
that name none are "unknown". The overall burn-down and the times by severity are always shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pmcheck.report.charts import Column, Series, empty_chart, stacked_columns
from pmcheck.report.html import duration_text, esc, plural
from pmcheck.report.labels import UNKNOWN
from pmcheck.report.model import Incident, Report
from pmcheck.report.series import severities
from pmcheck.report.trends import (
    MEASURES,
    BurnDown,
    Period,
    Spread,
    burn_down,
    counts_by,
    dated,
    report_periods,
    times_by,
)

PALETTE = ("#7f1d1d", "#c2410c", "#e0a526", "#4a8fbf", "#2f5d8a", "#6b5b95", "#3f7f5f", "#8c6d46")
UNKNOWN_COLOR = "#9aa3ad"
OPEN_COLOR, OVERDUE_COLOR = "#4a8fbf", "#c2410c"
SPLIT_LIMIT = 7
"""Values of a dimension drawn on their own; the rest are grouped as "other"."""


def trends_html(report: Report) -> str:
    spans = report_periods(report)
    unit = "quarter" if spans and "Q" in spans[0].key else "month"
    rows = burn_down(report.incidents, spans, as_of=report.as_of)
    splits = [("severity", "Severity")] + [
        (name, name.capitalize())
        for name in report.dimension_names
        if any(incident.dimensions.get(name) for incident in report.incidents)
    ]
    control = ""
    if len(splits) > 1:
        options = "".join(f'<option value="{esc(key)}">{esc(label)}</option>' for key, label in splits)
        control = (
            '<div class="field split-field" hidden><label for="split-by">Split the trends by</label>'
            f'<select id="split-by" data-split-target="chart-per-period">{options}</select></div>'
        )
    charts = [
        _per_period(report, spans, key, label, unit=unit, first=index == 0)
        for index, (key, label) in enumerate(splits)
    ]
    dimensions = splits[1:]
    return (
        control
        + '<div class="charts">'
        + "".join(charts)
        + _burn_chart(report, rows, unit=unit)
        + "".join(_burn_split_chart(report, spans, key, label, unit=unit) for key, label in dimensions)
        + "</div>"
        + _burn_table(report, rows, unit=unit)
        + "".join(_burn_split_table(report, spans, key, label, unit=unit) for key, label in dimensions)
        + _times_tables(report, spans, "severity", "Severity", unit=unit)
        + "".join(_times_tables(report, spans, key, label, unit=unit) for key, label in dimensions)
    )


def _group(key: str, top: Sequence[str]) -> Callable[[Incident], Sequence[str]]:
    def values(incident: Incident) -> Sequence[str]:
        if key == "severity":
            return (incident.severity,)
        found = incident.dimensions.get(key, ())
        return tuple(value if value in top else "other" for value in found) or (UNKNOWN,)

    return values


def _top(report: Report, key: str) -> list[str]:
    """The values drawn on their own: every severity, or a dimension's most frequent values."""
    if key == "severity":
        return severities(report.incidents)
    tally: dict[str, int] = {}
    for incident in report.incidents:
        for value in incident.dimensions.get(key, ()):
            tally[value] = tally.get(value, 0) + 1
    return sorted(tally, key=lambda value: (-tally[value], value))[:SPLIT_LIMIT]


def _layers(names: Sequence[str], found: set[str]) -> list[str]:
    """``names`` then the groups only seen in the data ("other", then "unknown")."""
    extra = sorted(found - set(names), key=lambda name: (name == UNKNOWN, name))
    return [*names, *extra]


def _color(name: str, index: int) -> str:
    return UNKNOWN_COLOR if name == UNKNOWN else PALETTE[index % len(PALETTE)]


def _split(figure: str, key: str) -> str:
    """Mark a chart as one split's, shown when that split is chosen (all are shown without the script)."""
    return figure.replace('<figure class="chart"', f'<figure class="chart" data-split="{esc(key)}"', 1)


def _per_period(report: Report, spans: list[Period], key: str, label: str, *, unit: str, first: bool) -> str:
    chart_id = "chart-per-period" if first else f"chart-per-period-{key}"
    title = f"Incidents per {unit}, by {label.lower()}"
    if not spans or not any(incident.date for incident in report.incidents):
        return empty_chart(chart_id, title, message="No incident states its date.")
    names = _top(report, key)
    counts = counts_by(report.incidents, spans, _group(key, names))
    layers = _layers(names, {name for row in counts for name in row})
    series = [
        Series(name, _color(name, index), tuple(row.get(name, 0) for row in counts))
        for index, name in enumerate(layers)
    ]
    total = sum(1 for incident in report.incidents if incident.date)
    description = (
        f"{plural(total, 'dated incident')} per {unit} from {spans[0].label} to {spans[-1].label}, "
        f"split by {label.lower()}."
    )
    figure = stacked_columns(
        chart_id,
        title,
        description=description,
        columns=_columns(spans),
        series=series,
        y_label="incidents",
    )
    return _split(figure, key)


def _columns(spans: Sequence[Period]) -> list[Column]:
    columns = []
    for index, period in enumerate(spans):
        short, year = period.label.split()
        new_year = index == 0 or period.start.month == 1
        columns.append(Column(short, year if new_year else "", period.label))
    return columns


def _burn_chart(report: Report, rows: list[BurnDown], *, unit: str) -> str:
    title = f"Open corrective actions at the end of each {unit}"
    if not rows:
        return empty_chart("chart-burn-down", title, message="No corrective action has a known opening day.")
    series = [
        Series("open, on time", OPEN_COLOR, tuple(row.open_at_end - row.overdue_at_end for row in rows)),
        Series("open and overdue", OVERDUE_COLOR, tuple(row.overdue_at_end for row in rows)),
    ]
    last = rows[-1]
    description = (
        f"Actions open at the end of each {unit} (the last up to {report.as_of.isoformat()}): "
        f"{last.open_at_end} open at the end of {last.period.label}, {last.overdue_at_end} of them overdue."
    )
    return stacked_columns(
        "chart-burn-down",
        title,
        description=description,
        columns=_columns([row.period for row in rows]),
        series=series,
        y_label="actions",
        note=report.history,
    )


def _share(row: BurnDown) -> str:
    share = row.share_within_policy
    return "—" if share is None else f"{share:.0%} of {row.closed_judged}"


def _burn_table(report: Report, rows: list[BurnDown], *, unit: str) -> str:
    if not rows:
        return ""
    actions = [action for incident in report.incidents for action in incident.actions]
    undated = sum(1 for action in actions if not dated(action))
    body = "".join(
        f'<tr><th scope="row">{esc(row.period.label)}</th><td class="num">{row.opened}</td>'
        f'<td class="num">{row.closed}</td><td class="num">{row.open_at_end}</td>'
        f'<td class="num">{row.overdue_at_end}</td>'
        f'<td class="num">{esc(_days(row.median_open_age_days))}</td>'
        f'<td class="num">{esc(_share(row))}</td></tr>'
        for row in rows
    )
    within = sum(row.closed_within_policy for row in rows)
    judged = sum(row.closed_judged for row in rows)
    overall = f"{within / judged:.0%} of {judged}" if judged else "no closed action can be judged yet"
    note = (
        f"Age is days since the action appeared. The policy is the severity's days from the incident date "
        f"(rule action-deadline-policy), else the action's own deadline. Closed within the policy, over all "
        f"{unit}s: {overall}."
    )
    if undated:
        verb = "is" if undated == 1 else "are"
        note += f" {plural(undated, 'action')} marked done on an unrecorded day {verb} left out."
    return (
        '<div class="table-wrap" role="region" aria-labelledby="burn-caption" tabindex="0">'
        f'<table class="data burn"><caption id="burn-caption">Action burn-down per {unit}</caption>'
        f'<thead><tr><th scope="col">{esc(unit.capitalize())}</th><th scope="col" class="num">Opened</th>'
        '<th scope="col" class="num">Closed</th><th scope="col" class="num">Open at end</th>'
        '<th scope="col" class="num">Overdue at end</th><th scope="col" class="num">Median age of open</th>'
        '<th scope="col" class="num">Closed within policy</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
        f'<p class="note">{esc(note)}</p>'
    )


def _days(value: int | None) -> str:
    return "—" if value is None else plural(value, "day")


def _burn_by(report: Report, spans: list[Period], key: str) -> dict[str, tuple[str, list[BurnDown]]]:
    """Colour and burn-down of each value's incidents, for the values with a dated action."""
    names = _top(report, key)
    group = _group(key, names)
    layers = _layers(names, {value for incident in report.incidents for value in group(incident)})
    found = {
        name: (
            _color(name, index),
            burn_down([i for i in report.incidents if name in group(i)], spans, as_of=report.as_of),
        )
        for index, name in enumerate(layers)
    }
    return {name: found[name] for name in layers if any(row.opened for row in found[name][1])}


def _shared_note(report: Report, key: str, label: str) -> str:
    if any(len(incident.dimensions.get(key, ())) > 1 for incident in report.incidents):
        return f"An incident that names several values of {label.lower()} counts under each."
    return ""


def _burn_split_chart(report: Report, spans: list[Period], key: str, label: str, *, unit: str) -> str:
    per = _burn_by(report, spans, key)
    if not per:
        return ""
    rows = next(iter(per.values()))[1]
    series = [
        Series(name, color, tuple(row.open_at_end for row in found)) for name, (color, found) in per.items()
    ]
    last = rows[-1].period.label
    ends = ", ".join(
        f"{name} {found[-1].open_at_end} ({found[-1].overdue_at_end} overdue)"
        for name, (_hue, found) in per.items()
    )
    description = (
        f"Actions open at the end of each {unit}, split by {label.lower()}; at the end of {last}: {ends}."
    )
    figure = stacked_columns(
        f"chart-burn-down-{key}",
        f"Open corrective actions at the end of each {unit}, by {label.lower()}",
        description=description,
        columns=_columns([row.period for row in rows]),
        series=series,
        y_label="actions",
        note=_shared_note(report, key, label),
    )
    return _split(figure, key)


def _burn_split_table(report: Report, spans: list[Period], key: str, label: str, *, unit: str) -> str:
    per = _burn_by(report, spans, key)
    if not per:
        return ""
    columns = [found for _hue, found in per.values()]
    body = "".join(
        f'<tr><th scope="row">{esc(row.period.label)}</th>'
        + "".join(f'<td class="num">{esc(_open_cell(found[index]))}</td>' for found in columns)
        + "</tr>"
        for index, row in enumerate(columns[0])
    )
    head = "".join(f'<th scope="col" class="num">{esc(name)}</th>' for name in per)
    caption = f"burn-{esc(key)}-caption"
    return (
        f'<div class="table-wrap" data-split="{esc(key)}" role="region" aria-labelledby="{caption}" '
        f'tabindex="0"><table class="data burn"><caption id="{caption}">Actions open (overdue) at the end '
        f"of each {unit}, by {esc(label.lower())}</caption>"
        f'<thead><tr><th scope="col">{esc(unit.capitalize())}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _open_cell(row: BurnDown) -> str:
    return f"{row.open_at_end} ({row.overdue_at_end} overdue)" if row.overdue_at_end else str(row.open_at_end)


def _times_tables(report: Report, spans: list[Period], key: str, label: str, *, unit: str) -> str:
    names = _top(report, key)
    if not spans or not names:
        return ""
    group = _group(key, names)
    names = _layers(names, {value for incident in report.incidents for value in group(incident)})
    table = times_by(report.incidents, spans, names, group)
    ids = "times" if key == "severity" else f"times-{esc(key)}"
    blocks = []
    for measure, measure_label in MEASURES:
        per = table[measure]
        rows = []
        for index, period in enumerate(spans):
            cells = [per[name][index] for name in names]
            if not any(cell.count for cell in cells):
                continue
            rows.append(
                f'<tr><th scope="row">{esc(period.label)}</th>'
                + "".join(f"<td>{esc(_spread(cell))}</td>" for cell in cells)
                + "</tr>"
            )
        if not rows:
            continue
        head = "".join(f'<th scope="col">{esc(name)}</th>' for name in names)
        blocks.append(
            f'<div class="table-wrap" role="region" aria-labelledby="{ids}-{measure}" tabindex="0">'
            f'<table class="data times"><caption id="{ids}-{measure}">{esc(measure_label)} per {unit} by '
            f"{esc(label.lower())}</caption>"
            f'<thead><tr><th scope="col">{esc(unit.capitalize())}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
    if key != "severity":
        if not blocks:
            return ""
        note = " ".join(
            ("Each cell: median · 90th percentile (number of incidents).", _shared_note(report, key, label))
        )
        return (
            f'<div class="times-split" data-split="{esc(key)}"><h3>Times by {esc(label.lower())}</h3>'
            f'<p class="note">{esc(note.strip())}</p>{"".join(blocks)}</div>'
        )
    if not blocks:
        return '<p class="muted">No dated incident has a time to detect, mitigate or resolve.</p>'
    return (
        '<h3>Times by severity</h3><p class="note">Each cell: median · 90th percentile (number of '
        'incidents). How each time is measured: <a href="#clocks-heading">below</a>.</p>' + "".join(blocks)
    )


def _spread(cell: Spread) -> str:
    if not cell.count:
        return ""
    return f"{duration_text(cell.median)} · p90 {duration_text(cell.p90)} (n={cell.count})"
