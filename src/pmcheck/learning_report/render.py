"""Render a report as a static site: ``{relative path: file text}``, written by the CLI.

``index.html`` (charts, the incident table, recurring themes; its small script is inlined),
``incidents/<id>.html`` per incident, ``report.css`` beside them, and ``report.json``. Links are
relative and nothing is fetched from the network, so the site works from ``file://`` and from any
sub-path of GitHub Pages.
"""

from __future__ import annotations

from pmcheck.learning_report import report_json
from pmcheck.learning_report.html import asset
from pmcheck.learning_report.incident_page import render_incident
from pmcheck.learning_report.index_page import render_index
from pmcheck.learning_report.model import Report


def render_site(report: Report) -> dict[str, str]:
    files = {
        "index.html": render_index(report),
        "report.css": asset("report.css"),
        "report.json": report_json.render(report),
    }
    for incident in report.incidents:
        files[f"incidents/{incident.id}.html"] = render_incident(incident, report)
    return files
