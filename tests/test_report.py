"""``pmcheck report``: the model computed from the examples, bad documents kept, report.json, the
output folder's safety, GitHub issue states over the fake server, and the site in headless Chromium."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from github_fake import FakeGitHub
from github_fake.plugin import REPO, TOKEN

from pmcheck.api import Checker
from pmcheck.cli import main
from pmcheck.config import NlpSettings
from pmcheck.deadlines import Deadline
from pmcheck.learning_report.action_status import IssueState, action_status, issue_number
from pmcheck.learning_report.categories import make_categoriser
from pmcheck.learning_report.model import Incident, Report, build_report
from pmcheck.learning_report.phases import classify
from pmcheck.postmortem import Action

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "src" / "pmcheck" / "learning_report" / "assets" / "report.schema.json"
AS_OF = dt.date(2026, 5, 1)
MODELS = tuple(NlpSettings().models)


@pytest.fixture(scope="module")
def example_report() -> Report:
    reports = Checker().check_paths([EXAMPLES])
    return build_report(reports, as_of=AS_OF, categoriser=make_categoriser(MODELS))


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "report"
    # Without git history, so the figures do not depend on when the examples were committed.
    assert (
        main(["report", str(EXAMPLES), "--out", str(out), "--as-of", AS_OF.isoformat(), "--no-history"]) == 0
    )
    return out


def incident(report: Report, stem: str) -> Incident:
    return report.incident(stem)


def write(folder: Path, name: str, *, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def document(
    timeline: str,
    *,
    factors: str = "- Something.",
    actions: str = "- [ ] Do it (@sam, due 2026-06-01)",
    extra: str = "",
) -> str:
    return (
        "---\ntitle: Case\ndate: 2026-03-02\nseverity: SEV2\nstatus: final\nauthors: [sam]\n---\n\n"
        "# Case\n\n"
        f"Something broke.\n\n## Timeline\n\n{timeline}\n\n## Contributing factors\n\n{factors}\n\n"
        f"## Action items\n\n{actions}\n{extra}"
    )


# The model, computed from the examples ------------------------------------------------------------

EXAMPLE_FACTS = [
    # stem, severity, status, (duration, detect, mitigate, resolve) in minutes, categories, action statuses
    (
        "2026-03-02-checkout-config-push",
        "SEV2",
        "final",
        (95, 0, 38, 88),  # from impact start (14:02, the summary's window), not the 13:55 merge
        ("process", "tooling", "ownership", "safeguards", "monitoring", "documentation"),
        ["overdue"] * 5,
    ),
    (
        "2026-01-20-queue-backlog",
        "SEV2",
        "draft",
        (223, None, 173, None),  # no impact start stated: no time to detect
        ("monitoring", "testing"),
        ["open"] * 5,
    ),
    (
        "2026-02-08-database-failover",
        "SEV1",
        "final",
        (40, None, None, None),
        ("tooling", "safeguards", "documentation"),
        ["overdue"] * 2,
    ),
    ("2026-04-11-certificate-expiry", "SEV2", "in review", (50, 4, None, None), (), ["overdue"] * 2),
    (
        "2026-06-19-cache-stampede",
        "unknown",
        "draft",
        (25, None, None, 25),
        ("process", "safeguards"),
        ["open"] * 2,
    ),
    (
        "2025-11-14-dns-record-removed",
        "SEV3",
        "in review",
        (None, None, None, None),
        ("process", "ownership", "safeguards"),
        ["overdue"] * 2,
    ),
]


@pytest.mark.parametrize(("stem", "severity", "status", "minutes", "categories", "actions"), EXAMPLE_FACTS)
def test_each_example_becomes_an_incident_with_its_times_categories_and_action_status(
    example_report: Report,
    stem: str,
    severity: str,
    status: str,
    minutes: tuple[int | None, ...],
    categories: tuple[str, ...],
    actions: list[str],
) -> None:
    found = incident(example_report, stem)
    timing = found.timing
    assert (found.severity, found.status) == (severity, status)
    assert (timing.duration, timing.to_detect, timing.to_mitigate, timing.to_resolve) == minutes
    assert found.categories == categories
    assert [action.status for action in found.actions] == actions


def test_a_timeline_that_crosses_midnight_without_dates_counts_on_into_the_next_day(
    example_report: Report,
) -> None:
    rows = incident(example_report, "2026-02-08-database-failover").timeline
    assert [(row.time, row.minutes) for row in rows] == [
        ("23:48", 0),
        ("23:52", 4),
        ("00:14", 26),
        ("00:06", 18),
        ("00:28", 40),
    ]
    assert rows[0].text == "The primary host stops answering health checks."


def test_summary_comes_from_the_opening_paragraph_and_times_from_the_classified_timeline(
    example_report: Report,
) -> None:
    checkout = incident(example_report, "2026-03-02-checkout-config-push")
    assert checkout.summary[0].startswith("On 2 March 2026, between 14:02 and 14:40 UTC")
    assert [(row.time, row.phases) for row in checkout.timeline if row.phases] == [
        ("14:02", ("detect",)),
        ("14:40", ("mitigate",)),
        ("15:30", ("resolve",)),
    ]
    assert checkout.timing.start == dt.datetime(2026, 3, 2, 13, 55)


def test_recurring_themes_link_the_incidents_that_share_a_category(example_report: Report) -> None:
    themes = {theme.category: theme for theme in example_report.themes}
    assert {
        "2026-03-02-checkout-config-push",
        "2026-02-08-database-failover",
        "2025-11-14-dns-record-removed",
        "2026-06-19-cache-stampede",
    } <= set(themes["safeguards"].incidents)
    assert "testing" not in themes  # only one incident names a testing factor
    related = example_report.related["2026-03-02-checkout-config-push"]
    assert {item.id for item in related[:2]} == {
        "2026-02-08-database-failover",
        "2025-11-14-dns-record-removed",
    }
    failover = next(item for item in related if item.id == "2026-02-08-database-failover")
    assert failover.shared == ("tooling", "safeguards", "documentation")


def test_personal_data_and_secrets_are_masked_wherever_the_report_quotes_a_document(
    example_site: Path,
) -> None:
    texts = {path: path.read_text(encoding="utf-8") for path in example_site.rglob("*") if path.is_file()}
    for path, text in texts.items():
        assert "noor.haddad@gmail.com" not in text, path
        assert "AKIAIOSFODNN7EXAMPLE" not in text, path
    page = texts[example_site / "incidents" / "2026-06-19-cache-stampede.html"]
    assert "The reporter of the issue, [redacted], had to escalate through support." in page


def test_a_secret_inside_a_timeline_entry_is_masked(tmp_path: Path) -> None:
    key = "AKIA" + "ABCDEFGHIJKLMNOP"
    write(
        tmp_path,
        "leak.md",
        text=document(
            f"- 10:00 UTC — Deploy with AWS_ACCESS_KEY_ID={key} in the log.\n- 10:05 UTC — The alert fires."
        ),
    )
    out = tmp_path / "site"
    assert main(["report", str(tmp_path / "leak.md"), "--out", str(out), "--as-of", "2026-05-01"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert key not in json.dumps(data) and key not in (out / "incidents" / "leak.html").read_text()
    assert "[redacted]" in data["incidents"][0]["timeline"][0]["text"]


# Timing and phases --------------------------------------------------------------------------------

PHASE_CASES = [
    ("The checkout error-rate alert fires; the on-call engineer is paged.", ("detect",)),
    ("Synthetic checks fail and page the on-call engineer.", ("detect",)),
    ("Queue depth starts to climb; no alert covers it.", ()),
    ("The alert did not fire.", ()),
    ("Nobody noticed for an hour.", ()),
    ("Support escalates customer reports of missing e-mails.", ("detect",)),
    ("The rollback of the config starts.", ()),
    ("The rollback finished in all regions.", ("mitigate",)),
    ("The consumer is rolled back and the backlog drains.", ("mitigate",)),
    ("Service restored with a workaround.", ("mitigate",)),
    ("Errors stopped without a rollback; resolved.", ("resolve",)),
    ("Not yet resolved.", ()),
    ("All clear; latency is back to normal.", ("resolve",)),
    ("Rolled back and the incident is closed.", ("mitigate", "resolve")),
    ("Customers are affected: checkout fails.", ("impact",)),
    ("Error rate spikes to 12%; the alert fires.", ("impact", "detect")),
    ("No customers were affected.", ()),
    ("Impact began when the first region picked up the config.", ("impact",)),
    ("Outage starts: the upload API returns nothing.", ("impact",)),
    ("The gateway starts returning 503 errors to a third of callers.", ("impact",)),
    ("The primary stops accepting writes.", ("impact",)),
    ("Search went down in two regions.", ("impact",)),
    ("Users could not sign in from the mobile app.", ("impact",)),
    ("&lt;START OF OUTAGE&gt; the nightly build breaks.", ("impact",)),
    ("The team starts looking into the dashboards.", ()),
    ("A status-page banner is posted to alert customers of delays.", ()),
    ("The site was not down at any point.", ()),
]


@pytest.mark.parametrize(("text", "phases"), PHASE_CASES)
def test_timeline_entries_are_classified_by_phase(text: str, phases: tuple[str, ...]) -> None:
    assert classify(text) == phases


TIMING_CASES = [
    (
        "zones are compared in UTC",
        "- 14:02 PST — Deploy; customers are affected.\n- 22:10 UTC — The alert fires.\n"
        "- 23:02 UTC — Resolved.",
        (60, 8, None, 60),
    ),
    (
        "dated entries across midnight",
        "- 2026-03-02 23:50 UTC — Deploy; errors begin.\n- 2026-03-03 00:05 UTC — Paged.\n"
        "- 2026-03-03 00:20 UTC — All clear.",
        (30, 15, None, 30),
    ),
    (
        "relative times",
        "- T+00:00 Deploy; impact began.\n- T+00:05 Alert.\n- T+00:40 Rolled back.\n- T+01:10 Resolved.",
        (70, 5, 40, 70),
    ),
    (
        "a negated alert is not detection",
        "- 09:00 UTC — Deploy; no alert fired; users are affected.\n- 09:45 UTC — A customer "
        "reported errors.\n- 10:00 UTC — Restored.",
        (60, 45, 60, None),
    ),
    (
        "the clock starts when impact began, not at the first entry",
        "- 09:00 UTC — A change is merged.\n- 09:10 UTC — Customers are affected.\n"
        "- 09:20 UTC — The alert fires.\n- 09:50 UTC — Resolved.",
        (50, 10, None, 40),
    ),
    (
        "without an impact start there is no time to detect; the rest counts from the first entry",
        "- 09:00 UTC — A change is merged.\n- 09:20 UTC — The alert fires.\n- 09:50 UTC — Resolved.",
        (50, None, None, 50),
    ),
    (
        "no customers affected is not impact",
        "- 09:00 UTC — Deploy; no customers were affected yet.\n- 09:20 UTC — The alert fires.",
        (20, None, None, None),
    ),
    ("entries without times are kept but not timed", "- Deploy happened.\n- Someone noticed.", (None,) * 4),
]


@pytest.mark.parametrize(
    ("case", "timeline", "minutes"), TIMING_CASES, ids=[case[0] for case in TIMING_CASES]
)
def test_times_to_detect_mitigate_and_resolve(
    tmp_path: Path, case: str, timeline: str, minutes: tuple[int | None, ...]
) -> None:
    path = write(tmp_path, "case.md", text=document(timeline))
    report = build_report([Checker().check_file(path)], as_of=AS_OF, categoriser=make_categoriser(None))
    timing = report.incidents[0].timing
    assert (timing.duration, timing.to_detect, timing.to_mitigate, timing.to_resolve) == minutes
    assert len(report.incidents[0].timeline) == timeline.count("\n") + 1


# Contributing-factor categories -------------------------------------------------------------------

CATEGORY_CASES = [
    ("The queue-depth dashboard existed but nothing paged on it.", ("monitoring",)),
    ("Load-test fixtures had no orders larger than 10 items.", ("testing",)),
    ("The runbook's manual-promotion step was out of date.", ("tooling", "documentation")),
    ("Ownership of the config was split between two teams.", ("ownership",)),
    ("The maintenance task's flush has no rate limit.", ("safeguards",)),
    ("The change was approved without a second reviewer.", ("process",)),
    ("Disk usage reached its quota during peak load.", ("capacity",)),
    ("The weather was bad.", ()),
]


@pytest.mark.parametrize(("text", "categories"), CATEGORY_CASES)
def test_factors_are_categorised_by_lemma(text: str, categories: tuple[str, ...]) -> None:
    categoriser = make_categoriser(MODELS)
    assert categoriser.note is None and categoriser.method.startswith("lemmas")
    assert categoriser.classify([text]) == [categories]


def test_without_a_pipeline_categories_fall_back_to_plain_keywords_and_say_so() -> None:
    fallback = make_categoriser(("no_such_spacy_pipeline",))
    assert fallback.method == "keywords"
    assert (
        fallback.note
        and "plain keyword matching" in fallback.note
        and "no_such_spacy_pipeline" in fallback.note
    )
    texts = ["Nothing paged on it.", "No alert on queue depth."]
    assert fallback.classify(texts) == [(), ("monitoring",)]  # "paged" is not the keyword "page"
    assert make_categoriser(MODELS).classify(texts) == [("monitoring",), ("monitoring",)]


def test_keywords_from_a_categories_file_add_categories(tmp_path: Path) -> None:
    write(
        tmp_path,
        "vendor.md",
        text=document(
            "- 10:00 UTC — Deploy.", factors="- A third-party vendors changed their API without notice."
        ),
    )
    write(tmp_path, "categories.yml", text="vendors: [vendor, third party]\ntesting: [contract check]\n")
    out = tmp_path / "site"
    assert (
        main(
            [
                "report",
                str(tmp_path / "vendor.md"),
                "--out",
                str(out),
                "--as-of",
                "2026-05-01",
                "--categories",
                str(tmp_path / "categories.yml"),
            ]
        )
        == 0
    )
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["incidents"][0]["contributing_factors"][0]["categories"] == ["vendors"]
    assert "contract check" in data["classification"]["categories"]["testing"]


def test_a_malformed_categories_file_is_a_usage_error_naming_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "categories.yml", text="vendors:\n  - vendor\ntesting: contract check\n")
    code = main(
        [
            "report",
            str(EXAMPLES / "2026-03-02-checkout-config-push.md"),
            "--out",
            str(tmp_path / "s"),
            "--categories",
            str(tmp_path / "categories.yml"),
        ]
    )
    assert code == 2
    assert f"{tmp_path / 'categories.yml'}:3: testing:" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


# Corrective-action status -------------------------------------------------------------------------

DUE = Deadline("2026-04-01", dt.date(2026, 4, 1))
ACTION_CASES = [
    ("checked off", Action("x", 1, done=True, deadline=DUE), None, ("done", "document")),
    ("deadline passed", Action("x", 1, deadline=DUE), None, ("overdue", "document")),
    (
        "deadline ahead",
        Action("x", 1, deadline=Deadline("2026-06-01", dt.date(2026, 6, 1))),
        None,
        ("open", "document"),
    ),
    (
        "vague deadline",
        Action("x", 1, deadline=Deadline("ASAP", None, vague=True)),
        None,
        ("open", "document"),
    ),
    (
        "issue closed",
        Action("x", 1, deadline=DUE, tracking="#7"),
        IssueState(7, "closed"),
        ("done", "github"),
    ),
    (
        "issue open, late",
        Action("x", 1, deadline=DUE, tracking="#7"),
        IssueState(7, "open"),
        ("overdue", "github"),
    ),
    (
        "issue in another repo",
        Action("x", 1, deadline=DUE, tracking="other/repo#7"),
        IssueState(7, "closed"),
        ("overdue", "document"),
    ),
]


@pytest.mark.parametrize(
    ("case", "action", "issue", "expected"), ACTION_CASES, ids=[c[0] for c in ACTION_CASES]
)
def test_action_status(
    case: str, action: Action, issue: IssueState | None, expected: tuple[str, str]
) -> None:
    issues = {issue.number: issue} if issue else None
    status = action_status(action, as_of=AS_OF, repo="acme/incidents", issues=issues)
    assert (status.status, status.source) == expected


@pytest.mark.parametrize(
    ("tracking", "number"),
    [
        ("#12", 12),
        ("acme/incidents#12", 12),
        ("ACME/Incidents#12", 12),
        ("other/repo#12", None),
        ("https://github.com/acme/incidents/issues/12", 12),
        ("https://github.com/acme/incidents/pull/3", 3),
        ("https://github.com/other/repo/issues/12", None),
        ("OPS-12", None),
        (None, None),
    ],
)
def test_only_issues_of_the_report_repository_are_looked_up(tracking: str | None, number: int | None) -> None:
    assert issue_number(tracking, "acme/incidents") == number


def test_closed_tracking_issues_on_github_mark_actions_done(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_issue(REPO, "Add a canary stage", state="closed")
    fake_github.add_issue(REPO, "Add a dashboard")
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    actions = (
        "| Action | Owner | Due | Tracking |\n| --- | --- | --- | --- |\n"
        "| Add a canary stage | @alice | 2026-04-10 | #1 |\n"
        "| Add a dashboard | @bob | 2026-04-10 | https://github.com/acme/incidents/issues/2 |\n"
        "| Rotate keys | @bob | 2026-04-10 | other/repo#1 |"
    )
    write(tmp_path, "tracked.md", text=document("- 10:00 UTC — Deploy.", actions=actions))
    out = tmp_path / "site"
    assert (
        main(
            [
                "report",
                str(tmp_path / "tracked.md"),
                "--out",
                str(out),
                "--as-of",
                "2026-05-01",
                "--repo",
                REPO,
            ]
        )
        == 0
    )
    rows = json.loads((out / "report.json").read_text(encoding="utf-8"))["incidents"][0]["actions"]
    assert [(row["status"], row["status_source"], (row["issue"] or {}).get("state")) for row in rows] == [
        ("done", "github", "closed"),
        ("overdue", "github", "open"),
        ("overdue", "document", None),
    ]
    assert "#1 (closed)" in (out / "incidents" / "tracked.html").read_text(encoding="utf-8")
    listing = fake_github.requests("GET", r"/repos/acme/incidents/issues$")
    assert len(listing) == 1 and listing[0].query.get("state") == ["all"]


def test_a_refused_token_stops_the_report_with_a_clear_message(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    write(
        tmp_path,
        "tracked.md",
        text=document("- 10:00 UTC — Deploy.", actions="- Add a canary (@sam, #1, due 2026-06-01)"),
    )
    code = main(
        [
            "report",
            str(tmp_path / "tracked.md"),
            "--out",
            str(tmp_path / "site"),
            "--repo",
            REPO,
            "--github-token",
            "ghp_not_a_real_token",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot read the issues of acme/incidents (HTTP 401" in err and "ghp_not_a_real_token" not in err


def test_without_a_token_action_status_comes_from_the_documents_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    write(
        tmp_path,
        "tracked.md",
        text=document("- 10:00 UTC — Deploy.", actions="- Add a canary (@sam, #1, due 2026-04-01)"),
    )
    out = tmp_path / "site"
    assert (
        main(
            [
                "report",
                str(tmp_path / "tracked.md"),
                "--out",
                str(out),
                "--as-of",
                "2026-05-01",
                "--repo",
                REPO,
            ]
        )
        == 0
    )
    assert "no GitHub token" in capsys.readouterr().err
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["incidents"][0]["actions"][0]["status"] == "overdue"
    assert any("no GitHub token" in notice for notice in data["notices"])


# Bad documents are kept ---------------------------------------------------------------------------

BAD_FILES = [
    # name, bytes, readable, a phrase of the finding that says what is wrong
    ("binary.md", b"abc\x00def", False, "binary file"),
    ("latin1.md", b"# Caf\xe9\n", False, "not valid UTF-8"),
    ("empty.md", b"", True, "empty"),
    (
        "broken-front-matter.md",
        b'---\ntitle: "x\ndate: 2026-01-01\n---\n# Broken\n\nText.\n',
        True,
        "front matter",
    ),
]


def test_bad_and_partial_documents_appear_in_the_report_with_their_problems(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EXAMPLES / "2026-03-02-checkout-config-push.md", docs / "good.md")
    for name, data, _readable, _phrase in BAD_FILES:
        (docs / name).write_bytes(data)
    out = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(out), "--as-of", "2026-05-01"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in report["incidents"]}
    assert set(by_id) == {"good", "binary", "latin1", "empty", "broken-front-matter"}
    index = (out / "index.html").read_text(encoding="utf-8")
    for name, _data, readable, phrase in BAD_FILES:
        item = by_id[name.removesuffix(".md")]
        assert item["readable"] is readable
        assert any(phrase.lower() in finding["message"].lower() for finding in item["findings"]), item[
            "findings"
        ]
        page = (out / item["page"]).read_text(encoding="utf-8")
        assert phrase.lower() in page.lower()
        assert f'href="incidents/{item["id"]}.html"' in index
    assert report["summary"]["unreadable"] == 2 and index.count(">unreadable</span>") == 2


LABEL_CASES = [
    # severity as written, its label; status as written, its label
    ("SEV-1", "SEV1", "Final", "final"),
    ("p2", "P2", "In review", "in review"),
    (
        "Major (High Impact, Service Degradation)",
        "major",
        "closed April 14, 2026 with preventive measures.",
        "closed",
    ),
    ("SEV 2 - customers affected", "SEV2", "Published 2020-03-01", "published"),
    ("TBD", "unknown", "?", "unknown"),
    ("Yellow alert", "yellow alert", "opened", "opened"),
]


@pytest.mark.parametrize(("severity", "severity_label", "status", "status_label"), LABEL_CASES)
def test_severity_and_status_group_by_their_label_without_the_explanation(
    tmp_path: Path, severity: str, severity_label: str, status: str, status_label: str
) -> None:
    text = document("- 09:00 UTC — Resolved.")
    text = text.replace("severity: SEV2\nstatus: final\n", f"severity: '{severity}'\nstatus: '{status}'\n")
    path = write(tmp_path, "case.md", text=text)
    report = build_report([Checker().check_file(path)], as_of=AS_OF, categoriser=make_categoriser(None))
    assert (report.incidents[0].severity, report.incidents[0].status) == (severity_label, status_label)


@pytest.mark.parametrize(
    "heading", ['"Phishing attack: incident report"', "“Phishing attack: incident report”"]
)
def test_quotes_around_a_whole_title_are_dropped(tmp_path: Path, heading: str) -> None:
    text = document("- 09:00 UTC — Resolved.").replace("title: Case\n", "").replace("# Case", f"# {heading}")
    path = write(tmp_path, "case.md", text=text)
    report = build_report([Checker().check_file(path)], as_of=AS_OF, categoriser=make_categoriser(None))
    assert report.incidents[0].title == "Phishing attack: incident report"


def test_a_page_whose_first_heading_is_a_section_is_titled_by_its_file_name(tmp_path: Path) -> None:
    text = "Status: final\n\n## Summary\n\nThe site was down.\n\n## Timeline\n\n- 10:00 UTC — Resolved.\n"
    path = write(tmp_path, "2023-08-25-site-dns-outage.md", text=text)
    report = build_report([Checker().check_file(path)], as_of=AS_OF, categoriser=make_categoriser(None))
    assert report.incidents[0].title == "2023 08 25 site dns outage"


def test_a_bold_severity_line_in_the_impact_section_gives_the_severity(tmp_path: Path) -> None:
    text = document("- 09:00 UTC — Resolved.").replace("severity: SEV2\n", "")
    text += "\n## Impact\n\n" + "Customers could not pay.\n\n" * 30 + "**Severity:** Major (high impact)\n"
    path = write(tmp_path, "case.md", text=text)
    report = build_report([Checker().check_file(path)], as_of=AS_OF, categoriser=make_categoriser(None))
    assert (report.incidents[0].severity, report.incidents[0].severity_text) == (
        "major",
        "Major (high impact)",
    )


# report.json --------------------------------------------------------------------------------------


def test_report_json_follows_its_published_schema(example_site: Path) -> None:
    data = json.loads((example_site / "report.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [
        f"{error.json_path}: {error.message}"
        for error in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ]
    assert errors == []
    assert data["schema_version"] == 1 and data["as_of"] == "2026-05-01"
    assert len(data["incidents"]) == len(list(EXAMPLES.glob("*.md")))
    checkout = next(item for item in data["incidents"] if item["id"] == "2026-03-02-checkout-config-push")
    assert checkout["timing"] == {
        "start": "2026-03-02T13:55",
        "end": "2026-03-02T15:30",
        "duration_minutes": 95,
        "time_to_detect_minutes": 0,
        "time_to_mitigate_minutes": 38,
        "time_to_resolve_minutes": 88,
        "impact_start": "2026-03-02T14:02",
        "impact_source": "summary",
        "clock": "impact start",
    }
    source = (EXAMPLES / "2026-03-02-checkout-config-push.md").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(source, start=1) if text.startswith("| CK-1 |"))
    assert checkout["actions"][0] == {
        "line": line,
        "text": "Reject an empty upstream list in the config loader, with a test",
        "owners": ["alice"],
        "deadline": "2026-03-16",
        "deadline_text": "2026-03-16",
        "status": "overdue",
        "status_source": "document",
        "tracking": "#412",
        "issue": None,
        "group": None,
        "opened": "2026-03-02",
        "closed": None,
        "history_source": "document",
    }


def test_every_incident_has_its_page_and_the_site_needs_no_network(example_site: Path) -> None:
    data = json.loads((example_site / "report.json").read_text(encoding="utf-8"))
    for item in data["incidents"]:
        assert (example_site / item["page"]).is_file()
    for path in [example_site / "index.html", *sorted((example_site / "incidents").glob("*.html"))]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|img|iframe|link)[^>]+(?:src|href)=\"(?:https?:)?//", text), path
        assert re.findall(r"<link[^>]+href=\"([^\"]+)\"", text) in (["report.css"], ["../report.css"])
    assert "url(" not in (example_site / "report.css").read_text(encoding="utf-8")


# The output folder --------------------------------------------------------------------------------


def build(out: Path, *docs: Path, force: bool = False) -> int:
    return main(
        [
            "report",
            *map(str, docs),
            "--out",
            str(out),
            "--as-of",
            "2026-05-01",
            *(["--force"] if force else []),
        ]
    )


def test_a_folder_that_pmcheck_did_not_create_is_refused_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    write(out, "index.html", text="my own page")
    assert build(out, EXAMPLES / "2026-03-02-checkout-config-push.md") == 2
    assert "not empty and was not created by pmcheck report" in capsys.readouterr().err
    assert (out / "index.html").read_text() == "my own page" and sorted(out.iterdir()) == [out / "index.html"]

    write(out, "notes.txt", text="keep me")
    assert build(out, EXAMPLES / "2026-03-02-checkout-config-push.md", force=True) == 0
    assert "Learning from incidents" in (out / "index.html").read_text()
    assert (out / "notes.txt").read_text() == "keep me"


def test_a_rebuild_replaces_its_own_files_removes_stale_pages_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first, second = (
        EXAMPLES / "2026-03-02-checkout-config-push.md",
        EXAMPLES / "2026-04-11-certificate-expiry.md",
    )
    assert build(out, first, second) == 0
    write(out, "CNAME", text="incidents.example.com")
    marker = json.loads((out / ".pmcheck-report.json").read_text())
    marker["files"] += [
        "CNAME",
        "../outside.txt",
    ]  # a marker never makes pmcheck delete what it did not write
    (out / ".pmcheck-report.json").write_text(json.dumps(marker))
    assert build(out, first) == 0
    assert sorted(path.name for path in (out / "incidents").iterdir()) == [
        "2026-03-02-checkout-config-push.html"
    ]
    assert (out / "CNAME").read_text() == "incidents.example.com"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "yesterday"], "--as-of 'yesterday' is not a date"),
        (["--repo", "not-a-repo"], "is not OWNER/NAME"),
        (["missing-folder"], "no such file or directory: missing-folder"),
    ],
)
def test_bad_command_lines_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    paths = [] if "missing-folder" in args else [str(EXAMPLES / "2026-03-02-checkout-config-push.md")]
    assert main(["report", *paths, *args, "--out", str(tmp_path / "site")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_an_out_path_that_is_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "site", text="a file")
    assert build(tmp_path / "site", EXAMPLES / "2026-03-02-checkout-config-push.md") == 2
    assert "is not a folder" in capsys.readouterr().err


# The publishing workflow --------------------------------------------------------------------------


def test_the_publish_workflow_builds_the_report_and_deploys_it_with_the_pages_actions() -> None:
    workflow = yaml.safe_load(
        (ROOT / "examples" / "workflows" / "publish-report.yml").read_text(encoding="utf-8")
    )
    build_job, deploy_job = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    assert build_job["permissions"] == {"contents": "read", "issues": "read"}, "building writes nothing"
    assert "default_branch" in build_job["if"]
    uses = [step.get("uses", "") for step in build_job["steps"]]
    assert any(use.startswith("actions/configure-pages@") for use in uses)
    checkout = next(step for step in build_job["steps"] if "actions/checkout@" in step.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0  # the action burn-down reads the whole git history
    assert any(use.startswith("actions/upload-pages-artifact@") for use in uses)
    assert any(
        "pmcheck report" in step.get("run", "") and "--out _site" in step["run"]
        for step in build_job["steps"]
    )
    assert any("pip install" in step.get("run", "") for step in build_job["steps"])
    assert deploy_job["environment"]["name"] == "github-pages" and deploy_job["needs"] == "build"
    assert deploy_job["steps"][0]["uses"].startswith("actions/deploy-pages@")


# In a browser -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What the test needs from a dumped DOM: incident rows, headers, controls, labels, charts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.headers: list[dict[str, str | None]] = []
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.svgs: list[dict[str, str | None]] = []
        self.svg_titles = 0
        self.captions = 0
        self.tables = 0
        self.form: dict[str, str | None] | None = None
        self.count_text = ""
        self._stack: list[str] = []
        self._in_count = False
        self._row: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and "data-severity" in found:
            self._row = found
            self.rows.append(found)
        elif tag == "a" and self._row is not None and "title" not in self._row:
            self._row["title"] = ""
            self._row["href"] = found.get("href")
        elif tag == "th" and "data-key" in found:
            self.headers.append(found)
        elif tag in ("input", "select"):
            self.controls.append(found)
        elif tag == "label":
            self.labels.add(found.get("for") or "")
        elif tag == "svg":
            self.svgs.append(found)
        elif tag == "title" and self._stack and "svg" in self._stack:
            self.svg_titles += 1
        elif tag == "form" and found.get("id") == "filters":
            self.form = found
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        self._in_count = found.get("id") == "filter-count"
        if tag not in ("input", "br", "meta", "link", "rect", "line"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in_count:
            self.count_text += data
        if self._row is not None and self._row.get("title") == "" and self._stack and self._stack[-1] == "a":
            self._row["title"] = data

    def visible_titles(self) -> list[str]:
        return [row["title"] or "" for row in self.rows if "hidden" not in row]


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
]


def chromium(tmp_path: Path, *args: str) -> str:
    binary = next(
        (
            found
            for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome")
            if name and (found := shutil.which(name))
        ),
        None,
    )
    if binary is None:
        pytest.fail(
            "headless Chromium is needed for this test and is not installed; "
            "install it with: apt-get update && apt-get install -y chromium "
            "(or name any Chromium or Chrome binary in the CHROMIUM environment variable)",
            pytrace=False,
        )
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dom(tmp_path: Path, site: Path, *, fragment: str = "") -> Page:
    page = Page()
    page.feed(chromium(tmp_path, "--dump-dom", (site / "index.html").as_uri() + fragment))
    return page


def test_the_site_renders_in_chromium_with_table_filters_and_charts(
    tmp_path: Path, example_site: Path
) -> None:
    page = dom(tmp_path, example_site)
    assert page.form is not None and "hidden" not in page.form  # the script ran and showed the filters
    total = len(list(EXAMPLES.glob("*.md")))
    assert len(page.rows) == total and len(page.visible_titles()) == total
    assert page.count_text.strip() == f"Showing {total} of {total} incidents."
    assert [header["data-key"] for header in page.headers][:4] == ["date", "title", "severity", "status"]
    assert all(header.get("scope") == "col" for header in page.headers)
    assert [header["data-key"] for header in page.headers if header.get("aria-sort")] == ["date"]
    assert {control["id"] for control in page.controls} <= page.labels  # every filter has a label
    charts = [svg for svg in page.svgs if svg.get("role") == "img"]
    assert len(charts) == 4 and page.svg_titles >= 4
    assert page.captions == page.tables

    screenshot = tmp_path / "report.png"
    chromium(
        tmp_path,
        f"--screenshot={screenshot}",
        "--window-size=1280,900",
        (example_site / "index.html").as_uri(),
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("#severity=SEV1", ["Primary database failover took 40 minutes"]),
        ("#category=testing", ["Order events delayed by a consumer backlog"]),
        ("#q=certificate", ["API certificate expired"]),
        # The SEV3 example has only warnings (required-sections is a warning by default).
        ("#severity=SEV3&problems=any", ["DNS record removed during zone cleanup"]),
        ("#severity=SEV3&problems=error", []),
        ("#severity=SEV1&problems=error", ["Primary database failover took 40 minutes"]),
    ],
)
def test_filters_from_the_url_fragment_hide_the_other_rows(
    tmp_path: Path, example_site: Path, fragment: str, expected: list[str]
) -> None:
    page = dom(tmp_path, example_site, fragment=fragment)
    assert page.visible_titles() == expected
    assert page.count_text.strip().startswith(f"Showing {len(expected)} of ")


def test_sorting_from_the_url_fragment_orders_rows_and_sets_aria_sort(
    tmp_path: Path, example_site: Path
) -> None:
    page = dom(tmp_path, example_site, fragment="#sort=title&dir=asc")
    titles = page.visible_titles()
    assert titles == sorted(titles, key=str.lower) and len(titles) > 3
    assert [
        (header["data-key"], header.get("aria-sort")) for header in page.headers if header.get("aria-sort")
    ] == [("title", "ascending")]


# Impact start: where the clock starts ----------------------------------------------------------------

IMPACT_CASES = [
    # front matter, opening paragraph, expected (source, time to detect)
    ("started: 2026-03-02 09:10 UTC\n", "Something broke.", ("metadata", 10)),
    ("impact_start: '09:05'\n", "Something broke.", ("metadata", 15)),
    ("", "Between 09:10 and 09:50 UTC, checkout failed for some customers.", ("summary", 10)),
    ("", "From 09:12 to 09:50 UTC searches returned nothing.", ("summary", 8)),
    ("", "Something broke.", (None, None)),
]


@pytest.mark.parametrize(("front", "opening", "expected"), IMPACT_CASES)
def test_impact_start_comes_from_a_field_or_the_stated_window(
    tmp_path: Path, front: str, opening: str, expected: tuple[str | None, int | None]
) -> None:
    text = document(
        "- 09:00 UTC — A change is merged.\n- 09:20 UTC — The alert fires.\n- 09:50 UTC — Resolved."
    )
    text = text.replace("authors: [sam]\n", f"authors: [sam]\n{front}").replace("Something broke.", opening)
    path = write(tmp_path, "case.md", text=text)
    report = build_report([Checker().check_file(path)], as_of=AS_OF, categoriser=make_categoriser(None))
    timing = report.incidents[0].timing
    assert (timing.impact_source, timing.to_detect) == expected


def test_the_pages_say_how_durations_were_measured_and_which_incidents_lack_entries(
    example_site: Path,
) -> None:
    index = (example_site / "index.html").read_text(encoding="utf-8")
    measured = index[index.index('id="clocks-heading"') : index.index('id="overdue-heading"')]
    assert "runs from when impact began" in measured
    lacking = measured[measured.index("No impact start entry") :]
    lacking = lacking[: lacking.index("</li>")]
    # The queue backlog's timeline and summary never say when customers were first affected.
    assert "incidents/2026-01-20-queue-backlog.html" in lacking
    assert "incidents/2026-03-02-checkout-config-push.html" not in lacking
    page = (example_site / "incidents" / "2026-01-20-queue-backlog.html").read_text(encoding="utf-8")
    assert "so there is no time to detect" in page


# Trends -----------------------------------------------------------------------------------------------


def test_periods_are_months_up_to_two_years_and_quarters_beyond() -> None:
    from pmcheck.learning_report.trends import periods, spread

    months = periods([dt.date(2025, 11, 14), dt.date(2026, 2, 1)])
    assert [p.key for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months[0].end == dt.date(2025, 11, 30)
    quarters = periods([dt.date(2023, 2, 1), dt.date(2026, 1, 5)])
    assert quarters[0].key == "2023-Q1" and quarters[-1].key == "2026-Q1" and len(quarters) == 13
    assert quarters[0].label == "Q1 2023" and quarters[0].end == dt.date(2023, 3, 31)
    assert spread(list(range(1, 11))) == spread([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    assert (spread(list(range(1, 11))).median, spread(list(range(1, 11))).p90) == (6, 9)
    assert spread([]).median is None and spread([42]).p90 == 42


def git(folder: Path, *args: str, day: str | None = None) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(folder),
    }
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def incident_doc(day: str, actions: str, *, severity: str = "SEV2") -> str:
    return (
        f"---\ntitle: Case {day}\ndate: {day}\nseverity: {severity}\nstatus: final\nauthors: [sam]\n---\n\n"
        f"# Case {day}\n\nSomething broke.\n\n## Timeline\n\n- 10:00 UTC — Deploy.\n\n"
        f"## Action items\n\n{actions}\n"
    )


@pytest.fixture
def history_repo(tmp_path: Path) -> Path:
    """Three documents whose actions appear and get done over four months of commits."""
    repo = tmp_path / "repo"
    docs = repo / "postmortems"
    docs.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    a = (
        "- [ ] Add a canary stage (@alice, due 2026-01-31)\n"
        "- [ ] Alert on empty upstream lists (@bob, due 2026-02-15)"
    )
    write(docs, "2026-01-05-a.md", text=incident_doc("2026-01-05", a))
    write(
        docs,
        "2026-01-12-b.md",
        text=incident_doc("2026-01-12", "- [ ] Rotate the keys (@carol, due 2026-01-20)"),
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "January incidents", day="2026-01-14")
    write(docs, "2026-01-05-a.md", text=incident_doc("2026-01-05", a.replace("- [ ] Add", "- [x] Add", 1)))
    git(repo, "commit", "-q", "-am", "Canary stage done", day="2026-01-28")
    write(
        docs,
        "2026-02-20-c.md",
        text=incident_doc("2026-02-20", "- [ ] Document the failover (@dan, due 2026-03-10)"),
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "February incident", day="2026-02-21")
    b = incident_doc("2026-01-12", "- [x] Rotate the keys (@carol, due 2026-01-20)")
    write(docs, "2026-01-12-b.md", text=b)
    git(repo, "commit", "-q", "-am", "Keys rotated, late", day="2026-03-05")
    return repo


def test_action_history_comes_from_git_in_one_pass_and_makes_a_burn_down(
    history_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pmcheck.learning_report.git_history as git_history

    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(command: list[str], *args: object, **kwargs: object) -> object:
        calls.append(list(command))
        return real_run(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(git_history.subprocess, "run", counting_run)
    out = history_repo / "site"
    assert (
        main(["report", str(history_repo / "postmortems"), "--out", str(out), "--as-of", "2026-03-31"]) == 0
    )
    logs = [command for command in calls if "log" in command]
    assert (
        len(logs) == 1 and len(calls) <= 4
    )  # one history walk and one blob stream, whatever the number of files
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    actions = {
        action["text"].split(" (")[0]: (
            action["opened"],
            action["closed"],
            action["status"],
            action["history_source"],
        )
        for incident in data["incidents"]
        for action in incident["actions"]
    }
    assert actions == {
        "Add a canary stage": ("2026-01-14", "2026-01-28", "done", "git"),
        "Alert on empty upstream lists": ("2026-01-14", None, "overdue", "git"),
        "Rotate the keys": ("2026-01-14", "2026-03-05", "done", "git"),
        "Document the failover": ("2026-02-21", None, "overdue", "git"),
    }
    trends = data["trends"]
    assert trends["period"] == "month" and trends["periods"] == ["2026-01", "2026-02", "2026-03"]
    burn = {row["period"]: row for row in trends["burn_down"]}
    assert (burn["2026-01"]["opened"], burn["2026-01"]["closed"], burn["2026-01"]["open_at_end"]) == (3, 1, 2)
    # At the end of January the keys (due 01-20) are overdue; the alert (due 02-15) is not yet.
    assert burn["2026-01"]["overdue_at_end"] == 1
    assert (burn["2026-02"]["opened"], burn["2026-02"]["open_at_end"], burn["2026-02"]["overdue_at_end"]) == (
        1,
        3,
        2,
    )
    assert (burn["2026-03"]["closed"], burn["2026-03"]["open_at_end"], burn["2026-03"]["overdue_at_end"]) == (
        1,
        2,
        2,
    )
    # SEV2 allows 28 days from the incident: the canary (23 days) was on time, the keys (52 days) were not.
    assert (burn["2026-01"]["closed_within_policy"], burn["2026-01"]["closed_judged"]) == (1, 1)
    assert (burn["2026-03"]["closed_within_policy"], burn["2026-03"]["closed_judged"]) == (0, 1)
    assert "4 from git history (4 commits read in one pass" in data["history"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "4 from git history" in index and "Closed within the policy, over all months: 50% of 2" in index


def test_without_git_history_actions_are_dated_by_their_incident_and_the_page_says_why(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write(
        docs,
        "2026-01-05-a.md",
        text=incident_doc("2026-01-05", "- [ ] Add a canary (@alice, due 2026-01-20)"),
    )
    out = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(out), "--as-of", "2026-02-15"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    action = data["incidents"][0]["actions"][0]
    assert (action["opened"], action["history_source"]) == ("2026-01-05", "document")
    assert "1 from the documents only" in data["history"] and "not in a git repository" in data["history"]
    assert data["trends"]["burn_down"][-1]["overdue_at_end"] == 1


def test_tracking_issues_date_actions_by_their_created_and_closed_times(
    fake_github: FakeGitHub, history_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = fake_github.add_issue(REPO, "Add a dashboard")
    closed = fake_github.add_issue(REPO, "Page on queue depth", state="closed")
    opened.created_at = dt.datetime(2026, 2, 2, 9, tzinfo=dt.timezone.utc)
    closed.created_at = dt.datetime(2026, 2, 3, 9, tzinfo=dt.timezone.utc)
    closed.closed_at = dt.datetime(2026, 2, 25, 9, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    docs = history_repo / "postmortems"
    tracked = (
        "- [ ] Add a dashboard (@erin, #1, due 2026-02-28)\n"
        "- [ ] Page on queue depth (@erin, #2, due 2026-03-01)"
    )
    write(docs, "2026-02-01-d.md", text=incident_doc("2026-02-01", tracked))
    out = history_repo / "site"
    assert main(["report", str(docs), "--out", str(out), "--as-of", "2026-03-31", "--repo", REPO]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    rows = {
        action["text"].split(" (")[0]: (action["opened"], action["closed"], action["history_source"])
        for incident in data["incidents"]
        for action in incident["actions"]
    }
    assert rows["Add a dashboard"] == ("2026-02-02", None, "github")
    assert rows["Page on queue depth"] == ("2026-02-03", "2026-02-25", "github")
    assert rows["Add a canary stage"][2] == "git"
    assert "2 from their tracking issues on GitHub" in data["history"]
    assert "4 from git history" in data["history"]


# Dimensions, owners and teams -------------------------------------------------------------------------


def team_doc(
    day: str,
    *,
    team: str,
    service: str,
    actions: str,
    factors: str = "- Something.",
    timeline: str = "- 10:00 UTC — Deploy.",
) -> str:
    return (
        f"---\ntitle: Case {day} {team}\ndate: {day}\nseverity: SEV2\nstatus: final\nauthors: [sam]\n"
        f"team: {team}\nservice: {service}\n---\n\n# Case {day}\n\nSomething broke.\n\n## Timeline\n\n"
        f"{timeline}\n\n## Contributing factors\n\n{factors}\n\n## Action items\n\n{actions}\n"
    )


def test_dimensions_come_from_front_matter_or_config_paths_and_filter_and_split(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "search").mkdir(parents=True)
    write(
        docs,
        "2026-01-05-a.md",
        text=team_doc(
            "2026-01-05",
            team="Payments",
            service="checkout, gateway",
            actions="- [ ] Add a canary (@alice, due 2026-01-20)",
        ),
    )
    write(
        docs,
        "2026-02-05-b.md",
        text=team_doc(
            "2026-02-05",
            team="payments",
            service="gateway",
            actions="- [ ] Add a limit (@payments-org/payments, due 2026-02-10)",
        ),
    )
    plain = incident_doc("2026-03-05", "- [ ] Reindex nightly (due 2026-03-10)")
    write(docs / "search", "2026-03-05-c.md", text=plain)
    write(
        tmp_path,
        ".pmcheck.yml",
        text="report:\n  dimensions:\n    team:\n      fields: [team]\n"
        "      paths: {'docs/search/**': search}\n"
        "  categories:\n    vendors: [vendor]\n",
    )
    out = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(out), "--as-of", "2026-04-01", "--no-history"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    dims = {item["id"]: item["dimensions"] for item in data["incidents"]}
    assert dims["2026-01-05-a"] == {"team": ["payments"], "service": ["checkout", "gateway"], "component": []}
    assert dims["2026-03-05-c"]["team"] == ["search"]
    assert data["dimensions"] == ["team", "service", "component"]
    assert "vendor" in data["classification"]["categories"]["vendors"]
    holders = {(item["kind"], item["name"]): len(item["actions"]) for item in data["overdue_by_holder"]}
    assert holders == {
        ("team", "payments"): 2,
        ("owner", "alice"): 1,
        ("owner", "no owner"): 1,
        ("team", "search"): 1,
    }
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<select id="filter-team" name="dim-team" data-dimension="team">' in index
    assert 'data-dim-service="checkout|gateway"' in index
    assert 'id="chart-per-period-team"' in index and 'id="chart-per-period-service"' in index
    overdue = index[index.index('id="overdue-heading"') : index.index('id="incidents-heading"')]
    assert "incidents/2026-02-05-b.html" in overdue and ">no owner<" in overdue


def test_plain_key_lines_at_the_top_name_the_component(tmp_path: Path) -> None:
    # Our own document in a common template: "Key: value" lines joined by <br>, no front matter.
    text = (
        "# Checkout outage on 2026-02-03\n\nStatus: final<br> Owners: @kim\n\n## Summary\n\n"
        "Description: checkout failed for most users<br>\nComponent: Checkout web site<br>\n"
        "Date/time: 2026-02-03 10:00 UTC<br>\n\nA note: not a field, since it is not at a line's start.\n\n"
        "## Timeline\n\n- 10:00 UTC — Deploy.\n"
    )
    write(tmp_path, "2026-02-03-checkout.md", text=text)
    out = tmp_path / "site"
    assert main(["report", str(tmp_path), "--out", str(out), "--as-of", "2026-05-01", "--no-history"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["incidents"][0]["dimensions"] == {
        "team": [],
        "service": [],
        "component": ["checkout web site"],
    }
    assert data["trends"]["by_dimension"]["component"]["values"] == ["checkout web site"]


def html_table(index: str, caption: str) -> dict[str, dict[str, str]]:
    """The table captioned ``caption``: row label → column heading → cell text."""
    part = index[index.index(f">{caption}</caption>") :]
    part = part[: part.index("</table>")]
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', part)[1:]
    return {
        label: dict(zip(heads, re.findall(r"<td[^>]*>([^<]*)</td>", cells), strict=True))
        for label, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', part)
    }


# day, team, service, minutes from impact to resolution, the open action's deadline
SPLIT_CASES = [
    ("2026-01-05", "payments", "api", 20, "2026-01-20"),
    ("2026-01-15", "payments", "api", 40, "2026-03-20"),
    ("2026-01-25", "search", "web", 50, "2026-02-10"),
    ("2026-02-03", "search", "api", 90, "2026-02-20"),
]


def test_times_and_the_burn_down_split_by_team_and_service(tmp_path: Path) -> None:
    from statistics import median

    from pmcheck.learning_report.html import duration_text

    docs = tmp_path / "docs"
    docs.mkdir()
    for day, team, service, resolve, due in SPLIT_CASES:
        hours, minutes = divmod(resolve, 60)
        timeline = (
            "- 10:00 UTC — Deploy; checkout errors begin.\n- 10:05 UTC — The alert fires.\n"
            f"- {10 + hours}:{minutes:02d} UTC — Resolved."
        )
        action = f"- [ ] Fix it (@sam, due {due})"
        write(
            docs,
            f"{day}.md",
            text=team_doc(day, team=team, service=service, actions=action, timeline=timeline),
        )
    write(docs, "2026-02-10.md", text=incident_doc("2026-02-10", "- [ ] Add a check (@sam, due 2026-04-01)"))
    as_of = dt.date(2026, 3, 1)
    site = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(site), "--as-of", as_of.isoformat(), "--no-history"]) == 0
    index = (site / "index.html").read_text(encoding="utf-8")

    # Times: one column per team, each cell the median and p90 of that team's incidents in the month.
    by_team = html_table(index, "Time to resolve per month by team")
    for month, label in (("2026-01", "Jan 2026"), ("2026-02", "Feb 2026")):
        for team in ("payments", "search"):
            found = sorted(r for day, t, _s, r, _d in SPLIT_CASES if t == team and day.startswith(month))
            expected = ""
            if found:
                p90 = found[math.ceil(0.9 * len(found)) - 1]
                expected = (
                    f"{duration_text(round(median(found)))} · p90 {duration_text(p90)} (n={len(found)})"
                )
            assert by_team[label][team] == expected
    assert by_team["Jan 2026"]["payments"] == "30 min · p90 40 min (n=2)"  # 20 and 40 minutes
    # The document naming no team has no resolution time, so no empty "unknown" column.
    assert "unknown" not in by_team["Jan 2026"]
    assert "Time to resolve per month by severity" in index  # the severity tables stay beside

    # Burn-down: open (and overdue) actions at each month's end, per service; the team-less incident's
    # action is "unknown".
    burn = html_table(index, "Actions open (overdue) at the end of each month, by service")
    for label, end in (("Jan 2026", dt.date(2026, 1, 31)), ("Feb 2026", dt.date(2026, 2, 28))):
        for service in ("api", "web"):
            dues = [
                dt.date.fromisoformat(due)
                for day, _t, s, _r, due in SPLIT_CASES
                if s == service and dt.date.fromisoformat(day) <= end
            ]
            overdue = sum(due < end for due in dues)
            assert burn[label][service] == (f"{len(dues)} ({overdue} overdue)" if overdue else str(len(dues)))
    assert burn["Feb 2026"]["unknown"] == "1" and burn["Jan 2026"]["unknown"] == "0"
    # Without git history no action has a closing day: the closed-per-month charts say so.
    closed = index[index.index('id="chart-burn-down-team-closed"') :]
    assert closed[: closed.index("</figure>")].count("No corrective action has a known closing day.") == 1
    for key in ("team", "service"):
        assert f'<figure class="chart" data-split="{key}" id="chart-burn-down-{key}">' in index
        assert f'<div class="times-split" data-split="{key}">' in index


def test_beyond_seven_teams_the_rest_are_timed_together_as_other(tmp_path: Path) -> None:
    from pmcheck.learning_report.html import duration_text

    docs = tmp_path / "docs"
    docs.mkdir()
    # team-0 twice, then eight teams once: the seven most frequent are drawn on their own.
    cases = [(f"team-{max(n - 1, 0)}", 10 + 5 * n) for n in range(10)]
    for n, (team, resolve) in enumerate(cases):
        day = f"2026-01-{n + 1:02d}"
        timeline = f"- 10:00 UTC — Deploy; errors begin.\n- 10:{resolve:02d} UTC — Resolved."
        write(docs, f"{day}.md", text=team_doc(day, team=team, service="api", actions="", timeline=timeline))
    site = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(site), "--as-of", "2026-02-01", "--no-history"]) == 0
    row = html_table((site / "index.html").read_text(encoding="utf-8"), "Time to resolve per month by team")
    named = [f"team-{n}" for n in range(7)]
    assert list(row["Jan 2026"]) == [*named, "other"]
    rest = sorted(resolve for team, resolve in cases if team not in named)
    assert len(rest) == 2  # team-7 and team-8
    middle = duration_text(round(sum(rest) / 2))
    assert row["Jan 2026"]["other"] == f"{middle} · p90 {duration_text(rest[-1])} (n=2)"


def test_a_bad_report_section_in_the_config_names_the_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.md", text=incident_doc("2026-01-05", "- [ ] Add a canary (@alice, due 2026-01-20)"))
    write(tmp_path, ".pmcheck.yml", text="report:\n  dimensions:\n    team: 12\n")
    assert main(["report", str(tmp_path / "a.md"), "--out", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert ".pmcheck.yml:3" in err and "report.dimensions.team" in err and "Traceback" not in err


def test_the_categories_option_still_works_and_says_it_is_deprecated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path,
        "a.md",
        text=team_doc(
            "2026-01-05",
            team="x",
            service="y",
            actions="- [x] Done (@a)",
            factors="- A vendor changed their API.",
        ),
    )
    write(tmp_path, "categories.yml", text="vendors: [vendor]\n")
    out = tmp_path / "site"
    assert (
        main(
            [
                "report",
                str(tmp_path / "a.md"),
                "--out",
                str(out),
                "--categories",
                str(tmp_path / "categories.yml"),
            ]
        )
        == 0
    )
    assert "--categories is deprecated: move its mapping under report.categories" in capsys.readouterr().err
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["incidents"][0]["contributing_factors"][0]["categories"] == ["vendors"]


# Recurring themes by what factors say -----------------------------------------------------------------

FACTOR_SETS = [
    # Our own sentences: three incidents share a config push without a canary, two share a missing alert.
    (
        "2026-01-05",
        "- The config was pushed to every region at once without a canary stage.\n"
        "- The on-call rota had a gap over the holiday.",
    ),
    (
        "2026-02-09",
        "- A config change was pushed to all regions without a canary.\n"
        "- Nobody had an alert on queue depth.",
    ),
    (
        "2026-03-17",
        "- The routing config was pushed everywhere at once, with no canary stage.\n"
        "- The dashboard for the cache was missing.",
    ),
    (
        "2026-04-02",
        "- There was no alert on queue depth for the mail consumer.\n"
        "- The certificate renewal job was disabled in March.",
    ),
]


def report_of_factors(tmp_path: Path, sets: list[tuple[str, str]]) -> tuple[dict[str, Any], str]:
    """report.json and index.html of one document per (day, factors)."""
    for day, factors in sets:
        doc = team_doc(day, team="t", service="s", actions="- [x] Done (@a)", factors=factors)
        write(tmp_path, f"{day}.md", text=doc)
    out = tmp_path / "site"
    assert main(["report", str(tmp_path), "--out", str(out), "--as-of", "2026-05-01", "--no-history"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data, (out / "index.html").read_text(encoding="utf-8")


def test_similar_factor_sentences_cluster_across_incidents_named_by_a_typical_phrase(tmp_path: Path) -> None:
    data, index = report_of_factors(tmp_path, FACTOR_SETS)
    clusters = {tuple(sorted(item["incidents"])): item for item in data["clusters"]}
    canary = clusters[("2026-01-05", "2026-02-09", "2026-03-17")]
    assert "canary" in canary["name"].lower() and "config" in canary["name"].lower()
    assert "canary" in canary["terms"]
    queue = clusters[("2026-02-09", "2026-04-02")]
    assert "queue depth" in queue["name"].lower()
    assert len(data["clusters"]) == 2  # the rota, the cache dashboard and the certificate job stand alone
    assert f"{canary['name']}: 3 incidents" in index.replace("&#x27;", "'")


# Our own sentences: each factors section opens with a lead-in in the same template wording.
LEAD_IN_SETS = [
    (
        "2026-01-05",
        "- After a post-incident review, we determined the following factors contributed to the outage:\n"
        "- The config was pushed to every region at once without a canary stage.",
    ),
    (
        "2026-02-09",
        "- We have determined that the following factors contributed to the outage:\n"
        "- The certificate renewal job was disabled in March.",
    ),
    (
        "2026-03-17",
        "- After a post-incident review, we determined the following contributing factors:\n"
        "- A config change was pushed to all regions without a canary.",
    ),
]


def test_template_lead_ins_and_analysis_words_do_not_make_a_theme(tmp_path: Path) -> None:
    data, _index = report_of_factors(tmp_path, LEAD_IN_SETS)
    assert [sorted(item["incidents"]) for item in data["clusters"]] == [["2026-01-05", "2026-03-17"]]
    assert "canary" in data["clusters"][0]["name"].lower()


# Data quality -----------------------------------------------------------------------------------------


def test_the_data_quality_panel_lists_what_each_document_lacks_with_links(tmp_path: Path) -> None:
    write(
        tmp_path,
        "complete.md",
        text=document(
            "- 09:00 UTC — Customers are affected.\n- 09:05 UTC — The alert fires.\n- 09:30 UTC — Resolved."
        ),
    )
    write(
        tmp_path,
        "sparse.md",
        text="# Something happened\n\nA summary.\n\n## Timeline\n\n- 10:00 — Deploy.\n\n"
        "## Action items\n\n- Improve monitoring\n",
    )
    out = tmp_path / "site"
    assert main(["report", str(tmp_path), "--out", str(out), "--as-of", "2026-05-01", "--no-history"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["data_quality"] == [
        {
            "id": "sparse",
            "missing": ["date", "severity", "impact start", "resolution time", "owners", "deadlines"],
        }
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    panel = index[index.index('id="quality-heading"') :]
    assert 'href="incidents/sparse.html"' in panel and 'href="incidents/complete.html"' not in panel
    assert "open corrective actions without an owner" in panel


# On a phone -------------------------------------------------------------------------------------------

PHONE_PROBE = """<!doctype html><html><body style="margin:0">
<iframe id="page" src="{page}" style="width:{width}px;height:900px;border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {{
  var root = this.contentDocument.documentElement;
  document.body.setAttribute("data-widths", root.scrollWidth + " " + root.clientWidth);
}});
</script></body></html>"""


def run_probe(tmp_path: Path, probe: Path, html: str, pattern: str) -> re.Match[str]:
    """Load ``html`` (which frames a page of the site beside it) in Chromium; what ``pattern`` finds."""
    probe.write_text(html, encoding="utf-8")
    try:
        dumped = chromium(tmp_path, "--allow-file-access-from-files", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()
    found = re.search(pattern, dumped)
    assert found is not None, dumped[-2000:]
    return found


@pytest.mark.parametrize("page", ["index.html", "incidents/2026-03-02-checkout-config-push.html"])
def test_at_390_px_the_pages_do_not_scroll_sideways(tmp_path: Path, example_site: Path, page: str) -> None:
    # Headless Chromium will not make its window narrower than about 500 px, so the page is measured
    # inside a 390 px frame: what a phone's layout viewport would be.
    probe = PHONE_PROBE.format(page=page, width=390)
    found = run_probe(
        tmp_path, example_site / f"probe-{page.replace('/', '-')}", probe, r'data-widths="(\d+) (\d+)"'
    )
    scroll_width, client_width = int(found[1]), int(found[2])
    assert client_width <= 390 and scroll_width == client_width


LONG_URL = "https://git.example.com/platform/deploy-tools/blob/4f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a09/src/validate.py#L42"


@pytest.mark.parametrize("page", ["index.html", "incidents/2026-02-03-wide.html"])
def test_long_links_and_wide_tables_stay_inside_a_390_px_screen(tmp_path: Path, page: str) -> None:
    # Our own document in the shape real ones take: long links in factors and causes, an action table
    # whose unknown cells ("not known", for screen readers) sit past the screen's edge.
    actions = "\n".join(
        f"- [ ] Pin every dependency with hash checking as described in {LONG_URL} step {n}" for n in range(3)
    )
    text = (
        "---\ntitle: Wide\ndate: 2026-02-03\n---\n\n# Wide\n\nSomething broke.\n\n## Timeline\n\n"
        f"- Deploy of {LONG_URL}\n- 10:00 UTC — Resolved.\n\n"
        f"## Root cause\n\n- A stale cache at {LONG_URL}.\n\n"
        f"## Contributing factors\n\n- The check at {LONG_URL} was skipped.\n\n## Action items\n\n{actions}\n"
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "2026-02-03-wide.md", text=text)
    site = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(site), "--as-of", "2026-05-01", "--no-history"]) == 0
    probe = PHONE_PROBE.format(page=page, width=390)
    found = run_probe(tmp_path, site / "probe-wide.html", probe, r'data-widths="(\d+) (\d+)"')
    assert int(found[1]) == int(found[2]) <= 390


def test_screenshots_at_desktop_and_phone_widths(tmp_path: Path, example_site: Path, team_site: Path) -> None:
    shots = Path(os.environ.get("PMCHECK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    pages = (
        ("report", example_site / "index.html", ""),
        ("report-by-team", team_site / "index.html", "#split=team"),
    )
    for name, page, fragment in pages:
        for width, height in ((1280, 3000), (390, 3000)):
            target = shots / f"{name}-{width}.png"
            chromium(
                tmp_path,
                f"--screenshot={target}",
                f"--window-size={width},{height}",
                "--hide-scrollbars",
                page.as_uri() + fragment,
            )
            data = target.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == width


def test_dimension_filters_and_the_chart_split_work_in_the_browser(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for day, team in (("2026-01-05", "payments"), ("2026-02-05", "search"), ("2026-03-05", "payments")):
        timeline = (
            "- 10:00 UTC — Deploy; errors begin.\n- 10:05 UTC — The alert fires.\n- 10:30 UTC — Resolved."
        )
        action = "- [ ] Fix it (@a, due 2026-03-01)"
        write(
            docs, f"{day}.md", text=team_doc(day, team=team, service="api", actions=action, timeline=timeline)
        )
    site = tmp_path / "site"
    assert main(["report", str(docs), "--out", str(site), "--as-of", "2026-04-01", "--no-history"]) == 0
    page = dom(tmp_path, site, fragment="#dim-team=search")
    assert page.visible_titles() == ["Case 2026-02-05 search"]
    dumped = chromium(tmp_path, "--dump-dom", (site / "index.html").as_uri())
    figures = {
        split: "hidden" in attributes
        for split, attributes in re.findall(r'<figure class="chart" data-split="(\w+)"([^>]*)>', dumped)
    }
    assert figures == {"severity": False, "team": True, "service": True}  # one split shown at a time
    # Choosing "team" shows the team's incidents, burn-down (open, opened, closed), times and
    # distributions, hides the severity split, and puts the choice in the address.
    found = run_probe(
        tmp_path, site / "probe-split.html", SPLIT_PROBE, r'data-shown="([^"]*)" data-hash="([^"]*)"'
    )
    assert sorted(found[1].split()) == [
        "chart-burn-down-team",
        "chart-burn-down-team-closed",
        "chart-burn-down-team-opened",
        "chart-categories-team",
        "chart-per-period-team",
        "chart-resolve-team",
        "table-wrap:team",
        "times-split:team",
    ]
    assert "split=team" in found[2].lstrip("#").replace("&amp;", "&").split("&")


SPLIT_PROBE = """<!doctype html><html><body>
<iframe id="page" src="index.html" style="width:1280px;height:900px;border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {
  var doc = this.contentDocument, select = doc.getElementById("split-by");
  select.value = "team";
  select.dispatchEvent(new Event("change"));
  var shown = Array.prototype.filter.call(doc.querySelectorAll("[data-split]"), function (node) {
    return !node.hidden;
  }).map(function (node) { return node.id || node.className + ":" + node.dataset.split; });
  document.body.setAttribute("data-shown", shown.join(" "));
  document.body.setAttribute("data-hash", this.contentWindow.location.hash);
});
</script></body></html>"""


def test_an_action_removed_without_being_done_leaves_the_open_count_and_is_not_closed() -> None:
    from pmcheck.learning_report.history import Version, lives_from_versions

    first, second = Action("Add a canary stage", 10), Action("Alert on queue depth", 11)
    lives = lives_from_versions(
        [
            Version(dt.date(2026, 1, 3), "pm/a.md", [first, second]),
            Version(dt.date(2026, 1, 9), "pm/a.md", [first]),
            Version(dt.date(2026, 2, 1), "pm/a.md", [Action("Add a canary stage", 10, done=True)]),
            Version(dt.date(2026, 3, 1), "pm/a.md", None),  # the document was deleted
        ]
    )
    by_text = {key.split("::text:")[1].split(":")[0]: life for key, life in lives.items()}
    assert by_text["add-canary-stage"].closed == dt.date(2026, 2, 1)
    assert by_text["alert-queue-depth"].removed == dt.date(2026, 1, 9)
    assert by_text["alert-queue-depth"].closed is None


# Every chart split by team, service and component ----------------------------------------------------

Planned = list[tuple[str, str, str | None]]
"""A document's actions: text, deadline, the day it was marked done (None: still open)."""

# Our own incidents: day, team, service, factors, actions.
TEAM_CASES: list[tuple[str, str, str, str, Planned]] = [
    (
        "2026-01-06",
        "payments",
        "api",
        "- The config was pushed to every region at once without a canary stage.",
        [("Add a canary stage", "2026-01-31", "2026-01-28")],
    ),
    (
        "2026-01-20",
        "search",
        "web",
        "- Nobody had an alert on queue depth.\n- The load test never covered the timeout.",
        [("Alert on queue depth", "2026-02-15", "2026-03-05"), ("Test the timeout", "2026-02-01", None)],
    ),
    (
        "2026-02-10",
        "payments",
        "checkout",
        "- A config change was pushed to all regions without a canary.",
        [("Gate config pushes behind a canary", "2026-03-10", None)],
    ),
    (
        "2026-03-02",
        "platform",
        "api",
        "- There was no alert on queue depth for the mail consumer.",
        [("Page on queue depth", "2026-03-20", "2026-03-18")],
    ),
]
TEAM_AS_OF = "2026-03-31"


def _opened_on(day: str) -> str:
    """Each document is committed the day after its incident."""
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def team_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TEAM_CASES in a git repository, committed on their days, and the report built from it."""
    repo = tmp_path_factory.mktemp("teams") / "repo"
    docs = repo / "postmortems"
    docs.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    events = sorted(
        [(_opened_on(case[0]), case, "") for case in TEAM_CASES]
        + [(on, case, text) for case in TEAM_CASES for text, _due, on in case[4] if on]
    )
    done: set[str] = set()
    for when, (day, team, service, factors, actions), text in events:
        done.add(text)
        lines = "\n".join(
            f"- [{'x' if action in done else ' '}] {action} (@sam, due {due})" for action, due, _on in actions
        )
        timeline = (
            "- 10:00 UTC — Deploy; errors begin.\n- 10:05 UTC — The alert fires.\n- 10:40 UTC — Resolved."
        )
        doc = team_doc(day, team=team, service=service, actions=lines, factors=factors, timeline=timeline)
        write(docs, f"{day}.md", text=doc)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"{day} {text or 'written'}", day=when)
    site = repo.parent / "site"
    assert main(["report", str(docs), "--out", str(site), "--as-of", TEAM_AS_OF]) == 0
    return site


def test_report_json_splits_trends_distributions_and_themes_by_team_and_service(team_site: Path) -> None:
    data = json.loads((team_site / "report.json").read_text(encoding="utf-8"))
    errors = list(
        jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).iter_errors(data)
    )
    assert errors == []
    periods = data["trends"]["periods"]
    assert periods == ["2026-01", "2026-02", "2026-03"]
    team = data["trends"]["by_dimension"]["team"]
    assert team["values"] == ["payments", "platform", "search"]  # most incidents first, then by name
    # Incidents per month and team, counted from the cases.
    for place, month in enumerate(periods):
        expected = {}
        for day, name, *_rest in TEAM_CASES:
            if day.startswith(month):
                expected[name] = expected.get(name, 0) + 1
        assert team["incidents"][place] == expected
    # Actions opened and closed per month and team: opened when the document was committed, closed
    # on the commit that ticked them.
    for name in team["values"]:
        mine = [
            (day, action) for day, owner, _s, _f, actions in TEAM_CASES if owner == name for action in actions
        ]
        for row in team["burn_down"][name]:
            month = row["period"]
            assert row["opened"] == sum(_opened_on(day).startswith(month) for day, _a in mine)
            assert row["closed"] == sum(bool(on and on.startswith(month)) for _d, (_t, _due, on) in mine)
            year, number = (int(part) for part in month.split("-"))
            end = dt.date(year, number, calendar.monthrange(year, number)[1]).isoformat()
            still_open = [
                due for day, (_t, due, on) in mine if _opened_on(day) <= end and not (on and on <= end)
            ]
            assert row["open_at_end"] == len(still_open)
            assert row["overdue_at_end"] == sum(due < end for due in still_open)
    # Each team's rows add up to the whole, since every incident names exactly one team.
    overall = data["trends"]["burn_down"]
    for key in ("opened", "closed", "open_at_end", "overdue_at_end"):
        assert [sum(team["burn_down"][n][i][key] for n in team["values"]) for i in range(3)] == [
            row[key] for row in overall
        ]
    # Factor categories by service: the incidents of each service that name a factor in the category.
    services = {item["id"]: item["dimensions"]["service"][0] for item in data["incidents"]}
    categories = {item["id"]: item["categories"] for item in data["incidents"]}
    by_service = data["charts"]["by_dimension"]["service"]["factor_categories"]
    assert by_service  # the cases' factors fall in some category
    for row in by_service:
        expected = {}
        for incident_id, found in categories.items():
            if row["category"] in found:
                expected[services[incident_id]] = expected.get(services[incident_id], 0) + 1
        assert row["incidents"] == expected
    resolve = data["charts"]["by_dimension"]["team"]["time_to_resolve"]
    assert resolve[1]["label"] == "30–60 min" and resolve[1]["counts"] == {
        "payments": 2,
        "search": 1,
        "platform": 1,
    }
    # Recurring themes: the canary cluster is the payments team's; the queue-depth one spans two teams.
    clusters = {tuple(sorted(item["incidents"])): item["dimensions"] for item in data["clusters"]}
    assert clusters[("2026-01-06", "2026-02-10")] == {
        "team": {"payments": 2},
        "service": {"api": 1, "checkout": 1},
        "component": {"unknown": 2},
    }
    assert clusters[("2026-01-20", "2026-03-02")]["team"] == {"search": 1, "platform": 1}
    for theme in data["themes"]:
        assert sum(theme["dimensions"]["team"].values()) == len(theme["incidents"])


def test_the_page_draws_the_same_split_figures_as_report_json(team_site: Path) -> None:
    data = json.loads((team_site / "report.json").read_text(encoding="utf-8"))
    index = (team_site / "index.html").read_text(encoding="utf-8")
    labels = {"2026-01": "Jan 2026", "2026-02": "Feb 2026", "2026-03": "Mar 2026"}
    team = data["trends"]["by_dimension"]["team"]
    for measure in ("opened", "closed"):
        drawn = html_table(index, f"Corrective actions {measure} per month, by team")
        for name, rows in team["burn_down"].items():
            for row in rows:
                assert drawn[labels[row["period"]]][name] == str(row[measure])
    drawn = html_table(index, "Contributing-factor categories, by service")
    for row in data["charts"]["by_dimension"]["service"]["factor_categories"]:
        cells = drawn[row["category"]]
        assert {name: int(count) for name, count in cells.items() if name != "Total" and count != "0"} == (
            row["incidents"]
        )
    themes = index[index.index('id="themes-heading"') :]
    canary = themes[themes.index("A config change was pushed") :]
    assert re.search(
        r'<span class="dim-name">Team:</span> payments 2</li>', canary[: canary.index("</article>")]
    )


@pytest.mark.parametrize("fragment", ["", "#split=team", "#split=service"])
def test_each_split_fits_a_390_px_screen_without_sideways_scrolling(
    tmp_path: Path, team_site: Path, fragment: str
) -> None:
    probe = PHONE_PROBE.format(page="index.html" + fragment, width=390)
    found = run_probe(tmp_path, team_site / "probe-phone-split.html", probe, r'data-widths="(\d+) (\d+)"')
    scroll_width, client_width = int(found[1]), int(found[2])
    assert client_width <= 390 and scroll_width == client_width


def test_a_split_and_a_table_filter_from_the_address_work_together_in_the_browser(
    tmp_path: Path, team_site: Path
) -> None:
    dumped = chromium(
        tmp_path, "--dump-dom", (team_site / "index.html").as_uri() + "#dim-team=payments&split=service"
    )
    page = Page()
    page.feed(dumped)
    cases = sorted((day for day, team, *_rest in TEAM_CASES if team == "payments"), reverse=True)
    assert page.visible_titles() == [f"Case {day} payments" for day in cases]
    shown = {
        chart_id
        for chart_id, attributes in re.findall(
            r'<figure class="chart" data-split="\w+" id="([^"]+)"([^>]*)>', dumped
        )
        if "hidden" not in attributes
    }
    assert shown == {
        "chart-per-period-service",
        "chart-burn-down-service",
        "chart-burn-down-service-opened",
        "chart-burn-down-service-closed",
        "chart-resolve-service",
        "chart-categories-service",
    }
