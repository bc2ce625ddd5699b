"""Read a file's bytes into text, turning every way that can fail into a message about that file.

Only regular files are read: a FIFO, a device or a socket is reported instead (it is opened without
blocking and never read), and no more than a limit is read whatever the file claims its size is.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pmcheck.errors import PmcheckError

MAX_BYTES = 5 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024  # a config or a rule pack
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_CHUNK = 1024 * 1024
_NOT_REGULAR = {
    stat.S_IFIFO: "is a named pipe (FIFO), not a regular file",
    stat.S_IFCHR: "is a character device, not a regular file",
    stat.S_IFBLK: "is a block device, not a regular file",
    stat.S_IFSOCK: "is a socket, not a regular file",
    stat.S_IFDIR: "is a directory, not a file",
}


@dataclass(frozen=True)
class ReadProblem:
    """Why a file could not be read as Markdown, and the line where that shows."""

    message: str
    line: int = 1


def read_yaml_bytes(path: Path, error: type[PmcheckError]) -> bytes:
    """A config's or a rule pack's bytes; a file that cannot be read raises ``error`` naming it."""
    data = read_bytes(path, MAX_YAML_BYTES)
    if isinstance(data, ReadProblem):
        raise error(f"{path}: {data.message}")
    return data


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes | ReadProblem:
    """The bytes of a regular file of at most ``limit`` bytes, or why it was not read."""
    try:
        # Looked at before opening (a socket cannot be opened) and again after (it may have changed).
        kind = stat.S_IFMT(path.stat().st_mode)
        if kind != stat.S_IFREG:
            return ReadProblem(_NOT_REGULAR.get(kind, "is not a regular file"))
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        return ReadProblem(_NOT_REGULAR[stat.S_IFDIR])
    except FileNotFoundError:
        dangling = path.is_symlink()
        return ReadProblem("is a symbolic link to a file that does not exist" if dangling else "no such file")
    except PermissionError:
        return ReadProblem("permission denied")
    except OSError as exc:
        return ReadProblem(f"cannot read: {exc.strerror or exc}")
    try:
        kind = stat.S_IFMT(os.fstat(descriptor).st_mode)
        if kind != stat.S_IFREG:
            return ReadProblem(_NOT_REGULAR.get(kind, "is not a regular file"))
        os.set_blocking(descriptor, True)
        return _read_capped(descriptor, limit)
    except OSError as exc:
        return ReadProblem(f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(descriptor)


def _read_capped(descriptor: int, limit: int) -> bytes | ReadProblem:
    # The size a file reports is not trusted: it may grow while read, or be a lie (procfs says 0).
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = os.read(descriptor, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    return ReadProblem(
        f"is larger than {_megabytes(limit)}, the most pmcheck reads (raise max_file_mb in .pmcheck.yml)"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:g} MB"


def read_text(path: Path, limit: int = MAX_BYTES) -> str | ReadProblem:
    """The file's text as UTF-8 (a leading BOM dropped, CRLF normalised), or the reason it has none."""
    data = read_bytes(path, limit)
    return data if isinstance(data, ReadProblem) else decode(data)


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """Lines as Markdown counts them: ended by LF, CRLF or CR only.

    ``str.splitlines`` also ends lines at U+0085, U+2028, vertical tab, form feed and more, which
    Markdown keeps inside a line; splitting there would move text between lines.
    """
    kept = _LINE.findall(text)
    return kept if keepends else [line.rstrip("\r\n") for line in kept]


def read_stream(stream: BinaryIO, limit: int = MAX_BYTES) -> str | ReadProblem:
    """Text from a stream such as standard input, with the same size cap and decoding as files."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        return ReadProblem(f"cannot read: {exc.strerror or exc}")
    if len(data) > limit:
        return ReadProblem(f"input is over {limit / 1_048_576:g} MB, the most pmcheck reads of one document")
    return decode(data)


def decode(data: bytes) -> str | ReadProblem:
    if b"\x00" in data[:8192]:
        return ReadProblem("looks like a binary file (it contains NUL bytes), not Markdown")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ReadProblem(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8", line
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")
