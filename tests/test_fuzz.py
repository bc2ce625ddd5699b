"""Fuzzing the CLI in-process over generated documents, front matter and configs: never a traceback,
exit codes 0, 1 or 2 only, and no hang (a generous alarm per example is the guard, not a speed test)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hostile.documents import FRONT_VALUES, documents
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pmcheck.cli import main

GUARD_SECONDS = 60
CONFIG_LINES = [
    "packs: [default]",
    "packs: [default, ../elsewhere.yml]",
    "max_file_mb: 0.001",
    "max_file_mb: -1",
    "rules: {PM040: off}",
    "rules: {PM041: {options: {patterns: [{label: x, regex: '(a+)+$'}]}}}",
    "rules: {PM034: {options: {patterns: ['(']}}}",
    "files: &a ['**/*.md']\nexclude: *a",
    "nlp: {enabled: false}",
    "fail_on: warning",
    "sections: {timeline: [chronicle]}",
    ": : :",
    "- a list",
    "owners: {alice: 'bad login!'}",
]


@contextmanager
def guard(seconds: int) -> Iterator[None]:
    def hang(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@seed(16)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    document=documents(),
    config=st.lists(st.sampled_from(CONFIG_LINES), max_size=3),
    extra_front=st.sampled_from(["", *(f"---\nseverity: {value}\n---\n" for value in FRONT_VALUES)]),
)
def test_check_and_fix_never_crash_on_hostile_input(
    document: str, config: list[str], extra_front: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    settings_text = "\n".join([*config, "nlp: {enabled: false}"]) + "\n"
    (folder / ".pmcheck.yml").write_text(settings_text, encoding="utf-8")
    path = folder / "pm.md"
    path.write_text(extra_front + document, encoding="utf-8", newline="")
    commands = (["check", str(path)], ["check", "--format", "json", str(path)], ["fix", "--write", str(path)])
    for command in commands:
        with guard(GUARD_SECONDS):
            code = main(command)
        assert code in (0, 1, 2), command


def test_the_guard_itself_stops_a_hang() -> None:
    with pytest.raises(TimeoutError), guard(1):
        signal.pause()


@pytest.fixture(autouse=True)
def _no_traceback(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    yield
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.out + captured.err
