"""pmcheck on GitHub: pull-request comments and annotations, corrective-action issues, follow-ups.

Three layers. :mod:`~pmcheck.github.event` reads the run's context once (environment, event payload,
options). The planners (:mod:`~pmcheck.github.pull_request`, :mod:`~pmcheck.github.issue_plan`,
:mod:`~pmcheck.github.followup`, :mod:`~pmcheck.github.write_back_pr`) turn post-mortems and what
GitHub holds into a plan, as plain data, with no network. :mod:`~pmcheck.github.gateway`, the only
importer of PyGithub, reads and writes; :func:`pmcheck.github.apply.apply` sends a plan through it.
Dry runs and tests come from the same code.
"""
