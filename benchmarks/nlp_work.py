"""Where the NLP rules spend their time on a folder, in one process with spaCy already loaded.

Usage: python benchmarks/nlp_work.py [--rounds 5] [--corpus ../shared/corpus/documents] [--src OTHER/src]

Checks every ``*.md`` of the folder (as given: a corpus document's provenance line is checked too)
``--rounds`` times with one process and the sentence parses forgotten before each round, and prints
the medians of CPU seconds: the whole check, the parsing (``parse_cache.parse``), the matching of the
parsed sentences (``compiled.spans``, or ``matching._run`` in an older ``src``) and the pre-filter
(``matching._find_candidates``); then, from one more round, work that does not move with the load:
sentences parsed, extension answers worked out (Python calls of the ``_`` getters) and runs of the
entity recogniser. ``--src`` measures another checkout's ``src`` (e.g. main's, from
``git archive main src rules | tar -x -C /tmp/main``) in the same way.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "documents"


def count_work(counts: collections.Counter[str]) -> None:
    """Count the answers each extension works out and the recogniser's runs (before any is registered)."""
    from pmcheck.nlp import extensions, people

    memoized = extensions._memoized

    def counting_memoized(name: str, getter: Any) -> Any:
        def counted(token: Any) -> Any:
            counts["extension answers"] += 1
            return getter(token)

        return memoized(name, counted)

    extensions._memoized = counting_memoized
    recognize = people.entity_type

    def counted_entity_type(token: Any) -> Any:
        if token.doc.user_data.get(people.NER_KEY) is not None:
            counts["recogniser runs"] += 1
        return recognize(token)

    people.entity_type = counted_entity_type
    for name in ("grammar", "faults"):
        module = sys.modules.get(f"pmcheck.nlp.{name}")
        if module is not None and hasattr(module, "entity_type"):
            module.entity_type = counted_entity_type


def measure(folder: Path, rounds: int) -> None:
    from pmcheck.api import Checker
    from pmcheck.nlp import matching, parse_cache
    from pmcheck.nlp.context import DEFAULT_MODELS
    from pmcheck.nlp.pipeline import load_pipeline

    documents = sorted(folder.glob("*.md"))
    load_pipeline(DEFAULT_MODELS)
    seconds: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()
    count_work(counts)

    def timed(module: Any, name: str, label: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += time.process_time() - started

        setattr(module, name, wrapper)

    timed(parse_cache, "parse", "parse")
    if hasattr(matching, "spans"):
        timed(matching, "spans", "match")
    else:
        timed(matching, "_run", "match")
    timed(matching, "_find_candidates", "pre-filter")
    Checker(jobs=1).check_paths(documents[:2])  # warm: packs, matchers, first use of each getter
    samples: dict[str, list[float]] = collections.defaultdict(list)
    for _ in range(rounds):
        parse_cache._PARSED.clear()
        seconds.clear()
        started = time.process_time()
        Checker(jobs=1).check_paths(documents)
        samples["check"].append(time.process_time() - started)
        for label in ("parse", "match", "pre-filter"):
            samples[label].append(seconds[label])
    print(f"{len(documents)} documents, {rounds} round(s), load (1 min) {os.getloadavg()[0]:.2f}")
    print("median CPU s: " + ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in samples.items()))

    parse_cache._PARSED.clear()
    counts.clear()
    Checker(jobs=1).check_paths(documents)
    counts["sentences parsed"] = len(parse_cache._PARSED)
    print("work: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--src", type=Path, help="another checkout's src folder")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no folder at {args.corpus}", file=sys.stderr)
        return 2
    if args.inside:
        measure(args.corpus, args.rounds)
        return 0
    src = (args.src or ROOT / "src").resolve()
    command = [
        sys.executable,
        __file__,
        "--inside",
        "--rounds",
        str(args.rounds),
        "--corpus",
        str(args.corpus),
    ]
    return subprocess.run(command, env={**os.environ, "PYTHONPATH": str(src)}, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
