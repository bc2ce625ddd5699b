"""``pmcheck fix`` on generated hostile documents: every original line survives, in order and byte for
byte, and a second run changes nothing."""

from __future__ import annotations

from pathlib import Path

from hostile.documents import documents
from hypothesis import HealthCheck, given, seed, settings

from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset
from pmcheck.fix import fix_text
from pmcheck.read import split_lines

RULES = build_ruleset(LoadedConfig(config=Config(), base=Path.cwd()))


def is_subsequence(original: list[str], fixed: list[str]) -> bool:
    remaining = iter(fixed)
    return all(any(line == candidate for candidate in remaining) for line in original)


@seed(16)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(documents())
def test_fix_keeps_every_line_and_is_idempotent(document: str) -> None:
    once = fix_text(document, path="doc.md", ruleset=RULES)
    before = [line.rstrip("\r\n") for line in split_lines(document, keepends=True)]
    after = split_lines(once.text)
    assert is_subsequence(before, after), "an original line was changed, split or reordered"
    twice = fix_text(once.text, path="doc.md", ruleset=RULES)
    assert twice.fixes == (), f"a second run fixed again: {[fix.description for fix in twice.fixes]}"
    assert twice.text == once.text
