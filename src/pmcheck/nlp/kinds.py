"""NLP rule kinds (registered with :mod:`pmcheck.rules` on import)."""

from __future__ import annotations
