"""pmcheck on GitHub: pull-request comments and annotations, corrective-action issues, follow-ups.

Every module here computes a plan as plain data first and applies it last, so dry runs and tests
come from the same code. PyGithub is imported only in :mod:`pmcheck.github.client`.
"""
