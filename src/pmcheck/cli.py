"""The command line: build the parser from the sub-commands, dispatch, and map errors to exit codes.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pmcheck import __version__
from pmcheck.commands.shared import EXIT_OK, EXIT_USAGE
from pmcheck.errors import PmcheckError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except PmcheckError as exc:
        print(f"pmcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pmcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``'s command (imported alone), or for every command when none is named."""
    parser = argparse.ArgumentParser(
        prog="pmcheck",
        description="Check blameless post-mortems: structure, timelines, causes, "
        "corrective actions and blame-free language.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="show the version and the spaCy pipeline"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from pmcheck.commands import command_modules

    for module in command_modules(argv):
        module.add_parsers(commands)
    return parser


class _VersionAction(argparse.Action):
    """Print the version only when asked: finding the pipeline's version costs a package scan."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        print(_version_text())
        parser.exit()


def _version_text() -> str:
    from pmcheck.config import NlpSettings
    from pmcheck.nlp.pipeline import pipeline_version

    models = tuple(NlpSettings().models)
    pipeline = pipeline_version(models) or "none installed"
    return f"pmcheck {__version__} (spaCy pipeline: {pipeline})"
