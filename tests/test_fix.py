"""``pmcheck fix``: each fix, insert-only edits, idempotency, and the round trip back to ``check``."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from pmcheck.cli import main
from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import RuleSet, build_ruleset, check_text
from pmcheck.fix import fix_text
from pmcheck.validation import validated

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# What only the author can write: the prompts fix inserts, and what they leave open: a timeline with no
# entries yet, a metadata value still "TODO", the owner and date of the placeholder action.
HUMAN_RULES = {"PM040", "PM010", "PM004", "PM031", "PM032"}


def ruleset(*select: str, **settings: object) -> RuleSet:
    """The rules of a config with these settings, or only the ``select``-ed ones."""
    return build_ruleset(LoadedConfig(config=validated(Config, settings), base=Path.cwd()), select=select)


def fixed(markdown: str, rules: RuleSet | None = None) -> str:
    return fix_text(textwrap.dedent(markdown), path="doc.md", ruleset=rules or ruleset()).text


# Each case: a document, and the document fix makes of it.
CASES = {
    "sections-before-the-analysis": (
        """\
        # DNS record removed

        **Date:** 2025-11-14
        **Severity:** SEV3
        **Status:** in review
        **Authors:** @priya

        A cleanup job removed the record for the status page.

        ## Root cause

        **Trigger:** the weekly cleanup ran against production.

        The cleanup treats every record without an owner tag as stale.

        - Owner tags were never backfilled.

        ## Follow-ups

        - [ ] Backfill owner tags (Owner: @priya, due 2025-12-05)
        """,
        """\
        # DNS record removed

        **Date:** 2025-11-14
        **Severity:** SEV3
        **Status:** in review
        **Authors:** @priya

        A cleanup job removed the record for the status page.

        ## Impact

        TODO: who and what was affected, for how long, and how much.

        ## Timeline

        TODO: one line per event, each starting with its time.

        ## Root cause

        **Trigger:** the weekly cleanup ran against production.

        The cleanup treats every record without an owner tag as stale.

        - Owner tags were never backfilled.

        ## Follow-ups

        - [ ] Backfill owner tags (Owner: @priya, due 2025-12-05)
        """,
    ),
    "analysis-and-actions-in-order": (
        """\
        ---
        date: 2026-01-20
        severity: SEV2
        status: draft
        authors: [marta]
        ---
        # Queue backlog

        Order e-mails were delayed by up to three hours.

        ## Impact

        18,000 customers received their e-mail late.

        ## Timeline (UTC)

        - 09:12 consumer deploy
        - 12:55 backlog empty

        ## Lessons learned

        - The queue dashboard existed but paged nobody.
        """,
        """\
        ---
        date: 2026-01-20
        severity: SEV2
        status: draft
        authors: [marta]
        ---
        # Queue backlog

        Order e-mails were delayed by up to three hours.

        ## Impact

        18,000 customers received their e-mail late.

        ## Timeline (UTC)

        - 09:12 consumer deploy
        - 12:55 backlog empty

        ## Root cause

        **Trigger:** TODO: the immediate event that started the incident.

        TODO: the weakness of the system that let the trigger cause harm.

        ## Contributing factors

        - TODO: a process gap, tooling limit, unclear ownership or missing safeguard.

        ## Action items

        - [ ] TODO: a specific change to the system (Owner: TODO, due TODO)

        ## Lessons learned

        - The queue dashboard existed but paged nobody.
        """,
    ),
    "trigger-line-in-the-root-cause-section": (
        """\
        ---
        date: 2026-04-11
        severity: SEV2
        status: final
        authors: [sam]
        ---
        # Certificate expired

        Clients failed to connect for 50 minutes.

        ## Impact

        All API clients failed TLS handshakes.

        ## Timeline

        - 06:00 UTC: the certificate expires

        ## Root cause
        Renewal was manual and nothing alerted before expiry.

        - The renewal runbook had no owner.

        ## Action items

        - [ ] Automate renewal (Owner: @sam, due 2026-04-25)
        """,
        """\
        ---
        date: 2026-04-11
        severity: SEV2
        status: final
        authors: [sam]
        ---
        # Certificate expired

        Clients failed to connect for 50 minutes.

        ## Impact

        All API clients failed TLS handshakes.

        ## Timeline

        - 06:00 UTC: the certificate expires

        ## Root cause

        **Trigger:** TODO: the immediate event that started the incident.

        Renewal was manual and nothing alerted before expiry.

        - The renewal runbook had no owner.

        ## Action items

        - [ ] Automate renewal (Owner: @sam, due 2026-04-25)
        """,
    ),
}
BOLD = "# Outage\n\n**Date:** 2026-03-02\n**Severity:** SEV2\n"
TABLE = "# Outage\n\n| Date | 2026-03-02 |\n| --- | --- |\n| Severity | SEV2 |\n| Status | final |\n"
FRONT_MATTER_FIELDS = {
    "date": "date:  # TODO: the incident date, e.g. 2026-03-02\n",
    "severity": "severity:  # TODO: SEV1 (most severe) to SEV4\n",
    "status": "status:  # TODO: draft, in review or final\n",
    "authors": 'authors:  # TODO: who wrote this, e.g. ["@alice", "@bob"]\n',
}
METADATA_CASES = {
    "bold-lines": (f"{BOLD}\nText.\n", f"{BOLD}**Status:** TODO\n**Authors:** TODO\n\nText.\n"),
    "bold-lines-with-hard-breaks": (
        "**Date:** 2026-03-02  \n**Severity:** SEV2  \n**Status:** final\n\nText.\n",
        "**Date:** 2026-03-02  \n**Severity:** SEV2  \n**Authors:** TODO  \n**Status:** final\n\nText.\n",
    ),
    "list-of-plain-keys": (
        "# Outage\n\n- date: 2026-03-02\n- severity: SEV2\n- status: final\n\nText.\n",
        "# Outage\n\n- date: 2026-03-02\n- severity: SEV2\n- status: final\n- authors: TODO\n\nText.\n",
    ),
    "key-value-table": (f"{TABLE}\nText.\n", f"{TABLE}| Authors | TODO |\n\nText.\n"),
    "front-matter": (
        "---\ntitle: Outage\ndate: 2026-03-02\n---\n# Outage\n\nText.\n",
        "---\ntitle: Outage\ndate: 2026-03-02\n"
        + "".join(list(FRONT_MATTER_FIELDS.values())[1:])
        + "---\n# Outage\n\nText.\n",
    ),
    "no-metadata-at-all": (
        "# Outage\n\nText.\n",
        "---\n" + "".join(FRONT_MATTER_FIELDS.values()) + "---\n\n# Outage\n\nText.\n",
    ),
    "table-with-keys-in-its-header": (
        "# Outage\n\n| Date | Severity | Status |\n| --- | --- | --- |\n| 2026-03-02 | SEV2 | final |\n",
        "---\n" + FRONT_MATTER_FIELDS["authors"] + "---\n\n"
        "# Outage\n\n| Date | Severity | Status |\n| --- | --- | --- |\n| 2026-03-02 | SEV2 | final |\n",
    ),
    "broken-front-matter-is-left-alone": (
        '---\ntitle: "Outage\ndate: 2026-03-02\n---\n# Outage\n\nText.\n',
        '---\ntitle: "Outage\ndate: 2026-03-02\n---\n# Outage\n\nText.\n',
    ),
}
# Metadata and summary, timeline entries, and the statement fix adds (None: it cannot know the zone).
ZONE_CASES = {
    "zone-on-some-entries": ("", "- 14:02 UTC: alert fired\n- 14:10: rollback started\n", "All times UTC."),
    "zone-in-the-summary": ("Checkout failed from 14:02 to 14:40 UTC.", "- 14:02: alert\n", "All times UTC."),
    "zone-as-a-bold-z": ("", "- **14:02Z** alert\n- **14:10** rollback\n", "All times UTC."),
    "zone-in-a-timezone-field": ("timezone: PDT", "- 14:02: alert fired\n", "All times PDT."),
    "offset-on-an-entry": ("", "- 2026-03-02 14:02+01:00: alert\n- 14:10: go\n", "All times in +0100."),
    "two-zones-need-a-person": ("", "- 14:02 UTC: alert\n- 07:10 PDT: rollback\n- 14:20: done\n", None),
    "no-zone-anywhere": ("Checkout failed for 40 minutes.", "- 14:02: alert\n- 14:10: rollback\n", None),
}


@pytest.mark.parametrize(("before", "after"), CASES.values(), ids=CASES.keys())
def test_missing_sections_are_added_in_order(before: str, after: str) -> None:
    assert fixed(before) == textwrap.dedent(after)


@pytest.mark.parametrize(("before", "after"), METADATA_CASES.values(), ids=METADATA_CASES.keys())
def test_missing_metadata_goes_where_the_document_keeps_it(before: str, after: str) -> None:
    # Severity, status and authors are required only by a team that asks for them.
    fields = {"fields": ["date", "severity", "status", "authors"]}
    rules = ruleset("metadata-required", rules={"metadata-required": {"options": fields}})
    assert fixed(before, rules) == after


@pytest.mark.parametrize(("context", "entries", "statement"), ZONE_CASES.values(), ids=ZONE_CASES.keys())
def test_timeline_zone_is_stated_when_the_document_names_one(
    context: str, entries: str, statement: str | None
) -> None:
    field, summary = (context, "") if context.startswith("timezone:") else ("", context)
    document = f"---\ndate: 2026-03-02\n{field}\n---\n# Outage\n\n{summary}\n\n## Timeline\n\n{entries}"
    stated = document.replace("## Timeline\n\n", f"## Timeline\n\n{statement}\n\n")
    assert fixed(document, ruleset("timeline-timezone")) == (stated if statement else document)


@pytest.mark.parametrize(
    ("document", "settings"),
    [
        ("<!-- pmcheck-disable-file required-sections -->\n# Outage\n\nText.\n", {}),
        ("# Outage\n\nText.\n", {"rules": {"PM005": "off"}}),
        ("# Outage\n\nText.\n", {"rules": {"PM005": {"options": {"sections": ["summary"]}}}}),
    ],
    ids=["suppressed-in-the-document", "rule-off", "options-require-less"],
)
def test_only_what_rules_in_force_report_is_added(document: str, settings: dict[str, object]) -> None:
    result = fixed(document, ruleset(**settings))
    assert "## Impact" not in result and "## Timeline" not in result


def test_lines_go_below_an_underlined_heading() -> None:
    timeline = "Timeline\n--------\n- 14:02 UTC: alert\n- 14:10: rollback\n"
    document = f"Outage\n======\n\n{timeline}\nRoot cause\n---\nWhy.\n"
    assert fixed(document, ruleset("PM013", "PM020")) == (
        "Outage\n======\n\nTimeline\n--------\n\nAll times UTC.\n\n- 14:02 UTC: alert\n- 14:10: rollback\n\n"
        "Root cause\n---\n\n**Trigger:** TODO: the immediate event that started the incident.\n\nWhy.\n"
    )


def test_an_existing_but_empty_actions_section_gets_no_second_heading() -> None:
    result = fixed("# Outage\n\nText.\n\n## Action items\n\nWe will talk about it.\n")
    assert result.count("## Action items") == 1


def _documents() -> list[pytest.param]:
    paths = sorted(EXAMPLES.glob("*.md"))
    examples = [pytest.param(path.read_text(encoding="utf-8"), id=path.stem) for path in paths]
    cases = [pytest.param(textwrap.dedent(before), id=name) for name, (before, _after) in CASES.items()]
    metadata = [pytest.param(before, id=name) for name, (before, _after) in METADATA_CASES.items()]
    return examples + cases + metadata


@pytest.mark.parametrize("document", _documents())
def test_every_original_line_survives_in_order(document: str) -> None:
    result = fix_text(document, path="doc.md", ruleset=ruleset())
    remaining = iter(result.text.splitlines())
    assert all(line in remaining for line in document.splitlines())


@pytest.mark.parametrize("document", _documents())
def test_fixing_twice_changes_nothing_the_second_time(document: str) -> None:
    once = fix_text(document, path="doc.md", ruleset=ruleset())
    twice = fix_text(once.text, path="doc.md", ruleset=ruleset())
    assert twice.fixes == () and twice.text == once.text


@pytest.mark.parametrize("document", _documents())
def test_after_fixing_only_what_needs_a_person_is_reported(document: str) -> None:
    rules = ruleset()
    before = {finding.rule_id for finding in check_text(document, "doc.md", rules).findings}
    result = fix_text(document, path="doc.md", ruleset=rules)
    after = check_text(result.text, "doc.md", rules).findings
    fixed_ids = {fix.rule_id for fix in result.fixes}
    # A field added to front matter stays empty for the author to fill, so PM003 keeps asking for it.
    empty_fields = {"PM003"} if any("front matter" in fix.description for fix in result.fixes) else set()
    assert {finding.rule_id for finding in after} & fixed_ids <= empty_fields
    assert {finding.rule_id for finding in after} - before <= HUMAN_RULES


# The command line --------------------------------------------------------------------------------

FLAWED = (
    "# Outage\n\n**Date:** 2026-03-02\n\nCheckout failed.\n\n"
    "## Timeline\n\n- 14:02 UTC: alert\n- 14:10: rollback\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fix", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_fix_shows_a_diff_that_applies_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pm.md").write_text(FLAWED, encoding="utf-8")
    code, diff, err = run(capsys, "pm.md")
    assert (code, Path("pm.md").read_text(encoding="utf-8")) == (1, FLAWED)
    assert diff.startswith("--- a/pm.md\n+++ b/pm.md\n") and "+## Impact\n" in diff
    assert "1 file would be changed" in err
    subprocess.run(["git", "apply", "--unsafe-paths", "-"], input=diff, text=True, check=True, cwd=tmp_path)
    assert Path("pm.md").read_text(encoding="utf-8") == fix_text(FLAWED, path="pm.md", ruleset=ruleset()).text


def test_fix_write_changes_the_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pm.md").write_text(FLAWED, encoding="utf-8")
    code, out, _err = run(capsys, "--write", "pm.md")
    assert code == 0 and out.startswith('Fixed pm.md: add "## Impact"')
    assert "All times UTC." in Path("pm.md").read_text(encoding="utf-8")
    assert run(capsys, "--write", "pm.md") == (0, "", "Nothing to fix.\n")
    assert run(capsys, "pm.md") == (0, "", "Nothing to fix.\n")


@pytest.mark.parametrize(
    ("raw", "newline", "bom"),
    [
        (FLAWED.replace("\n", "\r\n").encode(), b"\r\n", b""),
        (b"\xef\xbb\xbf" + FLAWED.encode(), b"\n", b"\xef\xbb\xbf"),
    ],
    ids=["crlf", "bom"],
)
def test_fix_write_keeps_line_endings_and_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes, newline: bytes, bom: bytes
) -> None:
    path = tmp_path / "pm.md"
    path.write_bytes(raw)
    assert run(capsys, "--write", str(path))[0] == 0
    written = path.read_bytes()
    assert written.startswith(bom + b"# Outage" + newline)
    assert written.count(b"\n") == written.count(newline) > raw.count(b"\n")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("mixed.md", FLAWED.replace("\n", "\r\n", 2).encode(), "mixed line endings"),
        ("binary.md", b"\x00\x01\x02", "binary file"),
        ("latin1.md", "# Caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_files_fix_cannot_handle_are_named_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _out, err = run(capsys, "--write", str(path), str(tmp_path / "missing.md"))
    assert code == 2 and path.read_bytes() == content
    assert f"{path}: " in err and message in err and "missing.md: no such file or directory" in err
