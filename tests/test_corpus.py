"""pmcheck on real post-mortems: no part reported missing that the document has, timelines read right.

The documents live in ``../shared/corpus/documents`` beside the repository (other people's text, never
copied here); the verdicts in ``tests/data/corpus_expectations.yml`` were written after reading each
one. Line 1 of every corpus file is a provenance comment, not part of the document: it is removed and
line numbers are those of the document itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pmcheck import api
from pmcheck.finding import Finding

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = REPO.parent / "shared" / "corpus" / "documents"
EXPECTATIONS = yaml.safe_load(
    (REPO / "tests" / "data" / "corpus_expectations.yml").read_text(encoding="utf-8")
)

# Rules whose finding says that a part of the post-mortem is missing, by the part they speak of.
_MISSING_PART_RULES = {
    "proximate-cause": "trigger",
    "root-cause": "root-cause",
    "contributing-factors": "contributing-factors",
    "actions-present": "actions",
}
_REQUIRED_SECTION = re.compile(r"\bno (?P<part>[a-z -]+?) section\b")

pytestmark = pytest.mark.skipif(
    not DOCUMENTS.is_dir(), reason=f"the real corpus is not here: {DOCUMENTS} is absent"
)


def _check(name: str) -> list[Finding]:
    path = DOCUMENTS / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    document = text.split("\n", 1)[1] if text.startswith("<!--") else text
    # The blame pack is judged on its own sentences elsewhere; here only structure and timeline count.
    return api.check_text(document, path=str(path), ignore=["blame"])


def _claimed_missing(finding: Finding) -> str | None:
    if finding.rule_name == "required-sections":
        match = _REQUIRED_SECTION.search(finding.message)
        return match["part"].replace(" ", "-") if match else None
    return _MISSING_PART_RULES.get(finding.rule_name)


@pytest.fixture(scope="module", params=sorted(EXPECTATIONS), ids=str)
def checked(request: pytest.FixtureRequest) -> tuple[str, list[Finding]]:
    name: str = request.param
    if not (DOCUMENTS / f"{name}.md").is_file():
        pytest.skip(f"{name}.md is not in {DOCUMENTS}")
    return name, _check(name)


def test_every_corpus_document_has_verdicts() -> None:
    if not DOCUMENTS.is_dir():
        pytest.skip(f"{DOCUMENTS} is absent")
    assert sorted(path.stem for path in DOCUMENTS.glob("*.md")) == sorted(EXPECTATIONS)


def test_no_part_the_document_has_is_reported_missing(checked: tuple[str, list[Finding]]) -> None:
    name, findings = checked
    present = set(EXPECTATIONS[name].get("present", []))
    wrong = [
        f"{finding.line}: [{finding.rule_name}] {finding.message}"
        for finding in findings
        if _claimed_missing(finding) in present
    ]
    assert wrong == [], f"{name}: parts it has reported missing"


def test_timeline_order_findings_are_the_real_disorder(checked: tuple[str, list[Finding]]) -> None:
    name, findings = checked
    expected = set(EXPECTATIONS[name].get("out_of_order", []))
    found = {finding.line for finding in findings if finding.rule_name == "timeline-order"}
    assert found == expected, f"{name}: timeline-order findings at lines {sorted(found)}"


def test_nothing_breaks(checked: tuple[str, list[Finding]]) -> None:
    name, findings = checked
    assert not [finding for finding in findings if finding.rule_name == "readable-file"], name


def test_untimed_entries_are_reported_once_per_timeline(checked: tuple[str, list[Finding]]) -> None:
    name, findings = checked
    untimed = [finding for finding in findings if finding.rule_name == "timeline-time"]
    assert len(untimed) <= 1, f"{name}: {len(untimed)} timeline-time findings"
