"""Expectations that would hold whatever the agent did are refused when the file is read, saying what to
write instead: a blank text or URL (unchecked), `json: {}` (any object), an evaluation named without an
outcome (naming it lifts the rule that it must pass), DTMF "keys" that are only pauses."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from callsim.config.scenario import Expectation
from callsim.trace.events import BookingMade, DtmfSent, Evaluation, HttpRequestSent
from callsim.trace.expect import check


@pytest.mark.parametrize(("expectation", "says"), [
    ({"booking": {"title": ""}}, "could not fail"),
    ({"booking": {"calendar": " "}}, "could not fail"),
    ({"booking": {"attendee": ""}}, "could not fail"),
    ({"http": {"url": ""}}, "could not fail"),
    ({"http": {"method": ""}}, "could not fail"),
    ({"http": {"json": {}}}, "holds for any JSON object"),
    ({"webhook": {"json": {}}}, "holds for every report"),
    ({"evaluation": {"call_quality": {}}}, "states no outcome"),
    ({"evaluation": {"call_quality": {"score": 0}}}, "at least 0 always holds"),
    ({"action_failed": {"action": "lookup", "kind": ""}}, "could not fail"),
    ({"dtmf": "w"}, "only pauses"),
    ({"dtmf": {"keys": "WW", "exact": True}}, "only pauses"),
])
def test_a_check_that_holds_whatever_happened_is_refused(expectation: dict, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        Expectation.model_validate(expectation)


BOOKED = BookingMade(action="book", id="b1", calendar="main", start="2026-12-01T10:00:00-05:00",
                     end="2026-12-01T10:30:00-05:00", title="Visit", attendee="Dana", spoken="Tuesday at 10")
FAILED = Evaluation(action="call_quality", passed=False, score=0.2, pass_score=0.7, criteria=[])


@pytest.mark.parametrize(("expectation", "events"), [
    ({"booking": {"title": "Checkup"}}, [BOOKED]),
    ({"http": {"json": {}, "exact": True}}, [HttpRequestSent(action="a", method="POST", url="https://x.test",
                                                            json_={"a": 1})]),
    ({"evaluation": {"call_quality": {"passed": True}}}, [FAILED]),
    ({"evaluation": {"call_quality": {"score": 0.5}}}, [FAILED]),
    ({"dtmf": "2w"}, [DtmfSent(action="menu", digits="1w", duration=0.6)]),
])
def test_what_is_still_written_can_fail(expectation: dict, events: list) -> None:
    assert check(Expectation.model_validate(expectation), events, events) is not None


@pytest.mark.parametrize(("written", "says"), [
    ("{url: https://api.test/order/4567, times: 0}", "can only hold"),        # a typo: 'order', not 'orders'
    ("{url: https://api.test/order/4567}", "can only fail"),
    ("{method: POST, url: https://api.test/orders/4567, times: 0}", "can only hold"),  # it only GETs
    ("{url: 'https://api.test/customers*', times: 0}", "can only hold"),
])
def test_an_http_check_of_a_request_no_action_sends_is_refused(cli, project, written, says):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}", f"  - expect: {{http: {written}}}")
    outcome = cli("validate", "scenario.yaml")

    assert outcome.exit_code == 2, outcome.output
    assert says in outcome.output and "lookup_order: GET https://api.test/orders/{{ order_number }}" in outcome.output


@pytest.mark.parametrize("written", [
    "{url: https://api.test/orders/4567, times: 1}",
    "{method: get, url: https://api.test/orders/4567?x=1}",
    "{url: 'https://api.test/ord*'}",
    "{url: https://api.test/orders/4567, times: 0}",   # could be sent: whether it was is the call's to say
])
def test_an_http_check_an_action_may_send_is_valid(cli, project, written):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}", f"  - expect: {{http: {written}}}")

    assert cli("validate", "scenario.yaml").exit_code == 0, cli("validate", "scenario.yaml").output
