"""One neutraliser for everything pmcheck puts on GitHub: the PR comment, issue bodies and the
follow-up summary show hostile document text literally, and it pings, runs, embeds and links nothing."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hostile.strings import HOSTILE_TEXTS, live_problems
from markdown_it import MarkdownIt

from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text
from pmcheck.formatters import markdown
from pmcheck.github.action_issue import action_key, issue_body
from pmcheck.inert import ZERO_WIDTH_SPACE, inert

RENDER = MarkdownIt("commonmark", {"html": True}).enable("table")
RULES = build_ruleset(LoadedConfig(config=Config(packs=["default"]), base=Path.cwd()))


def visible(rendered: str) -> str:
    return (
        html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(html.unescape(ZERO_WIDTH_SPACE), "").strip()
    )


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_inert_text_shows_literally_and_does_nothing(text: str) -> None:
    rendered = RENDER.render(inert(text))
    assert live_problems(rendered) == []
    assert visible(rendered) == text


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_the_pr_comment_text_uses_the_same_neutraliser(text: str) -> None:
    assert markdown.text(text) == inert(text)
    assert live_problems(RENDER.render(markdown.text(text))) == []


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_an_issue_body_quotes_hostile_action_text_inertly(text: str) -> None:
    document = (
        f"---\nseverity: {text!r}\n---\n# {text}\n\nSummary.\n\n## Action items\n\n"
        f"- [ ] {text} (Owner: @org/sre-team, due {text})\n"
    )
    postmortem = check_text(document, "pm.md", RULES).postmortem
    assert postmortem is not None and postmortem.actions
    action = postmortem.actions[0]
    body = issue_body(postmortem, action, key=action_key("pm.md", action))
    ours, rest = body.split("\n", 1)
    assert ours.startswith("<!-- pmcheck:action")
    assert live_problems(RENDER.render(rest)) == []
