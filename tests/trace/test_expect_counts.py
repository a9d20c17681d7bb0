"""`times:` on the http, message and sms expectations: exactly this many matched, `0` none was sent. A request
sent twice (a double order, a double charge) or a text that should not go out is a bug a subset check misses."""

from __future__ import annotations

import pytest

from callsim.config.scenario import Expectation
from callsim.trace.events import HttpRequestSent, MessageSent
from callsim.trace.expect import check

ORDER = HttpRequestSent(action="order", method="POST", url="https://api.test/orders", json_={"size": "large"})
LOOKUP = HttpRequestSent(action="lookup", method="GET", url="https://api.test/orders/4567")
CODE = MessageSent(action="code", id="SM0001", channel="sms", to="+14155550100", body="Your code is 1234")
THANKS = MessageSent(action="thanks", id="SM0002", channel="sms", to="+14155550100", body="Thanks!", after_call=True)


def verdict(expectation: dict, events: list) -> str | None:
    failure = check(Expectation.model_validate(expectation), events, events)
    return None if failure is None else f"{failure.expected} | {failure.instead}"


@pytest.mark.parametrize(("expectation", "events", "passes"), [
    ({"http": {"method": "POST", "url": "https://api.test/orders"}}, [ORDER, ORDER], True),   # at least one
    ({"http": {"method": "POST", "url": "https://api.test/orders", "times": 1}}, [ORDER], True),
    ({"http": {"method": "POST", "url": "https://api.test/orders", "times": 1}}, [ORDER, LOOKUP, ORDER], False),
    ({"http": {"method": "POST", "times": 0}}, [LOOKUP], True),
    ({"http": {"method": "POST", "times": 0}}, [LOOKUP, ORDER], False),
    ({"http": {"json": {"size": "small"}, "times": 0}}, [ORDER], True),
    ({"message": {"times": 0}}, [THANKS], True),                     # a post-call sms is no in-call message
    ({"message": {"times": 0}}, [CODE], False),
    ({"message": {"contains": "code", "times": 1}}, [CODE, CODE], False),
    ({"sms": {"times": 0}}, [CODE], True),
    ({"sms": {"contains": "thanks", "times": 1}}, [CODE, THANKS], True),
])
def test_times_counts_what_matched(expectation: dict, events: list, passes: bool) -> None:
    assert (verdict(expectation, events) is None) is passes


def test_the_failure_says_how_many_were_wanted_and_how_many_matched() -> None:
    assert verdict({"http": {"method": "POST", "url": "https://api.test/orders", "times": 1}}, [ORDER, ORDER]) == (
        "exactly 1 HTTP request POST https://api.test/orders | 2 matched; sent: POST https://api.test/orders "
        "json={'size': 'large'}; POST https://api.test/orders json={'size': 'large'}")
    assert verdict({"message": {"times": 0}}, [CODE]).startswith("no in-call message | 1 matched; sent: in-call sms")
    assert verdict({"http": {"method": "POST", "times": 2}}, []) == (
        "exactly 2 HTTP requests POST | sent: no request was sent")


def test_times_may_not_be_negative() -> None:
    with pytest.raises(ValueError):
        Expectation.model_validate({"http": {"times": -1}})
