"""Charts as inline SVG: stacked columns and horizontal bars, drawn from plain numbers.

Each chart is a ``<figure>`` holding an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
says in words what it shows, a legend in HTML, and the same numbers as a table inside
``<details>`` for anyone who cannot see the picture. Every bar carries a ``<title>`` tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
PALETTE = ("#7f1d1d", "#c2410c", "#e0a526", "#4a8fbf", "#2f5d8a", "#6b5b95", "#3f7f5f", "#8c6d46")
UNKNOWN_COLOR = "#9aa3ad"
OVERDUE_COLOR = "#c2410c"
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 12, 12, 40
_MAX_X_LABELS = 14
_BAR_ROW = 28


@dataclass(frozen=True)
class Series:
    """One stack layer: a name, its colour and one value per column."""

    name: str
    color: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Column:
    """A column's label, split in two lines (e.g. month and year)."""

    label: str
    sublabel: str = ""
    full: str = ""


def layer_color(name: str, index: int) -> str:
    """The colour of a stack layer: grey for "unknown", else the palette's colour at ``index``."""
    return UNKNOWN_COLOR if name == "unknown" else PALETTE[index % len(PALETTE)]


def stacked_columns(
    chart_id: str,
    title: str,
    *,
    description: str,
    columns: Sequence[Column],
    series: Sequence[Series],
    y_label: str,
    note: str = "",
) -> str:
    """Vertical columns, one per ``columns`` entry, stacking ``series`` from the bottom up."""
    height = 260
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    totals = [sum(layer.values[index] for layer in series) for index in range(len(columns))]
    top, step = _scale(max(totals, default=0))
    parts = [_grid(top, step, plot_w=plot_w, plot_h=plot_h)]
    slot = plot_w / max(len(columns), 1)
    bar = max(min(slot * 0.72, 48), 1.5)
    every = math.ceil(len(columns) / _MAX_X_LABELS) if columns else 1
    for index, column in enumerate(columns):
        x = _LEFT + slot * index + (slot - bar) / 2
        base = 0
        for layer in series:
            value = layer.values[index]
            if value:
                y0 = _TOP + plot_h - plot_h * (base + value) / top
                tip = f"{column.full or column.label}: {value} {layer.name}"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar:.1f}" height="{plot_h * value / top:.1f}" '
                    f'fill="{layer.color}"><title>{escape(tip)}</title></rect>'
                )
                base += value
        if index % every == 0:
            cx = x + bar / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{_TOP + plot_h + 16}" class="axis" text-anchor="middle">'
                f"{escape(column.label)}</text>"
            )
            if column.sublabel:
                parts.append(
                    f'<text x="{cx:.1f}" y="{_TOP + plot_h + 30}" class="axis" text-anchor="middle">'
                    f"{escape(column.sublabel)}</text>"
                )
    parts.append(
        f'<text x="12" y="{_TOP + plot_h / 2:.0f}" class="axis" text-anchor="middle" '
        f'transform="rotate(-90 12 {_TOP + plot_h / 2:.0f})">{escape(y_label)}</text>'
    )
    rows = [
        [column.full or column.label, *[str(layer.values[index]) for layer in series], str(totals[index])]
        for index, column in enumerate(columns)
    ]
    table = _table(title, ["", *[layer.name for layer in series], "Total"], rows=rows)
    return _figure(
        chart_id,
        title,
        description=description,
        height=height,
        parts=parts,
        extra=_legend(series) + _note(note),
        table=table,
    )


def stacked_bars(
    chart_id: str,
    title: str,
    *,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    note: str = "",
) -> str:
    """One horizontal bar per label, stacking ``series`` from the left, the total printed after it."""
    label_w = 130
    height = _TOP * 2 + _BAR_ROW * max(len(labels), 1)
    plot_w = WIDTH - label_w - 60
    totals = [sum(layer.values[index] for layer in series) for index in range(len(labels))]
    top = max(totals, default=0) or 1
    parts = []
    for index, label in enumerate(labels):
        y = _TOP + _BAR_ROW * index
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" class="label" text-anchor="end">{escape(label)}</text>'
        )
        start = 0.0
        for layer in series:
            value = layer.values[index]
            if not value:
                continue
            length = plot_w * value / top
            tip = f"{label}: {value} {unit}" if len(series) == 1 else f"{label}: {value} {layer.name}"
            parts.append(
                f'<rect x="{label_w + start:.1f}" y="{y + 5}" width="{max(length, 1):.1f}" '
                f'height="{_BAR_ROW - 10}" fill="{layer.color}"><title>{escape(tip)}</title></rect>'
            )
            start += length
        parts.append(f'<text x="{label_w + start + 6:.1f}" y="{y + 18}" class="value">{totals[index]}</text>')
    if len(series) == 1:
        header, rows = ["", unit.capitalize()], [[label, str(totals[i])] for i, label in enumerate(labels)]
    else:
        header = ["", *[layer.name for layer in series], "Total"]
        rows = [
            [label, *[str(layer.values[i]) for layer in series], str(totals[i])]
            for i, label in enumerate(labels)
        ]
    extra = _legend(series) + _note(note)
    table = _table(title, header, rows=rows)
    return _figure(
        chart_id, title, description=description, height=height, parts=parts, extra=extra, table=table
    )


def split_figure(figure: str, key: str) -> str:
    """Mark a chart as one split's (``data-split``), shown when that split is chosen on the page."""
    return figure.replace('<figure class="chart"', f'<figure class="chart" data-split="{escape(key)}"', 1)


def empty_chart(chart_id: str, title: str, *, message: str) -> str:
    """A chart's place when there is nothing to draw, saying why."""
    return (
        f'<figure class="chart" id="{chart_id}"><h3 class="chart-title">{escape(title)}</h3>'
        f'<p class="empty">{escape(message)}</p></figure>'
    )


def _note(note: str) -> str:
    return f'<p class="note">{escape(note)}</p>' if note else ""


def _figure(
    chart_id: str, title: str, *, description: str, height: int, parts: list[str], extra: str, table: str
) -> str:
    return (
        f'<figure class="chart" id="{chart_id}">'
        f'<h3 class="chart-title" id="{chart_id}-heading">{escape(title)}</h3>'
        f'<div class="chart-body"><svg viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        + "".join(parts)
        + f"</svg></div>{extra}<details><summary>The numbers</summary>{table}</details></figure>"
    )


def _grid(top: int, step: int, *, plot_w: float, plot_h: float) -> str:
    lines = []
    for value in range(0, top + 1, step):
        y = _TOP + plot_h - plot_h * value / top
        lines.append(
            f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{value}</text>'
        )
    return "".join(lines)


def _scale(peak: int) -> tuple[int, int]:
    """A round axis maximum and tick step for counts up to ``peak`` (at most about 5 ticks)."""
    if peak <= 0:
        return 1, 1
    raw = peak / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude >= raw)
    step = max(int(step), 1)
    return step * math.ceil(peak / step), step


def _legend(series: Sequence[Series]) -> str:
    if len(series) < 2:
        return ""
    items = "".join(
        f'<li><span class="swatch" style="background:{layer.color}" aria-hidden="true"></span>'
        f"{escape(layer.name)}</li>"
        for layer in series
    )
    return f'<ul class="legend">{items}</ul>'


def _table(caption: str, header: Sequence[str], *, rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in header)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="data"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
