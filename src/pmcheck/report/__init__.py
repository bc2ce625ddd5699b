"""The organisation-wide learning report: every post-mortem in one static site and one JSON file.

The flow is one-way and, up to the shell, pure:

``FileReport`` list ─model.build_report─▶ ``Report`` ─render.render_site─▶ ``{relative path: text}``
                                                   └─jsonout.render─▶ ``report.json``

- :mod:`phases` says which timeline entries mark detection, mitigation and resolution;
- :mod:`timing` turns a timeline into times to detect / mitigate / resolve;
- :mod:`categories` sorts contributing factors into categories (spaCy lemmas, or plain keywords);
- :mod:`action_status` decides whether a corrective action is done, open or overdue;
- :mod:`themes` links incidents that share factor categories;
- :mod:`masking` keeps text that checks flag as secret or personal out of what is published;
- :mod:`series` aggregates what the charts show; :mod:`charts` draws them as inline SVG;
- :mod:`issues` (the only part that talks to the network) reads issue states from GitHub.

``pmcheck.commands.report`` is the shell: it runs the checker, calls these, and writes the files.
"""
