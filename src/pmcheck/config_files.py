"""Which config file governs a path, found without reading it: the names, the walk up, the defaults.

Kept apart from :mod:`pmcheck.config` (which validates with pydantic) so that a run served from the
cache can find its config files, and key what it keeps by their bytes, without building any model.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from pmcheck.errors import ConfigError
from pmcheck.pyproject import PYPROJECT, has_tool_table

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


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's modification time and size: a config read again only when they change (a language
    server runs for hours)."""
    try:
        status = path.stat()
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


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
                raise ConfigError(f"{candidate}: {odd_file(candidate)}; a config file must be a regular file")
        pyproject = candidate_folder / PYPROJECT
        if pyproject.is_file() and has_tool_table(pyproject, ConfigError):
            return pyproject
    return None


def odd_file(path: Path) -> str:
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


def config_file_for(path: Path, explicit: Path | None = None) -> Path | None:
    """The config file that governs ``path`` (``explicit``, resolved, when given), or None for the
    defaults; an explicit file that is not there or not a regular file is a ConfigError."""
    if explicit is None:
        return find_config(path)
    if not explicit.is_file():
        exists = explicit.is_symlink() or explicit.exists()
        raise ConfigError(f"{explicit}: {odd_file(explicit) if exists else 'config file not found'}")
    return explicit.resolve()


def config_base(config_file: Path | None) -> Path:
    """The folder a config's relative paths start from: its own, or the working folder for the defaults."""
    return config_file.parent.resolve() if config_file is not None else Path.cwd().resolve()


def run_anchor(paths: Sequence[Path]) -> Path:
    """The folder holding every checked path: its config gives a run's per-run settings, so the order
    of the paths never changes them."""
    folders = [(path if path.is_dir() else path.parent).resolve() for path in paths] or [Path.cwd().resolve()]
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # paths on different drives share no folder
        return Path.cwd().resolve()
