"""What a check needs of a configuration before it checks any document, as plain values.

Discovery (which files are post-mortems), the cache key (which packs and pipeline, the settings the
findings depend on) and the exit code (``fail_on``) read only this. A run with a cache keeps the
summary of each config it validated, keyed by the config file's bytes, so a later run whose findings
all come from the cache neither parses the YAML nor validates it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmcheck.finding import Severity

if TYPE_CHECKING:
    from pmcheck.config import Config, LoadedConfig

# The `github:` and `report:` sections steer other commands, and `fail_on` acts on the findings
# once they are made: changing them keeps every cached finding.
NOT_IN_FINDINGS = {"github", "report", "fail_on"}


@dataclass(frozen=True)
class ConfigSummary:
    base: Path
    source: str | None
    notices: tuple[str, ...]
    files: tuple[str, ...]
    exclude: tuple[str, ...]
    packs: tuple[str, ...]
    models: tuple[str, ...] | None
    """The spaCy pipelines to try, or None when the config switches NLP off."""
    fail_on: Severity
    findings_settings: str
    """The validated config as JSON, without the sections only other commands read."""


def summarize(loaded: LoadedConfig) -> ConfigSummary:
    config = loaded.config
    return ConfigSummary(
        base=loaded.base,
        source=loaded.source,
        notices=tuple(loaded.notices),
        files=tuple(config.files),
        exclude=tuple(config.exclude),
        packs=tuple(config.packs),
        models=tuple(config.nlp.models) if config.nlp.enabled else None,
        fail_on=config.fail_on,
        findings_settings=_settings_json(config),
    )


def _settings_json(config: Config) -> str:
    """The config as JSON, without the sections only other commands read: part of the cache key."""
    from pmcheck.validation import values

    settings = {name: value for name, value in values(config).items() if name not in NOT_IN_FINDINGS}
    return json.dumps(settings, ensure_ascii=False, separators=(",", ":"))


def to_record(summary: ConfigSummary) -> dict[str, Any]:
    return {
        "base": str(summary.base),
        "source": summary.source,
        "notices": list(summary.notices),
        "files": list(summary.files),
        "exclude": list(summary.exclude),
        "packs": list(summary.packs),
        "models": None if summary.models is None else list(summary.models),
        "fail_on": summary.fail_on.value,
        "findings_settings": summary.findings_settings,
    }


def from_record(data: Any) -> ConfigSummary | None:
    """The summary a record holds, or None when the record is damaged."""
    try:
        models = data["models"]
        summary = ConfigSummary(
            base=Path(_text(data["base"])),
            source=None if data["source"] is None else _text(data["source"]),
            notices=_texts(data["notices"]),
            files=_texts(data["files"]),
            exclude=_texts(data["exclude"]),
            packs=_texts(data["packs"]),
            models=None if models is None else _texts(models),
            fail_on=Severity(data["fail_on"]),
            findings_settings=_text(data["findings_settings"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return summary


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _texts(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise TypeError(f"expected a list, found {type(values).__name__}")
    return tuple(_text(value) for value in values)
