"""Written email addresses: the ones RFC 5322 allows, standing alone, and none inside a web address."""

from __future__ import annotations

import datetime as dt

import pytest

from callsim.readers import ReadContext, read_value

CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc))


@pytest.mark.parametrize(("utterance", "expected"), [
    ("j_9@[129.126.118.1] is a valid email address", "j_9@[129.126.118.1]"),   # an IP address in brackets
    ("my email is Foo.Bar@Example.COM.", "Foo.Bar@example.com"),
    ("foo..bar@x.com is invalid", None),      # two dots in a row: no address, and no part of it ("bar@x.com")
    (".foo@x.com", None),
    ("foo.@x.com", None),
    ("test@-test.com", None),                 # a domain label starts with a letter or digit
    ("test@test-.com", None),
    ("visit https://x.com/a@b.com", None),    # inside a web address
    ("jo@x.org's inbox", "jo@x.org"),
    ("jo@x.com-old", None),                   # an address goes on: no part of it
])
def test_a_written_email_address_is_one_the_rfc_allows(utterance: str, expected: str | None) -> None:
    read = read_value("email", utterance, CTX)
    assert (None if read is None else read.value) == expected
