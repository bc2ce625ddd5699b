"""Precision and recall of the blame rules on the team's sentences and on real post-mortems.

Usage: python benchmarks/blame_real.py [--corpus ../shared/corpus] [--show tuning|checking]

Prints, with counts and Wilson 95 % intervals beside every proportion:
  (a) the team's own sentences (tests/data/blame_eval.yml, blame_holdout.yml);
  (b) the real labelled sentences (corpus/blame_sentences.jsonl), tuning and checking halves apart,
      with and without borderline items, recall by family of category;
  (c) the real documents (corpus/documents/*.md) checked whole with the blame pack: each flagged
      sentence counts once; a finding inside a labelled sentence is scored by its label, and a
      finding on an unlabelled sentence is listed and counted as false (judge it by hand).
The halves come from ``pmcheck.evaluation.corpus_half`` (a fixed hash of the source). ``--show``
lists the misclassified sentences and unlabelled findings of one half only: tune on the tuning
half and leave the checking half unread until the end.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pmcheck.api import check_text  # noqa: E402
from pmcheck.evaluation import CHECKING, TUNING, corpus_half, evaluate, wilson  # noqa: E402

HALVES = (TUNING, CHECKING)
# The labels' categories grouped into families: the first prefix that matches decides.
FAMILIES = (
    ("self-blame", ("self-blame",)),
    ("punishment/retraining", ("punishment", "retraining")),
    ("hindsight", ("hindsight",)),
    ("human error", ("human-error", "error:")),
    ("omission", ("omission", "forgot", "oversight", "delay")),
    (
        "judgement",
        ("judgement", "incompetence", "carelessness", "care:", "habits", "role-blame:", "admonition"),
    ),
    ("person-as-cause", ("person-action", "role-blame", "named-individual")),
)


def family(category: str) -> str:
    """The family of a blame category; every other category is "other"."""
    for name, prefixes in FAMILIES:
        if category.startswith(prefixes):
            return name
    return "other"


def share(hits: int, total: int) -> str:
    low, high = wilson(hits, total)
    value = f"{hits / total:.2f}" if total else "  - "
    return f"{value} ({hits}/{total}, 95% {low:.2f}-{high:.2f})"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, *, flagged: bool, blame: bool) -> None:
        if flagged and blame:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif blame:
            self.fn += 1
        else:
            self.tn += 1

    def line(self) -> str:
        return f"precision {share(self.tp, self.tp + self.fp)}  recall {share(self.tp, self.tp + self.fn)}"


def flagged(text: str) -> bool:
    return bool(check_text(text + "\n", path="sentence.md", select=["blame"]))


def team_sentences() -> None:
    print("(a) the team's own sentences (written for the project)")
    for name in ("blame_eval.yml", "blame_holdout.yml"):
        cases = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
        result = evaluate(cases)
        tally = Tally(tp=result.tp, fp=result.fp, fn=result.fn)
        print(f"  {name:<18} {tally.line()}")


def real_sentences(corpus: Path, show: str | None, halves: tuple[str, ...]) -> None:
    rows = [json.loads(line) for line in (corpus / "blame_sentences.jsonl").read_text().splitlines() if line]
    print("\n(b) the real labelled sentences (corpus/blame_sentences.jsonl)")
    for half in halves:
        chosen = [row for row in rows if corpus_half(row["source"]) == half]
        marks = [flagged(row["text"]) for row in chosen]
        for label, clear_only in (("all items", False), ("clear-cut", True)):
            tally = Tally()
            by_family: dict[str, Tally] = collections.defaultdict(Tally)
            for row, mark in zip(chosen, marks, strict=True):
                if not (clear_only and row["borderline"]):
                    blame = row["label"] == "blame"
                    tally.add(flagged=mark, blame=blame)
                    if blame:
                        by_family[family(row["category"])].add(flagged=mark, blame=True)
            print(f"  {half:<9} {label:<10} n={tally.tp + tally.fp + tally.fn + tally.tn:<4} {tally.line()}")
            for name, _prefixes in (*FAMILIES, ("other", ())):
                if name in by_family:
                    part = by_family[name]
                    print(f"      recall {name:<22} {share(part.tp, part.tp + part.fn)}")
        if show == half:
            for row, mark in zip(chosen, marks, strict=True):
                if mark != (row["label"] == "blame"):
                    kind = "FP" if mark else "FN"
                    soft = " (borderline)" if row["borderline"] else ""
                    print(f"    {kind}{soft} [{row['category']}] {row['text']}")


@dataclass
class Located:
    start: int
    end: int
    row: dict[str, object]
    findings: list[str] = field(default_factory=list)


_SPACE = re.compile(r"\s+")


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text with whitespace runs as one space, and for each kept character its original offset."""
    chars: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\s+|\S", text):
        chars.append(" " if match.group().isspace() else match.group())
        offsets.append(match.start())
    return "".join(chars), offsets


def _locate(labels: Iterable[dict[str, object]], text: str) -> tuple[list[Located], list[int]]:
    flat, offsets = _normalised(text)
    found = []
    for row in labels:
        wanted = _SPACE.sub(" ", str(row["text"])).strip()
        starts = [m.start() for m in re.finditer(re.escape(wanted), flat)] or [
            m.start() for m in re.finditer(re.escape(wanted[:40]), flat)
        ]
        # A sentence written twice in a document (summary and body) is one labelled item.
        if starts:
            item = Located(starts[0], starts[0] + len(wanted), row)
            found.append(item)
            found.extend(Located(start, start + len(wanted), row, item.findings) for start in starts[1:])
        else:
            print(f"    (label not found in its document: {wanted[:60]!r})")
    return found, offsets


def real_documents(corpus: Path, show: str | None, halves: tuple[str, ...]) -> None:
    rows = [json.loads(line) for line in (corpus / "blame_sentences.jsonl").read_text().splitlines() if line]
    by_source: dict[str, list[dict[str, object]]] = collections.defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(row)
    print("\n(c) the real documents checked whole (corpus/documents/*.md, blame pack)")
    for half in halves:
        documents = sorted(p for p in (corpus / "documents").glob("*.md") if corpus_half(p.stem) == half)
        tally, soft = Tally(), Tally()
        unlabelled: list[str] = []
        for path in documents:
            source = path.read_text(encoding="utf-8")
            text = "\n" + source.split("\n", 1)[1]  # line 1 is provenance; keep line numbers
            findings = check_text(text, path=path.name, select=["blame"])
            located, offsets = _locate(by_source.get(path.stem, []), text)
            line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
            other: dict[str, list[str]] = {}
            for finding in findings:
                offset = line_starts[finding.line - 1] + finding.column - 1
                index = bisect.bisect_left(offsets, offset)
                inside = next((item for item in located if item.start <= index < item.end), None)
                if inside is not None:
                    inside.findings.append(finding.rule_name)
                else:
                    key = f"{path.name}:{finding.line}: {finding.excerpt}"
                    other.setdefault(key, []).append(finding.rule_name)
            for item in {id(item.findings): item for item in located}.values():
                blame = item.row["label"] == "blame"
                soft.add(flagged=bool(item.findings), blame=blame)
                if not item.row["borderline"]:
                    tally.add(flagged=bool(item.findings), blame=blame)
                if show == half and bool(item.findings) != blame:
                    kind = "FP" if item.findings else "FN"
                    mark = " (borderline)" if item.row["borderline"] else ""
                    print(f"    {kind}{mark} {path.name} [{item.row['category']}] {item.row['text']}")
            for key, names in other.items():
                tally.fp += 1
                soft.fp += 1
                unlabelled.append(f"{key}  <- {', '.join(sorted(set(names)))}")
        print(f"  {half:<9} {len(documents)} documents")
        print(f"      clear-cut labels + unlabelled as false: {tally.line()}")
        print(f"      all labels + unlabelled as false:       {soft.line()}")
        print(f"      findings on unlabelled sentences: {len(unlabelled)}")
        if show == half:
            for entry in unlabelled:
                print(f"    UNLABELLED {entry}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--show", choices=HALVES, help="list the errors of this half")
    parser.add_argument("--half", choices=HALVES, help="score only this half (tune without the other)")
    args = parser.parse_args()
    team_sentences()
    if not (args.corpus / "blame_sentences.jsonl").is_file():
        print(f"\nno real corpus at {args.corpus}: (b) and (c) skipped")
        return 0
    halves = (args.half,) if args.half else HALVES
    real_sentences(args.corpus, args.show, halves)
    real_documents(args.corpus, args.show, halves)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
