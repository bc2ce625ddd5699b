"""Score the blame-language rules on labelled sentences (used by a test and a benchmark)."""

from __future__ import annotations

import hashlib
import math
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


# The real corpus is split once, by a hash of each sentence's `source` (a document's file name
# without ".md", or a URL), so every sentence of one source, and the document itself, fall in the
# same half. Rules are tuned on the tuning half only; the checking half is scored at the end.
SPLIT_SALT = "pmcheck-split-6"
TUNING, CHECKING = "tuning", "checking"


def corpus_half(source: str) -> str:
    """``"tuning"`` or ``"checking"`` for a source name or URL; fixed forever by the salt."""
    digest = hashlib.sha256(f"{SPLIT_SALT}:{source}".encode()).digest()
    return TUNING if digest[0] % 2 == 0 else CHECKING


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a proportion; (0, 1) when nothing was counted."""
    if total == 0:
        return (0.0, 1.0)
    share = successes / total
    denominator = 1 + z * z / total
    centre = (share + z * z / (2 * total)) / denominator
    spread = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - spread), min(1.0, centre + spread))
