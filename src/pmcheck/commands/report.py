"""``pmcheck report``: build the organisation-wide learning report (a static site and report.json).

The output folder is pmcheck's own: a marker file lists what the last build wrote, so a rebuild
replaces those files and removes pages of documents that are gone, and nothing else. A folder that
is not empty and has no marker is refused unless ``--force`` (which replaces same-named files and
deletes nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from pmcheck import __version__
from pmcheck.api import Checker
from pmcheck.commands.shared import EXIT_OK, ProgressBar, add_document_options, split_selectors
from pmcheck.engine import FileReport, RuleSet
from pmcheck.errors import ConfigError, PmcheckError, UsageError
from pmcheck.learning_report.action_status import IssueState
from pmcheck.learning_report.categories import make_categoriser, read_category_file
from pmcheck.learning_report.dimensions import dimension_values
from pmcheck.learning_report.fields import header_fields
from pmcheck.learning_report.git_history import read_history
from pmcheck.learning_report.html import plural
from pmcheck.learning_report.lives import action_lives, history_note
from pmcheck.learning_report.model import PolicyDays, build_report
from pmcheck.learning_report.render import render_site
from pmcheck.learning_report.safe_files import delete_file, write_file
from pmcheck.read import read_bytes
from pmcheck.rules.actions import PolicyOptions, policy_days_for
from pmcheck.yamlfile import load_yaml

MARKER = ".pmcheck-report.json"
# Only names of this shape are ever deleted, whatever a marker file claims.
_OWN_FILE = re.compile(r"^(?:index\.html|report\.css|report\.json|incidents/[a-z0-9-]+\.html)$")
_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")


def add_parsers(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="build a static site and report.json that learn from all post-mortems",
        description="Build a static site (index.html, one page per incident) and report.json from every "
        "post-mortem found. Open index.html from disk or publish the folder with GitHub Pages.",
    )
    add_document_options(parser)
    parser.add_argument(
        "--out", "-o", type=Path, required=True, metavar="DIR", help="folder to write the site to"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into DIR even if it holds files pmcheck report did not create "
        "(same-named files are replaced; nothing is deleted)",
    )
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="date the report is for: actions due before it are overdue (default: today)",
    )
    parser.add_argument(
        "--categories",
        type=Path,
        metavar="FILE",
        help="deprecated: put the mapping under report.categories in .pmcheck.yml instead. YAML mapping of "
        "contributing-factor categories to extra keywords, added to the config's",
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not read git history for when corrective actions were opened and closed",
    )
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="the GitHub repository whose issues track actions (#123); with a token, "
        "closed issues count as done",
    )
    parser.add_argument(
        "--github-token",
        metavar="TOKEN",
        help="token to read issue states (default: $GITHUB_TOKEN); used only with --repo",
    )
    parser.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    as_of = _as_of(args.as_of)
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if args.repo and not _REPO.match(args.repo):
        raise UsageError(f"--repo {args.repo!r} is not OWNER/NAME")
    previous = _previous_files(args.out, force=args.force)
    from_file = read_category_file(load_yaml(args.categories, ConfigError)) if args.categories else {}

    checker = Checker(
        config=args.config, select=split_selectors(args.select), ignore=split_selectors(args.ignore)
    )
    reports = checker.check_paths(args.paths, force_exclude=args.force_exclude, progress=ProgressBar())
    loaded = checker.run_config(args.paths)
    settings, report_settings = loaded.config.nlp, loaded.config.report
    extra = _merged(report_settings.categories, from_file)
    categoriser = make_categoriser(tuple(settings.models) if settings.enabled else None, extra=extra)
    notices = list(checker.notices)
    if args.categories:
        notices.append(
            "--categories is deprecated: move its mapping under report.categories in .pmcheck.yml "
            f"({args.categories} was still read)"
        )
    issues = _issue_states(args, reports, notices=notices)
    ruleset = checker.ruleset_for(args.paths[0])
    history = None if args.no_history else read_history(args.paths, catalog=ruleset.catalog)
    lives = action_lives(reports, history=history, repo=args.repo, issues=issues)
    report = build_report(
        reports,
        as_of=as_of,
        categoriser=categoriser,
        repo=args.repo,
        issues=issues,
        notices=notices,
        dimensions={
            item.path: dimension_values(
                header_fields(item.postmortem),
                report_settings.dimensions,
                relative_path=_relative(Path(item.path), loaded.base),
            )
            for item in reports
            if item.postmortem is not None
        },
        dimension_names=tuple(report_settings.dimensions),
        lives=lives,
        policy_days=_policy(ruleset),
        history=history_note(lives, history, disabled=args.no_history),
    )
    files = render_site(report)
    _write_site(args.out, files, previous)

    for notice in report.notices:
        print(f"pmcheck: note: {notice}", file=sys.stderr)
    if not reports:
        print("pmcheck: note: no post-mortem documents were found; the report is empty", file=sys.stderr)
    with_problems = sum(1 for incident in report.incidents if incident.problems)
    print(
        f"Wrote a report on {plural(len(report.incidents), 'post-mortem')} ({with_problems} with problems) "
        f"to {args.out / 'index.html'} and {args.out / 'report.json'}"
    )
    return EXIT_OK


def _merged(*mappings: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for mapping in mappings:
        for name, keywords in mapping.items():
            merged.setdefault(name, []).extend(keyword for keyword in keywords if keyword not in merged[name])
    return merged


def _relative(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return None


def _policy(ruleset: RuleSet) -> PolicyDays | None:
    """Days the deadline policy (rule PM033's options, as configured) allows for a severity."""
    rule = ruleset.find("action-deadline-policy")
    if rule is None or not isinstance(rule.options, PolicyOptions):
        return None
    options = rule.options
    return lambda level: policy_days_for(level, options)


def _as_of(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date like 2026-03-02") from None


def _issue_states(
    args: argparse.Namespace, reports: list[FileReport], *, notices: list[str]
) -> dict[int, IssueState] | None:
    """Issue states when the documents track actions in ``--repo`` and a token is given."""
    if not args.repo:
        return None
    tracked = {
        action.issue_number(args.repo)
        for report in reports
        if report.postmortem
        for action in report.postmortem.actions
    } - {None}
    if not tracked:
        return None
    token = args.github_token or os.environ.get("GITHUB_TOKEN")
    if not token:
        notices.append(
            f"no GitHub token (--github-token or GITHUB_TOKEN), so the states of "
            f"{len(tracked)} tracking issues in {args.repo} were not read; action status "
            "comes from the documents"
        )
        return None
    from pmcheck.github.event import read_context
    from pmcheck.learning_report.issues import fetch_issue_states

    return fetch_issue_states(read_context(os.environ, token=token).settings(), args.repo)


def _previous_files(out: Path, *, force: bool) -> set[str]:
    """What the last build wrote into ``out``; refuses a foreign non-empty folder without ``--force``."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder; choose another --out")
    if not out.is_dir():
        return set()
    marker = out / MARKER
    if marker.is_file() or marker.is_symlink():
        raw = read_bytes(marker, 1024 * 1024) if not marker.is_symlink() else b""
        try:
            listed = json.loads(raw).get("files", []) if isinstance(raw, bytes) else []
        except (ValueError, AttributeError):
            listed = []
        return {name for name in listed if isinstance(name, str) and _OWN_FILE.match(name)}
    if any(out.iterdir()) and not force:
        raise UsageError(
            f"{out} is not empty and was not created by pmcheck report; pmcheck will not overwrite or delete "
            "files it did not create. Choose an empty or new folder, or pass --force to write into it anyway "
            "(files with the same names are replaced; nothing is deleted)"
        )
    return set()


def _write_site(out: Path, files: dict[str, str], previous: set[str]) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            write_file(out, name, text.encode("utf-8"))
        for name in sorted(previous - files.keys()):
            delete_file(out, name)
        manifest = {"generator": "pmcheck report", "version": __version__, "files": sorted(files)}
        write_file(out, MARKER, (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise PmcheckError(f"{out}: cannot write the report: {exc.strerror or exc}") from None
