"""Many files are checked on several cores with exactly the findings one process would give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pmcheck import api, parallel
from pmcheck.errors import ConfigError
from pmcheck.parallel import worker_count

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def make_repository(folder: Path, copies: int) -> None:
    for index in range(copies):
        for example in sorted(EXAMPLES.glob("*.md")):
            shutil.copy(example, folder / f"{index:03d}-{example.name}")


def test_workers_give_the_same_findings_in_the_same_order(tmp_path: Path) -> None:
    make_repository(tmp_path, 12)
    serial = api.run([tmp_path], jobs=1)
    parallel = api.run([tmp_path], jobs=2)
    assert len(parallel.reports) == 12 * len(list(EXAMPLES.glob("*.md")))
    assert [report.path for report in parallel.reports] == [report.path for report in serial.reports]
    assert parallel.findings == serial.findings
    assert any(f.rule_name.startswith("blame.") for f in parallel.findings)


def test_spawned_workers_as_on_windows_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no ``fork``: workers started fresh must build the same checker from its settings."""
    make_repository(tmp_path, 3)
    (tmp_path / ".pmcheck.yml").write_text("rules:\n  PM013: off\n", encoding="utf-8")
    serial = api.run([tmp_path], jobs=1)
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    spawned = api.run([tmp_path], jobs=2)
    assert [report.path for report in spawned.reports] == [report.path for report in serial.reports]
    assert spawned.findings == serial.findings
    assert not any(f.rule_id == "PM013" for f in spawned.findings), "the config reached the workers"
    assert any(f.rule_name.startswith("blame.") for f in spawned.findings)


def test_a_config_problem_is_reported_once_before_any_worker_starts(tmp_path: Path) -> None:
    make_repository(tmp_path, 12)
    (tmp_path / ".pmcheck.yml").write_text("rules:\n  no-such-rule: off\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no-such-rule"):  # the CLI turns it into exit code 2
        api.run([tmp_path], jobs=2)


def test_worker_count_follows_the_number_of_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMCHECK_JOBS", raising=False)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.4, 0.5, 0.5))
    assert worker_count(5) == 1
    assert worker_count(15) == 1
    assert worker_count(16) == 2, "forked workers pay from 8 real post-mortems each"
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.5, 0.5, 0.5))
    assert worker_count(16) == 1, "the other core is busy with other work already"
    assert worker_count(16, requested=2) == 2
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.4, 0.5, 0.5))
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    assert worker_count(16) == 1, "a spawned worker loads spaCy itself"
    assert worker_count(80) == 2
    assert worker_count(1000, requested=3) == 3
    assert worker_count(2, requested=8) == 2
