"""Each example carries its expected findings beside it, so the examples and pmcheck cannot drift apart.

``examples/expected/<stem>.txt`` holds one finding per line: ``LINE:COL SEVERITY RULE_ID RULE_NAME``. The
examples are checked as a user would check them, under the repository's configuration.

To write the file for a new example, run ``python tests/test_examples.py examples/<name>.md``, then read
every line against the example and keep only findings that are right and intended.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pmcheck import api

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = EXAMPLES / "expected"
CLEAN = "2026-03-02-checkout-config-push.md"


def findings_of(example: Path) -> list[str]:
    result = api.run([example])
    assert not result.notices, result.notices  # e.g. the spaCy pipeline missing: the blame rules did not run
    return [f"{f.line}:{f.column} {f.severity.value} {f.rule_id} {f.rule_name}" for f in result.findings]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.md")), ids=lambda path: path.name)
def test_example_findings_match_the_expected_file(example: Path) -> None:
    expected_file = EXPECTED / f"{example.stem}.txt"
    found = findings_of(example)
    if not expected_file.is_file():
        pytest.fail(
            f"{expected_file.relative_to(EXAMPLES.parent)} is missing. Create it with\n"
            f"    python tests/test_examples.py {example.relative_to(EXAMPLES.parent)} > "
            f"{expected_file.relative_to(EXAMPLES.parent)}\n"
            "then read each line against the example and keep only findings that are right and intended.\n"
            "pmcheck currently finds:\n" + "\n".join(found)
        )
    expected = [line for line in expected_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert found == expected


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.md")), ids=lambda path: path.name)
def test_crlf_line_endings_give_the_same_findings(example: Path, tmp_path: Path) -> None:
    """A Windows checkout (git's ``core.autocrlf``) turns every line ending into CRLF."""
    copy = tmp_path / example.name
    copy.write_bytes(example.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert findings_of(copy) == findings_of(example)


def test_the_clean_example_is_clean() -> None:
    assert findings_of(EXAMPLES / CLEAN) == []
    assert (EXPECTED / f"{Path(CLEAN).stem}.txt").read_text(encoding="utf-8").strip() == ""


def test_every_expected_file_has_its_example() -> None:
    orphans = [path.name for path in EXPECTED.glob("*.txt") if not (EXAMPLES / f"{path.stem}.md").is_file()]
    assert orphans == []


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        sys.stdout.write("".join(f"{line}\n" for line in findings_of(Path(argument).resolve())))
