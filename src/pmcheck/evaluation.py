"""Score the blame-language rules on labelled sentences (used by a test and a benchmark)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text


@dataclass(frozen=True)
class Evaluation:
    flagged: list[bool]
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def evaluate(cases: Sequence[dict[str, str]], *, packs: Sequence[str] = ("blame",)) -> Evaluation:
    """Check each case's text as its own one-paragraph document; any finding counts as flagged."""
    ruleset = build_ruleset(LoadedConfig(config=Config(packs=list(packs)), base=Path.cwd()))
    flagged = [bool(check_text(case["text"] + "\n", "<eval>", ruleset).findings) for case in cases]
    labels = [case["label"] == "blame" for case in cases]
    tp = sum(1 for f, b in zip(flagged, labels, strict=True) if f and b)
    fp = sum(1 for f, b in zip(flagged, labels, strict=True) if f and not b)
    fn = sum(1 for f, b in zip(flagged, labels, strict=True) if not f and b)
    return Evaluation(flagged=flagged, tp=tp, fp=fp, fn=fn)
