"""Extraction: what a post-mortem says, however it was written (the shapes real public post-mortems take)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset
from pmcheck.parse import parse_document
from pmcheck.postmortem import PostMortem, read_postmortem
from pmcheck.timeline import TimelineEntry

CATALOG = build_ruleset(LoadedConfig(config=Config(packs=["default"]), base=Path.cwd())).catalog
DATED = "---\ndate: 2026-03-02\n---\n# Outage\n\n"  # five lines: bodies start on line 6


def read(text: str, path: str = "pm.md") -> PostMortem:
    return read_postmortem(parse_document(text, path), CATALOG)


# Section names ----------------------------------------------------------------------------------

HEADING_KINDS = {
    "Timeline": {"timeline"},
    "3. Timeline (UTC)": {"timeline"},
    "Incident Timeline (all times PST)": {"timeline"},
    "Chronology": {"timeline"},
    "Sequence of events": {"timeline"},
    "Detailed timeline": {"timeline"},
    "II. Timeline": {"timeline"},
    "Root Cause(s)": {"root-cause"},
    "ROOT CAUSE ANALYSIS": {"root-cause"},
    "Underlying cause": {"root-cause"},
    "Trigger": {"trigger"},
    "Proximate cause": {"trigger"},
    "What triggered it?": {"trigger"},
    "Contributing Factors": {"contributing-factors"},
    "Contributors": {"contributing-factors"},
    "What went wrong": {"contributing-factors"},
    "Why did it happen?": {"contributing-factors", "root-cause"},
    "Action Items": {"actions"},
    "Corrective & Preventive Actions": {"actions"},
    "Follow-ups": {"actions"},
    "Follow-up actions": {"actions"},
    "Remediations": {"actions"},
    "Next steps": {"actions"},
    "Preventive measures": {"actions"},
    "What we're doing about it": {"actions"},
    "What we’re doing": {"actions"},
    "TL;DR": {"summary"},
    "A. Summary": {"summary"},
    "Impact & scope": {"impact"},
    "Lessons Learned": {"lessons"},
    "Learnings and risks": {"lessons"},
    "Appendix": set(),
    "Supporting information": set(),
}


@pytest.mark.parametrize(("heading", "kinds"), HEADING_KINDS.items())
def test_section_aliases(heading: str, kinds: set[str]) -> None:
    assert CATALOG.kinds_of(heading) == kinds


def test_sections_are_found_by_name_not_position() -> None:
    postmortem = read("# T\n\n## Action items\n\n- a\n\n## Timeline\n\n- 14:02 x\n\n## Root cause\n\nr\n")
    assert [(kind, [s.line for s in postmortem.sections_of(kind)]) for kind in ("actions", "timeline")] == [
        ("actions", [3]),
        ("timeline", [7]),
    ]
    assert postmortem.section("root-cause") is not None and postmortem.section("root-cause").line == 11
    assert postmortem.section("impact") is None


def test_setext_sections_are_recognised() -> None:
    postmortem = read("Outage\n======\n\nTimeline\n--------\n\n- 14:02 UTC alert\n")
    assert postmortem.section("timeline") is not None
    assert [entry.line for entry in postmortem.timeline] == [7]


# Metadata ---------------------------------------------------------------------------------------

METADATA_CASES = {
    "front matter": (
        "---\ntitle: FM title\ndate: 2026-03-02\nseverity: SEV1\nstatus: final\n"
        "authors:\n  - alice\n  - bob\n"
        "---\n# Heading\n",
        {
            "title": ("FM title", 2),
            "date": ("2026-03-02", 3),
            "severity": ("SEV1", 4),
            "status": ("final", 5),
            "authors": ("alice, bob", 6),
        },
    ),
    "front matter datetime": (
        "---\ndate: 2026-03-02 14:00:00\n---\n# T\n",
        {"date": ("2026-03-02 14:00:00", 2)},
    ),
    "bold key lines": (
        "# T\n\n**Date:** 2026-03-02  \n**Severity:** SEV2  \n**Status:** Draft  \n**Authors:** @a, @b\n",
        {
            "date": ("2026-03-02", 3),
            "severity": ("SEV2", 4),
            "status": ("Draft", 5),
            "authors": ("@a, @b", 6),
        },
    ),
    "bold key, colon outside": (
        "# T\n\n**Date**: March 2, 2026\n**Incident Commander**: @x\n**Owner:** @y\n",
        {"date": ("March 2, 2026", 3), "commander": ("@x", 4), "authors": ("@y", 5)},
    ),
    "plain key lines": (
        "# T\n\nDate: 2026-03-02\nSeverity: P1\nStatus: Complete\n",
        {"date": ("2026-03-02", 3), "severity": ("P1", 4), "status": ("Complete", 5)},
    ),
    "list of key lines": (
        "# T\n\n- **Date:** 2026-03-02\n- **Sev:** high\n",
        {"date": ("2026-03-02", 3), "severity": ("high", 4)},
    ),
    "key/value table": (
        "# T\n\n| Field | Value |\n|---|---|\n| **Date** | 2026-03-02 |\n| Severity | SEV3 |\n"
        "| Authors | al, bo |\n",
        {"date": ("2026-03-02", 5), "severity": ("SEV3", 6), "authors": ("al, bo", 7)},
    ),
    "key/value table without a header row": (
        "# T\n\n| Date | 2026-03-02 |\n|---|---|\n| Severity | SEV3 |\n",
        {"date": ("2026-03-02", 3), "severity": ("SEV3", 5)},
    ),
    "one-row table with keys as header": (
        "# T\n\n| Date | Severity | Status | Authors |\n|---|---|---|---|\n"
        "| 2026-03-02 | SEV3 | final | al |\n",
        {"date": ("2026-03-02", 5), "severity": ("SEV3", 5), "status": ("final", 5), "authors": ("al", 5)},
    ),
    "metadata section": (
        "# T\n\nIntro.\n\n## Incident details\n\n- Date: 2026-03-02\n- Severity: SEV2\n",
        {"date": ("2026-03-02", 7), "severity": ("SEV2", 8)},
    ),
    "setext title": ("Incident report\n===\n\n**Date:** 2026-03-02\n", {"date": ("2026-03-02", 4)}),
    "front matter wins over a key line": (
        "---\nseverity: SEV1\n---\n# T\n\n**Severity:** SEV3\n",
        {"severity": ("SEV1", 2)},
    ),
    "key lines in later sections are not metadata": ("# T\n\n## Timeline\n\nDate: 2020-01-01\n", {}),
}


@pytest.mark.parametrize(("source", "expected"), METADATA_CASES.values(), ids=METADATA_CASES.keys())
def test_metadata(source: str, expected: dict[str, tuple[str, int]]) -> None:
    postmortem = read(source)
    found = {key: (postmortem.metadata[key], postmortem.metadata_lines[key]) for key in postmortem.metadata}
    assert found == expected


INCIDENT_DATES = {
    "front matter": ("---\ndate: 2026-03-02\n---\n# T\n", "pm.md", "2026-03-02"),
    "words in a key line": ("# T\n\n**Date:** March 2nd, 2026\n", "pm.md", "2026-03-02"),
    "the title": ("# 2025-11-14: DNS outage\n", "pm.md", "2025-11-14"),
    "the file name": ("# DNS outage\n", "posts/2025-11-14-dns.md", "2025-11-14"),
    "the first dated timeline entry": (
        "# T\n\n## Timeline\n\n- 2026-01-05 10:00 UTC start\n",
        "pm.md",
        "2026-01-05",
    ),
    "nowhere": ("# T\n", "pm.md", None),
}


@pytest.mark.parametrize(("source", "path", "expected"), INCIDENT_DATES.values(), ids=INCIDENT_DATES.keys())
def test_incident_date(source: str, path: str, expected: str | None) -> None:
    date = read(source, path).incident_date
    assert (date.isoformat() if date else None) == expected


def test_title_and_severity() -> None:
    postmortem = read("---\nseverity: SEV2\n---\n# Checkout outage\n")
    assert (postmortem.title, postmortem.severity) == ("Checkout outage", "SEV2")


def test_untitled_opening_paragraph_is_the_intro() -> None:
    postmortem = read("# T\n\n**Date:** 2026-03-02\n\nCheckout failed for 40 minutes.\n\n## Impact\n\nx\n")
    assert [(ref.text, ref.line) for ref in postmortem.intro] == [("Checkout failed for 40 minutes.", 5)]


# Timeline ---------------------------------------------------------------------------------------


def stamp(entry: TimelineEntry) -> tuple[int, str | None, str | None]:
    """(line, clock as written in 24 h, date) of an entry; relative times keep their T+ form."""
    time = entry.time
    if time is None:
        clock = None
    elif time.relative:
        total = time.hour * 60 + time.minute
        clock = f"T{'-' if total < 0 else '+'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    else:
        clock = f"{time.hour:02d}:{time.minute:02d}"
    return entry.line, clock, entry.date.isoformat() if entry.date else None


TIMELINE_CASES: dict[str, tuple[str, list[tuple[int, str | None, str | None]], str | None]] = {
    "table with a time column": (
        "## Timeline\n\n| Time | Event |\n|---|---|\n| 14:02 UTC | alert |\n| 14:10 UTC | ack |\n",
        [(10, "14:02", "2026-03-02"), (11, "14:10", "2026-03-02")],
        None,
    ),
    "table with date and time columns": (
        "## Timeline\n\n| Date | Time (UTC) | Event |\n|---|---|---|\n| 2019-03-26 | 23:58 | a |\n"
        "| | 23:59 | b |\n| 2019-03-27 | 00:10 | c |\n",
        [(10, "23:58", "2019-03-26"), (11, "23:59", "2019-03-26"), (12, "00:10", "2019-03-27")],
        "UTC",
    ),
    "table with full timestamps": (
        "## Timeline\n\n| Timestamp | Event |\n|---|---|\n"
        "| 2019-03-26 14:02 | a |\n| 2019-03-26 14:10 | b |\n",
        [(10, "14:02", "2019-03-26"), (11, "14:10", "2019-03-26")],
        None,
    ),
    "table with T+ times": (
        "## Timeline\n\n| Time | Event |\n|---|---|\n"
        "| T+00:00 | push |\n| T+00:05 | alert |\n| T+01:10 | ok |\n",
        [(10, "T+00:00", "2026-03-02"), (11, "T+00:05", "2026-03-02"), (12, "T+01:10", "2026-03-02")],
        None,
    ),
    "bullet list, several time styles": (
        "## Timeline\n\n- 14:02 UTC: alert\n- [14:05] @sam acks\n* **14:09** rollback\n- 2:15 pm: done\n",
        [
            (8, "14:02", "2026-03-02"),
            (9, "14:05", "2026-03-02"),
            (10, "14:09", "2026-03-02"),
            (11, "14:15", "2026-03-02"),
        ],
        None,
    ),
    "list entry without a time is kept": (
        "## Timeline (UTC)\n\n- 14:02 alert\n- Later: rollback\n",
        [(8, "14:02", "2026-03-02"), (9, None, "2026-03-02")],
        "UTC",
    ),
    "list with T+ times, before and after": (
        "## Timeline\n\n- T-00:10 change approved\n- T+0:00 push\n- T+00:05 alert\n",
        [(8, "T-00:10", "2026-03-02"), (9, "T+00:00", "2026-03-02"), (10, "T+00:05", "2026-03-02")],
        None,
    ),
    "one heading per timestamp": (
        "## Sequence of events\n\n### 2023-01-23 10:15 UTC\n\nSomething.\n\n"
        "### 2023-01-23 10:45 UTC\n\nMore.\n",
        [(8, "10:15", "2023-01-23"), (12, "10:45", "2023-01-23")],
        "UTC",
    ),
    "date headings over timed lists": (
        "## Timeline\n\n### January 23, 2023\n\n- 10:15 PST a\n\n### January 24, 2023\n\n- 09:00 PST b\n",
        [(10, "10:15", "2023-01-23"), (14, "09:00", "2023-01-24")],
        None,
    ),
    "times inside paragraphs": (
        "## Timeline\n\nAt **14:02** the alert fired.\n14:05 - engineer acknowledged.\n**14:10** rollback.\n",
        [(8, "14:02", "2026-03-02"), (9, "14:05", "2026-03-02"), (10, "14:10", "2026-03-02")],
        None,
    ),
    "date and zone stated once": (
        "## Timeline\n\nAll times UTC, 2026-04-01.\n\n- 09:00 a\n- 09:30 b\n",
        [(10, "09:00", "2026-04-01"), (11, "09:30", "2026-04-01")],
        "UTC",
    ),
    "zone in the heading": ("## Timeline (PDT)\n\n- 09:00 a\n", [(8, "09:00", "2026-03-02")], "PDT"),
    "entries cross midnight": (
        "## Timeline (UTC)\n\n- 23:50 alert\n- 23:58 ack\n- 00:10 fix\n- 01:00 resolved\n",
        [
            (8, "23:50", "2026-03-02"),
            (9, "23:58", "2026-03-02"),
            (10, "00:10", "2026-03-03"),
            (11, "01:00", "2026-03-03"),
        ],
        "UTC",
    ),
    "am/pm across midnight": (
        "## Timeline (PDT)\n\n- 11:58 pm deploy\n- 12:03 am alert\n",
        [(8, "23:58", "2026-03-02"), (9, "00:03", "2026-03-03")],
        "PDT",
    ),
    "dates in a parent list": (
        "## Timeline\n\n- 2026-03-02\n  - 23:50 alert\n- 2026-03-03\n  - 00:10 fix\n",
        [(9, "23:50", "2026-03-02"), (11, "00:10", "2026-03-03")],
        None,
    ),
    "timeline after the action items": (
        "## Action items\n\n- x\n\n## Timeline\n\n- 14:02 a\n",
        [(12, "14:02", "2026-03-02")],
        None,
    ),
    "an appendix chat log is not the timeline": (
        "## Timeline\n\n- 14:02 alert\n\n## Appendix: chat log\n\n> [14:03] bob: who broke it\n",
        [(8, "14:02", "2026-03-02")],
        None,
    ),
}


@pytest.mark.parametrize(("body", "entries", "zone"), TIMELINE_CASES.values(), ids=TIMELINE_CASES.keys())
def test_timeline(body: str, entries: list[tuple[int, str | None, str | None]], zone: str | None) -> None:
    postmortem = read(DATED + body)
    assert [stamp(entry) for entry in postmortem.timeline] == entries
    assert postmortem.timeline_zone == zone


def test_timeline_entry_keeps_zone_and_text() -> None:
    [entry] = read(DATED + "## Timeline\n\n- 14:02 PST: alert fired\n").timeline
    assert entry.time is not None and (entry.time.zone, entry.time.offset_minutes) == ("PST", -480)
    assert entry.text == "14:02 PST: alert fired"


def test_no_timeline_section_means_no_entries() -> None:
    assert read(DATED + "## Summary\n\n- 14:02 alert\n").timeline == ()


# Causes -----------------------------------------------------------------------------------------

CAUSE_CASES = {
    "sections of their own": (
        "## Trigger\n\nA push.\n\n## Root causes\n\n1. Loader accepts empty.\n2. No canary.\n\n"
        "## Contributing factors\n\n- Split ownership\n",
        [("A push.", 3)],
        [("Loader accepts empty.", 7), ("No canary.", 8)],
        [("Split ownership", 12)],
    ),
    "labelled lines in the root-cause section": (
        "## Root cause\n\n**Trigger:** a push.\n\n**Root cause:** loader accepts empty.\n\n"
        "**Contributing factors:** split ownership.\n",
        [("a push.", 3)],
        [("loader accepts empty.", 5)],
        [("split ownership.", 7)],
    ),
    "labelled lines without sections": (
        "Summary text.\n\n**Proximate cause:** a push.\n\n**Root cause:** the loader.\n",
        [("a push.", 3)],
        [("the loader.", 5)],
        [],
    ),
    "a list in the root-cause section names factors": (
        "## Root cause analysis\n\nThe loader accepts empty lists.\n\n- No canary\n- No alert\n",
        [],
        [("The loader accepts empty lists.", 3), ("No canary", 5), ("No alert", 6)],
        [("No canary", 5), ("No alert", 6)],
    ),
    "trigger as a subsection of the root cause": (
        "## Root cause\n\nThe loader.\n\n### Trigger\n\nA push.\n",
        [("A push.", 7)],
        [("The loader.", 3)],
        [],
    ),
    "what went wrong under lessons learned": (
        "## Root Cause(s)\n\nLoader.\n\n## Lessons learned\n\n### What went wrong\n\n- No canary\n",
        [],
        [("Loader.", 3)],
        [("No canary", 9)],
    ),
    "a combined section keeps the trigger out of the factors": (
        "## Causes and contributing factors\n\n**Trigger:** a push.\n\n- Split ownership\n",
        [("a push.", 3)],
        [("Split ownership", 5)],
        [("Split ownership", 5)],
    ),
}


@pytest.mark.parametrize(
    ("body", "proximate", "root", "factors"), CAUSE_CASES.values(), ids=CAUSE_CASES.keys()
)
def test_causes(
    body: str, proximate: list[tuple[str, int]], root: list[tuple[str, int]], factors: list[tuple[str, int]]
) -> None:
    postmortem = read("# T\n\n" + body)
    shift = 2  # the "# T" heading and its blank line
    assert [(ref.text, ref.line - shift) for ref in postmortem.proximate_causes] == proximate
    assert [(ref.text, ref.line - shift) for ref in postmortem.root_causes] == root
    assert [(ref.text, ref.line - shift) for ref in postmortem.contributing_factors] == factors


# Corrective actions -----------------------------------------------------------------------------

ACTIONS_HEADING = DATED + "## Action items\n\n"  # the first action line is line 8
ACTION_CASES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "table with every column": (
        "| ID | Action | Owner | Due | Status | Tracking |\n|---|---|---|---|---|---|\n"
        "| CK-1 | Add alert | @alice | 2026-03-16 | Done | #412 |\n"
        "| CK-2 | Add canary | Alice Smith, Bob | Mar 20 | In progress "
        "| [OPS-7](https://jira.example/browse/OPS-7) |\n"
        "| CK-3 | Fix loader | TBD | TBD | open | |\n",
        [
            {
                "line": 10,
                "text": "Add alert",
                "id": "CK-1",
                "owners": ["alice"],
                "deadline": "2026-03-16",
                "status": "Done",
                "done": True,
                "tracking": "#412",
            },
            {
                "line": 11,
                "owners": ["Alice Smith", "Bob"],
                "deadline": "2026-03-20",
                "done": False,
                "tracking": "OPS-7",
            },
            {"line": 12, "owners": [], "deadline": None, "deadline_text": "TBD", "vague": True},
        ],
    ),
    "Google SRE table": (
        "| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n"
        "| Update playbook | mitigate | jennifer | #5554 |\n",
        [{"text": "Update playbook", "owners": ["jennifer"], "tracking": "#5554", "deadline": None}],
    ),
    "Jira-first table": (
        "| Jira | Description | Assignee | Due date |\n|---|---|---|---|\n"
        "| OPS-12 | Add alert | bob | 2026-04-01 |\n",
        [{"text": "Add alert", "owners": ["bob"], "deadline": "2026-04-01", "tracking": "OPS-12"}],
    ),
    "cancelled rows are closed": (
        "| Action | Owner | Status |\n|---|---|---|\n| Drop it | | won't do |\n| Gone | | Cancelled |\n"
        "| Shard it | | Not feasible: no budget |\n| Move it | | Declined |\n| Check roles | | Confirmed |\n"
        "| Note it | | Not started |\n",
        [{"done": True}, {"done": True}, {"done": True}, {"done": True}, {"done": True}, {"done": False}],
    ),
    "bullet list with handles, labels and parentheses": (
        "- Add canary (@alice, by 2026-03-20) #123\n"
        "- Add alert. Owner: Bob. Due: Mar 25.\n"
        "- @carol will add an alert by end of month\n"
        "- Add retries (Dana Lee)\n"
        "- Add alert (owner: Erin Ray, due: 2026-04-01)\n"
        "- Add alert — owner: @fay, due 2026-04-02\n",
        [
            {"line": 8, "owners": ["alice"], "deadline": "2026-03-20", "tracking": "#123"},
            {"line": 9, "owners": ["Bob"], "deadline": "2026-03-25", "deadline_text": "Mar 25"},
            {
                "line": 10,
                "owners": ["carol"],
                "deadline": None,
                "deadline_text": "end of month",
                "vague": True,
            },
            {"line": 11, "owners": ["Dana Lee"], "deadline": None},
            {"line": 12, "owners": ["Erin Ray"], "deadline": "2026-04-01"},
            {"line": 13, "owners": ["fay"], "deadline": "2026-04-02"},
        ],
    ),
    "teams as owners": (
        "- Add alert (@acme/sre, next sprint)\n",
        [{"owners": ["acme/sre"], "deadline_text": "next sprint", "vague": True}],
    ),
    "deadline shapes": (
        "- Add alert by 2026-12-01 (@a)\n- Add alert, due Dec 1 (@a)\n- Add alert. Due: Dec 1\n"
        "- Add alert (@a) Q4 2025\n- Add alert (ETA: Q3)\n- Add alert ASAP (@a)\n- Add alert H2 2026 (@a)\n"
        "- Add alert (@a)\n",
        [
            {"deadline": "2026-12-01", "deadline_text": "2026-12-01", "vague": False},
            {"deadline": "2026-12-01", "deadline_text": "Dec 1", "vague": False},
            {"deadline": "2026-12-01", "deadline_text": "Dec 1", "vague": False},
            {"deadline": None, "deadline_text": "Q4 2025", "vague": True},
            {"deadline": None, "deadline_text": "Q3", "vague": True},
            {"deadline": None, "deadline_text": "ASAP", "vague": True},
            {"deadline": None, "deadline_text": "H2 2026", "vague": True},
            {"deadline": None, "deadline_text": None},
        ],
    ),
    "a day without a year is the next such day after the incident": (
        "- Add alert, due Feb 1 (@a)\n",
        [{"deadline": "2027-02-01"}],
    ),
    "tracking shapes": (
        "- Add alert https://github.com/o/r/issues/45\n- Add alert ([#46](https://github.com/o/r/issues/46))\n"
        "- Add alert, tracked in o/r#12\n- Add alert [OPS-123](https://jira.example.com/browse/OPS-123)\n"
        "- Add retries (see PR #88)\n",
        [
            {"tracking": "https://github.com/o/r/issues/45"},
            {"tracking": "#46"},
            {"tracking": "o/r#12"},
            {"tracking": "OPS-123"},
            {"tracking": "#88"},
        ],
    ),
    "look-alikes are not tracking references": (
        "- Migrate to UTF-8 (@a)\n- Page on SEV-2 incidents (@a)\n- Patch CVE-2024-1234 (@a)\n"
        "- Move to us-east-1 (@a)\n",
        [{"tracking": None}, {"tracking": None}, {"tracking": None}, {"tracking": None}],
    ),
    "task list": (
        "- [ ] Add alert (@a, due 2026-03-10)\n- [x] Roll back the config (@b)\n",
        [
            {"line": 8, "text": "Add alert (@a, due 2026-03-10)", "done": False},
            {"line": 9, "text": "Roll back the config (@b)", "done": True},
        ],
    ),
    "details in a sub-list": (
        "- Add alert on queue depth\n  - Owner: @a\n  - Due: 2026-03-10\n  - Status: done\n"
        "  - Tracking: #55\n",
        [
            {
                "line": 8,
                "text": "Add alert on queue depth",
                "owners": ["a"],
                "deadline": "2026-03-10",
                "deadline_text": "2026-03-10",
                "status": "done",
                "done": True,
                "tracking": "#55",
            }
        ],
    ),
    "short action with a detail sub-list is not a group": (
        "- Add queue alert\n  - Owner: @a\n",
        [{"line": 8, "text": "Add queue alert", "owners": ["a"], "group": None}],
    ),
    "grouped by sub-headings": (
        "### Process\n\n- Add review step (@a, by 2026-03-20)\n\n"
        "### Technical\n\n1. Add canary (@b, by 2026-03-21)\n",
        [
            {"line": 10, "group": "Process", "owners": ["a"]},
            {"line": 14, "group": "Technical", "owners": ["b"]},
        ],
    ),
    "grouped by bold list items": (
        "- **Short term**\n  - Add alert (@a) by 2026-03-10\n"
        "- **Long term**:\n  - Rewrite loader (@c) by 2026-06-01\n",
        [
            {"line": 9, "group": "Short term", "deadline": "2026-03-10"},
            {"line": 11, "group": "Long term", "deadline": "2026-06-01"},
        ],
    ),
    "grouped by bold paragraphs": (
        "**Short term**\n\n- Add alert (@a) by 2026-03-10\n\n"
        "**Long term:**\n\n- Rewrite loader (@c) by 2026-06-01\n",
        [{"line": 10, "group": "Short term"}, {"line": 14, "group": "Long term"}],
    ),
    "prose in the section is not an action": (
        "We agreed on these:\n\n- Add alert (@a)\n\nThe person responsible will follow up.\n",
        [{"line": 10, "text": "Add alert (@a)"}],
    ),
}


@pytest.mark.parametrize(("body", "expected"), ACTION_CASES.values(), ids=ACTION_CASES.keys())
def test_actions(body: str, expected: list[dict[str, Any]]) -> None:
    actions = read(ACTIONS_HEADING + body).actions
    found = [
        {**action.to_dict(), "vague": bool(action.deadline and action.deadline.vague)} for action in actions
    ]
    assert len(found) == len(expected), [action["text"] for action in found]
    for got, wanted in zip(found, expected, strict=True):
        assert {key: got[key] for key in wanted} == wanted, got["text"]


UNTITLED_TIMELINE = (
    "# Expired certificate\n\nOn 2024-09-10 the site was down.\n\n"
    "Chronology of the incident (EDT timezone):\n\n"
    "- 06:46 AM - Deployment happened\n- 09:35 AM - Support received the bug report\n"
    "- 12:53 PM - Rollback started\n\nThe release was reverted.\n"
)


def test_time_stamped_list_under_no_heading_is_the_timeline_with_its_lead_in_zone() -> None:
    postmortem = read(UNTITLED_TIMELINE)
    assert [(entry.time.hour if entry.time else None) for entry in postmortem.timeline] == [6, 9, 12]
    assert postmortem.timeline_zone == "EDT"


def test_pasted_bullet_lines_with_times_are_the_timeline() -> None:
    body = (
        "# Expired certificate\n\nOn 2024-09-10 the site was down.\n\n"
        "  • 12:07 AM UTC: The expiry is identified.\n  • 1:48 AM UTC: A new certificate is received.\n"
        "  • 1:58 AM UTC: It is deployed everywhere.\n"
    )
    assert len(read(body).timeline) == 3


def test_two_timed_items_or_an_actions_list_make_no_untitled_timeline() -> None:
    two = UNTITLED_TIMELINE.replace("- 12:53 PM - Rollback started\n", "- Rollback started\n")
    assert read(two).timeline == ()
    actions = (
        "# Outage\n\n## Action items\n\n- 09:00 standup: add alert\n- 10:00 sync: add canary\n"
        "- 11:00: add runbook\n"
    )
    assert read(actions).timeline == ()


HEADER_FIELD_REMEDIATION = (
    "# Incident: queue outage\n\n| | |\n|---|---|\n| **Date** | 2026-07-23 |\n"
    "| **Remediation** | Manual rollback of every transaction |\n\n## Summary\n\nThe queue stopped.\n"
)


def test_remediation_field_over_the_summary_sums_up_when_an_actions_section_follows() -> None:
    body = HEADER_FIELD_REMEDIATION + "\n## Action items\n\n- Add a guard to the runner (@ana)\n"
    assert [action.text for action in read(body).actions] == ["Add a guard to the runner (@ana)"]


def test_remediation_field_is_the_action_list_where_the_document_has_no_other() -> None:
    assert [action.text for action in read(HEADER_FIELD_REMEDIATION).actions] == [
        "Manual rollback of every transaction"
    ]


def test_action_deadline_without_any_incident_date_still_names_the_day() -> None:
    [action] = read("# T\n\n## Action items\n\n- Add alert. Due: Dec 1 (@a)\n").actions
    assert action.deadline is not None and action.deadline.date is not None
    assert (action.deadline.date.month, action.deadline.date.day) == (12, 1)
    assert action.deadline.date.year in (dt.date.today().year, dt.date.today().year + 1)


def test_action_to_dict_is_plain_data() -> None:
    [action] = read(ACTIONS_HEADING + "- [ ] Add alert (@a, by 2026-03-10) #7\n").actions
    assert action.to_dict() == {
        "text": "Add alert (@a, by 2026-03-10) #7",
        "line": 8,
        "owners": ["a"],
        "deadline": "2026-03-10",
        "deadline_text": "2026-03-10",
        "status": None,
        "state": "open",
        "done": False,
        "tracking": "#7",
        "id": None,
        "group": None,
    }


def test_actions_from_several_sections_in_document_order() -> None:
    postmortem = read(DATED + "## Action items\n\n- First (@a)\n\n## Follow-ups\n\n- Second (@b)\n")
    found = [(action.text, action.line) for action in postmortem.actions]
    assert found == [("First (@a)", 8), ("Second (@b)", 12)]
