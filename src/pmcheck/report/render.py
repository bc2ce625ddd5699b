"""Render a report as a static site: ``{relative path: file text}``, written by the CLI.

``index.html`` (charts, the incident table, recurring themes; its small script is inlined),
``incidents/<id>.html`` per incident, ``report.css`` beside them, and ``report.json``. Links are
relative and nothing is fetched from the network, so the site works from ``file://`` and from any
sub-path of GitHub Pages.
"""

from __future__ import annotations

from pmcheck.report import jsonout
from pmcheck.report.html import asset
from pmcheck.report.incident_page import render_incident
from pmcheck.report.index_page import render_index
from pmcheck.report.model import Report


def render_site(report: Report) -> dict[str, str]:
    files = {
        "index.html": render_index(report),
        "report.css": asset("report.css"),
        "report.json": jsonout.render(report),
    }
    for incident in report.incidents:
        files[f"incidents/{incident.id}.html"] = render_incident(incident, report)
    return files
