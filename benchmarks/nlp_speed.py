"""How fast `pmcheck check` is where authors wait, with the blame-language rules on.

Usage: python benchmarks/nlp_speed.py [--runs 5] [--documents 1000]

Measures, as wall time of the real command in a subprocess (median of --runs):
  1. one 2,000-word post-mortem with no candidate sentence for the NLP rules (spaCy never loads);
  2. one 2,000-word post-mortem with candidate sentences (spaCy loads and parses them);
  3. --documents post-mortems generated from examples/ in one run: documents per second;
and the peak resident memory of the child process for each.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pmcheck.config import Config, LoadedConfig  # noqa: E402
from pmcheck.engine import build_ruleset  # noqa: E402
from pmcheck.nlp.matching import rule_triggers  # noqa: E402

NEUTRAL_WORDS = [
    "latency",
    "throughput",
    "replica",
    "shard",
    "region",
    "traffic",
    "dashboard",
    "metric",
    "graph",
    "request",
    "response",
    "cache",
    "index",
    "storage",
    "network",
    "packet",
    "route",
    "gateway",
    "cluster",
    "queue",
    "message",
    "broker",
    "partition",
    "consumer",
    "offset",
    "checkout",
    "payment",
    "invoice",
    "search",
    "catalogue",
    "image",
    "thumbnail",
    "session",
    "token",
    "header",
    "payload",
    "timeout",
    "increased",
    "decreased",
    "rose",
    "recovered",
    "stabilised",
    "remained",
    "reached",
    "returned",
    "observed",
    "measured",
    "steady",
    "percent",
    "seconds",
    "minutes",
    "hours",
    "daily",
    "weekly",
    "hourly",
    "median",
    "average",
    "peak",
    "baseline",
    "normal",
    "higher",
    "lower",
]


def all_triggers() -> set[str]:
    ruleset = build_ruleset(LoadedConfig(config=Config(), base=ROOT))
    words: set[str] = set()
    for rule in ruleset.rules:
        if rule.kind.needs_nlp:
            triggers = rule_triggers(rule)
            if triggers is None:
                raise SystemExit(f"{rule.id} has no trigger words: every sentence would be parsed")
            words |= triggers
    return words


def calm_document(words: int, rng: random.Random) -> str:
    triggers = all_triggers()
    vocabulary = [word for word in NEUTRAL_WORDS if word not in triggers]
    sentences = []
    count = 0
    while count < words:
        length = rng.randint(8, 18)
        sentence = " ".join(rng.choice(vocabulary) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        count += length
    body = "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))
    return f"# Latency report\n\n{body}\n"


def candidate_document(words: int) -> str:
    text = (ROOT / "examples" / "2026-05-06-search-index-deploy.md").read_text(encoding="utf-8")
    parts = [text]
    while sum(len(part.split()) for part in parts) < words:
        parts.append(text.split("## Timeline", 1)[1])
    return "\n\n## Appendix\n\n".join(parts)


def generate_corpus(folder: Path, count: int, rng: random.Random) -> None:
    examples = sorted((ROOT / "examples").glob("*.md"))
    for index in range(count):
        source = examples[index % len(examples)].read_text(encoding="utf-8")
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text = source.replace("2026-0", f"{day[:7]}-0", 1).replace("# ", f"# [{index}] ", 1)
        (folder / f"{day}-incident-{index:05d}.md").write_text(text, encoding="utf-8")


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MB) over ``runs`` runs of the command."""
    pmcheck = shutil.which("pmcheck", path=str(Path(sys.executable).parent)) or "pmcheck"
    times, peaks = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        command = [pmcheck, "check", "--quiet", "--no-cache", *args]
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        calm = folder / "calm.md"
        calm.write_text(calm_document(2000, rng), encoding="utf-8")
        busy = folder / "busy.md"
        busy.write_text(candidate_document(2000), encoding="utf-8")
        corpus = folder / "corpus"
        corpus.mkdir()
        generate_corpus(corpus, args.documents, rng)
        print(f"{'case':<44} {'median s':>9} {'peak MB':>8}")
        for label, target in (
            ("1 document, 2,000 words, no candidates", calm),
            ("1 document, 2,000 words, with candidates", busy),
        ):
            words = len(target.read_text(encoding="utf-8").split())
            seconds, peak = timed([str(target)], args.runs)
            print(f"{label:<44} {seconds:>9.3f} {peak:>8.0f}   ({words} words)")
        seconds, peak = timed([str(corpus)], max(1, args.runs // 2))
        print(
            f"{f'{args.documents} documents':<44} {seconds:>9.3f} {peak:>8.0f}   "
            f"({args.documents / seconds:.0f} documents/s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
