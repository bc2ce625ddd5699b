"""The ``report:`` section of ``.pmcheck.yml``, read by the learning report: dimensions, categories.

```yaml
report:
  dimensions:                       # how to read each dimension; these three are the defaults
    team: [team, squad, owning team]          # metadata keys, first found wins
    service:
      fields: [service, services, system]
      paths: {"payments/**": payments}        # else: documents under a folder (globs from this file)
    component: [component, components]
  categories:                       # keywords added to the built-in factor categories (or new ones)
    vendors: [vendor, third party]
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pmcheck.validation import FORBID_EXTRA, Before, about

DEFAULT_DIMENSIONS: dict[str, list[str]] = {
    "team": ["team", "teams", "squad", "owning team", "owner team"],
    "service": ["service", "services", "system", "affected service", "affected services"],
    "component": ["component", "components"],
}


@dataclass(frozen=True, kw_only=True)
class DimensionSetting:
    __pydantic_config__ = FORBID_EXTRA
    fields: list[str] = field(
        default_factory=list,
        metadata=about("Metadata keys (front matter, table, bold lines) to read, in order."),
    )
    paths: dict[str, str] = field(
        default_factory=dict,
        metadata=about("Globs relative to the config file → value, for documents that do not say."),
    )


def _shorthand(value: object) -> object:
    """Accept ``team: [team, squad]`` for ``team: {fields: [team, squad]}`` and keep unnamed defaults."""
    if not isinstance(value, dict):
        return value
    merged: dict[object, object] = {name: {"fields": keys} for name, keys in DEFAULT_DIMENSIONS.items()}
    for name, setting in value.items():
        merged[str(name)] = {"fields": setting} if isinstance(setting, list) else setting
    return merged


def _default_dimensions() -> dict[str, DimensionSetting]:
    return {name: DimensionSetting(fields=list(keys)) for name, keys in DEFAULT_DIMENSIONS.items()}


@dataclass(frozen=True, kw_only=True)
class ReportSettings:
    """Settings of ``pmcheck report``."""

    __pydantic_config__ = FORBID_EXTRA
    dimensions: Annotated[dict[str, DimensionSetting], Before(_shorthand)] = field(
        default_factory=_default_dimensions,
        metadata=about(
            "Dimension name → where to read it (a list of metadata keys is short for {fields: ...}). "
            "Named dimensions replace the defaults of the same name; the others stay."
        ),
    )
    categories: dict[str, list[str]] = field(
        default_factory=dict,
        metadata=about("Contributing-factor category → extra keywords (new names add categories)."),
    )
