"""Which files to check: explicit files as given, directories walked with the config's globs."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pmcheck.config_files import DEFAULT_EXCLUDE


class Globs(Protocol):
    """What discovery reads of a config: its folder and its file globs (a LoadedConfig, a summary)."""

    @property
    def base(self) -> Path: ...
    @property
    def files(self) -> Sequence[str]: ...
    @property
    def exclude(self) -> Sequence[str]: ...


LoadedConfigLookup = Callable[[Path], Globs]
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "_site"}


@functools.lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a gitignore-style glob (``**/`` spans folders, ``*`` does not) to a regex."""
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out) + r"\Z")


def matches_any(relative: str, patterns: Iterable[str]) -> bool:
    return any(
        glob_regex(pattern.lstrip("./") if pattern.startswith("./") else pattern).match(relative)
        for pattern in patterns
    )


@dataclass(frozen=True)
class Candidate:
    path: Path
    explicit: bool


def is_excluded(path: Path, loaded: Globs) -> bool:
    relative = _relative(path, loaded.base)
    return matches_any(relative, [*DEFAULT_EXCLUDE, *loaded.exclude])


def is_postmortem(path: Path, loaded: Globs) -> bool:
    relative = _relative(path, loaded.base)
    return matches_any(relative, loaded.files) and not is_excluded(path, loaded)


def _resolved(path: Path) -> Path:
    """The real path; a symlink loop cannot be resolved, so it stays as given (reading it reports why)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _relative(path: Path, base: Path) -> str:
    # Globs see the file's own name, not a symlink's target (which may be named anything, or be gone).
    resolved = _resolved(path.parent) / path.name
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix().lstrip("/")


def discover(
    paths: Iterable[Path], loaded_for: LoadedConfigLookup, *, force_exclude: bool = False
) -> Iterator[Candidate]:
    """Files to check, in a stable order, each once."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            loaded = loaded_for(path)
            for found in sorted(_walk(path)):
                if _resolved(found) not in seen and is_postmortem(found, loaded):
                    seen.add(_resolved(found))
                    yield Candidate(found, explicit=False)
        else:
            if _resolved(path) in seen:
                continue
            if force_exclude and path.exists() and is_excluded(path, loaded_for(path)):
                continue
            seen.add(_resolved(path))
            yield Candidate(path, explicit=True)


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if name not in _SKIP_DIRS]
        for name in files:
            yield Path(folder) / name
