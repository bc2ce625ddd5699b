"""``pmcheck check``: check post-mortems and report findings.

``pmcheck check -`` reads one document from standard input (``--stdin-filename`` says which file it
stands for); findings a baseline holds are left out, and counted in a notice."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pmcheck import api, baseline_run
from pmcheck.commands.shared import (
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
from pmcheck.formatters import REPORTERS
from pmcheck.read import read_stream
from pmcheck.run_result import RunResult


def add_parsers(commands: Any) -> None:
    parser = commands.add_parser("check", help="check post-mortems and report findings")
    add_check_options(parser)
    parser.add_argument(
        "--format",
        "--output-format",
        dest="format",
        default="text",
        help=f"output format: {', '.join(REPORTERS)} (default: text)",
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
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings fail the run (2 still means error)",
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with `-` as the path: the file the standard input stands for (config, globs, messages)",
    )
    parser.add_argument("--show-docs", action="store_true", help="show each finding's documentation link")
    add_baseline_option(parser)
    parser.add_argument("--no-baseline", action="store_true", help="report every finding; ignore baselines")
    parser.set_defaults(handler=run_check)


def add_baseline_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="use this baseline instead of the nearest .pmcheck-baseline.json",
    )


def run_check(args: argparse.Namespace) -> int:
    if args.format not in REPORTERS:
        raise UsageError(f"unknown format {args.format!r}; choose from {', '.join(REPORTERS)}")
    if args.fix and [str(path) for path in args.paths] == ["-"]:
        raise UsageError("--fix cannot change standard input; pipe through `pmcheck fix` on a file instead")
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
    stdin = [str(path) for path in args.paths] == ["-"]
    if args.stdin_filename and not stdin:
        raise UsageError("--stdin-filename needs `-` as the only path")
    # A broken symlink is there but unreadable: it gets a finding like any unreadable file, not "missing".
    missing = [] if stdin else [path for path in args.paths if not os.path.lexists(path)]
    existing = [] if stdin else [path for path in args.paths if os.path.lexists(path)]
    options: dict[str, Any] = {
        "config": args.config,
        "select": split_selectors(args.select),
        "ignore": split_selectors(args.ignore),
        "fail_on": Severity(args.fail_on) if args.fail_on else None,
        "force_exclude": args.force_exclude,
        "preview": args.preview,
    }
    if stdin:
        from pmcheck.config import config_for

        name = args.stdin_filename or "-"
        limit = config_for(Path(name), args.config).config.max_file_bytes
        result = api.run_text(read_stream(sys.stdin.buffer, limit), path=name, **options)
    elif existing:
        result = api.run(
            existing,
            progress=ProgressBar(),
            jobs=args.jobs,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
            **options,
        )
    else:
        result = RunResult(reports=[], fail_on=Severity(args.fail_on or "error"))
    if not args.no_baseline:
        locate = (lambda _path: Path(args.stdin_filename or "-").absolute()) if stdin else Path
        result = baseline_run.apply(result, explicit=args.baseline, locate=locate)
    for path in missing:
        print(f"pmcheck: error: {path}: no such file or directory", file=sys.stderr)
    result.color = args.output is None and use_color(args.color, sys.stdout)
    result.quiet = args.quiet
    result.statistics = args.statistics
    result.show_source = not args.no_source
    result.show_docs = args.show_docs
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
    return EXIT_FINDINGS if result.failed and not args.exit_zero else EXIT_OK
