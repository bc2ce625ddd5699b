"""``pmcheck baseline``: record today's findings so that ``check`` reports only new ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmcheck import api, baseline_run
from pmcheck.baseline import BASELINE_NAME, dumps
from pmcheck.commands.check import add_baseline_option
from pmcheck.commands.shared import EXIT_OK, EXIT_USAGE, add_document_options, split_selectors, write_output
from pmcheck.config import config_for

_EPILOG = f"""\
The baseline ({BASELINE_NAME}) is found like the config: in the folder of each checked file or
any folder above it, or given with --baseline. Commit it; `pmcheck check`, the pre-commit hook and
the GitHub Action then report only findings it does not hold. Entries match by rule, file and the
text a finding is about, not by line, so edits elsewhere in a document keep them matched.

Without --prune the entries of the checked files are replaced by their findings today; with
--prune only entries that no longer match are dropped and nothing is added."""


def add_parsers(commands: Any) -> None:
    parser = commands.add_parser(
        "baseline",
        help=f"record the current findings in {BASELINE_NAME} so that only new ones are reported",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_document_options(parser)
    add_baseline_option(parser)
    parser.add_argument(
        "--prune", action="store_true", help="only drop entries that no longer match a finding"
    )
    parser.set_defaults(handler=run_baseline)


def run_baseline(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        print(f"pmcheck: error: {path}: no such file or directory", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    result = api.run(
        args.paths,
        config=args.config,
        select=split_selectors(args.select),
        ignore=split_selectors(args.ignore),
        force_exclude=args.force_exclude,
    )
    start = Path.cwd()
    target = baseline_run.target_for(args.baseline, start, config_for(start, args.config).source)
    written = baseline_run.rebuild(result, target, prune=args.prune)
    for path in written.outside:
        print(f"pmcheck: warning: {path} is outside {target.parent}; not recorded", file=sys.stderr)
    write_output(dumps(written.entries), target)
    print(
        f"Wrote {target}: {len(written.entries)} entries "
        f"({written.added} added, {written.dropped} dropped) for {len(result.reports)} checked files.",
        file=sys.stderr,
    )
    return EXIT_OK
