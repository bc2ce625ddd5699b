"""The README's shell blocks as commands: what each runs, where, and the exit code the README promises.

A block is a fenced ``sh`` (or ``shell``/``bash``) block. Its lines are commands (a trailing ``\\``
continues a line); a trailing ``# exit code N`` comment promises that exit code, else 0. A block whose
first line is a comment starting "In the ... repository that holds your post-mortems" is meant for
the reader's own repository, with pmcheck installed; the others run in pmcheck's clone, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
PROJECT_URL = "https://github.com/pmcheck/pmcheck"
_FENCE = re.compile(r"^```(?:sh|shell|bash)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"#\s*exit code (\d+)")
_USERS_REPOSITORY = re.compile(r"^#\s*In the (?:git )?repository that holds your post-mortems", re.I)


@dataclass(frozen=True)
class Command:
    text: str  # as the README writes it, without its trailing comment
    exit_code: int


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence in README.md
    commands: tuple[Command, ...]
    in_users_repository: bool

    @property
    def runs_the_suite(self) -> bool:
        return any(".ci/run" in command.text for command in self.commands)


def _commands(body: str) -> tuple[Command, ...]:
    joined = re.sub(r"\\\n\s*", " ", body)
    commands = []
    for line in joined.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        code = _EXIT.search(line)
        text = re.sub(r"\s+#.*$", "", line).strip()
        commands.append(Command(text=text, exit_code=int(code.group(1)) if code else 0))
    return tuple(commands)


def blocks(text: str | None = None) -> list[Block]:
    source = README.read_text(encoding="utf-8") if text is None else text
    found = []
    for match in _FENCE.finditer(source):
        body = match.group(1)
        first = body.lstrip().splitlines()[0] if body.strip() else ""
        found.append(
            Block(
                line=source.count("\n", 0, match.start()) + 1,
                commands=_commands(body),
                in_users_repository=bool(_USERS_REPOSITORY.match(first)),
            )
        )
    return found


def command_starting(prefix: str) -> Command:
    """The one README command that starts with ``prefix``."""
    (found,) = [c for block in blocks() for c in block.commands if c.text.startswith(prefix)]
    return found
