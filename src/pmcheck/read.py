"""Read a file's bytes into text, turning every way that can fail into a message about that file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReadProblem:
    """Why a file could not be read as Markdown, and the line where that shows."""

    message: str
    line: int = 1


def read_text(path: Path) -> str | ReadProblem:
    """The file's text as UTF-8 (a leading BOM dropped, CRLF normalised), or the reason it has none."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return ReadProblem(
                f"file is {size / 1_048_576:.1f} MB; pmcheck reads documents up to "
                f"{MAX_BYTES // 1_048_576} MB"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        return ReadProblem("is a directory, not a file")
    except FileNotFoundError:
        dangling = path.is_symlink()
        return ReadProblem("is a symbolic link to a file that does not exist" if dangling else "no such file")
    except PermissionError:
        return ReadProblem("permission denied")
    except OSError as exc:
        return ReadProblem(f"cannot read: {exc.strerror or exc}")
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
