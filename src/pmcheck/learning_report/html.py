"""Small HTML pieces shared by the pages: escaping, durations, badges and the page templates."""

from __future__ import annotations

from html import escape
from importlib import resources
from string import Template

UNKNOWN_MARK = '<span class="na">—<span class="visually-hidden">not known</span></span>'


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def template(name: str) -> Template:
    return Template(asset(name))


def asset(name: str) -> str:
    """A file shipped in ``pmcheck/learning_report/assets``."""
    return (
        resources.files("pmcheck.learning_report")
        .joinpath("assets")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )


def duration_text(minutes: int | None) -> str:
    """``95`` → ``1 h 35 min``; ``3000`` → ``2 d 2 h``; None → empty."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 1440:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days, rest = divmod(minutes, 1440)
    hours = rest // 60
    return f"{days} d {hours} h" if hours else f"{days} d"


def duration_html(minutes: int | None) -> str:
    return esc(duration_text(minutes)) if minutes is not None else UNKNOWN_MARK


def badge(text: str, kind: str) -> str:
    return f'<span class="badge badge-{esc(kind)}">{esc(text)}</span>'


def paragraphs(texts: tuple[str, ...] | list[str], empty: str) -> str:
    if not texts:
        return f'<p class="muted">{esc(empty)}</p>'
    return "".join(f"<p>{esc(text)}</p>" for text in texts)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"
