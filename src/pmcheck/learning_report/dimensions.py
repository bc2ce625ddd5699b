"""Team, service and component of each incident: from its metadata, else from its folder.

Which keys name each dimension comes from ``report.dimensions`` in ``.pmcheck.yml``
(:mod:`settings`). A field may hold several values ("payments, search" or a YAML list); values are
lower-cased with their markup and a leading ``@`` dropped, so "Payments" and "@payments" group
together. A document that names none falls back to the first ``paths`` glob its path matches.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from pmcheck.model import normalize_title
from pmcheck.report_settings import DimensionSetting

_SPLIT = re.compile(r"(?<!\s)\s*[,;]\s*")
_PLACEHOLDER = re.compile(r"^(?:tbd|tba|todo|n/?a|none|unknown|-+|\?+|<.*>)$", re.IGNORECASE)


def dimension_values(
    fields: Mapping[str, str], settings: Mapping[str, DimensionSetting], *, relative_path: str | None
) -> dict[str, tuple[str, ...]]:
    """Every configured dimension's values for one document (an empty tuple when it does not say)."""
    found: dict[str, tuple[str, ...]] = {}
    for name, setting in settings.items():
        values: tuple[str, ...] = ()
        for key in setting.fields:
            text = fields.get(normalize_title(key))
            if text:
                values = split_values(text)
                if values:
                    break
        if not values and relative_path is not None:
            values = _from_path(relative_path, setting.paths)
        found[name] = values
    return found


def split_values(text: str) -> tuple[str, ...]:
    """``"Payments, @search"`` → ``("payments", "search")``; placeholders give nothing."""
    values = []
    for part in _SPLIT.split(text.strip().strip("[]")):
        value = " ".join(part.strip().strip("*_`\"'").lstrip("@").lower().split())
        if value and not _PLACEHOLDER.match(value) and value not in values:
            values.append(value)
    return tuple(values)


def _from_path(relative_path: str, globs: Mapping[str, str]) -> tuple[str, ...]:
    path = PurePosixPath(relative_path).as_posix()
    for pattern, value in globs.items():
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern.rstrip("/") + "/*"):
            return split_values(value)
    return ()
