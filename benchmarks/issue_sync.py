"""Requests and time to turn 200 corrective actions (20 post-mortems) into issues, then to re-run.

Usage: python benchmarks/issue_sync.py [--documents 20] [--actions 10] [--write-interval 0]

Runs the real sync (PyGithub over HTTP) against the local fake GitHub server in tests/github_fake:
first run (creates everything), re-run (must make zero writes), and a run after 10 of the
documents each changed one deadline. ``--write-interval 0`` (the default here) measures pmcheck's own
cost; on GitHub the default pacing adds about one second per write, which the report estimates.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from github_fake.plugin import REPO, TOKEN, seed  # noqa: E402
from github_fake.server import FakeGitHub  # noqa: E402

from pmcheck.api import Checker  # noqa: E402
from pmcheck.config import Config  # noqa: E402
from pmcheck.github.action_issue import IssueLinks  # noqa: E402
from pmcheck.github.apply import apply, prepare  # noqa: E402
from pmcheck.github.event import ClientSettings  # noqa: E402
from pmcheck.github.gateway import Gateway  # noqa: E402
from pmcheck.github.issue_plan import PlanInputs, SourceDocument  # noqa: E402
from pmcheck.parse import parse_document  # noqa: E402
from pmcheck.postmortem import read_postmortem  # noqa: E402

OWNERS = ["alice", "bob", "carol", "acme/sre"]


def postmortem(number: int, actions: int, *, shift: int = 0) -> str:
    rows = "\n".join(
        f"| A{index} | Fix weakness {index} found in incident {number} | @{OWNERS[index % len(OWNERS)]} "
        f"| 2026-{4 + (index + shift) % 6:02d}-15 | |"
        for index in range(actions)
    )
    header = "| ID | Action | Owner | Due | Tracking |\n| --- | --- | --- | --- | --- |"
    return (
        f"# Incident {number}\n\n**Date:** 2026-03-{1 + number % 28:02d}\n"
        f"**Severity:** SEV{1 + number % 3}\n\n## Action items\n\n{header}\n{rows}\n"
    )


def documents(count: int, actions: int, *, changed: int = 0) -> list[SourceDocument]:
    catalog = Checker().ruleset_for(ROOT).catalog
    found = []
    for number in range(count):
        path = f"postmortems/incident-{number:02d}.md"
        text = postmortem(number, actions, shift=1 if number < changed else 0)
        found.append(SourceDocument(path, read_postmortem(parse_document(text, path), catalog)))
    return found


def run(
    fake: FakeGitHub, docs: list[SourceDocument], settings: ClientSettings
) -> tuple[float, Counter[str], int]:
    fake.clear_log()
    started = time.perf_counter()
    client = Gateway(settings, REPO)
    try:
        plan, _ = prepare(
            client,
            docs,
            PlanInputs.from_config(Config(), links=IssueLinks(REPO, "a" * 40)),
            label="postmortem-action",
        )
        result = apply(plan, client)
    finally:
        client.close()
    elapsed = time.perf_counter() - started
    if result.error:
        raise SystemExit(result.error)
    kinds = Counter(f"{request.method} {request.operation}" for request in fake.log)
    return elapsed, kinds, fake.write_count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--actions", type=int, default=10, help="corrective actions per post-mortem")
    parser.add_argument("--write-interval", type=float, default=0.0)
    args = parser.parse_args()
    with FakeGitHub() as fake:
        seed(fake)
        settings = ClientSettings(token=TOKEN, api_url=fake.url, write_interval=args.write_interval)
        total = args.documents * args.actions
        print(
            f"{args.documents} post-mortems, {total} corrective actions, "
            f"write interval {args.write_interval} s"
        )
        for name, docs in [
            ("first run", documents(args.documents, args.actions)),
            ("re-run, nothing changed", documents(args.documents, args.actions)),
            (
                f"re-run, {args.documents // 2} documents moved every deadline",
                documents(args.documents, args.actions, changed=args.documents // 2),
            ),
        ]:
            elapsed, kinds, writes = run(fake, docs, settings)
            requests = sum(kinds.values())
            paced = elapsed + writes * (1.0 - args.write_interval)
            print(
                f"\n{name}: {requests} requests ({writes} writes) in {elapsed:.2f} s; "
                f"with GitHub's 1 s between writes: about {paced:.0f} s"
            )
            for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
                print(f"  {count:5d}  {kind}")
        print(f"\nissues in {REPO}: {len(fake.issues(REPO))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
