"""Precision, recall and F1 of the blame-language rules on the labelled sentences.

Usage: python benchmarks/blame_eval.py [--misses] [--data tests/data/blame_eval.yml]

Each sentence is checked as a one-line document with only the blame pack; a sentence counts as
flagged when any blame rule fires. Recall is reported per blaming category, false-positive rate
per non-blaming category.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pmcheck.evaluation import evaluate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "blame_eval.yml")
    parser.add_argument("--misses", action="store_true", help="print the misclassified sentences")
    args = parser.parse_args()
    cases = yaml.safe_load(args.data.read_text(encoding="utf-8"))
    result = evaluate(cases)
    print(f"{'category':<22} {'label':<6} {'n':>4} {'flagged':>8} {'rate':>6}")
    per_category: dict[tuple[str, str], list[bool]] = collections.defaultdict(list)
    for case, flagged in zip(cases, result.flagged, strict=True):
        per_category[(case["label"], case["category"])].append(flagged)
    for (label, category), flags in sorted(per_category.items()):
        rate = sum(flags) / len(flags)
        print(f"{category:<22} {label:<6} {len(flags):>4} {sum(flags):>8} {rate:>6.2f}")
    print(
        f"\nprecision {result.precision:.3f}  recall {result.recall:.3f}  f1 {result.f1:.3f}  "
        f"(tp {result.tp}, fp {result.fp}, fn {result.fn}, n {len(cases)})"
    )
    if args.misses:
        for case, flagged in zip(cases, result.flagged, strict=True):
            if flagged != (case["label"] == "blame"):
                kind = "FP" if flagged else "FN"
                print(f"{kind} [{case['category']}] {case['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
