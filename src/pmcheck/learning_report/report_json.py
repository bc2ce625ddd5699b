"""``report.json``: the report's data for other tools (``schema_version`` 1).

The shape (``assets/report.schema.json`` is the JSON Schema; a test validates every build against it)::

    {
      "schema_version": 1, "pmcheck_version": str, "as_of": "YYYY-MM-DD", "repository": str | null,
      "classification": {"method": str, "note": str | null, "categories": {name: [keyword]}},
      "notices": [str],
      "summary": {"incidents", "with_problems", "unreadable": int,
                  "median_minutes": {"duration", "to_detect", "to_mitigate", "to_resolve": int | null},
                  "actions": {"done", "open", "overdue": int}},
      "incidents": [{
        "id", "page", "path", "title": str, "readable": bool, "date", "month": str | null,
        "severity": str (normalised: SEV1, P2, critical, unknown...), "severity_text": str | null,
        "status": str, "authors": str | null, "summary": [str], "categories": [str],
        "timing": {"start", "end": ISO datetime | null (UTC when the timeline names a zone, else its own
                                   clock; null when the timeline has no date),
                   "duration_minutes", "time_to_detect_minutes", "time_to_mitigate_minutes",
                   "time_to_resolve_minutes": int | null},
        "timeline": [{"line": int, "time": str | null, "text": str, "phases": [detect|mitigate|resolve],
                      "minutes_from_start": int | null}],
        "proximate_causes", "root_causes": [{"line": int, "text": str}],
        "contributing_factors": [{"line": int, "text": str, "categories": [str]}],
        "actions": [{"line": int, "text": str, "owners": [str], "deadline": date | null,
                     "deadline_text": str | null, "status": done|open|overdue,
                     "status_source": document|github, "tracking": str | null,
                     "issue": {"number": int, "state": str, "closed_on": date | null,
                               "url": str | null} | null,
                     "group": str | null}],
        "findings": [{"line", "column": int, "severity", "rule_id", "rule_name", "message": str}],
        "related": [{"id": str, "shared_categories": [str]}]
      }],
      "charts": {"incidents_per_month": [{"month": "YYYY-MM", "counts": {severity: int}}],
                 "time_to_resolve": [{"label": str, "min_minutes": int, "max_minutes": int | null,
                                      "count": int}],
                 "factor_categories": [{"category": str, "incidents": int, "factors": int}],
                 "actions_per_month": [{"month": "YYYY-MM", "done", "open", "overdue": int}],
                 "by_dimension": {dimension: {
                     "time_to_resolve": [{"label": str, "counts": {value: int}}],
                     "factor_categories": [{"category": str, "incidents": {value: int}}]}}},
      "themes": [{"category": str, "incidents": [id], "factors": int,
                  "together": [{"category": str, "incidents": int}],
                  "dimensions": {dimension: {value: int}}}],
      "dimensions": [str], "history": str,
      "trends": {"period": month|quarter, "periods": [str],
                 "incidents_by_severity": [{severity: int}],
                 "times_by_severity": {measure: {severity: [{"count", "median", "p90"}]}},
                 "burn_down": [{"period", "opened", "closed", "open_at_end", "overdue_at_end",
                                "median_open_age_days", "closed_within_policy", "closed_judged"}],
                 "by_dimension": {dimension: {"values": [str], "incidents": [{value: int}],
                                              "times": {measure: {value: [spread]}},
                                              "burn_down": {value: [burn-down row]}}}},
      "clusters": [{"name": str, "terms": [str], "incidents": [id],
                    "factors": [{"incident", "line", "text"}], "dimensions": {dimension: {value: int}}}],
      "data_quality": [{"id": str, "missing": [str]}],
      "overdue_by_holder": [{"kind": owner|team, "name": str, "actions": [{"incident", "line"}]}]
    }

Incidents are newest first (undated last); text is masked as on the pages. Minutes are whole minutes.
``by_dimension`` keeps every value of each dimension in ``dimensions`` (the page draws the seven most
frequent and groups the rest as "other"); "unknown" counts the incidents that name none, and an
incident naming several values counts under each. Fields are only ever added within a
``schema_version``; a removed or changed field raises it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pmcheck import __version__
from pmcheck.learning_report.model import ActionRow, Incident, Report
from pmcheck.learning_report.overdue import overdue_by_holder
from pmcheck.learning_report.quality import quality
from pmcheck.learning_report.series import (
    action_totals,
    actions_per_month,
    category_counts,
    incidents_per_month,
    median_minutes,
    resolve_distribution,
    severities,
)
from pmcheck.learning_report.splits import Grouping, burn_down_by, categories_by, grouping, resolve_by, tally
from pmcheck.learning_report.trends import (
    BurnDown,
    Period,
    Spread,
    burn_down,
    counts_by,
    report_periods,
    times_by,
    times_by_severity,
)

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    # Compact: Python's JSON encoder is several times slower with indent, and this file is for tools.
    return json.dumps(report_dict(report), ensure_ascii=False, separators=(",", ":")) + "\n"


def report_dict(report: Report) -> dict[str, Any]:
    incidents = report.incidents
    return {
        "schema_version": SCHEMA_VERSION,
        "pmcheck_version": __version__,
        "as_of": report.as_of.isoformat(),
        "repository": report.repo,
        "classification": {
            "method": report.classification.method,
            "note": report.classification.note,
            "categories": {name: list(words) for name, words in report.classification.categories.items()},
        },
        "notices": list(report.notices),
        "summary": {
            "incidents": len(incidents),
            "with_problems": sum(1 for incident in incidents if incident.problems),
            "unreadable": sum(1 for incident in incidents if not incident.readable),
            "median_minutes": {
                "duration": median_minutes(incidents, "duration"),
                "to_detect": median_minutes(incidents, "to_detect"),
                "to_mitigate": median_minutes(incidents, "to_mitigate"),
                "to_resolve": median_minutes(incidents, "to_resolve"),
            },
            "actions": action_totals(incidents),
        },
        "incidents": [_incident(incident, report) for incident in incidents],
        "charts": _charts(report),
        "dimensions": list(report.dimension_names),
        "history": report.history,
        "trends": _trends(report),
        "clusters": [
            {
                "name": cluster.name,
                "terms": list(cluster.terms),
                "incidents": list(cluster.incidents),
                "factors": [
                    {"incident": member.incident, "line": member.line, "text": member.text}
                    for member in cluster.members
                ],
                "dimensions": _spread_over(report, cluster.incidents),
            }
            for cluster in report.clusters
        ],
        "data_quality": [{"id": item.incident, "missing": list(item.missing)} for item in quality(incidents)],
        "overdue_by_holder": [
            {
                "kind": holder.kind,
                "name": holder.name,
                "actions": [
                    {"incident": incident_id, "line": action.line} for incident_id, action in holder.actions
                ],
            }
            for holder in overdue_by_holder(incidents)
        ],
        "themes": [
            {
                "category": theme.category,
                "incidents": list(theme.incidents),
                "factors": theme.factors,
                "together": [{"category": name, "incidents": count} for name, count in theme.together],
                "dimensions": _spread_over(report, theme.incidents),
            }
            for theme in report.themes
        ],
    }


def _incident(incident: Incident, report: Report) -> dict[str, Any]:
    timing = incident.timing
    return {
        "id": incident.id,
        "page": f"incidents/{incident.id}.html",
        "path": incident.path,
        "title": incident.title,
        "readable": incident.readable,
        "date": _date(incident.date),
        "month": incident.month,
        "severity": incident.severity,
        "severity_text": incident.severity_text,
        "status": incident.status,
        "authors": incident.authors,
        "summary": list(incident.summary),
        "categories": list(incident.categories),
        "timing": {
            "start": _moment(timing.start, dated=timing.dated),
            "end": _moment(timing.end, dated=timing.dated),
            "duration_minutes": timing.duration,
            "time_to_detect_minutes": timing.to_detect,
            "time_to_mitigate_minutes": timing.to_mitigate,
            "time_to_resolve_minutes": timing.to_resolve,
            "impact_start": _moment(timing.impact_start, dated=timing.dated),
            "impact_source": timing.impact_source,
            "clock": timing.clock,
        },
        "dimensions": {name: list(values) for name, values in incident.dimensions.items()},
        "timeline": [
            {
                "line": row.line,
                "time": row.time,
                "text": row.text,
                "phases": list(row.phases),
                "minutes_from_start": row.minutes,
            }
            for row in incident.timeline
        ],
        "proximate_causes": [{"line": item.line, "text": item.text} for item in incident.proximate_causes],
        "root_causes": [{"line": item.line, "text": item.text} for item in incident.root_causes],
        "contributing_factors": [
            {"line": factor.line, "text": factor.text, "categories": list(factor.categories)}
            for factor in incident.factors
        ],
        "actions": [_action(action) for action in incident.actions],
        "findings": [
            {
                "line": problem.line,
                "column": problem.column,
                "severity": problem.severity,
                "rule_id": problem.rule_id,
                "rule_name": problem.rule_name,
                "message": problem.message,
            }
            for problem in incident.problems
        ],
        "related": [
            {"id": item.id, "shared_categories": list(item.shared)}
            for item in report.related.get(incident.id, ())
        ],
    }


def _action(action: ActionRow) -> dict[str, Any]:
    issue = action.issue
    return {
        "line": action.line,
        "text": action.text,
        "owners": list(action.owners),
        "deadline": _date(action.deadline),
        "deadline_text": action.deadline_text,
        "status": action.status,
        "status_source": action.status_source,
        "tracking": action.tracking,
        "issue": None
        if issue is None
        else {
            "number": issue.number,
            "state": issue.state,
            "closed_on": _date(issue.closed_on),
            "url": issue.url,
        },
        "group": action.group,
        "opened": _date(action.opened),
        "closed": _date(action.closed),
        "history_source": action.history_source,
    }


def _charts(report: Report) -> dict[str, Any]:
    incidents = report.incidents
    return {
        "incidents_per_month": [
            {"month": item.month, "counts": item.counts} for item in incidents_per_month(incidents)
        ],
        "time_to_resolve": [
            {
                "label": bucket.label,
                "min_minutes": bucket.low,
                "max_minutes": bucket.high,
                "count": bucket.count,
            }
            for bucket in resolve_distribution(incidents)
        ],
        "factor_categories": [
            {"category": item.category, "incidents": item.incidents, "factors": item.factors}
            for item in category_counts(incidents, list(report.classification.categories))
        ],
        "actions_per_month": [{"month": item.month, **item.counts} for item in actions_per_month(incidents)],
        "by_dimension": {
            name: _charts_by(report, _every_value(report, name)) for name in report.dimension_names
        },
    }


def _charts_by(report: Report, group: Grouping) -> dict[str, Any]:
    """A dimension's distributions, every value apart: time to resolve and factor categories."""
    categories = categories_by(report.incidents, group, list(report.classification.categories))
    return {
        "time_to_resolve": [
            {"label": bucket.label, "counts": {value: count for value, count in row.items() if count}}
            for bucket, row in zip(
                resolve_distribution(report.incidents), resolve_by(report.incidents, group), strict=True
            )
        ],
        "factor_categories": [
            {"category": category, "incidents": {value: count for value, count in counts.items() if count}}
            for category, counts in categories
        ],
    }


def _trends(report: Report) -> dict[str, Any]:
    spans = report_periods(report)
    names = severities(report.incidents)
    times = times_by_severity(report.incidents, spans, names)
    return {
        "period": "quarter" if spans and "Q" in spans[0].key else "month",
        "periods": [period.key for period in spans],
        "incidents_by_severity": counts_by(report.incidents, spans, lambda incident: (incident.severity,)),
        "times_by_severity": _times(times),
        "burn_down": _burn_rows(burn_down(report.incidents, spans, as_of=report.as_of)),
        "by_dimension": {
            name: _trends_by(report, spans, _every_value(report, name)) for name in report.dimension_names
        },
    }


def _every_value(report: Report, name: str) -> Grouping:
    return grouping(report.incidents, name, limit=None)


def _trends_by(report: Report, spans: list[Period], group: Grouping) -> dict[str, Any]:
    """A dimension's trends, every value apart: incidents, times and burn-down per period."""
    counts = counts_by(report.incidents, spans, group.of)
    return {
        "values": list(group.values),
        "incidents": [{value: row[value] for value in group.values if value in row} for row in counts],
        "times": _times(times_by(report.incidents, spans, list(group.values), group.of)),
        "burn_down": {
            value: _burn_rows(rows)
            for value, rows in burn_down_by(report.incidents, spans, group, as_of=report.as_of).items()
        },
    }


def _times(times: dict[str, dict[str, list[Spread]]]) -> dict[str, Any]:
    return {
        measure: {
            name: [{"count": cell.count, "median": cell.median, "p90": cell.p90} for cell in cells]
            for name, cells in per.items()
        }
        for measure, per in times.items()
    }


def _burn_rows(rows: list[BurnDown]) -> list[dict[str, Any]]:
    return [
        {
            "period": row.period.key,
            "opened": row.opened,
            "closed": row.closed,
            "open_at_end": row.open_at_end,
            "overdue_at_end": row.overdue_at_end,
            "median_open_age_days": row.median_open_age_days,
            "closed_within_policy": row.closed_within_policy,
            "closed_judged": row.closed_judged,
        }
        for row in rows
    ]


def _spread_over(report: Report, ids: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Dimension → value → how many of the incidents ``ids`` name it ("unknown": they name none)."""
    incidents = [report.incident(incident_id) for incident_id in ids]
    return {name: tally(incidents, grouping(incidents, name, limit=None)) for name in report.dimension_names}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: dt.datetime | None, *, dated: bool) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None and dated else None
