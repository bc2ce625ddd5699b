"""The credential rule skips detect-secrets on documents its detectors cannot match: the pre-check
must find something wherever any of their regular expressions does, and findings stay the same."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmcheck.rules.credentials import MAY_HOLD_TOKEN, PRECHECKED, CredentialOptions, detector_patterns
from pmcheck.validation import validated

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "documents"
PATTERNS = [
    pytest.param(pattern, id=f"{name}-{index}")
    for name in sorted(PRECHECKED)
    for index, (_label, pattern) in enumerate(detector_patterns((name,)))
]


def test_every_prechecked_detector_exists_and_has_patterns() -> None:
    # Their names are accepted without importing detect-secrets: each must be a real detector.
    for name in PRECHECKED:
        assert detector_patterns((name,)), name


def test_a_detector_outside_the_prechecked_set_is_still_validated() -> None:
    with pytest.raises(ValueError, match="unknown detectors"):
        validated(CredentialOptions, {"detectors": ["AWSKeyDetector", "NoSuchDetector"]})


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=200, deadline=None, derandomize=True)
@given(data=st.data())
def test_whatever_a_detector_matches_the_precheck_finds(
    pattern: re.Pattern[str], data: st.DataObject
) -> None:
    # Text around the token too: from_regex surrounds the match with arbitrary characters.
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert MAY_HOLD_TOKEN.search(text), text


# Tokens made mostly of the rarest characters a detector accepts, which random strings seldom hold:
# punctuation inside the token splits a run of word characters.
HARD_TOKENS = [
    "sq0csp-" + "\\" * 43,
    "sq0csp-" + ("a" * 10 + "\\") * 4,
    "aws_key = '" + "/+" * 20 + "'",
    "AccountKey=" + "+/=" * 29 + "+",
    "SG." + "-" * 22 + "." + "_" * 43,
    "https://hooks.slack.com/services/T1/B1/1",
    "xoxb-1-a",
    "a://u:p@host",
    "123456789:" + "-" * 35,
]


@pytest.mark.parametrize("text", HARD_TOKENS)
def test_tokens_of_rare_characters_are_not_skipped(text: str) -> None:
    patterns = [pattern for _label, pattern in detector_patterns(tuple(sorted(PRECHECKED)))]
    assert any(pattern.search(text) for pattern in patterns)
    assert MAY_HOLD_TOKEN.search(text)


def test_on_real_and_example_lines_the_precheck_misses_no_detector_match() -> None:
    files = sorted((ROOT / "examples").rglob("*.md")) + sorted(ROOT.joinpath("tests").rglob("*.md"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.md"))
    else:
        print(f"{CORPUS} is absent: real documents not read")
    patterns = [pattern for _label, pattern in detector_patterns(tuple(sorted(PRECHECKED)))]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    lines = [line for text in texts for line in text.splitlines()]
    assert len(lines) > 1000
    matched = 0
    for line in lines:
        if any(pattern.search(line) for pattern in patterns):
            matched += 1
            assert MAY_HOLD_TOKEN.search(line), line
    skipped = sum(1 for line in lines if not MAY_HOLD_TOKEN.search(line))
    assert matched and skipped > len(lines) // 2  # the pre-check does skip most prose


def _check_in_fresh_process(path: Path) -> tuple[str, bool]:
    code = (
        "import sys, contextlib, io\n"
        "from pmcheck.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    main(['check', '--no-cache', '--format', 'json', {str(path)!r}])\n"
        "print('detect_secrets' in sys.modules)\n"
        "print(out.getvalue())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported, _, output = result.stdout.partition("\n")
    return output, imported == "True"


def test_a_document_without_tokens_is_checked_without_detect_secrets(tmp_path: Path) -> None:
    document = tmp_path / "calm.md"
    document.write_text("# Outage\n\nThe cache filled up and requests timed out for ten minutes.\n")
    _output, imported = _check_in_fresh_process(document)
    assert not imported


def test_a_token_only_a_detector_knows_is_still_found(tmp_path: Path) -> None:
    # A Mailchimp key: no pattern of the shipped pack matches it, only the detector.
    document = tmp_path / "leak.md"
    document.write_text("# Outage\n\nThe key 0123456789abcdef0123456789abcdef-us12 was in the log.\n")
    output, imported = _check_in_fresh_process(document)
    assert imported
    assert "Mailchimp" in output
