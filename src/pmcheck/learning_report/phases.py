"""Which phase of an incident a timeline entry marks: impact, detection, mitigation or resolution.

A small keyword classifier over the entry's lower-cased text:

- **impact** (when customers started to feel it): "impact began/starts", "customers/users
  (are) affected/impacted", "users cannot...", "customer-facing errors", "errors begin/spike", "error
  rate rises/spikes", "outage/problem begins", "start of the outage", "requests start failing",
  "starts returning errors", "stops serving/responding", "went down", "is unavailable";
- **detect**: alert(s/ed/ing), paged, paging, "pages the on-call", noticed, detected, reported,
  reports;
- **mitigate**: mitigated, rolled back, "rollback finished/complete/done", workaround, restored;
- **resolve**: resolved, closed, all clear, back to normal, "returns/returned to normal".

A keyword does not count when a negation stands just before it ("no alert covered it", "nobody
noticed", "not yet resolved") or a negated verb follows it ("the alert did not fire"): timelines
often record what failed to happen. An entry may mark more than one phase.
"""

from __future__ import annotations

import re

PHASES: dict[str, re.Pattern[str]] = {
    "impact": re.compile(
        r"\b(?:(?:customer\s+)?impact\s+(?:begins?|began|starts?|started)|"
        r"(?:customers?|users?|clients?)\s+(?:are\s+|were\s+|start\s+to\s+be\s+|began\s+to\s+be\s+)?"
        r"(?:affected|impacted)|(?:customer|user)[\s-]facing\s+(?:errors?|impact|outage)|"
        r"errors?\s+(?:begins?|began|starts?|started|spikes?|spiked)|"
        r"error[\s-]rates?\s+(?:rises?|rose|spikes?|spiked|climbs?|climbed|jumps?|jumped)|"
        r"(?:outage|degradation|disruption)\s+(?:begins?|began|starts?|started)|"
        r"(?:requests|checks|logins|payments|calls|jobs|builds|deploys)\s+(?:start|started|begin|began)\s+"
        r"(?:to\s+)?fail(?:ing)?|"
        r"(?:problem|issue|incident|outage)\s+(?:starts?|started|begins?|began)|"
        r"start\s+of\s+(?:the\s+)?(?:outage|incident|impact|disruption)|"
        r"(?:starts?|started|begins?|began)\s+(?:to\s+)?(?:rais|return|throw|serv|log|fail|time\s+out|timing\s+out|"
        r"crash|drop|reject|refus)\w*\s+(?:\w+\s+){0,3}?(?:errors?|exceptions?|5\d\d|requests|connections|"
        r"traffic|jobs|builds)|"
        r"stop(?:s|ped)?\s+(?:\w+\s+)?(?:serving|responding|answering|accepting|launching|processing|working)|"
        r"(?:went|goes|is|was|are|were)\s+(?:completely\s+)?(?:down|offline|unavailable|unreachable)|"
        r"(?:users?|customers?|clients?)\s+(?:cannot|can't|could\s+not|couldn't|(?:are|were)\s+unable\s+to))\b"
    ),
    "detect": re.compile(
        # "to alert users of delays" tells customers; it is not how the team found out.
        r"\b(?:alert(?:s|ed|ing)?(?!\s+(?:the\s+|our\s+|all\s+)?(?:users|customers|clients|the\s+public))|"
        r"paged|paging|pages?\s+(?:the\s+|an?\s+)?on-?call|noticed|notices|detected|"
        r"detects|reported|reports)\b"
    ),
    "mitigate": re.compile(
        r"\b(?:mitigated|rolled\s+back|roll-?back\s+(?:is\s+|was\s+)?(?:finished|completed?|done)|"
        r"work-?arounds?|restored)\b"
    ),
    "resolve": re.compile(
        r"\b(?:resolved|closed|all[\s-]+clear|back\s+to\s+normal|return(?:s|ed)?\s+to\s+normal)\b"
    ),
}
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|without|nothing|nobody|none|cannot|can't|didn't|wasn't|isn't|hasn't|hadn't|"
    r"weren't|aren't|yet\s+to)\W+(?:\w+\W+){0,2}$"
)
# The keywords in words, for readers of the report.
DESCRIPTIONS = {
    "impact": "impact began, customers affected, errors begin, error rate rises, outage begins, "
    "stops serving, went down",
    "detect": "alert, paged, noticed, detected, reported",
    "mitigate": "mitigated, rolled back, rollback finished, workaround, restored",
    "resolve": "resolved, closed, all clear, back to normal",
}
_CLAUSE_BREAK = re.compile(r"[;,.:!?()]|\s[—–-]\s")
_NEGATION_AFTER = re.compile(
    r"^\W+(?:\w+\s+)?(?:(?:did|does|do|was|were|is|are|has|had|have)\s*(?:not|n't)|never|failed\s+to)\b"
)


def classify(text: str) -> tuple[str, ...]:
    """The phases ``text`` marks, in the order impact, detect, mitigate, resolve."""
    lowered = text.lower().replace("’", "'")
    return tuple(phase for phase, pattern in PHASES.items() if _affirmed(pattern, lowered))


def _affirmed(pattern: re.Pattern[str], text: str) -> bool:
    for match in pattern.finditer(text):
        # Negation reaches back only to the start of the clause: "without a rollback; resolved" is resolved.
        before = _CLAUSE_BREAK.split(text[: match.start()])[-1]
        after = text[match.end() :]
        if not _NEGATION_BEFORE.search(before) and not _NEGATION_AFTER.match(after):
            return True
    return False
