"""Front-page panels: how durations are measured, overdue actions by owner and team, recurring themes
(clusters of similar factors) and the data-quality panel. Each links to the incident pages."""

from __future__ import annotations

from collections.abc import Sequence

from pmcheck.learning_report.html import esc, plural
from pmcheck.learning_report.model import Incident, Report
from pmcheck.learning_report.overdue import overdue_by_holder
from pmcheck.learning_report.phases import DESCRIPTIONS
from pmcheck.learning_report.quality import GAPS, quality
from pmcheck.learning_report.splits import grouping, split_keys, tally

CLUSTER_LISTED = 8
HOLDER_LISTED = 6


def _link(incident: Incident) -> str:
    return f'<a href="incidents/{esc(incident.id)}.html">{esc(incident.title)}</a>'


def _links(report: Report, ids: Sequence[str]) -> str:
    return ", ".join(_link(report.incident(incident_id)) for incident_id in ids)


def breakdown_html(report: Report, ids: Sequence[str], *, keys: Sequence[tuple[str, str]]) -> str:
    """How the incidents ``ids`` spread over each dimension of ``keys``: "Team: payments 3 · search 1"."""
    incidents = [report.incident(incident_id) for incident_id in ids]
    lines = []
    for key, label in keys:
        counts = tally(incidents, grouping(incidents, key, limit=None))
        spread = " · ".join(f"{value} {count}" for value, count in counts.items())
        lines.append(f'<li><span class="dim-name">{esc(label)}:</span> {esc(spread)}</li>')
    return f'<ul class="breakdown">{"".join(lines)}</ul>' if lines else ""


def clocks_html(report: Report) -> str:
    """How each duration was measured, and which incidents lack the entries it needs."""
    incidents = [incident for incident in report.incidents if incident.readable]
    lacking = {
        "impact start": [i.id for i in incidents if i.timing.impact_start is None],
        "detection": [i.id for i in incidents if i.timing.to_detect is None],
        "mitigation": [i.id for i in incidents if i.timing.to_mitigate is None],
        "resolution": [i.id for i in incidents if i.timing.to_resolve is None],
    }
    sources: dict[str, int] = {}
    for incident in incidents:
        if incident.timing.impact_source:
            sources[incident.timing.impact_source] = sources.get(incident.timing.impact_source, 0) + 1
    from_first = sum(1 for incident in incidents if incident.timing.clock == "first entry")
    how = (
        "<ul>"
        f"<li><strong>Time to detect</strong> runs from when impact began to the first timeline entry "
        f"that marks detection ({esc(DESCRIPTIONS['detect'])}). Impact start is a metadata field "
        "(<code>impact start</code>, <code>started</code>), the first timeline entry that marks impact "
        f"({esc(DESCRIPTIONS['impact'])}), or the window the summary or impact section states "
        "(\u201cbetween 14:02 and 14:40\u201d) — never merely the first entry, which is often the change "
        "that set things off.</li>"
        "<li><strong>Time to mitigate</strong> and <strong>time to resolve</strong> run from impact start to "
        f"the first entry that marks mitigation ({esc(DESCRIPTIONS['mitigate'])}) or resolution "
        f"({esc(DESCRIPTIONS['resolve'])})"
        + (
            f"; for the {plural(from_first, 'incident')} without an impact start they run from the first "
            "timeline entry.</li>"
            if from_first
            else ".</li>"
        )
        + "<li><strong>Duration</strong> runs from the first to the last timeline entry.</li></ul>"
    )
    found = ", ".join(f"{count} from {source}" for source, count in sorted(sources.items()))
    lists = "".join(
        f"<li>No {esc(name)} entry: {plural(len(ids), 'incident')}"
        + (f" — {_links(report, ids[:12])}{' …' if len(ids) > 12 else ''}" if ids else "")
        + "</li>"
        for name, ids in lacking.items()
    )
    summary = f"<p>Impact start found for {plural(len(incidents) - len(lacking['impact start']), 'incident')}"
    summary += f" ({esc(found)}).</p>" if found else ".</p>"
    return how + summary + f'<ul class="lacking">{lists}</ul>'


def overdue_html(report: Report) -> str:
    holders = overdue_by_holder(report.incidents)
    if not holders:
        return f'<p class="muted">No corrective action is overdue on {esc(report.as_of.isoformat())}.</p>'
    rows = []
    for holder in holders:
        listed = holder.actions[:HOLDER_LISTED]
        items = "".join(
            f"<li>{esc(action.text)} — due {esc(action.deadline.isoformat() if action.deadline else '?')}, "
            f"{_link(report.incident(incident_id))}</li>"
            for incident_id, action in listed
        )
        more = len(holder.actions) - len(listed)
        if more:
            items += f'<li class="muted">and {plural(more, "more")}</li>'
        rows.append(
            f'<tr data-kind="{esc(holder.kind)}"><th scope="row">{esc(holder.name)}</th>'
            f'<td>{esc(holder.kind)}</td><td class="num">{len(holder.actions)}</td>'
            f'<td><ul class="compact">{items}</ul></td></tr>'
        )
    return (
        '<div class="table-wrap" role="region" aria-labelledby="overdue-caption" tabindex="0">'
        '<table class="data overdue"><caption id="overdue-caption">Overdue corrective actions on '
        f"{esc(report.as_of.isoformat())}, by owner and by team (the owner's @org/team, or the incident's "
        'team); an action counts for each.</caption><thead><tr><th scope="col">Owner or team</th>'
        '<th scope="col">Kind</th><th scope="col" class="num">Overdue</th><th scope="col">Actions, longest '
        "overdue first</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def clusters_html(report: Report) -> str:
    if not report.clusters:
        return '<p class="muted">No two incidents have contributing factors that say the same thing yet.</p>'
    blocks = []
    keys = split_keys(report)[1:]
    for cluster in report.clusters:
        listed = cluster.incidents[:CLUSTER_LISTED]
        quotes = "".join(
            f'<li><q>{esc(member.text)}</q> — <a href="incidents/{esc(member.incident)}.html">'
            f"{esc(report.incident(member.incident).title)}</a></li>"
            for member in cluster.members[:CLUSTER_LISTED]
        )
        more = len(cluster.incidents) - len(listed)
        blocks.append(
            f'<article class="theme cluster"><h3>{esc(cluster.name)}: '
            f"{esc(plural(len(cluster.incidents), 'incident'))}</h3>"
            f'<p class="together">Key words: {esc(", ".join(cluster.terms))}</p>'
            f"<p>{_links(report, listed)}{f' and {more} more' if more else ''}</p>"
            + breakdown_html(report, cluster.incidents, keys=keys)
            + f"<details><summary>The factors ({len(cluster.members)})</summary><ul>{quotes}</ul></details>"
            "</article>"
        )
    return '<div class="themes">' + "".join(blocks) + "</div>"


def quality_html(report: Report) -> str:
    found = quality(report.incidents)
    counts = {name: sum(1 for item in found if name in item.missing) for name in GAPS}
    summary = "".join(
        f"<li><strong>{count}</strong> {esc(GAPS[name])}</li>" for name, count in counts.items() if count
    )
    if not found:
        return '<p class="muted">Every document states what the figures need.</p>'
    rows = "".join(
        f'<tr><th scope="row">{_link(report.incident(item.incident))}'
        f'<span class="path">{esc(report.incident(item.incident).path)}</span></th>'
        f'<td><ul class="tags">{_tags(item.missing)}</ul></td>'
        "</tr>"
        for item in found
    )
    return (
        f"<p>{plural(len(found), 'document')} of {len(report.incidents)} lack something the figures "
        f"above need:</p><ul>{summary}</ul>"
        '<div class="table-wrap" role="region" aria-labelledby="quality-caption" tabindex="0">'
        '<table class="data quality"><caption id="quality-caption">Documents and what they lack</caption>'
        '<thead><tr><th scope="col">Document</th><th scope="col">Lacks</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _tags(names: Sequence[str]) -> str:
    return "".join(f"<li><span>{esc(name)}</span></li>" for name in names)
