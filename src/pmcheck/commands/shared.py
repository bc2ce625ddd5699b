"""What the sub-commands share: exit codes, the document options, colour, and writing the output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from pmcheck.errors import PmcheckError
from pmcheck.finding import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_document_options(parser: argparse.ArgumentParser, *, verb: str = "check") -> None:
    """Paths, config, rule selection and excludes: shared by every command that reads documents."""
    parser.add_argument(
        "paths", nargs="*", type=Path, default=[Path(".")], help="files or folders (default: .)"
    )
    parser.add_argument(
        "--config", type=Path, help="use this config file instead of the nearest .pmcheck.yml"
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULE",
        help=f"only {verb} with these rules (id, name or pack prefix); repeatable, comma-separated",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULE",
        help=f"do not {verb} with these rules; repeatable, comma-separated",
    )
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply the config's exclude globs to files named on the command line too",
    )


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that checks documents and decides pass or fail."""
    add_document_options(parser)
    parser.add_argument(
        "--fail-on", choices=[s.value for s in Severity], help="lowest severity that fails the run"
    )
    parser.add_argument(
        "--preview", action="store_true", default=None, help="also run rules and rule changes in preview"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for many files (default: one per core from 40 files on)",
    )


def add_cache_options(parser: argparse.ArgumentParser) -> None:
    """Where findings are remembered between runs (``.pmcheck_cache`` at the project root)."""
    parser.add_argument(
        "--no-cache", action="store_true", help="check every file afresh; read and write no cache"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the cache here (default: $PMCHECK_CACHE_DIR, else .pmcheck_cache at the project root)",
    )


def split_selectors(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def use_color(choice: str, stream: object, environ: Mapping[str, str] | None = None) -> bool:
    """``--color`` first; then ``NO_COLOR`` (no colour) over ``FORCE_COLOR`` (colour even when piped,
    as on CI logs); then whether ``stream`` is a terminal. Empty variables count as unset."""
    env = os.environ if environ is None else environ
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def write_output(text: str, destination: Path | None) -> None:
    if destination is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PmcheckError(f"{destination}: cannot write: {exc.strerror or exc}") from None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class ProgressBar:
    """A one-line progress bar on stderr, shown only on a terminal and for more than a few dozen files."""

    threshold = 30

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= self.threshold:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done == total:
            sys.stderr.write("\r" + " " * (width + 24) + "\r")
        sys.stderr.flush()
