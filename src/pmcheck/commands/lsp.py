"""``pmcheck lsp``: the language server, for findings while writing (needs the ``lsp`` extra)."""

from __future__ import annotations

import argparse
from typing import Any

from pmcheck.errors import UsageError


def add_parsers(commands: Any) -> None:
    parser = commands.add_parser(
        "lsp", help="run the language server over stdio (diagnostics, code actions, hover in editors)"
    )
    parser.add_argument(
        "--debounce",
        type=float,
        default=0.3,
        metavar="SECONDS",
        help="wait this long after the last change before checking (default: 0.3)",
    )
    parser.set_defaults(handler=run_lsp)


def run_lsp(args: argparse.Namespace) -> int:
    try:
        from pmcheck.lsp.server import serve
    except ImportError as exc:
        raise UsageError(
            f"the language server needs pygls ({exc.name} is missing): pip install 'pmcheck[lsp]'"
        ) from None
    serve(debounce=args.debounce)
    return 0
