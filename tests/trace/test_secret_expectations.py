"""Expectations may name secrets: compared with the value actually sent, never shown (length and a short hash)."""

from __future__ import annotations

from pathlib import Path

import pytest

from callsim.runner import run_scenario
from callsim.trace.redact import Redactor

AGENT = """\
agent: shop
greeting: Hello.
uses: [actions.yaml]
actions: [lookup]
"""
ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: [look it up]}
    request:
      url: https://api.shop.test/orders/1
      headers: {Authorization: "Bearer {{ secrets.TOKEN }}"}
    say: Done.
"""
SCENARIO = """\
scenario: s
agent: agent.yaml
secrets: {TOKEN: right-token-123, OTHER: wrong-token-456}
http:
  - {match: GET https://api.shop.test/orders/1, json: {}}
turns:
  - caller: look it up
  - expect: {http: {headers: {Authorization: "Bearer {{ secrets.%s }}"}}}
expect:
  - http: {url: https://api.shop.test/orders/1, headers: {Authorization: "Bearer {{ secrets.%s }}"}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    return tmp_path


def test_an_expectation_naming_the_secret_that_was_sent_passes(project: Path) -> None:
    (project / "s.yaml").write_text(SCENARIO % ("TOKEN", "TOKEN"))
    result = run_scenario(project / "s.yaml")
    assert result.passed, [f.failure for f in result.failures]


def test_an_expectation_naming_another_secret_fails_and_shows_neither(project: Path) -> None:
    (project / "s.yaml").write_text(SCENARIO % ("OTHER", "TOKEN"))
    result = run_scenario(project / "s.yaml")
    [failure] = result.failures
    shown = f"{failure.describe()} {failure.failure.expected} {failure.failure.instead}"
    assert "right-token-123" not in shown and "wrong-token-456" not in shown
    sent, wanted = Redactor(["right-token-123"])("right-token-123"), Redactor(["wrong-token-456"])("wrong-token-456")
    assert sent != wanted                         # two secrets can be told apart in the message
    assert sent in failure.failure.instead and wanted in failure.failure.expected
    assert "{{ secrets.OTHER }}" in failure.describe()


def test_the_old_redacted_placeholder_no_longer_passes_for_any_secret(project: Path) -> None:
    (project / "s.yaml").write_text(SCENARIO.replace("{{ secrets.%s }}", "[redacted]") % ())
    result = run_scenario(project / "s.yaml")
    assert len(result.failures) == 2


def test_a_redacted_secret_shows_its_length_and_a_short_hash() -> None:
    redact = Redactor(["right-token-123", "wrong-token-456"])
    one, other = redact("Bearer right-token-123"), redact("Bearer wrong-token-456")
    assert one.startswith("Bearer [redacted 15 chars #") and one.endswith("]")
    assert one != other and "token" not in one
    assert redact("https://x.test/?t=right-token-123") == "https://x.test/?t=" + one.removeprefix("Bearer ")


def test_a_secret_missing_from_an_expectation_fails_it_saying_how_to_supply_it(project: Path) -> None:
    (project / "s.yaml").write_text(SCENARIO % ("NOPE", "TOKEN"))
    result = run_scenario(project / "s.yaml", )
    [failure] = result.failures
    assert "secrets.NOPE" in failure.failure.instead and "environment" in failure.failure.instead


@pytest.mark.anyio
async def test_the_python_api_compares_secrets_the_same_way(project: Path) -> None:
    from callsim.live import Callsim

    call = await Callsim().call(project / "agent.yaml", secrets={"TOKEN": "right-token-123", "OTHER": "x-456789"},
                                http=[{"match": "GET https://api.shop.test/orders/1", "json": {}}])
    await call.say("look it up")
    call.trace.expect.http(headers={"Authorization": "Bearer {{ secrets.TOKEN }}"})
    call.trace.expect.http(headers={"Authorization": "Bearer right-token-123"})  # the value itself, as a test wrote it
    with pytest.raises(AssertionError) as caught:
        call.trace.expect.http(headers={"Authorization": "Bearer {{ secrets.OTHER }}"})
    assert "right-token-123" not in str(caught.value) and "x-456789" not in str(caught.value)
    await call.hangup()
