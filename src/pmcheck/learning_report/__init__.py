"""The organisation-wide learning report: every post-mortem in one static site and one JSON file.

The flow is one-way and, up to the shell, pure:

``FileReport`` list ─model.build_report─▶ ``Report`` ─render.render_site─▶ ``{relative path: text}``
                                                   └─report_json.render─▶ ``report.json``

- :mod:`phases` says which timeline entries mark impact, detection, mitigation and resolution;
- :mod:`impact` and :mod:`fields` find when impact began outside the timeline;
- :mod:`timing` turns a timeline into times to detect / mitigate / resolve, from impact start;
- :mod:`dimensions` reads team, service and component (as :mod:`pmcheck.report_settings`, the config's
  ``report:`` section, says);
- :mod:`categories` sorts contributing factors into categories (spaCy lemmas, or plain keywords);
- :mod:`action_status` decides whether a corrective action is done, open or overdue;
- :mod:`history` (pure), :mod:`git_history` (one pass over git) and :mod:`lives` date each action's
  opening and closing; :mod:`trends` aggregates them and the incidents per month or quarter;
- :mod:`themes` links incidents that share factor categories; :mod:`clusters` groups factors that
  say the same thing (TF-IDF on lemmas);
- :mod:`quality` and :mod:`overdue` feed the data-quality panel and the overdue-by-owner view;
- :mod:`masking` keeps text that checks flag as secret or personal out of what is published;
- :mod:`series` aggregates what the charts show; :mod:`charts` draws them as inline SVG;
  :mod:`trends_html` and :mod:`panels` render the front page's sections;
- :mod:`issues` (the only part that talks to the network) reads issue states from GitHub.

``pmcheck.commands.report`` is the shell: it runs the checker, calls these, and writes the files.
"""
