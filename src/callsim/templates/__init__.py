"""Placeholders and conditions: `{{ name }}` templates rendered safely, `if:` conditions evaluated.

`render` compiles and renders templates (text people read, data programs read, URLs, headers, JSON);
`hours` gives conditions the agent's local time and `business_hours(...)`. Below the actions and the
engine, so that both, and the config checks, can use them.
"""

from callsim.templates.render import (Condition, Template, built_from, compile_condition, compile_template,
                                      render_data, render_header, render_json, render_text, render_url,
                                      template_comparisons, template_names)

__all__ = [
    "Condition",
    "Template",
    "built_from",
    "compile_condition",
    "compile_template",
    "render_data",
    "render_header",
    "render_json",
    "render_text",
    "render_url",
    "template_comparisons",
    "template_names",
]
