"""Presets a config can start from (``extends: recommended`` or ``strict``).

A preset is a partial config; the file's own keys are applied over it, and its ``rules`` entries
after the preset's, so a team's settings always have the last word.
"""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, dict[str, Any]] = {
    # The shipped packs and severities: errors fail a run, warnings are shown.
    "recommended": {"packs": ["default", "blame"], "fail_on": "error"},
    # Every rule an error: for teams whose post-mortems already pass, so nothing slips back.
    "strict": {"packs": ["default", "blame"], "fail_on": "warning", "rules": {"all": "error"}},
}


def with_preset(data: object) -> object:
    """A config file's data applied over its preset, before it is validated (unchanged without a known
    ``extends``: validation reports a wrong one). Every key it gives is its own, so errors point at it."""
    extends = data.get("extends") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(extends, str) or extends not in PRESETS:
        return data
    preset = PRESETS[extends]
    own_rules = data.get("rules", {})
    if not isinstance(own_rules, dict):
        return {**preset, **data}
    return {**preset, **data, "rules": {**preset.get("rules", {}), **own_rules}}
