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

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_DIMENSIONS: dict[str, list[str]] = {
    "team": ["team", "teams", "squad", "owning team", "owner team"],
    "service": ["service", "services", "system", "affected service", "affected services"],
    "component": ["component", "components"],
}


class DimensionSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: list[str] = Field(
        default_factory=list, description="Metadata keys (front matter, table, bold lines) to read, in order."
    )
    paths: dict[str, str] = Field(
        default_factory=dict,
        description="Globs relative to the config file → value, for documents that do not say.",
    )


def _default_dimensions() -> dict[str, DimensionSetting]:
    return {name: DimensionSetting(fields=list(keys)) for name, keys in DEFAULT_DIMENSIONS.items()}


class ReportSettings(BaseModel):
    """Settings of ``pmcheck report``."""

    model_config = ConfigDict(extra="forbid")
    dimensions: dict[str, DimensionSetting] = Field(
        default_factory=_default_dimensions,
        description="Dimension name → where to read it (a list of metadata keys is short for {fields: ...}). "
        "Named dimensions replace the defaults of the same name; the others stay.",
    )
    categories: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Contributing-factor category → extra keywords (new names add categories).",
    )

    @field_validator("dimensions", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        """Accept ``team: [team, squad]`` for ``team: {fields: [team, squad]}`` and keep unnamed defaults."""
        if not isinstance(value, dict):
            return value
        merged: dict[object, object] = {name: {"fields": keys} for name, keys in DEFAULT_DIMENSIONS.items()}
        for name, setting in value.items():
            merged[str(name)] = {"fields": setting} if isinstance(setting, list) else setting
        return merged
