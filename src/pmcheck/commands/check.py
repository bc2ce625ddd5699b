"""``pmcheck check``: check post-mortems and report findings."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pmcheck import api
from pmcheck.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    ProgressBar,
    add_cache_options,
    add_check_options,
    split_selectors,
    use_color,
    write_output,
)
from pmcheck.errors import UsageError
from pmcheck.finding import Severity
from pmcheck.reporters import REPORTERS
from pmcheck.run import RunResult


def add_parsers(commands: Any) -> None:
    parser = commands.add_parser("check", help="check post-mortems and report findings")
    add_check_options(parser)
    parser.add_argument(
        "--format", default="text", help=f"output format: {', '.join(REPORTERS)} (default: text)"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="only the finding lines; nothing when all pass"
    )
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--no-source", action="store_true", help="do not show the source line under findings")
    parser.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    parser.add_argument(
        "--fix", action="store_true", help="first apply the safe fixes of `pmcheck fix --write`, then check"
    )
    add_cache_options(parser)
    parser.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    if args.format not in REPORTERS:
        raise UsageError(f"unknown format {args.format!r}; choose from {', '.join(REPORTERS)}")
    if args.fix:
        from pmcheck.commands.fix import run_fix

        fixed = run_fix(
            argparse.Namespace(
                paths=args.paths,
                write=True,
                config=args.config,
                select=args.select,
                ignore=args.ignore,
                force_exclude=args.force_exclude,
            )
        )
        if fixed == 2:
            return fixed
    # A broken symlink is there but unreadable: it gets a finding like any unreadable file, not "missing".
    missing = [path for path in args.paths if not os.path.lexists(path)]
    existing = [path for path in args.paths if os.path.lexists(path)]
    result = (
        api.run(
            existing,
            config=args.config,
            select=split_selectors(args.select),
            ignore=split_selectors(args.ignore),
            fail_on=Severity(args.fail_on) if args.fail_on else None,
            force_exclude=args.force_exclude,
            progress=ProgressBar(),
            jobs=args.jobs,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
        )
        if existing
        else RunResult(reports=[], fail_on=Severity(args.fail_on or "error"))
    )
    for path in missing:
        print(f"pmcheck: error: {path}: no such file or directory", file=sys.stderr)
    result.color = args.output is None and use_color(args.color, sys.stdout)
    result.quiet = args.quiet
    result.statistics = args.statistics
    result.show_source = not args.no_source
    text = REPORTERS[args.format](result)
    if args.format == "text" and result.notices and args.quiet:
        for notice in result.notices:
            print(f"pmcheck: note: {notice}", file=sys.stderr)
    if text:
        write_output(text, args.output)
    if args.format != "text" and result.notices:
        for notice in result.notices:
            print(f"pmcheck: note: {notice}", file=sys.stderr)
    if missing:
        return 2
    return EXIT_FINDINGS if result.failed else EXIT_OK
