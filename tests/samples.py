"""A small realistic post-mortem that several test modules check in different ways.

Line 32 is "- Improve monitoring": no owner (PM031), no deadline (PM032), vague (PM034); line 33 is an
owned action due 2026-02-01. Everything else passes the default rules.
"""

from __future__ import annotations


def queue_backlog(*, status: str = "draft", vague_action: bool = True) -> str:
    """The queue-backlog post-mortem; without ``vague_action`` its action list has only the dated action."""
    actions = "- Improve monitoring\n" if vague_action else ""
    return f"""\
---
date: 2026-01-20
severity: SEV2
status: {status}
authors: [marta]
---
# Queue backlog

Order e-mails were delayed by up to three hours.

## Impact

About 18,000 customers received their e-mail late.

## Timeline (UTC)

- 09:12 consumer deploy
- 09:30 backlog grows

## Root cause

**Trigger:** a slower serializer.

Nothing alerted on consumer throughput.

## Contributing factors

- The queue-depth dashboard paged nobody.

## Action items

{actions}- Add large orders to the load tests (@tomas, by 2026-02-01)
"""
