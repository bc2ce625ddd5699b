"""``pmcheck rules``, ``explain`` and ``schema``: what pmcheck checks and how to configure it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmcheck.commands.shared import EXIT_OK, print_json, write_output
from pmcheck.config import config_for, json_schema
from pmcheck.engine import RuleSet, build_ruleset
from pmcheck.errors import UsageError
from pmcheck.rule import Rule
from pmcheck.ruledocs import explain_text, pages, severity_shown, shipped_rules
from pmcheck.rulepack import PackSpec
from pmcheck.validation import schema_of


def add_parsers(commands: Any) -> None:
    rules = commands.add_parser("rules", help="list the rules in force")
    rules.add_argument("--config", type=Path)
    rules.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    rules.add_argument("--all", action="store_true", help="include rules the configuration turns off")
    rules.add_argument(
        "--write-docs",
        type=Path,
        metavar="DIR",
        help="write one Markdown page per shipped rule (and an index) into DIR, as in docs/rules/",
    )
    rules.set_defaults(handler=run_rules)

    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", help="rule id or name, e.g. PM031 or action-owner")
    explain.add_argument("--config", type=Path)
    explain.add_argument(
        "--verbose", action="store_true", help="also print the matcher patterns, phrases and cues it uses"
    )
    explain.set_defaults(handler=run_explain)

    schema = commands.add_parser("schema", help="print the JSON Schema of .pmcheck.yml (or of a rule pack)")
    schema.add_argument("which", nargs="?", choices=["config", "pack"], default="config")
    schema.set_defaults(handler=run_schema)


def _ruleset(config: Path | None) -> RuleSet:
    return build_ruleset(config_for(Path.cwd(), config))


def run_rules(args: argparse.Namespace) -> int:
    if args.write_docs is not None:
        for name, text in pages(shipped_rules()).items():
            write_output(text, args.write_docs / name)
        return EXIT_OK
    ruleset = _ruleset(args.config)
    enabled = {rule.id for rule in ruleset.rules}
    rules = ruleset.all_rules if args.all else ruleset.rules
    if args.format == "json":
        print_json(
            [
                {
                    "id": rule.id,
                    "name": rule.name,
                    "severity": rule.severity.value,
                    "pack": rule.pack,
                    "kind": rule.kind.name,
                    "enabled": rule.id in enabled,
                    "summary": rule.docs.what,
                }
                for rule in rules
            ]
        )
    elif args.format == "markdown":
        sys.stdout.write(rules_markdown(rules))
    else:
        for rule in rules:
            state = "" if rule.id in enabled else "  (preview)" if rule.preview else "  (off)"
            sys.stdout.write(
                f"{rule.id:<6} {rule.name:<32} {rule.severity.value:<8} {rule.docs.what}{state}\n"
            )
    return EXIT_OK


def rules_markdown(rules: list[Rule]) -> str:
    """The rule table the README carries (a test keeps the two equal)."""
    lines = ["| Code | Name | Severity | What it checks |", "| --- | --- | --- | --- |"]
    for rule in rules:
        what = " ".join(rule.docs.what.split()).replace("|", "\\|")
        lines.append(f"| {rule.id} | `{rule.name}` | {severity_shown(rule)} | {what} |")
    return "\n".join(lines) + "\n"


def run_explain(args: argparse.Namespace) -> int:
    ruleset = _ruleset(args.config)
    rule = ruleset.find(args.rule)
    if rule is None:
        raise UsageError(f"no rule named {args.rule!r}; see `pmcheck rules --all`")
    sys.stdout.write(explain_text(rule, verbose=args.verbose))
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    print_json(json_schema() if args.which == "config" else schema_of(PackSpec))
    return EXIT_OK
