"""GitHub-style pagination: `per_page` / `page` and a `Link` header that PyGithub can parse."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlencode

T = TypeVar("T")

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        value = int(query.get(name, [""])[0])
    except ValueError:
        return default
    return value if value >= 1 else default


def page_window(query: dict[str, list[str]]) -> tuple[int, int]:
    """(page, per_page) as GitHub reads them: bad values fall back to the defaults, per_page caps at 100."""
    per_page = min(_int_param(query, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    return _int_param(query, "page", 1), per_page


def paginate(
    items: Sequence[T], query: dict[str, list[str]], link_base: str, *, cap: int | None = None
) -> tuple[list[T], str | None]:
    """Cut one page out of `items`; return it with the `Link` header value (None when one page holds all).

    `link_base` is origin + path as requested; link URLs repeat every query parameter but `page`.
    `cap` limits how many items are reachable at all (search stops at 1,000 results).
    """
    page, per_page = page_window(query)
    reachable = len(items) if cap is None else min(len(items), cap)
    last = max(1, math.ceil(reachable / per_page))
    start = (page - 1) * per_page
    chunk = list(items[start : min(start + per_page, reachable)])
    if last == 1 and page == 1:
        return chunk, None

    def url(number: int) -> str:
        params = [(k, v) for k, values in query.items() if k != "page" for v in values]
        return f"{link_base}?{urlencode([*params, ('page', str(number))])}"

    links: list[tuple[str, int]] = []
    if page > 1:
        links.append(("prev", min(page - 1, last)))
    if page < last:
        links += [("next", page + 1), ("last", last)]
    if page > 1:
        links.append(("first", 1))
    return chunk, ", ".join(f'<{url(number)}>; rel="{rel}"' for rel, number in links)
