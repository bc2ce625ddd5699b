"""Writing to the files a GitHub Actions step reports through: outputs and the job summary.

``GITHUB_OUTPUT`` takes ``name=value`` lines, and for values with line breaks the heredoc form
``name<<DELIMITER`` ... ``DELIMITER`` with a delimiter that cannot occur in the value.
``GITHUB_STEP_SUMMARY`` takes Markdown, appended. Outside Actions (no file: the variables are unset,
see :attr:`pmcheck.github.event.RunContext.output_file`) both are no-ops.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

from pmcheck.errors import PmcheckError


def output_lines(values: Mapping[str, str]) -> str:
    """The text to append to ``GITHUB_OUTPUT`` for these outputs."""
    lines = []
    for name, value in values.items():
        if "\n" in value or "\r" in value:
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            while delimiter in value:
                delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}")
        else:
            lines.append(f"{name}={value}")
    return "".join(line + "\n" for line in lines)


def set_outputs(values: Mapping[str, str], location: Path | None) -> None:
    _append(location, output_lines(values))


def append_summary(markdown: str, location: Path | None) -> None:
    _append(location, markdown.rstrip("\n") + "\n\n")


def _append(location: Path | None, text: str) -> None:
    if location is None:
        return
    try:
        with location.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise PmcheckError(f"{location}: cannot write: {exc.strerror or exc}") from None
