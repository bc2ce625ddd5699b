"""Shapes real post-mortems take, in documents written for these tests (not copied from anywhere).

A Google-SRE-style document with labelled fields and an action table; headings named the way teams
name them; timelines with every common way of writing dates and times.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from pmcheck import api
from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset
from pmcheck.parse import parse_document
from pmcheck.postmortem import PostMortem, SectionCatalog, read_postmortem
from pmcheck.timeparse import zone_offset

SRE_STYLE = """\
# Search outage postmortem (incident 7)

**Date**: 2026-02-11

**Authors**: kim, ravi

**Status**: Complete, action items in progress

**Summary**: Search was down for 40 minutes during a traffic spike.

**Impact**:[1] About 2M queries failed; no data was lost.

**Root Causes**:[2] A retry loop without a budget amplified load under a spike.

**Trigger**: A news article sent 30x the usual traffic.

**Action Items**:

| Action Item | Type | Owner | Bug |
| --- | --- | --- | --- |
| Give the search client a retry budget | prevent | kim | Bug 4411 **DONE** |
| Add a load-shedding switch to the frontend | mitigate | ravi | Bug 4412 **TODO** |

## Timeline

2026-02-11 (*all times UTC*)

* 14:51 traffic starts rising
* 14:53 **OUTAGE BEGINS** backends overload
* 15:31 service restored
"""


def _catalog() -> SectionCatalog:
    return build_ruleset(LoadedConfig(config=Config(), base=Path.cwd())).catalog


def _read(markdown: str) -> PostMortem:
    return read_postmortem(parse_document(textwrap.dedent(markdown)), _catalog())


def _rules(markdown: str, path: str = "doc.md") -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in api.check_text(textwrap.dedent(markdown), path=path, ignore=["blame"]):
        found.setdefault(finding.rule_name, []).append(finding.message)
    return found


def test_sre_style_labelled_fields_are_its_sections() -> None:
    found = _rules(SRE_STYLE)
    assert "required-sections" not in found
    assert "actions-present" not in found
    assert "root-cause" not in found and "proximate-cause" not in found
    assert "metadata-values" not in found


def test_sre_style_fields_written_as_headings() -> None:
    as_headings = SRE_STYLE
    for label in ("Date", "Authors", "Status", "Summary", "Impact", "Root Causes", "Trigger", "Action Items"):
        as_headings = as_headings.replace(f"**{label}**:", f"### {label}:")
    found = _rules(as_headings)
    for rule in ("required-sections", "actions-present", "root-cause", "proximate-cause", "empty-section"):
        assert rule not in found, (rule, found.get(rule))
    assert _read(as_headings).root_causes[0].text.startswith("A retry loop")


def test_todo_and_done_in_an_action_table_are_states_not_placeholders() -> None:
    found = _rules(SRE_STYLE)
    assert "placeholder" not in found
    actions = _read(SRE_STYLE).actions
    assert [(a.owners, a.state, a.done, a.tracking) for a in actions] == [
        (("kim",), "done", True, "Bug 4411"),
        (("ravi",), "open", False, "Bug 4412"),
    ]
    # The open action still has no deadline: that finding is true and stays an error.
    assert found["action-deadline"] == [
        'corrective action has no deadline: "Add a load-shedding switch to the frontend"'
    ]


def test_a_todo_outside_an_action_table_is_still_a_placeholder() -> None:
    assert "placeholder" in _rules("# Outage\n\n## Impact\n\nTODO\n")


HEADINGS = {
    "What happened": "timeline",
    "Key events": "timeline",
    "Chronology": "timeline",
    "Fallout": "impact",
    "What went wrong": "contributing-factors",
    "Why it wasn't caught": "contributing-factors",
    "What Didn't Go So Well?": "contributing-factors",
    "How did this happen": "root-cause",
    "What we're doing about it": "actions",
    "Next steps": "actions",
    "Follow-up": "actions",
    "Follow-ups": "actions",
    "Remediation": "actions",
    "Prevention": "actions",
    "Lead-up": "trigger",
}


@pytest.mark.parametrize(("heading", "kind"), HEADINGS.items(), ids=HEADINGS.keys())
def test_section_names_beyond_a_fixed_list(heading: str, kind: str) -> None:
    assert kind in _catalog().kinds_of(heading)


@pytest.mark.parametrize(
    "label",
    ["**Impact**: x", "**Impact:** x", "Impact: x", "User impact: x", "**Impact**:[3] x", "- **Impact**: x"],
)
def test_labelled_fields_count_as_sections(label: str) -> None:
    postmortem = _read(f"# Outage\n\n{label}\n")
    assert [section.title for section in postmortem.sections_of("impact")] in (["Impact"], ["User impact"])


def test_a_key_value_table_and_an_html_heading_count_as_sections() -> None:
    table = _read("# Outage\n\n| Field | Value |\n| --- | --- |\n| Impact | 2M queries failed |\n")
    html = _read("# Outage\n\n<h2>Impact</h2>\n\n2M queries failed.\n")
    assert table.section("impact") is not None and html.section("impact") is not None


def test_a_long_heading_ending_in_a_part_name_is_not_that_part() -> None:
    assert _catalog().kinds_of("Anti-impersonation email prevention") == set()


def test_group_deadline_and_state_apply_to_the_items_under_them() -> None:
    postmortem = _read(
        """\
        # Outage

        ## Remediation

        ### Immediate actions (completed)
        - Rolled back the release

        ### Long-term improvements (Target: Q4 2025)
        - **Compatibility tests**: run old clients in CI. Owner: @lee
        """
    )
    first, second = postmortem.actions
    assert (first.state, first.done) == ("done", True)
    assert second.deadline is not None and second.deadline.text.lower() == "q4 2025"
    assert second.owners == ("lee",)


def test_a_group_deadline_by_the_end_of_a_month_names_its_last_day() -> None:
    postmortem = _read(
        """\
        ---
        date: 2026-01-20
        ---
        # Outage

        ## Next steps

        **Short term (by end of March)**
        - Add a retry budget (@kim)
        """
    )
    (action,) = postmortem.actions
    assert action.deadline is not None and str(action.deadline.date) == "2026-03-31"


TIMELINES = {
    "ordinal dates": ("- 11:10 6th Nov 2023: a\n- 09:05 7th Nov 2023: b\n", ["2023-11-06", "2023-11-07"]),
    "day-first by a field over 12": (
        "- 24-10-2024 - 08:15: a\n- 25-10-2024 - 07:00: b\n",
        ["2024-10-24", "2024-10-25"],
    ),
    "day-first short year": ("- 12:00 kickoff\n\n24/07/25\n\n- 09:00 b\n", [None, "2025-07-24"]),
    "separate day and time columns": (
        "| Day | Time (UTC) | Event |\n|---|---|---|\n"
        "| Mon 2026-03-02 | 23:50 | a |\n| Tue 2026-03-03 | 00:10 | b |\n",
        ["2026-03-02", "2026-03-03"],
    ),
    "date headings then times": (
        "### 2026-03-02\n\n- 23:50 a\n\n### 2026-03-03\n\n- 00:10 b\n",
        ["2026-03-02", "2026-03-03"],
    ),
    "a range of days, by its first": (
        "- 7-13th Nov 2023: freeze\n- 14th Nov 2023 09:00: release\n",
        ["2023-11-07", "2023-11-14"],
    ),
    "a date after the time": ("- 22:41 UTC - a\n- 11:14 UTC Tuesday Aug 28 - b\n", [None, "2026-08-28"]),
}


@pytest.mark.parametrize(("entries", "dates"), TIMELINES.values(), ids=TIMELINES.keys())
def test_timeline_dates_as_teams_write_them(entries: str, dates: list[str | None]) -> None:
    postmortem = _read(f"# Outage\n\n## Timeline (UTC)\n\n{entries}")
    found = [entry.date.isoformat() if entry.date else None for entry in postmortem.timeline]
    assert [day for day, want in zip(found, dates, strict=True) if want] == [want for want in dates if want]


IN_ORDER = {
    "12-hour clock, no am/pm": "## Timeline (PST)\n    - 11:16 ::: a\n    - 12:16 ::: b\n    - 1:52 ::: c",
    "24-hour values with a stray PM": "## Timeline (PST)\n\n12:11 PM: a\n\n13:06 PM: b\n\n18:41 PM: c",
    "month-first, by the file name": "## Timeline\n\n_7/5/2023_\n\n18:41 PM: a\n\n_7/6/23_\n\n7:05 AM",
    "HHMM by a date": "## Timeline (UTC)\n\n- 2022-02-02 1625: a\n- 2022-02-02 1650: b\n- 2022-02-03 0457:",
    "HH.MM": "## What happened\n\n - 10.42: a\n - 10.46: b\n - 10.56: c\n",
    "ranges by their start": "## Timeline (UTC)\n\n- 02:00-04:30: maintenance\n- 04:00: alert\n",
    "approximate and bold times": "## Timeline (UTC)\n\n- ~14:00 a\n- approx. 14:30 b\n- **14:45** c\n",
    "a <br> run": "## Timeline (UTC)\n\n**21:14** a<br> **21:20** b<br>\n**23:54** c\n",
    "pm written once": "## Timeline (PST)\n\n- 11:50 AM a\n- 12:10 b\n- 1:20 c\n",
    "newest first, as status pages keep it": (
        "## Timeline (UTC)\n\n- 16:20 Resolved\n- 15:45 Monitoring\n- 15:10 Identified\n- 14:02 Started\n"
    ),
    "a day-only timeline": "## Timeline\n\n- **Jun 4, 2025**: a\n- **Jun 5, 2025**: b\n",
}


@pytest.mark.parametrize("timeline", IN_ORDER.values(), ids=IN_ORDER.keys())
def test_in_order_timelines_draw_no_order_finding(timeline: str) -> None:
    found = _rules(f"# Outage\n\n{timeline}", path="2023-07-05-outage.md")
    assert "timeline-order" not in found


def test_a_step_back_in_a_newest_first_timeline_is_found() -> None:
    timeline = "## Timeline (UTC)\n\n- 16:20 a\n- 15:45 b\n- 15:50 c\n- 14:02 d\n- 13:00 e\n"
    assert len(_rules(f"# Outage\n\n{timeline}")["timeline-order"]) == 1


def test_a_real_step_back_is_still_found_once() -> None:
    timeline = "## Timeline (UTC)\n\n- 2026-03-02 15:50 a\n- 2026-03-02 14:30 b\n- 2026-03-02 16:29 c\n"
    assert len(_rules(f"# Outage\n\n{timeline}")["timeline-order"]) == 1


def test_the_zone_comes_from_a_time_column_header_or_a_tz_database_name() -> None:
    postmortem = _read("# O\n\n## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n| 14:02 | a |\n")
    assert postmortem.timeline_zone == "UTC"
    named = _read("# O\n\n## Timeline\n\nAll times are in America/New_York.\n\n- 9:58 AM a\n")
    assert named.timeline_zone == "America/New_York"


def test_the_incident_date_says_where_it_was_read() -> None:
    assert _read("# 2026-03-02 Outage\n").incident_date_source == "title"
    dated = read_postmortem(parse_document("# Outage\n", path="2026-03-02-outage.md"), _catalog())
    assert (dated.incident_date_source, str(dated.incident_date)) == ("file name", "2026-03-02")
    timeline = _read("# Outage\n\n## Timeline\n\n- 2026-03-02 14:02 UTC: alert\n")
    assert timeline.incident_date_source == "first timeline entry"
    narrative = _read("# Outage\n\nBetween November 11 and November 15, 2025 ingestion lagged.\n")
    assert (narrative.incident_date_source, str(narrative.incident_date)) == ("summary", "2025-11-11")


# Shapes found later on post-mortems outside the corpus (documents again written for these tests).

# The SRE-book template copied as teams copy it: labelled fields, then the action table straight after
# them, under no "Action items" heading of its own.
FIELDS_THEN_TABLE = """\
# Ledger replay postmortem

**Date**: 3rd March, 2026
**Summary**: Ledger replicas diverged for two hours after a compiler upgrade.
**Impact**: Writes were refused for 2 hours.
**Root Causes**: Map iteration order changed between compiler versions.
**Trigger**: The first nightly compaction after the upgrade.

| Action Item | Type | Owner | Bug |
| --- | --- | --- | --- |
| Pin the compiler version in the build image | prevent | build team | DONE |
| Sort keys before hashing the snapshot | prevent | ledger team | TODO |

## Timeline

3rd March 2026:
10:02 GST: replicas report different hashes
10:30 GST: writes stopped
"""


def test_an_action_table_after_labelled_fields_holds_the_actions() -> None:
    actions = _read(FIELDS_THEN_TABLE).actions
    assert [(action.text, action.owners, action.done) for action in actions] == [
        ("Pin the compiler version in the build image", ("build team",), True),
        ("Sort keys before hashing the snapshot", ("ledger team",), False),
    ]
    found = _rules(FIELDS_THEN_TABLE)
    assert "actions-present" not in found
    # The open action has no deadline: that stays a true finding.
    assert found["action-deadline"] == [
        'corrective action has no deadline: "Sort keys before hashing the snapshot"'
    ]


def test_a_table_that_is_not_about_actions_is_not_read_as_actions() -> None:
    markdown = "# Outage\n\n## Impact\n\n| Region | Owner | Errors |\n|---|---|---|\n| eu | ops | 12% |\n"
    assert _read(markdown).actions == ()


@pytest.mark.parametrize(("zone", "offset"), [("GST", 240), ("SAST", 120), ("PKT", 300), ("AKDT", -480)])
def test_more_zone_abbreviations_state_the_zone(zone: str, offset: int) -> None:
    assert zone_offset(zone) == offset
    found = _rules(f"# Outage\n\n## Timeline\n\n- 10:02 {zone}: alert\n- 10:30 {zone}: fixed\n")
    assert "timeline-timezone" not in found


def test_the_timeline_of_the_fields_document_states_its_zone_on_each_line() -> None:
    assert "timeline-timezone" not in _rules(FIELDS_THEN_TABLE)


MORE_HEADINGS = {
    "Why did all this happen so quickly?": {"root-cause", "contributing-factors"},
    "Why did this happen": {"root-cause", "contributing-factors"},
    "How did that happen?": {"root-cause"},
    "What is being done about this?": {"actions"},
    "What is being done": {"actions"},
    "Looking forward": {"actions"},
    "Looking ahead": {"actions"},
    "Origin of the incident": {"root-cause"},
    "Impacted customers": {"impact"},
}


@pytest.mark.parametrize(("heading", "kinds"), MORE_HEADINGS.items(), ids=MORE_HEADINGS.keys())
def test_more_section_names(heading: str, kinds: set[str]) -> None:
    assert kinds <= _catalog().kinds_of(heading)


def test_a_question_heading_with_extra_words_is_the_root_cause_section() -> None:
    markdown = """\
    # Queue outage

    The queue stopped for an hour.

    ## Why did all this happen at once?

    - the retry storm filled the disk
    - alerts on disk use were off

    ## What is being done about this?

    - @mira adds a disk alert by 2026-05-01
    """
    found = _rules(markdown)
    assert "root-cause" not in found
    assert "contributing-factors" not in found
    assert "actions-present" not in found


@pytest.mark.parametrize(
    "statement", ["No further actions are needed.", "None.", "N/A", "No action items are required"]
)
def test_saying_nothing_needs_doing_is_not_an_action(statement: str) -> None:
    postmortem = _read(f"# Outage\n\n## Further actions\n\n{statement}\n")
    assert postmortem.actions == ()


def test_a_real_action_after_a_none_statement_is_still_read() -> None:
    markdown = (
        "# Outage\n\n## Action items\n\n- No further action is needed on the proxy.\n- Rotate the key\n"
    )
    assert [action.text for action in _read(markdown).actions] == ["Rotate the key"]


def test_a_heading_that_names_a_to_do_list_is_not_a_placeholder() -> None:
    markdown = "# Outage\n\n## Recovery TODO\n\n- [ ] @ana restores the volume by 2026-05-01\n"
    assert "placeholder" not in _rules(markdown)
    assert "placeholder" in _rules("# Outage\n\n## TODO\n\nWrite this.\n")
    assert "placeholder" in _rules("# Outage\n\n## Impact\n\nTODO\n")


def test_a_status_written_as_a_sentence_is_not_checked_against_status_words() -> None:
    prose = "# Outage\n\n**Status:** Service restored, the data migration is still running\n"
    assert "metadata-values" not in _rules(prose)
    assert "metadata-values" in _rules("# Outage\n\n**Status:** ongoing\n")


NUMBERED_HEADINGS = """\
# Cluster wipe

The cluster was wiped by an automation hook.

## Prevention measures

### 1. Remove the wipe hook from the production module

**Options:**
- move it to a separate module
- guard it with a target flag

### 2. Review every plan before applying it

- save the plan to a file
- apply only the saved plan

### 3. Short term

- @ana adds a backup of the state by 2026-06-01
"""


def test_a_numbered_sub_heading_is_one_action_and_its_bullets_are_details() -> None:
    actions = _read(NUMBERED_HEADINGS).actions
    assert [action.text for action in actions] == [
        "Remove the wipe hook from the production module",
        "Review every plan before applying it",
        "@ana adds a backup of the state by 2026-06-01",
    ]
    found = _rules(NUMBERED_HEADINGS)
    assert len(found["action-owner"]) == 2


def test_a_paragraph_of_intent_under_lessons_is_not_an_action() -> None:
    markdown = """\
    # Outage

    ## Lessons learned

    ### Next steps
    We will keep widening these checks over time.

    ## Action items

    - @ana adds a smoke test by 2026-06-01
    """
    assert [action.text for action in _read(markdown).actions] == ["@ana adds a smoke test by 2026-06-01"]


REPORTED = {
    "Extra monitoring was added to the queue": "done",
    "The old token has been revoked": "done",
    "We have removed write access for the bot": "done",
    "Clients were to be filtered at the edge": None,
    "The affected users have been found and will be told": None,
    "The flag was not removed yet": None,
    "Based on what we have seen, we are adding a canary stage": None,
    "Add a canary stage": None,
    "Rolled back the release": "done",
    "Sent a notice to every affected team": "done",
    "Operators downgraded the nodes to 3.1": "done",
    "We rotated the signing keys": "done",
    "Keep deleted files for 30 days": None,
    "Roll back the release when the error rate doubles": None,
    "Added retries, and will add a circuit breaker": None,
    "All bridge transactions identified (see the trace)": "done",
    "The pool halted": "done",
    "Alert when pods restarted": None,
    "Make sure the keys are rotated": None,
    "Old tokens to be revoked": None,
}


@pytest.mark.parametrize(("item", "state"), REPORTED.items(), ids=REPORTED.keys())
def test_an_item_that_reports_its_change_as_made_is_done(item: str, state: str | None) -> None:
    (action,) = _read(f"# Outage\n\n## Action items\n\n- {item}\n").actions
    assert action.state == state
    prose = _read(f"# Outage\n\n## What we are doing\n\n{item}.\n").actions
    assert [action.state for action in prose] == [state]


def test_what_is_being_done_is_a_plan_not_a_record_of_done_work() -> None:
    plan = _read("# Outage\n\n## What is being done about it?\n\nWe will add a disk alert.\n").actions
    assert [(action.state, action.done) for action in plan] == [(None, False)]
    record = _read("# Outage\n\n## Actions taken\n\n- Added a disk alert\n").actions
    assert [(action.state, action.done) for action in record] == [("done", True)]


# Shapes from a second set of real post-mortems (issue 10d), in documents written for these tests.


def test_a_part_of_its_own_under_the_timeline_heading_holds_no_entries() -> None:
    markdown = """\
    # Queue outage

    ## Timeline (UTC, May 3, 2026)

    | Time | Event |
    | --- | --- |
    | 14:10 | Workers stopped |
    | 16:40 | Workers restarted |

    ### Duration of impact

    - **Ingest:** ~150 minutes (14:10–16:40 UTC).
    """
    postmortem = _read(markdown)
    assert [entry.line for entry in postmortem.timeline] == [7, 8]
    assert "timeline-order" not in _rules(markdown)
    # A real step back in the timeline itself is still found.
    assert "timeline-order" in _rules(
        markdown.replace("| 16:40 | Workers restarted |", "| 13:40 | Workers restarted |")
    )


def test_a_zone_stated_once_for_the_whole_document_applies_to_its_timeline() -> None:
    markdown = """\
    # Network outage

    _All timestamps are in UTC._

    ## Summary

    The private link was down for 35 minutes.

    ## Timeline

    - **18:13:** Execution stops.
    - **18:48:** The link is restored.
    """
    assert _read(markdown).timeline_zone == "UTC"
    assert "timeline-timezone" not in _rules(markdown)
    # The timeline's own statement wins over the document's.
    assert _read(markdown.replace("## Timeline", "## Timeline (PDT)")).timeline_zone == "PDT"
    # A document that names a zone only in passing states none for its timeline.
    unstated = markdown.replace("_All timestamps are in UTC._", "Our UTC dashboards showed it first.")
    assert "timeline-timezone" in _rules(unstated)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Feb-12-2022 Users reported the error", "2022-02-12"),
        ("2025-DEC-5", "2025-12-05"),
        ("12-Feb-2022", "2022-02-12"),
        ("Nov 7-13", "2026-11-07"),
        ("7-13th Nov 2023", "2023-11-07"),
    ],
)
def test_month_names_between_hyphens_are_dates(text: str, date: str) -> None:
    from pmcheck.timeparse import find_date

    found = find_date(text, default_year=2026)
    assert found is not None and found.isoformat() == date


def test_a_timeline_of_dates_written_with_month_names_and_hyphens_is_read() -> None:
    markdown = """\
    # CDN outage

    ## Timeline

    - Feb-12-2022 Users started to drop
    - Feb-13-2022 The proxy was turned off
    - Feb-16-2022 The proxy was turned back on
    """
    found = _rules(markdown)
    assert "timeline-time" not in found and "metadata-required" not in found
    assert "timeline-order" in _rules(markdown.replace("Feb-16-2022", "Feb-10-2022"))


def test_a_heading_that_ends_with_its_zone_keeps_its_name() -> None:
    catalog = _catalog()
    assert catalog.kinds_of("Issue Timeline - UTC") == {"timeline"}
    assert catalog.kinds_of("Timeline PDT") == {"timeline"}
    assert catalog.kinds_of("UTC") == set()


def test_a_weekday_line_whose_date_cannot_be_read_starts_a_new_day() -> None:
    markdown = """\
    # 2019-02-18 upload progress

    ## Timeline

    All times UTC.

    Friday 15th Febuary

    14:21: the change was merged

    15:19: the revert was merged

    Monday 18th February

    09:21: a failed job was noticed
    """
    assert "timeline-order" not in _rules(markdown)
    # Without the day lines the same times step back.
    same_day = markdown.replace("Friday 15th Febuary\n", "").replace("Monday 18th February\n", "")
    assert "timeline-order" in _rules(same_day)


def test_a_bracketed_team_before_an_action_is_its_owner() -> None:
    markdown = """\
    # Slow blocks

    ## Action Items

    - [Hypha] Investigate raising the block window parameter.
    - [Hypha + ICL] Find the source of the non-determinism.
    - [P1] Add an alert on block time.
    """
    owners = [action.owners for action in _read(markdown).actions]
    assert owners[:2] == [("Hypha",), ("Hypha", "ICL")]
    # A priority tag is not an owner: that action still has none.
    assert not owners[2]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("What This Means For You", "impact"),
        ("Additional Safeguards", "actions"),
        ("How are we going to do better in the future?", "actions"),
        ("7. Preventive Enhancements", "actions"),
        ("Open Items", "actions"),
    ],
)
def test_names_status_posts_give_their_parts(heading: str, kind: str) -> None:
    assert kind in _catalog().kinds_of(heading)


def test_a_date_alone_on_a_line_near_the_top_dates_the_document() -> None:
    markdown = """\
    # Validator incident notes

    ## Incidents

    September 26, 2021

    * The validator was down after an unplanned reboot.
    """
    postmortem = _read(markdown)
    assert postmortem.incident_date is not None and postmortem.incident_date.isoformat() == "2021-09-26"
    assert postmortem.incident_date_source == "date line"
    # A date inside a sentence further down is not the document's date.
    later = markdown.replace("September 26, 2021\n", "The reboot happened on September 26, 2021.\n")
    assert "metadata-required" in _rules(later)


def test_a_month_in_the_title_is_the_date_the_author_gave() -> None:
    assert "metadata-required" not in _rules("# Outages covering June 2026\n\n## Summary\n\nTwo outages.\n")
    assert "metadata-required" in _rules("# Outages covering the summer\n\n## Summary\n\nTwo outages.\n")


def test_a_label_named_like_an_action_inside_a_cause_chain_is_not_an_action() -> None:
    markdown = """\
    # Cluster reset

    ## Root cause

    **Trigger:** A parameter of the node config changed.
    **Destructive Action:** The destroy provisioner reset every node.

    ## Action items

    - Remove destroy provisioners from production
    """
    assert [action.text for action in _read(markdown).actions] == [
        "Remove destroy provisioners from production"
    ]
    # An exact name ("**Action items:**") under another part still holds the actions.
    exact = markdown.replace(
        "**Destructive Action:** The destroy provisioner reset every node.",
        "**Action items:** Pin the provider version.",
    )
    assert "Pin the provider version." in [action.text for action in _read(exact).actions]


def test_a_bold_part_name_of_three_words_alone_on_its_line_labels_the_list_below() -> None:
    markdown = """\
    # Icon warnings

    ## Lessons Learned

    **What went wrong**

    - The dynamic import of the parser was never tested with the component.
    """
    factors = [factor.text for factor in _read(markdown).contributing_factors]
    assert factors == ["The dynamic import of the parser was never tested with the component."]
    # A bold phrase that only starts like a part's name is emphasis, not a label.
    emphasis = markdown.replace("**What went wrong**", "**What went wrong for the icons**")
    assert not _read(emphasis).contributing_factors


# Shapes from a third set of real post-mortems (issue 10e), in documents written for these tests.


def test_a_numbered_bold_title_with_bullets_is_one_action_with_details() -> None:
    markdown = """\
    # Queue stall

    ## Prevention

    1. **Alert on queue age**
       - oldest message age
       - consumer lag

    2. **Add restart tests**
       - listener dies mid-poll
       - endpoint unreachable
    """
    actions = _read(markdown).actions
    assert [action.text for action in actions] == ["Alert on queue age", "Add restart tests"]
    # A title of a word or two names a group: the bullets under it are the actions.
    grouped = markdown.replace("**Alert on queue age**", "**Short term**").replace(
        "**Add restart tests**", "**Long term**"
    )
    assert [action.text for action in _read(grouped).actions] == [
        "oldest message age",
        "consumer lag",
        "listener dies mid-poll",
        "endpoint unreachable",
    ]


def test_a_label_saying_the_actions_were_taken_marks_the_items_under_it_done() -> None:
    markdown = """\
    # Validator misses

    ## Corrective measures

    - **Actions taken**:
      * Peer list checked against the network
      * Dashboards confirmed the scope of the problem
    - **Planned**:
      * Alert on block time over 10 seconds
    """
    states = [(action.text, action.done) for action in _read(markdown).actions]
    assert states == [
        ("Peer list checked against the network", True),
        ("Dashboards confirmed the scope of the problem", True),
        ("Alert on block time over 10 seconds", False),
    ]


def test_a_status_list_of_actions_listed_elsewhere_adds_no_actions() -> None:
    markdown = """\
    # Certificate loss

    ## Follow-up actions

    | Action | Owner | Due |
    | --- | --- | --- |
    | Probe certificate expiry | @ana | 2026-10-09 |

    ## Action items status

    - [ ] Certificate expiry probe
    """
    actions = _read(markdown).actions
    assert [(action.text, action.owners) for action in actions] == [("Probe certificate expiry", ("ana",))]
    # The same list alone is the document's action list.
    alone = "# Certificate loss\n\n## Action items status\n\n- [ ] Certificate expiry probe\n"
    assert [action.text for action in _read(alone).actions] == ["Certificate expiry probe"]


def test_a_paragraph_that_tells_what_happened_is_not_an_open_action() -> None:
    markdown = """\
    # Pruning halt

    ## Long-term solution

    Turning pruning off was a stopgap, as the chain kept growing.

    After some searching we found an upstream patch that fixes the store heights.
    """
    assert [action.done for action in _read(markdown).actions] == [True, True]
    plan = markdown.replace("After some searching we found", "We will apply")
    assert [action.done for action in _read(plan).actions] == [True, False]


HEADLINE_PASSIVES = {
    "Leaked tokens scrubbed from two files in the repository.": True,
    "New keys generated; all stores updated.": True,
    "Deploy procedure hardened: the token stays in a variable.": True,
    "Add tests for the case where pods restarted.": False,
    "Alert when disks filled from logs": False,
}


@pytest.mark.parametrize(("item", "done"), HEADLINE_PASSIVES.items(), ids=HEADLINE_PASSIVES.keys())
def test_a_headline_passive_followed_by_a_place_is_done(item: str, done: bool) -> None:
    (action,) = _read(f"# Leak\n\n## Remediation\n\n- {item}\n").actions
    assert action.done is done


def test_a_range_that_ends_before_a_zone_is_a_range_not_an_offset() -> None:
    markdown = """\
    # Missed blocks (2025-08-19)

    ## Timeline

    - **Degraded:** 2025-08-19 00:35-02:43 UTC
    - **Recovered:** 2025-08-19 02:43 UTC
    """
    assert "timeline-order" not in _rules(markdown)
    # A real step back is still found.
    assert "timeline-order" in _rules(
        markdown.replace("**Recovered:** 2025-08-19 02:43", "**Recovered:** 2025-08-19 00:10")
    )


def test_a_day_and_month_without_a_year_date_the_entries_near_the_incident() -> None:
    markdown = """\
    ---
    date: 2026-10-02
    ---
    # Certificate loss

    ## Timeline (UTC)

    | Time | Event |
    | --- | --- |
    | 10-01 09:45 | Proxy recreated |
    | 10-01 ~15:00 | Login failures noticed |
    | 10-02 07:07 | New certificate issued |
    """
    assert "timeline-order" not in _rules(markdown)
    stepped_back = markdown.replace("| 10-02 07:07 |", "| 10-01 07:07 |")
    assert "timeline-order" in _rules(stepped_back)


def test_offsets_from_the_first_entry_are_times() -> None:
    markdown = """\
    # Testnet halt

    ## Timeline (UTC)

    | Time | Event |
    | --- | --- |
    | May 28 2025, 11:30 AM UTC | Upgrade height reached; chain halts |
    | [+1 hrs] | Consensus failure confirmed |
    | [+6.5 hrs] | First patched binary deployed |
    | [+2 business days later] | Fixes staged for release |
    """
    assert "timeline-time" not in _rules(markdown)
    assert "timeline-order" not in _rules(markdown)
    assert "timeline-order" in _rules(
        markdown.replace("[+6.5 hrs]", "[+0.5 hrs]").replace("[+1 hrs]", "[+3 hrs]")
    )


def test_the_title_and_header_fields_are_not_parts_out_of_order() -> None:
    markdown = """\
    # RCA: validator misses (2025-08-19)

    **Impact window:** 23:15-02:43 UTC
    **Severity:** high

    ## Summary

    Blocks were missed for three hours.

    ## Impact

    One block in twenty was missed.

    ## Root cause

    Peers timed out.
    """
    assert "section-order" not in _rules(markdown)
    # A part's heading placed out of order is still reported.
    impact = "## Impact\n\nOne block in twenty was missed.\n"
    swapped = textwrap.dedent(markdown).replace(impact + "\n", "") + "\n" + impact
    assert "section-order" in _rules(swapped)


def test_field_values_are_read_as_written() -> None:
    markdown = """\
    # Testnet halt

    ## Testnet halt

    * **Date:** 16/03/2020 3am UTC
    * **Severity:**&#x20;
      * SEV-1 for the halt
    * **Date of resolution**: March 2020

    ## Summary

    The testnet halted on a bad parameter.
    """
    found = _rules(markdown)
    assert "metadata-required" not in found
    assert "metadata-values" not in found
    assert _read(markdown).incident_date is not None
    month_only = "# Outage\n\n**Date**: January 2025\n\n## Summary\n\nThe tracker failed.\n"
    assert "metadata-values" not in _rules(month_only)
    assert "metadata-values" in _rules(month_only.replace("January 2025", "sometime last winter"))


def test_a_pair_of_numbers_that_is_not_a_day_and_month_dates_nothing() -> None:
    markdown = """\
    ---
    date: 2026-07-20
    ---
    # Support outage

    ## Timeline (UTC)

    - 2026-07-20 09:00 Chat support stops answering
    - 24/7 support rota paged at 09:05
    - 2026-07-20 09:30 Support answers again
    """
    assert "timeline-order" not in _rules(markdown)


def test_a_zone_stated_above_the_summary_holds_for_the_timeline() -> None:
    markdown = """\
    # April 2nd, 2024 Queue backlog

    All times in CEST (UTC+2).

    ## Summary

    The job queue backed up for an hour.

    ## Timeline

    - [09:10] Queue depth alert fires
    - [09:40] Workers are scaled out
    """
    assert "timeline-timezone" not in _rules(markdown)
    assert _read(markdown).timeline_zone == "CEST"
    # A statement that names no zone still leaves the timeline without one.
    unstated = textwrap.dedent(markdown).replace("All times in CEST (UTC+2).", "All times are approximate.")
    assert "timeline-timezone" in _rules(unstated)


def test_an_older_tz_database_name_states_the_zone() -> None:
    markdown = """\
    # 2024-05-06: Uploads stalled

    ## Summary

    Uploads stalled for two hours.

    ## Timeline

    *(All times US/Eastern, 24-hour clock.)*

    ### 2024-05-06 7:10

    Uploads start to queue.

    ### 2024-05-06 9:05

    The stuck worker is restarted.
    """
    assert "timeline-timezone" not in _rules(markdown)
    assert zone_offset("Canada/Pacific") == -480
    # A path with a slash is not a zone.
    assert "timeline-timezone" in _rules(textwrap.dedent(markdown).replace("US/Eastern", "build/output"))


def test_a_day_without_a_year_far_from_the_incident_is_not_placed_on_the_running_day() -> None:
    markdown = """\
    # June 10th, 2025 Cache outage

    All times PDT.

    ## Summary

    A change from months earlier took the cache down when it was finally deployed.

    ## Timeline

    - [01-14 11:02] The faulty change is merged
    - [06-09 18:20] A deploy is started
    - [06-10 07:45] The cache crash loop begins
    - [06-10 09:30] The change is reverted
    """
    assert "timeline-order" not in _rules(markdown)
    # Days near the incident are still read, and a real step back among them is still reported.
    backwards = textwrap.dedent(markdown).replace("[06-10 09:30]", "[06-09 09:30]")
    assert "timeline-order" in _rules(backwards)


def test_headings_holding_only_a_date_make_a_timeline_kept_by_the_day() -> None:
    markdown = """\
    # Incident 7: Missing retention on archived rows

    **Date:** 2026-03-10

    ## Summary

    Archived rows were written without an expiry for two weeks.

    ## Timeline

    All times are in UTC.

    #### [2026-02-24]
    The change is merged.

    #### [2026-03-09]
    The missing expiry is noticed in the logs.
    """
    found = _rules(markdown)
    assert "timeline-entries" not in found
    assert "timeline-time" not in found
    assert [entry.date for entry in _read(markdown).timeline] == [dt.date(2026, 2, 24), dt.date(2026, 3, 9)]
    # Days written out of order are still reported.
    swapped = textwrap.dedent(markdown).replace("[2026-03-09]", "[2026-02-20]")
    assert "timeline-order" in _rules(swapped)
    # A date heading over timed lines adds no entry of its own.
    timed = textwrap.dedent(markdown).replace("The change is merged.", "- 10:15 The change is merged.")
    assert len(_read(timed).timeline) == 2


def test_action_headings_that_report_the_change_made_are_done() -> None:
    markdown = """\
    # Disk full on the database host

    **Date:** 2026-01-12

    ## Summary

    The database disk filled up and writes failed for ten minutes.

    ## Resulting actions

    #### 1) Log rotation scheduled `@rui`

    Old logs are now removed after a week.

    #### 2) Alerts added for disk usage by `@mei`

    The alert pages at 85%.

    #### 3) Capacity sheet created to plan the next disk size `@rui`

    It lists each host's growth.
    """
    found = _rules(markdown)
    assert "action-owner" not in found
    assert "action-deadline" not in found
    # Headings that ask for the change are open actions and still need a deadline.
    asked = (
        textwrap.dedent(markdown)
        .replace("Log rotation scheduled", "Schedule log rotation")
        .replace("Alerts added for disk usage", "Alerts to be added for disk usage")
    )
    assert len(_rules(asked).get("action-deadline", [])) == 2


def test_an_issue_column_that_titles_each_issue_holds_the_actions() -> None:
    markdown = """\
    # 2026-04-02 — Nightly export silently skipped

    **Date:** 2026-04-02

    ## Summary

    The nightly export skipped two tables for three nights.

    ## Follow-up issues

    | Issue | Raised by | Outcome |
    |---|---|---|
    | #81 — alert when an export run skips a table | Review of the export logs | Resolved by PR #85 |
    | #82 — document the export's permissions | Noticed while fixing #81 | Open — waiting for the audit |
    """
    alert = "#81 — alert when an export run skips a table"
    permissions = "#82 — document the export's permissions"
    texts = {action.text: action for action in _read(markdown).actions}
    assert set(texts) == {alert, permissions}
    assert texts[alert].done
    assert texts[permissions].state == "open"
    assert texts[permissions].tracked_by == "#82"
    found = _rules(markdown)
    assert len(found.get("action-owner", [])) == 1
    # An Issue column of bare references still leaves the next column as the action.
    bare = (
        textwrap.dedent(markdown)
        .replace(" — alert when an export run skips a table", "")
        .replace(" — document the export's permissions", "")
    )
    assert {action.text for action in _read(bare).actions} == {
        "Review of the export logs",
        "Noticed while fixing #81",
    }


def test_advice_that_speaks_to_the_reader_is_not_the_teams_action_list() -> None:
    markdown = """\
    # 2026-02-03 Token phishing wave

    **Date:** 2026-02-03

    ## Summary

    A phishing site collected the logins of three maintainers.

    ## Action items

    - Block the phishing domain at the registrar
    - Expire all sessions older than the attack

    ## Recommendations

    **For package maintainers:**

    - If you still log in with a password only, turn on a hardware key for your account
    - Check your recent uploads for versions you did not publish
    """
    found = _rules(markdown)
    quoted = {message.split(": ", 1)[1] for message in found.get("action-owner", [])}
    assert quoted == {
        '"Block the phishing domain at the registrar"',
        '"Expire all sessions older than the attack"',
    }
    # The team speaking to readers about its own work, or quoting a prompt, still lists actions.
    own = (
        textwrap.dedent(markdown)
        .replace(
            "If you still log in with a password only, turn on a hardware key for your account",
            "We will ask you to confirm every upload",
        )
        .replace(
            "Check your recent uploads for versions you did not publish",
            'Add an "are you sure" prompt to deletes',
        )
    )
    assert len(_rules(own).get("action-owner", [])) == 4


def test_a_part_name_alone_on_its_line_heads_a_plain_text_page() -> None:
    """Status pages exported as plain text write their headings as bare lines ("Root cause",
    "Timeline of events (UTC)"): each names its part, and the zone in brackets is the timeline's."""
    markdown = """\
    Checkout API degraded

    Summary:

    A surge of unauthenticated requests overloaded the origin, which blocked the dashboard.

    Timeline of events (UTC)

    3rd March 2026

      • 09:12 Monitoring reports errors on the dashboard
      • 09:15 Incident acknowledged
      • 09:58 Dashboard recovered

    Impact

    Customers using the dashboard saw timeouts for 46 minutes.

    Root cause

    The edge accepted POST requests to cached pages, which passed straight to the origin.
    """
    found = _rules(markdown)
    assert not found.get("timeline-timezone"), found
    assert not found.get("root-cause"), found
    assert not found.get("metadata-required"), found
    # A line that only mentions a part inside a paragraph, or a sentence, is no heading;
    # nor is a "TODO" left where a part was meant to go.
    prose = (
        textwrap.dedent(markdown)
        .replace("Root cause\n\n", "Root cause analysis is still under way and\n")
        .replace("Timeline of events (UTC)\n", "TODO\n")
    )
    unread = _rules(prose)
    assert unread.get("root-cause"), unread
    assert not unread.get("empty-section"), unread
