"""Plain templates rendered without jinja give exactly what jinja gives, errors included."""

from __future__ import annotations

import pytest

from callsim.templates import render as templates
from callsim.templates.plain import plain_renderer
from callsim.errors import MissingVariable, TemplateError

CONTEXT = {"order": {"number": "45 67/..", "total": 12.0, "items": ["a", "b"], "paid": True, "note": None},
           "name": "Zoë", "count": 3, "call": {"from": "+14155550100"}, "bad": "x\r\ny"}
TEMPLATES = [
    ("text", "Order {{ order.number }} costs {{ order.total }}; {{ order.items }}, paid {{ order.paid }}{{ order.note }}."),
    ("text", "{{ name }} has {{ count }} orders\n"),
    ("text", "Hi {{ nobody | default('there') }}, {{ order.missing | d('none') }}"),
    ("url", "https://api.test/orders/{{ order.number }}?n={{ name }}&p={{ order.paid }}"),
    ("url", "https://api.test/{{ reference | default(\"none\") }}/{{ order.items }}"),
    ("header", "{{ call.from }} / {{ order.total }}"),
]


@pytest.mark.parametrize("kind, source", TEMPLATES)
def test_plain_templates_render_as_jinja_does(kind, source):
    compiled = templates._compile(source, kind)
    tree = templates._ENVIRONMENTS[kind].parse(source)
    jinja = templates._ENVIRONMENTS[kind].from_string(tree).render
    assert plain_renderer(tree, templates._path, templates._FINALIZE[kind], jinja) is not None
    expected = jinja(CONTEXT)
    assert compiled.render(CONTEXT) == (templates._header(expected) if kind == "header" else expected)


@pytest.mark.parametrize("source", ["{{ order.number | upper }}", "{% if name %}x{% endif %}", "{{ order.items[0] }}",
                                    "{{ count + 1 }}", "{{ name | default(other) }}"])
def test_anything_else_is_left_to_jinja(source):
    tree = templates._ENVIRONMENTS["text"].parse(source)
    assert plain_renderer(tree, templates._path, templates._spoken, lambda c: "") is None


def test_a_missing_variable_is_reported_as_jinja_reports_it():
    with pytest.raises(MissingVariable, match="order.status"):
        templates.render_text("Order is {{ order.status }}.", CONTEXT, "action x, field say")
    with pytest.raises(MissingVariable, match="nobody"):
        templates.render_url("https://api.test/{{ nobody }}", CONTEXT)
    with pytest.raises(TemplateError, match="line break"):
        templates.render_header("{{ bad }}", CONTEXT)
