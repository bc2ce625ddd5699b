"""``pmcheck init``: templates that the placeholder rule flags until they are filled, and that the default
rules accept once an author has replaced every placeholder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pmcheck.api import check_text
from pmcheck.cli import main

TITLE = "Checkout errors after a config push"


def fills(template: str, date: dt.date) -> list[tuple[str, str]]:
    """What an author writes over each placeholder of a template, as (placeholder text, their text)."""
    due = [(date + dt.timedelta(days=days)).isoformat() for days in (14, 21)]
    common = [
        (
            "**Trigger:** TODO: the immediate event that started the incident.",
            "**Trigger:** a routing config change removed the last entry of the gateway's upstream list.",
        ),
    ]
    if template == "short":
        return [
            *common,
            ("severity: TODO  # SEV3 or SEV4 for a minor incident", "severity: SEV4"),
            ('authors: []  # who wrote this, e.g. ["@alice"]', 'authors: ["@alice"]'),
            (
                "TODO: one paragraph on what happened and how it was resolved.",
                "Checkout failed for 12 minutes after a config push; rolling the config back restored it.",
            ),
            ("TODO: who was affected, for how long.", "About 300 customers could not pay for 12 minutes."),
            ("- TODO: first sign of the problem", "- 09:14: the checkout error-rate alert fires."),
            ("- TODO: resolved", "- 09:26: the previous config is restored and payments succeed."),
            (
                "TODO: the weakness of the system behind it.",
                "The config loader accepts an empty upstream list as valid.",
            ),
            (
                "- TODO: a process gap, tooling limit or missing safeguard.",
                "- The pipeline pushes gateway config to every region at once.",
            ),
            (
                "- [ ] TODO: a specific change (Owner: TODO, due TODO)",
                f"- [ ] Reject an empty upstream list in the config loader (Owner: @alice, due {due[0]})",
            ),
        ]
    return [
        *common,
        ("severity: TODO  # SEV1 (most severe) to SEV4", "severity: SEV2"),
        ('authors: []  # who wrote this, e.g. ["@alice", "@bob"]', 'authors: ["@alice", "@bob"]'),
        (
            "TODO: two or three sentences a busy reader can stop after: what happened, how long it lasted,\n"
            "whom it affected, and that it is resolved.",
            "Between 14:02 and 14:40 UTC, 12% of checkout requests failed after a config push left the\n"
            "payment gateway with no upstream hosts. Rolling the config back restored service.",
        ),
        (
            "TODO: who and what was affected, for how long, and how much (requests, users, revenue, data).",
            "12% of checkout requests returned HTTP 502 for 38 minutes, about 4,100 failed attempts.",
        ),
        (
            "| TODO | What happened, and what was known when each decision was made. |",
            "| 14:00 | The deploy pipeline pushes the routing config to all regions at once. |\n"
            "| 14:02 | The checkout error-rate alert fires and pages the on-call engineer. |\n"
            "| 14:09 | The dashboard shows no upstream hosts behind the payment gateway. |\n"
            "| 14:21 | The rollback of the config starts, one region at a time. |\n"
            "| 14:40 | The error rate is back to its baseline. |",
        ),
        (
            "TODO: the underlying weakness of the system that let the trigger cause harm.",
            "The config loader accepts an empty upstream list as valid, and nothing compares a config's\n"
            "effect with the running state before a push.",
        ),
        (
            "- TODO: a process gap, tooling limit, unclear ownership or missing safeguard.",
            "- The pipeline pushes gateway config to every region at once; there is no canary stage.\n"
            "- The review tool shows the YAML diff, not the resulting list of upstreams.",
        ),
        (
            "TODO: how the problem was noticed, and how it could have been noticed sooner by the system.",
            "The error-rate alert fired two minutes after the push. An alert on an empty upstream list\n"
            "would have fired at once.",
        ),
        (
            "TODO: what stopped the impact and what restored service.",
            "The previous config was restored region by region between 14:21 and 14:40 UTC.",
        ),
        (
            "| TODO: a specific change to the system | TODO | TODO | |",
            f"| Reject an empty upstream list in the config loader, with a test | @alice | {due[0]} "
            "| #412 |\n"
            f"| Push gateway config to one canary region first and wait 10 minutes | @bob | {due[1]} | |",
        ),
        ("- What went well: TODO", "- What went well: the alert fired within two minutes."),
        ("- What went wrong: TODO", "- What went wrong: the rollback was manual and slow."),
        ("- Where we got lucky: TODO", "- Where we got lucky: the push happened at a low-traffic hour."),
    ]


def front_matter(text: str) -> dict[str, object]:
    return yaml.safe_load(text.split("---\n")[1])


def init(*args: str) -> int:
    return main(["init", *args])


@pytest.mark.parametrize("template", ["full", "short"])
def test_a_template_is_flagged_until_filled_and_clean_once_filled(
    template: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "postmortems" / "checkout.md"
    before = dt.date.today()
    assert init(str(path), "--template", template, "--title", TITLE) == 0
    assert f"Created {path}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert front_matter(text)["date"] in (before, dt.date.today())
    assert front_matter(text)["title"] == TITLE and f"\n# {TITLE}\n" in text

    assert "placeholder" in {finding.rule_name for finding in check_text(text, path=str(path))}
    filled = text
    for placeholder, written in fills(template, front_matter(text)["date"]):
        assert placeholder in filled, f"the {template} template no longer has: {placeholder}"
        filled = filled.replace(placeholder, written)
    assert "TODO" not in filled
    assert [f"{f.line}: {f.code} {f.message}" for f in check_text(filled, path=str(path))] == []


@pytest.mark.parametrize(
    ("args", "date", "title"),
    [
        (["--date", "2026-03-02"], dt.date(2026, 3, 2), "Checkout errors"),
        (["--title", 'Say "no" to C:\\temp'], None, 'Say "no" to C:\\temp'),
        (["--title", "Two\nlines"], None, "Two lines"),
    ],
    ids=["date", "quotes-and-backslash", "newline"],
)
def test_front_matter_holds_the_date_and_title_asked_for(
    tmp_path: Path, args: list[str], date: dt.date | None, title: str
) -> None:
    path = tmp_path / "2026-03-02-checkout-errors.md"
    assert init(str(path), *args) == 0
    text = path.read_text(encoding="utf-8")
    assert front_matter(text)["date"] == (date or dt.date.today())
    assert front_matter(text)["title"] == title and f"\n# {title}\n" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "March 2"], "is not a date like 2026-03-02"),
        (["--template", "short"], "already exists; pmcheck will not overwrite it (use --force"),
    ],
    ids=["bad-date", "existing-file"],
)
def test_init_refuses_and_leaves_the_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = tmp_path / "incident.md"
    path.write_text("My notes.\n", encoding="utf-8")
    assert init(str(path), *args) == 2
    assert message in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "My notes.\n"


def test_force_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "incident.md"
    path.write_text("My notes.\n", encoding="utf-8")
    assert init(str(path), "--force", "--template", "short") == 0
    assert front_matter(path.read_text(encoding="utf-8"))["title"] == "Incident"


def test_a_folder_is_not_a_file_to_create(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(str(tmp_path)) == 2
    assert "is a folder; name the file to create" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
