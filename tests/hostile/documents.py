"""Hypothesis strategies for hostile post-mortems: odd line ends, odd front matter, odd timelines."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters Python's str.splitlines treats as line ends but Markdown does not, and other troublemakers.
ODD = ["\x85", "\x0b", "\x0c", "\u2028", "\u2029", "\x1c", "\x1e", "\t", "\u200b", "\ufeff", "|", "`", "<!--"]
HEADINGS = [
    "Summary",
    "Impact",
    "Timeline",
    "Timeline (UTC)",
    "Root cause",
    "Trigger",
    "Contributing factors",
    "Action items",
    "Lessons learned",
    "Resolution",
    "Detection",
    "Metadata",
]
FRONT_VALUES = [
    "2026-03-02",
    "2026-13-45",
    "SEV2",
    "sev-1",
    "9" * 5000,
    "[a, b]",
    "{x: 1}",
    "final",
    "&a x",
    "*a",
    '"unclosed',
    "~",
    "0x1F",
    "1e999",
    "2026-03-02T25:61:00",
    "!!binary aGVsbG8=",
    "-",
    "",
]
TIMES = ["14:02", "14:02 UTC", "2:05 pm", "T+00:05", "2026-03-02 14:02", "25:99", "1:00 " * 8, "~14:05"]


@st.composite
def words(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(
                    ["the", "deploy", "@alice", "TODO", "#12", "OPS-3", "by 2026-03-20", "(bob)"]
                ),
                st.sampled_from(ODD),
                st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
            ),
            max_size=8,
        )
    )
    return " ".join(pieces)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    keys = draw(
        st.lists(st.sampled_from(["date", "severity", "status", "authors", "title", "x"]), max_size=4)
    )
    lines = [f"{key}: {draw(st.sampled_from(FRONT_VALUES))}" for key in keys]
    return "---\n" + "\n".join(lines) + ("\n---\n" if draw(st.booleans()) else "\n")


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "para", "list", "table", "timeline", "code", "blank"]))
    if kind == "heading":
        level, title = draw(st.integers(1, 3)), draw(st.sampled_from(HEADINGS))
        return f"{'#' * level} {title}{draw(st.sampled_from(['', *ODD]))}"
    if kind == "list":
        return "\n".join(f"- {draw(words())}" for _ in range(draw(st.integers(1, 3))))
    if kind == "timeline":
        return "\n".join(
            f"- {draw(st.sampled_from(TIMES))} {draw(words())}" for _ in range(draw(st.integers(1, 3)))
        )
    if kind == "table":
        rows = [f"| {draw(words())} | {draw(words())} |" for _ in range(draw(st.integers(0, 2)))]
        return "\n".join(["| Action | Owner |", "|---|---|", *rows])
    if kind == "code":
        return f"```\n{draw(words())}\n```"
    if kind == "blank":
        return ""
    return draw(words())


@st.composite
def documents(draw: st.DrawFn) -> str:
    head = draw(front_matter()) if draw(st.booleans()) else ""
    body = [draw(block()) for _ in range(draw(st.integers(0, 8)))]
    ending = draw(st.sampled_from(["\n", "", "\r\n", "\n\n"]))
    return head + "\n".join(body) + ending
