"""Write and delete files inside one output folder, never through a symbolic link and never outside it.

Every folder below the output folder is opened with ``O_NOFOLLOW`` relative to its parent, so a
folder swapped for a link to elsewhere is refused; a file is written to a new temporary name and
renamed over the old entry, so a link (or hard link) in its place is replaced, never written through.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path, PurePosixPath

from pmcheck.errors import PmcheckError

_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class UnsafePathError(PmcheckError):
    """A name would lead outside the output folder, or through a symbolic link."""


def _parts(name: str) -> tuple[str, ...]:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(part in ("", ".", "..") for part in parts):
        raise UnsafePathError(f"{name!r} is not a plain relative path inside the output folder")
    return parts


def _open_folder(out: Path, folders: tuple[str, ...], *, create: bool) -> int:
    descriptor = os.open(out, _DIRECTORY)
    try:
        for folder in folders:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(folder, 0o755, dir_fd=descriptor)
            try:
                child = os.open(folder, _DIRECTORY | _NOFOLLOW, dir_fd=descriptor)
            except OSError:
                raise UnsafePathError(
                    f"{out / '/'.join(folders)}: {folder!r} is not a folder of its own (a symbolic link?); "
                    "pmcheck will not write or delete through it"
                ) from None
            os.close(descriptor)
            descriptor = child
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def write_file(out: Path, name: str, data: bytes) -> None:
    """Put ``data`` at ``out/name``, replacing whatever entry was there (a link is replaced, not followed)."""
    parts = _parts(name)
    folder = _open_folder(out, parts[:-1], create=True)
    temporary = f".{parts[-1]}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=folder)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, parts[-1], src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
    finally:
        os.close(folder)


def delete_file(out: Path, name: str) -> None:
    """Remove the entry ``out/name`` if it is there; a link is removed itself, its target is untouched."""
    parts = _parts(name)
    folder = _open_folder(out, parts[:-1], create=False)
    try:
        os.unlink(parts[-1], dir_fd=folder)
    except FileNotFoundError:
        pass
    finally:
        os.close(folder)
