"""The README stays true: its rule table, its commands and its configuration example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from pmcheck.commands.rules_help import rules_markdown
from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset
from pmcheck.validation import validated

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_packs() -> None:
    table = README.split("<!-- rules:start", 1)[1].split("-->", 1)[1].split("<!-- rules:end -->", 1)[0]
    ruleset = build_ruleset(LoadedConfig(config=Config(), base=ROOT))
    assert table.strip() == rules_markdown(ruleset.all_rules).strip(), (
        "README rule table is stale: paste `pmcheck rules --all --format markdown` between the markers"
    )


def test_the_two_setup_commands_are_there_and_ci_runs_the_test_command() -> None:
    assert ".venv/bin/pmcheck check examples/" in README
    assert "bash .ci/run" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == ".venv/bin/python -m pytest -q"


def test_every_command_in_the_reference_exists() -> None:
    reference = README.split("## Command line", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    commands = set(re.findall(r"^pmcheck (\w+)", reference, flags=re.MULTILINE))
    assert commands >= {"check", "fix", "init", "rules", "explain", "actions", "schema", "report", "github"}
    for command in sorted(commands):
        result = subprocess.run(
            [sys.executable, "-m", "pmcheck", command, "--help"], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, (command, result.stderr)


def test_configuration_example_is_valid() -> None:
    block = README.split("## Configuration", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    validated(Config, yaml.safe_load(block))
