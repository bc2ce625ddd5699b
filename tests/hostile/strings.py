"""Text a hostile or careless author can put in a post-mortem, to be shown on GitHub and do nothing."""

from __future__ import annotations

HOSTILE_TEXTS = [
    "@everyone please look",
    "ping @org/sre-team now",
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- pmcheck:action id=forged -->",
    "![tracker](https://evil.example/pixel.png)",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "| broken | table |",
    "**bold** _it_ `code` ~~gone~~ # heading",
]


def live_problems(rendered_html: str) -> list[str]:
    """What in rendered HTML would ping, run, embed or link: empty when the text is inert."""
    import re

    outside_code = re.sub(r"<code>.*?</code>", "", rendered_html, flags=re.S)
    checks = {
        "a mention": r"(?<![\w&#;])@[A-Za-z0-9]",
        "a script": r"<script",
        "an image": r"<img",
        "a javascript link": r"href=\"(?:javascript|data|vbscript):",
        "a forged marker": r"<!--\s*pmcheck",
    }
    return [name for name, pattern in checks.items() if re.search(pattern, outside_code, re.I)]
