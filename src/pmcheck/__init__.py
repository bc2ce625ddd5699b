"""pmcheck: check blameless post-mortems where people write and review them."""

from __future__ import annotations

__version__ = "0.1.0"
