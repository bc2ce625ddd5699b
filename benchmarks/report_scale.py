"""Time ``pmcheck report`` on documents that differ: corpus paragraphs shuffled across documents.

Each generated document takes the headings of one corpus document (``../shared/corpus/documents``,
its provenance line dropped) and fills every section with paragraphs drawn at random from the same
kind of section in all the corpus documents (any section when no other document has that heading),
so no two documents hold the same text in the same order and sentence caches cannot help. Front
matter gives each a date over four years, a severity and a team, so the trends and dimensions have
something to show. Everything is written to a temporary folder at run time and deleted afterwards;
nothing generated is kept in the repository.

    python benchmarks/report_scale.py [--documents 1000] [--commits 0] [--keep] [-- PMCHECK REPORT OPTIONS]

``--commits N`` commits the documents to a fresh git repository over N commits first, so the time
includes reading the action history. ``--no-cache`` is passed when ``pmcheck report`` has it. The
blame rules are on (the default packs). Prints documents per second and the peak memory of the
largest pmcheck process (the main one or a worker).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from report_run import finish, timed

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "documents"
FIRST_DAY = dt.date(2022, 1, 1)
SEVERITIES = ("SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3")
TEAMS = ("payments", "search", "platform", "identity", "data", "edge")
HEADING = re.compile(r"^#{1,6}\s+(.*)$")


def sections(text: str) -> list[tuple[str, list[str]]]:
    """``(heading line, paragraphs)`` in order; the text before the first heading has heading ``""``."""
    found: list[tuple[str, list[str]]] = [("", [])]
    for block in re.split(r"\n\s*\n", text):
        block = block.strip("\n")
        if not block.strip():
            continue
        first, _, rest = block.partition("\n")
        if HEADING.match(first):
            found.append((first, []))
            if rest.strip():
                found[-1][1].append(rest)
        else:
            found[-1][1].append(block)
    return found


def key(heading: str) -> str:
    match = HEADING.match(heading)
    return re.sub(r"[^a-z ]+", "", (match[1] if match else heading).lower()).strip()


def make_documents(target: Path, count: int, *, seed: int = 17) -> None:
    sources = sorted(CORPUS.glob("*.md"))
    if not sources:
        raise SystemExit(f"no corpus documents in {CORPUS}")
    parsed = []
    for source in sources:
        text = source.read_text(encoding="utf-8").split("\n", 1)[1]  # line 1 is provenance
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)  # generated front matter replaces it
        parsed.append(sections(text))
    pools: dict[str, list[str]] = {}
    everything: list[str] = []
    for document in parsed:
        for heading, paragraphs in document:
            pools.setdefault(key(heading), []).extend(paragraphs)
            everything.extend(paragraphs)
    rng = random.Random(seed)
    for index in range(count):
        skeleton = parsed[index % len(parsed)]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(1461))
        lines = [
            "---",
            f"title: Generated incident {index}",
            f"date: {day.isoformat()}",
            f"severity: {rng.choice(SEVERITIES)}",
            f"team: {rng.choice(TEAMS)}",
            "---",
            "",
        ]
        for heading, paragraphs in skeleton:
            if heading:
                lines += [heading, ""]
            pool = pools.get(key(heading)) or everything
            if len(pool) < 3:
                pool = everything
            for _ in paragraphs:
                lines += [rng.choice(pool), ""]
        (target / f"{day.isoformat()}-{index:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def commit(folder: Path, commits: int) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True, env=env)
    files = sorted(path.name for path in folder.glob("*.md"))
    batch = max(1, -(-len(files) // commits))
    for start in range(0, len(files), batch):
        subprocess.run(["git", "add", *files[start : start + batch]], cwd=folder, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"batch {start}"], cwd=folder, check=True, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=0, help="commit the documents over this many commits")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder and print its path")
    parser.add_argument("options", nargs="*", help="options for pmcheck report (after --)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pmcheck-report-scale-"))
    documents, site = workdir / "postmortems", workdir / "site"
    documents.mkdir()
    make_documents(documents, args.documents)
    if args.commits:
        commit(documents, args.commits)
    base = [sys.executable, "-m", "pmcheck", "report"]
    helped = subprocess.run([*base, "--help"], capture_output=True, text=True, check=False).stdout
    extra = ["--no-cache"] if "--no-cache" in helped else []
    command = [*base, str(documents), "--out", str(site), *extra, *args.options]
    completed, seconds, peak = timed(command)
    if completed.returncode != 0:
        print(completed.stderr[-4000:], file=sys.stderr)
        return completed.returncode
    print(f"documents: {args.documents} (corpus paragraphs shuffled); commits: {args.commits}")
    print(f"command: pmcheck report DIR --out SITE {' '.join([*extra, *args.options]) or '(defaults)'}")
    print(
        f"wall clock {seconds:.1f} s, {args.documents / seconds:.1f} documents/s, "
        f"peak memory of the largest process {peak:.0f} MiB, cores {os.cpu_count()}"
    )
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    print(f"site: {size / 1e6:.1f} MB in all, index.html {(site / 'index.html').stat().st_size / 1e6:.1f} MB")
    return finish(workdir, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
