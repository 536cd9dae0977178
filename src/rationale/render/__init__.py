"""Everything people read: one module per report, one set of formatters, one Jinja environment, SVG charts.

`grade`, `rubric`, `calibration` (text, Markdown, JSON; `calibration_html` for
the page), `progress`, `critique`, `drill`, `portfolio`, `imports`. Renderers
take models and return text; they import nothing above them (no workflow, no
store, no Click), and `--json` output is the dump of the report model itself.
"""
