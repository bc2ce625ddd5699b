"""The Trends section: incidents per period, the action burn-down, and the times to detect, mitigate
and resolve per period, each split by severity or by a dimension (team, service...) chosen on the page.

Split by a dimension, the burn-down shows the actions open at each period's end and those opened and
closed in each period, per value. How values are grouped: :mod:`pmcheck.learning_report.splits`. The overall
burn-down and the times by severity are always shown."""

from __future__ import annotations

from collections.abc import Sequence

from pmcheck.learning_report.charts import (
    OVERDUE_COLOR,
    Column,
    Series,
    empty_chart,
    layer_color,
    split_figure,
    stacked_columns,
)
from pmcheck.learning_report.html import duration_text, esc, plural
from pmcheck.learning_report.model import Report
from pmcheck.learning_report.splits import Grouping, burn_down_by, grouping, shared_note, split_keys
from pmcheck.learning_report.trends import (
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

OPEN_COLOR = "#4a8fbf"


def trends_html(report: Report) -> str:
    spans = report_periods(report)
    unit = "quarter" if spans and "Q" in spans[0].key else "month"
    rows = burn_down(report.incidents, spans, as_of=report.as_of)
    splits = split_keys(report)
    groups = {key: grouping(report.incidents, key) for key, _label in splits}
    control = ""
    if len(splits) > 1:
        options = "".join(f'<option value="{esc(key)}">{esc(label)}</option>' for key, label in splits)
        control = (
            '<div class="field split-field" hidden><label for="split-by">Split the charts by</label>'
            f'<select id="split-by" data-split-target="chart-per-period">{options}</select></div>'
        )
    charts = [
        _per_period(report, spans, groups[key], label, unit=unit, first=index == 0)
        for index, (key, label) in enumerate(splits)
    ]
    dimensions = splits[1:]
    burns = {
        key: _burned(burn_down_by(report.incidents, spans, groups[key], as_of=report.as_of), groups[key])
        for key, _label in dimensions
    }
    return (
        control
        + '<div class="charts">'
        + "".join(charts)
        + _burn_chart(report, rows, unit=unit)
        + "".join(_burn_split_charts(report, burns[key], key, label, unit=unit) for key, label in dimensions)
        + "</div>"
        + _burn_table(report, rows, unit=unit)
        + "".join(_burn_split_table(burns[key], key, label, unit=unit) for key, label in dimensions)
        + _times_tables(report, spans, groups["severity"], "Severity", unit=unit)
        + "".join(_times_tables(report, spans, groups[key], label, unit=unit) for key, label in dimensions)
    )


def _per_period(
    report: Report, spans: list[Period], group: Grouping, label: str, *, unit: str, first: bool
) -> str:
    key = group.key
    chart_id = "chart-per-period" if first else f"chart-per-period-{key}"
    title = f"Incidents per {unit}, by {label.lower()}"
    if not spans or not any(incident.date for incident in report.incidents):
        return empty_chart(chart_id, title, message="No incident states its date.")
    counts = counts_by(report.incidents, spans, group.of)
    series = [
        Series(name, layer_color(name, index), tuple(row.get(name, 0) for row in counts))
        for index, name in enumerate(group.values)
        if any(row.get(name) for row in counts)
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
        note=shared_note(report.incidents, key, label),
    )
    return split_figure(figure, key)


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


Burned = dict[str, tuple[str, list[BurnDown]]]
"""Value → its colour and its incidents' burn-down, for the values with an action opened."""


def _burned(per: dict[str, list[BurnDown]], group: Grouping) -> Burned:
    colors = {name: layer_color(name, index) for index, name in enumerate(group.values)}
    return {name: (colors[name], rows) for name, rows in per.items() if any(row.opened for row in rows)}


# (measure of a burn-down row, chart id suffix, title, what the description says at the last period,
# what the chart says when every value is zero)
_BURN_SPLITS = (
    (
        "open_at_end",
        "",
        "Open corrective actions at the end of each {unit}",
        "open at its end",
        "No corrective action was open at the end of a {unit}.",
    ),
    (
        "opened",
        "-opened",
        "Corrective actions opened per {unit}",
        "opened in it",
        "No corrective action has a known opening day.",
    ),
    (
        "closed",
        "-closed",
        "Corrective actions closed per {unit}",
        "closed in it",
        "No corrective action has a known closing day.",
    ),
)


def _burn_split_charts(report: Report, per: Burned, key: str, label: str, *, unit: str) -> str:
    if not per:
        return ""
    rows = next(iter(per.values()))[1]
    columns = _columns([row.period for row in rows])
    last = rows[-1].period.label
    figures = []
    for measure, suffix, title, said, empty in _BURN_SPLITS:
        series = [
            Series(name, color, tuple(getattr(row, measure) for row in found))
            for name, (color, found) in per.items()
        ]
        if not any(value for layer in series for value in layer.values):
            chart_id = f"chart-burn-down-{key}{suffix}"
            message = f"{empty.format(unit=unit)} {report.history}"
            heading = f"{title.format(unit=unit)}, by {label.lower()}"
            figures.append(split_figure(empty_chart(chart_id, heading, message=message), key))
            continue
        ends = ", ".join(f"{name} {getattr(found[-1], measure)}" for name, (_hue, found) in per.items())
        description = f"{title.format(unit=unit)}, split by {label.lower()}; {last}, {said}: {ends}."
        figure = stacked_columns(
            f"chart-burn-down-{key}{suffix}",
            f"{title.format(unit=unit)}, by {label.lower()}",
            description=description,
            columns=columns,
            series=series,
            y_label="actions",
            note=shared_note(report.incidents, key, label),
        )
        figures.append(split_figure(figure, key))
    return "".join(figures)


def _burn_split_table(per: Burned, key: str, label: str, *, unit: str) -> str:
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


def _times_tables(report: Report, spans: list[Period], group: Grouping, label: str, *, unit: str) -> str:
    key, names = group.key, list(group.values)
    if not spans or not names:
        return ""
    table = times_by(report.incidents, spans, names, group.of)
    ids = "times" if key == "severity" else f"times-{esc(key)}"
    blocks = []
    for measure, measure_label in MEASURES:
        per = table[measure]
        columns = [name for name in names if any(cell.count for cell in per[name])]
        rows = []
        for index, period in enumerate(spans):
            cells = [per[name][index] for name in columns]
            if not any(cell.count for cell in cells):
                continue
            rows.append(
                f'<tr><th scope="row">{esc(period.label)}</th>'
                + "".join(f"<td>{esc(_spread(cell))}</td>" for cell in cells)
                + "</tr>"
            )
        if not rows:
            continue
        head = "".join(f'<th scope="col">{esc(name)}</th>' for name in columns)
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
            (
                "Each cell: median · 90th percentile (number of incidents).",
                shared_note(report.incidents, key, label),
            )
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
