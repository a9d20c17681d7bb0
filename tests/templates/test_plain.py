"""Plain templates read and rendered without jinja give exactly what jinja gives, errors included, and a run
whose templates are all plain never loads jinja."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callsim.errors import MissingSecret, MissingVariable, TemplateError
from callsim.templates import render as templates
from callsim.templates import sandbox
from callsim.templates.plain import parse_plain
from callsim.templates.values import FINALIZE

CONTEXT = {"order": {"number": "45 67/..", "total": 12.0, "items": ["a", "b"], "paid": True, "note": None},
           "name": "Zoë", "count": 3, "call": {"from": "+14155550100"}, "bad": "x\r\ny",
           "routing": {"url": "https://crm.test/a?b=1"}, "secrets": {"TOKEN": "s3cr3t"}}
TEMPLATES = [
    ("text", "Order {{ order.number }} costs {{ order.total }}; {{ order.items }}, paid {{ order.paid }}{{ order.note }}."),
    ("text", "{{ name }} has {{ count }} orders\n"),
    ("text", "line one\r\nline two {{name}}\rend"),
    ("text", "Hi {{ nobody | default('there') }}, {{ order.missing | d(\"none }}\") }}"),
    ("text", "{ {{ name }} }} {{\tcount\n}}"),
    ("url", "https://api.test/orders/{{ order.number }}?n={{ name }}&p={{ order.paid }}"),
    ("url", "https://api.test/{{ reference | default(\"none\") }}/{{ order.items }}"),
    ("url", " {{ routing.url }} "),
    ("json", "{{ order.items }}"),
    ("header", "{{ call.from }} / {{ order.total }}"),
    ("header", "Bearer {{ secrets.TOKEN }}"),
]


def by_jinja(kind: str, source: str) -> tuple[object, frozenset[str], frozenset[str], tuple[frozenset[str], bool]]:
    """What jinja makes of a template: its output for CONTEXT, its required and optional names, its secret use."""
    tree = sandbox.parse(source, kind)
    expr = sandbox.single_expression(tree) if kind in ("url", "json") else None
    if expr is not None:
        output: object = sandbox.expression(expr)(CONTEXT)
    else:
        output = sandbox.renderer(tree, kind)(CONTEXT)
    return output, *sandbox.names(tree), sandbox.secret_use(tree)


@pytest.mark.parametrize(("kind", "source"), TEMPLATES)
def test_plain_templates_read_and_render_as_jinja_does(kind, source):
    assert parse_plain(source) is not None
    compiled = templates._compile(source, kind)
    output, required, optional, secret_use = by_jinja(kind, source)

    if kind == "json":
        assert compiled._value(CONTEXT, "") == output
    else:
        expected = str(output) if kind != "url" or compiled._evaluate is None else templates._whole_url(output)
        assert compiled.render(CONTEXT) == (templates._header(expected) if kind == "header" else expected)
    assert (compiled.names, compiled.optional_names) == (required, optional)
    assert (compiled.secrets, compiled.transforms_secret) == secret_use


@pytest.mark.parametrize("source", [
    "{{ order.number | upper }}", "{% if name %}x{% endif %}", "{{ order.items[0] }}", "{{ count + 1 }}",
    "{{ name | default(other) }}", "{{- name }}", "{{ name -}}", "{{{ name }}", "a {# note #}{{ name }}",
    "{{ none }}", "{{ self }}", "{{ order.not }}", "{{ name | d('it\\'s') }}", "{{ name | d(5) }}", "{{ a . b }}",
    "{{ name", "{{ name }} {%", "{{ naïve }}",
])
def test_anything_else_is_left_to_jinja(source):
    assert parse_plain(source) is None


WORDS = st.sampled_from(["order", "number", "name", "count", "note", "items", "secrets", "TOKEN", "x", "none", "self",
                         "not", "d", "default"])
PIECES = st.one_of(
    st.sampled_from(["{", "}", "{{", "}}", "{%", "{#", " ", "\n", "\r\n", "\r", "|", ".", "(", ")", "'", '"', "-",
                     "default", "d", "\\", "é", "\t"]),
    WORDS,
    st.builds(lambda path, spaces: f"{{{{{spaces}{'.'.join(path)}{spaces}}}}}", st.lists(WORDS, min_size=1, max_size=3),
              st.sampled_from(["", " ", "  ", "\n"])),
    st.builds(lambda path, text, quote: f"{{{{ {'.'.join(path)} | default({quote}{text}{quote}) }}}}",
              st.lists(WORDS, min_size=1, max_size=2), st.text("ab }{'\"", max_size=4), st.sampled_from(["'", '"'])),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join), st.sampled_from(["text", "url", "json", "header"]))
def test_whatever_is_read_as_plain_jinja_reads_the_same(source, kind):
    parsed = parse_plain(source)
    if parsed is None:
        return
    tree = sandbox.parse(source, kind)  # a plain template is always one jinja reads
    plain_names = parsed.names()
    assert plain_names == sandbox.names(tree)
    assert parsed.secret_use() == sandbox.secret_use(tree)
    single = parsed.single()
    assert (single is not None) == (sandbox.single_expression(tree) is not None)
    fallback = sandbox.renderer(tree, kind)
    for context in (CONTEXT, {}, {"order": {"number": 5, "note": {"x": "y"}}, "x": [1, 2], "name": None}):
        try:
            expected: object = fallback(context)
        except Exception as error:  # noqa: BLE001 - the plain walk must then give the same error (it asks jinja)
            expected = type(error)
        try:
            got: object = parsed.renderer(FINALIZE[kind], fallback)(context)
        except Exception as error:  # noqa: BLE001
            got = type(error)
        assert got == expected


def test_a_missing_variable_is_reported_as_jinja_reports_it():
    with pytest.raises(MissingVariable, match="order.status"):
        templates.render_text("Order is {{ order.status }}.", CONTEXT, "action x, field say")
    with pytest.raises(MissingVariable, match="nobody"):
        templates.render_url("https://api.test/{{ nobody }}", CONTEXT)
    with pytest.raises(MissingVariable, match="order.nothing"):
        templates.render_json({"id": "{{ order.nothing }}"}, CONTEXT)
    with pytest.raises(MissingSecret, match="OTHER"):
        templates.render_header("Bearer {{ secrets.OTHER }}", CONTEXT)
    with pytest.raises(TemplateError, match="line break"):
        templates.render_header("{{ bad }}", CONTEXT)


def test_a_run_of_plain_templates_never_loads_jinja():
    code = ("import sys\n"
            "from callsim.templates import render_header, render_json, render_text, render_url, template_names\n"
            f"context = {CONTEXT!r}\n"
            "render_text('Order {{ order.number }} for {{ name | d(\"you\") }}', context)\n"
            "render_url('https://api.test/orders/{{ order.number }}', context)\n"
            "render_url('{{ routing.url }}', {'routing': {'url': 'https://crm.test/x'}})\n"
            "render_header('Bearer {{ secrets.TOKEN }}', context)\n"
            "render_json({'n': '{{ order.total }}', 'items': ['{{ order.items }}']}, context)\n"
            "template_names('{{ call.from }}')\n"
            "print('jinja2' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "False"
