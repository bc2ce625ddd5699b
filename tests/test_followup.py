"""Overdue corrective-action issues get a label and one reminder per period, however often the job runs."""

from __future__ import annotations

import datetime as dt

import pytest
from github_fake.plugin import READ_ONLY_TOKEN, REPO, TOKEN

from pmcheck import cli
from pmcheck.config import GitHubSettings
from pmcheck.github.action_issue import Marker, ReminderMark, parse_reminder
from pmcheck.github.followup import TrackedAction, plan_followup, render_summary

TODAY = dt.date(2026, 5, 1)
LABEL = "postmortem-action"


def action(
    number: int = 1,
    *,
    due: dt.date | None = dt.date(2026, 4, 20),
    labels: tuple[str, ...] = (LABEL,),
    reminders: tuple[ReminderMark, ...] = (),
    assignees: tuple[str, ...] = ("alice",),
) -> TrackedAction:
    return TrackedAction(
        number=number,
        title=f"Action {number}",
        marker=Marker(key=f"pm.md::id:A{number}", due=due),
        labels=labels,
        reminders=reminders,
        assignees=assignees,
        incident="Outage",
    )


def overdue_mark(days_ago: int) -> ReminderMark:
    return ReminderMark(kind="overdue", day=TODAY - dt.timedelta(days=days_ago), due=dt.date(2026, 4, 20))


@pytest.mark.parametrize(
    ("tracked", "settings", "reminders", "add_label", "clear_label"),
    [
        pytest.param(action(), {}, ["overdue"], [1], [], id="overdue, never reminded"),
        pytest.param(action(labels=(LABEL, "overdue")), {}, ["overdue"], [], [], id="already labelled"),
        pytest.param(action(reminders=(overdue_mark(3),)), {}, [], [1], [], id="reminded 3 days ago"),
        pytest.param(
            action(reminders=(overdue_mark(7),)), {}, ["overdue"], [1], [], id="reminded a period ago"
        ),
        pytest.param(
            action(reminders=(overdue_mark(7),)), {"reminder_days": 14}, [], [1], [], id="longer period"
        ),
        pytest.param(action(due=TODAY), {}, [], [], [], id="due today is not overdue"),
        pytest.param(action(due=None), {}, [], [], [], id="no date"),
        pytest.param(
            action(due=dt.date(2026, 5, 3)), {"remind_before_days": 3}, ["upcoming"], [], [], id="due soon"
        ),
        pytest.param(
            action(
                due=dt.date(2026, 5, 3), reminders=(ReminderMark("upcoming", TODAY, dt.date(2026, 5, 3)),)
            ),
            {"remind_before_days": 3},
            [],
            [],
            [],
            id="due soon, already reminded",
        ),
        pytest.param(
            action(due=dt.date(2026, 5, 9)), {"remind_before_days": 3}, [], [], [], id="not yet due soon"
        ),
        pytest.param(
            action(due=dt.date(2026, 6, 1), labels=(LABEL, "overdue")),
            {},
            [],
            [],
            [1],
            id="deadline moved: label removed",
        ),
    ],
)
def test_who_is_reminded_and_labelled(tracked, settings, reminders, add_label, clear_label):
    plan = plan_followup([tracked], GitHubSettings(**settings), TODAY)

    assert [reminder.kind for reminder in plan.reminders] == reminders
    assert plan.add_label == add_label
    assert list(plan.clear_label) == clear_label
    for reminder in plan.reminders:
        assert "@alice" in reminder.body and parse_reminder(reminder.body) == ReminderMark(
            reminder.kind, TODAY, tracked.due
        )


def test_summary_groups_overdue_and_upcoming_by_owner_and_incident():
    tracked = [
        action(1, assignees=("alice", "bob")),
        TrackedAction(
            number=2,
            title="Team action",
            marker=Marker(key="b.md::id:B1", due=dt.date(2026, 5, 2), owners=("acme/sre",)),
            incident="Database failover",
        ),
        action(3, due=dt.date(2026, 9, 1)),
    ]
    summary = render_summary(
        plan_followup(tracked, GitHubSettings(remind_before_days=3), TODAY), repository=REPO
    )

    assert "**1 overdue** and **1 due soon**" in summary
    by_owner, by_incident = summary.split("### By incident")
    # Names in the summary go through the one neutraliser: shown, never a live mention.
    mention = "#### @&#8203;"
    assert (
        by_owner.index(f"{mention}acme/sre")
        < by_owner.index(f"{mention}alice")
        < by_owner.index(f"{mention}bob")
    )
    assert by_owner.count("Action 1") == 2 and "Action 3" not in summary
    assert "#### Database failover" in by_incident and "#### Outage" in by_incident
    assert "11 days overdue" in by_incident


# Against the fake GitHub ---------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    """``pmcheck github ...`` through the real command line."""
    return cli.main(["github", *argv])


def seed_tracked_issues(fake) -> None:
    """Three pmcheck issues: overdue (alice), due in two days (bob), far off; and one issue not pmcheck's."""
    for title, due, assignees in [
        ("Add alerting", "2026-04-20", ["alice"]),
        ("Canary pushes", "2026-05-03", ["bob"]),
        ("Rewrite it all", "2027-01-01", []),
    ]:
        marker = Marker(
            key=f"pm/outage.md::text:{title.lower().replace(' ', '-')}:1", due=dt.date.fromisoformat(due)
        )
        fake.add_issue(
            REPO, title, body=f"{marker.render()}\n| Incident | Outage |", labels=[LABEL], assignees=assignees
        )
    fake.add_issue(REPO, "Not ours", body="due 2020-01-01", labels=[LABEL])


@pytest.fixture
def seeded(fake_github, tmp_path, monkeypatch):
    """The tracked issues of :func:`seed_tracked_issues`, and the environment pointing at them."""
    seed_tracked_issues(fake_github)
    (tmp_path / ".pmcheck.yml").write_text("github:\n  remind_before_days: 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return fake_github


def followup(today: str, *extra: str) -> int:
    return run_cli(["followup", "--today", today, "--write-interval", "0", *extra])


def test_one_reminder_per_period_however_often_the_job_runs(seeded, tmp_path):
    for day in ["2026-05-01", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-07"]:
        assert followup(day, "--summary", str(tmp_path / "summary.md")) == 0

    overdue = [comment.body for comment in seeded.comments(REPO, 1)]
    assert (
        len(overdue) == 1
        and "@alice" in overdue[0]
        and "was due on **2026-04-20** (11 days ago)" in overdue[0]
    )
    assert "overdue" in seeded.issue(REPO, 1).labels
    upcoming = [comment.body for comment in seeded.comments(REPO, 2)]
    assert len(upcoming) == 2 and "@bob" in upcoming[0] and "in 2 days" in upcoming[0]
    assert "was due on **2026-05-03** (4 days ago)" in upcoming[1]  # overdue since 2026-05-04
    assert seeded.comments(REPO, 3) == [] and seeded.comments(REPO, 4) == []

    assert followup("2026-05-08") == 0  # a full period after the first reminder
    assert followup("2026-05-09") == 0

    assert len(seeded.comments(REPO, 1)) == 2
    assert len(seeded.comments(REPO, 2)) == 2


def test_dry_run_writes_nothing_and_summary_goes_to_the_job_summary(seeded, tmp_path, monkeypatch, capsys):
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))

    assert followup("2026-05-01", "--dry-run") == 0

    assert seeded.write_count() == 0
    out = capsys.readouterr().out
    assert "remind  #1 (overdue) Add alerting" in out and "label   #1 overdue" in out
    written = step_summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## Corrective actions: follow-up on 2026-05-01")
    assert "Reminders to post: 2" in written and "#### @&#8203;alice" in written and "#### Outage" in written


def test_a_read_only_token_says_what_was_not_done(seeded, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_TOKEN", READ_ONLY_TOKEN)

    assert followup("2026-05-01") == 1

    err = capsys.readouterr().err
    assert "Resource not accessible by integration" in err and "Not done (4):" in err
    assert "remind on #1 (overdue)" in err and "remind on #2 (upcoming)" in err
    assert "Traceback" not in err


def test_a_bad_date_is_a_usage_error(seeded, capsys):
    assert followup("yesterday") == 2
    assert "--today 'yesterday' is not a date" in capsys.readouterr().err
