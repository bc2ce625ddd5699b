"""``pmcheck init`` (start a post-mortem from a template) and ``pmcheck actions`` (list its actions)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from pmcheck.api import Checker
from pmcheck.commands.shared import EXIT_FINDINGS, EXIT_OK, print_json
from pmcheck.errors import UsageError
from pmcheck.postmortem import PostMortem

TEMPLATES = {"full": "full.md", "short": "short.md"}


def add_parsers(commands: Any) -> None:
    init = commands.add_parser("init", help="write a new post-mortem from a template")
    init.add_argument("path", type=Path, help="the Markdown file to create")
    init.add_argument(
        "--template",
        choices=sorted(TEMPLATES),
        default="full",
        help="full (default) or short, for minor incidents",
    )
    init.add_argument("--title", default=None, help="the incident's title")
    init.add_argument("--date", default=None, help="the incident date (default: today)")
    init.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    init.set_defaults(handler=run_init)

    actions = commands.add_parser("actions", help="print the corrective actions a post-mortem lists")
    actions.add_argument("paths", nargs="+", type=Path)
    actions.add_argument("--config", type=Path)
    actions.add_argument("--format", choices=["text", "json"], default="text")
    actions.set_defaults(handler=run_actions)


def render_template(name: str, *, title: str, date: dt.date) -> str:
    """The named template with its title and date filled in (the title is quoted safely for YAML)."""
    text = resources.files("pmcheck.templates").joinpath(TEMPLATES[name]).read_text(encoding="utf-8")
    title = " ".join(title.split())
    # A JSON string is a valid YAML double-quoted scalar, whatever quotes or backslashes the title has.
    return Template(text).substitute(
        title=title, title_yaml=json.dumps(title, ensure_ascii=False), date=date.isoformat()
    )


def default_title(path: Path) -> str:
    """A title from the file name: ``2026-03-02-checkout-errors.md`` gives "Checkout errors"."""
    words = re.sub(r"^\d{4}-\d{2}-\d{2}", "", path.stem).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Incident"


def run_init(args: argparse.Namespace) -> int:
    path: Path = args.path
    if path.is_dir():
        raise UsageError(f"{path} is a folder; name the file to create, e.g. {path / 'incident.md'}")
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise UsageError(f"--date {args.date!r} is not a date like 2026-03-02") from None
    text = render_template(args.template, title=args.title or default_title(path), date=date)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x" creates the file only if it does not exist, so a file that appears meanwhile is kept too.
        with path.open("w" if args.force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        message = f"{path} already exists; pmcheck will not overwrite it (use --force to replace it)"
        raise UsageError(message) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    print(
        f"Created {path} from the {args.template} template. Fill in the placeholders, then run: "
        f"pmcheck check {path}"
    )
    return EXIT_OK


def run_actions(args: argparse.Namespace) -> int:
    checker = Checker(config=args.config)
    found: list[tuple[str, PostMortem]] = []
    problems = False
    for path in args.paths:
        report = checker.check_file(path)
        if report.postmortem is None:
            problems = True
            for finding in report.findings:
                print(f"{finding.path}:{finding.line}: {finding.message}", file=sys.stderr)
            continue
        found.append((str(path), report.postmortem))
    if args.format == "json":
        print_json([_actions_document(path, postmortem) for path, postmortem in found])
    else:
        for path, postmortem in found:
            date = postmortem.incident_date
            dated = (
                f"incident date {date.isoformat()} (from the {postmortem.incident_date_source})"
                if date
                else "no incident date"
            )
            print(f"{path}: {len(postmortem.actions)} corrective actions; {dated}")
            for action in postmortem.actions:
                owners = ", ".join(action.owners) or "no owner"
                deadline = action.deadline
                due = (
                    (deadline.date.isoformat() if deadline.date else deadline.text)
                    if deadline
                    else "no deadline"
                )
                state = action.state or ("done" if action.done else "open")
                print(f"  {action.line:>4}  [{state}] {action.text}  ({owners}; {due})")
    return EXIT_FINDINGS if problems else EXIT_OK


def _actions_document(path: str, postmortem: PostMortem) -> dict[str, object]:
    return {
        "path": path,
        "title": postmortem.title,
        "incident_date": postmortem.incident_date.isoformat() if postmortem.incident_date else None,
        "incident_date_source": postmortem.incident_date_source,
        "severity": postmortem.severity,
        "actions": [action.to_dict() for action in postmortem.actions],
    }
