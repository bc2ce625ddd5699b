"""Presets a config can start from (``extends: recommended`` or ``strict``).

A preset is a partial config; the file's own keys are applied over it, and its ``rules`` entries
after the preset's, so a team's settings always have the last word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmcheck.config import Config

PRESETS: dict[str, dict[str, Any]] = {
    # The shipped packs and severities: errors fail a run, warnings are shown.
    "recommended": {"packs": ["default", "blame"], "fail_on": "error"},
    # Every rule an error: for teams whose post-mortems already pass, so nothing slips back.
    "strict": {"packs": ["default", "blame"], "fail_on": "warning", "rules": {"all": "error"}},
}


def with_preset(config: Config) -> Config:
    """``config`` applied over its preset (unchanged without ``extends``)."""
    if config.extends is None:
        return config
    preset = PRESETS[config.extends]
    own = config.model_dump(include=config.model_fields_set)
    rules = {**preset.get("rules", {}), **own.pop("rules", {})}
    return type(config).model_validate({**preset, **own, "rules": rules})
