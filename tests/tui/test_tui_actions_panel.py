"""The Actions panel says how long an action took as a person reads a duration."""

from __future__ import annotations

import pytest

from callsim.tui.widgets.actions import took


@pytest.mark.parametrize("seconds, shown", [
    (0.012, "12ms"), (0.0, "0s"), (4.72, "4.7s"), (124.736, "2m4.7s"), (120.0, "2m"), (3600.04, "1h"),
])
def test_an_actions_time_is_shown_to_a_tenth_of_a_second_in_minutes_past_a_minute(seconds, shown):
    assert took(seconds) == shown
