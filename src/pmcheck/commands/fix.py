"""``pmcheck fix``: add what post-mortems lack and need no judgement to add; show a diff, or write it.

Exit codes: 0 nothing to fix, or the fixes were written (``--write``); 1 fixes were shown but not
written, as ``ruff format --check`` does for files it would change; 2 a usage or configuration error,
or a file that cannot be read or written.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from pmcheck.api import Checker
from pmcheck.commands.shared import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, add_document_options, split_selectors
from pmcheck.discover import discover
from pmcheck.fix import FixResult, fix_text
from pmcheck.read import ReadProblem, decode, read_bytes, split_lines

_EPILOG = """\
fix only inserts: missing required sections (a heading and a TODO prompt), missing metadata fields,
a trigger line, and the timeline's time zone when the document names exactly one. What you wrote is
never changed or removed. The prompts are reported by `pmcheck check` until you replace them.

exit codes: 0 nothing to fix, or fixes written with --write; 1 fixes shown, not written; 2 error."""


def add_parsers(commands: Any) -> None:
    parser = commands.add_parser(
        "fix",
        help="add missing sections, metadata and time zones (shows a diff; --write applies it)",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_document_options(parser, verb="fix")
    parser.add_argument("--write", "-w", action="store_true", help="write the fixes into the files")
    parser.set_defaults(handler=run_fix)


def run_fix(args: argparse.Namespace) -> int:
    checker = Checker(
        config=args.config, select=split_selectors(args.select), ignore=split_selectors(args.ignore)
    )
    problems = [f"{path}: no such file or directory" for path in args.paths if not path.exists()]
    existing = [path for path in args.paths if path.exists()]
    changed = 0
    for candidate in discover(existing, checker.config_for, force_exclude=args.force_exclude):
        path = candidate.path
        raw = read_bytes(path, checker.config_for(path).config.max_file_bytes)
        if isinstance(raw, ReadProblem):
            problems.append(f"{path}: {raw.message}")
            continue
        text = decode(raw)
        if isinstance(text, ReadProblem):
            problems.append(f"{path}: {text.message}")
            continue
        result = fix_text(text, path=str(path), ruleset=checker.ruleset_for(path))
        if not result.fixes:
            continue
        problem = _write(path, raw, result) if args.write else None
        if problem:
            problems.append(f"{path}: {problem}")
            continue
        if not args.write:
            sys.stdout.write(unified_diff(text, result.text, str(path)))
        changed += 1
    for problem in problems:
        print(f"pmcheck: error: {problem}", file=sys.stderr)
    _summary(changed, write=args.write)
    if problems:
        return EXIT_USAGE
    return EXIT_FINDINGS if changed and not args.write else EXIT_OK


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff that ``git apply`` and ``patch -p1`` accept."""
    name = Path(path).as_posix()
    old, new = (name, name) if Path(path).is_absolute() else (f"a/{name}", f"b/{name}")
    lines = []
    diff = difflib.unified_diff(
        split_lines(before, keepends=True), split_lines(after, keepends=True), old, new
    )
    for line in diff:
        lines.append(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n")
    return "".join(lines)


def _write(path: Path, raw: bytes, result: FixResult) -> str | None:
    """Write the fixed text with the file's own BOM and line endings, atomically; or say why not."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    body = raw[len(bom) :]
    crlf = body.count(b"\r\n")
    if (crlf and crlf != body.count(b"\n")) or body.replace(b"\r\n", b"").count(b"\r"):
        return "mixed line endings; pmcheck fix will not rewrite it (without --write it shows the fixes)"
    text = result.text.replace("\n", "\r\n") if crlf else result.text
    target = path.resolve()
    temporary: str | None = None
    try:
        prefix = f".{target.name}."
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=prefix, delete=False) as handle:
            temporary = handle.name
            handle.write(bom + text.encode("utf-8"))
        os.chmod(temporary, target.stat().st_mode)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        return f"cannot write: {exc.strerror or exc}"
    print(f"Fixed {path}: " + "; ".join(fix.description for fix in result.fixes))
    return None


def _summary(changed: int, *, write: bool) -> None:
    files = f"{changed} file{'s' if changed != 1 else ''}"
    if not changed:
        message = "Nothing to fix."
    elif write:
        message = (
            f"Fixed {files}. Run `pmcheck check` to see what still needs you: the TODO prompts, "
            "owners, deadlines."
        )
    else:
        message = f"{files} would be changed; run `pmcheck fix --write` to apply the fixes."
    print(message, file=sys.stderr)
