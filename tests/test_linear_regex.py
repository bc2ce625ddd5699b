"""Every built-in regular expression over document text runs in linear time.

A property of the code, not a speed benchmark: each pattern (module constants, rule packs, credential
detectors) is run over repetitions of its own fragments at 50 KB and 100 KB, and doubling the text must
not much more than double the time. A generous per-string alarm guards against hangs only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hostile.patterns import LINEAR_FACTOR, SLACK

HERE = Path(__file__).parent


def test_every_builtin_pattern_grows_linearly() -> None:
    done = subprocess.run(
        [sys.executable, str(HERE / "hostile" / "patterns.py")],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert results[-1] == {"done": True}
    measured = results[:-1]
    assert len({result["name"] for result in measured}) > 100  # the harness found the patterns
    hangs = [(r["name"], r["unit"]) for r in measured if r["times"] is None]
    assert hangs == [], "ran past the hang guard"
    slow = [
        (r["name"], r["unit"], r["times"])
        for r in measured
        if r["times"][1] > LINEAR_FACTOR * r["times"][0] + SLACK
    ]
    assert slow == [], "time grew faster than the text"
