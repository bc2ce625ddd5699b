"""The Distributions charts: time to resolve, and the contributing-factor categories.

Each is drawn once as a whole (shown with the severity split) and once per dimension in use, stacked
by that dimension's values (shown when it is chosen); all show without the script.
"""

from __future__ import annotations

from pmcheck.learning_report.charts import (
    Column,
    Series,
    empty_chart,
    layer_color,
    split_figure,
    stacked_bars,
    stacked_columns,
)
from pmcheck.learning_report.html import duration_text, plural
from pmcheck.learning_report.model import Report
from pmcheck.learning_report.series import (
    RESOLVE_BUCKETS,
    category_counts,
    median_minutes,
    resolve_distribution,
)
from pmcheck.learning_report.splits import (
    SEVERITY,
    Grouping,
    categories_by,
    grouping,
    resolve_by,
    shared_note,
    split_keys,
)

CATEGORY_COLOR = "#2f5d8a"


def distributions_html(report: Report) -> str:
    charts = [split_figure(_resolve_chart(report), SEVERITY), split_figure(_category_chart(report), SEVERITY)]
    for key, label in split_keys(report)[1:]:
        group = grouping(report.incidents, key)
        charts += [
            split_figure(_resolve_split(report, group, label), key),
            split_figure(_category_split(report, group, label), key),
        ]
    return "\n".join(charts)


def _series(group: Grouping, rows: list[dict[str, int]]) -> list[Series]:
    return [
        Series(name, layer_color(name, index), tuple(row.get(name, 0) for row in rows))
        for index, name in enumerate(group.values)
        if any(row.get(name) for row in rows)
    ]


def _resolve_note(report: Report) -> tuple[int, str]:
    known = sum(bucket.count for bucket in resolve_distribution(report.incidents))
    missing = len(report.incidents) - known
    note = (
        f"{plural(missing, 'incident')} {'has' if missing == 1 else 'have'} no resolution entry in "
        "the timeline (resolved, closed, all clear, back to normal)."
        if missing
        else ""
    )
    return known, note


def _bucket_columns() -> list[Column]:
    """ "1–2 h" over two lines ("1–2", "h"), so that narrow screens keep the labels apart."""
    columns = []
    for label, _low, _high in RESOLVE_BUCKETS:
        amount, _space, unit = label.rpartition(" ")
        columns.append(Column(amount, unit, label) if amount else Column(label))
    return columns


def _resolve_chart(report: Report) -> str:
    title = "Time to resolve"
    known, note = _resolve_note(report)
    if not known:
        return empty_chart(
            "chart-resolve", title, message="No timeline says when its incident was resolved. " + note
        )
    buckets = resolve_distribution(report.incidents)
    median = duration_text(median_minutes(report.incidents, "to_resolve"))
    description = (
        f"Time from impact start (else the first timeline entry) to resolution for "
        f"{plural(known, 'incident')}; median {median}."
    )
    series = [Series("incidents", CATEGORY_COLOR, tuple(bucket.count for bucket in buckets))]
    return stacked_columns(
        "chart-resolve",
        title,
        description=description,
        columns=_bucket_columns(),
        series=series,
        y_label="incidents",
        note=note,
    )


def _resolve_split(report: Report, group: Grouping, label: str) -> str:
    chart_id, title = f"chart-resolve-{group.key}", f"Time to resolve, by {label.lower()}"
    known, note = _resolve_note(report)
    if not known:
        return empty_chart(chart_id, title, message="No timeline says when its incident was resolved.")
    series = _series(group, resolve_by(report.incidents, group))
    description = f"Time to resolution for {plural(known, 'incident')}, split by {label.lower()}."
    return stacked_columns(
        chart_id,
        title,
        description=description,
        columns=_bucket_columns(),
        series=series,
        y_label="incidents",
        note=f"{note} {shared_note(report.incidents, group.key, label)}".strip(),
    )


def _category_note(report: Report) -> str:
    factors = [factor for incident in report.incidents for factor in incident.factors]
    uncategorised = sum(1 for factor in factors if not factor.categories)
    note = f"Categorised by {report.classification.method}."
    if uncategorised:
        note += f" {plural(uncategorised, 'factor')} matched no category."
    return note


def _category_chart(report: Report) -> str:
    title = "Most frequent contributing-factor categories"
    counts = category_counts(report.incidents, list(report.classification.categories))
    if not counts:
        return empty_chart("chart-categories", title, message="No contributing factor matched a category.")
    top = ", ".join(f"{item.category} ({item.incidents})" for item in counts[:3])
    return stacked_bars(
        "chart-categories",
        title,
        description=f"Incidents naming a factor in each category; the most frequent: {top}.",
        labels=[item.category for item in counts],
        series=[Series("incidents", CATEGORY_COLOR, tuple(item.incidents for item in counts))],
        unit="incidents",
        note=_category_note(report),
    )


def _category_split(report: Report, group: Grouping, label: str) -> str:
    chart_id = f"chart-categories-{group.key}"
    title = f"Contributing-factor categories, by {label.lower()}"
    found = categories_by(report.incidents, group, list(report.classification.categories))
    if not found:
        return empty_chart(chart_id, title, message="No contributing factor matched a category.")
    rows = [counts for _category, counts in found]
    first, counts = found[0]
    most = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    return stacked_bars(
        chart_id,
        title,
        description=f"Incidents naming a factor in each category, split by {label.lower()}; {first}: {most}.",
        labels=[category for category, _counts in found],
        series=_series(group, rows),
        unit="incidents",
        note=f"{_category_note(report)} {shared_note(report.incidents, group.key, label)}".strip(),
    )
