"""Allow ``python -m pmcheck``."""

from __future__ import annotations

from pmcheck.cli import main

raise SystemExit(main())
