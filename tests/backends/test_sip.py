"""SIP and SIPS URIs by the RFC 3261 grammar: the parts, the errors, and round trips of generated URIs."""

from __future__ import annotations

import ipaddress
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from callsim.backends.sip import SipUri, SipUriError, is_token, parse_sip_uri


@pytest.mark.parametrize(("text", "expected"), [
    ("sip:billing@pbx.acme.test", SipUri("sip", "pbx.acme.test", "billing")),
    ("sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr?subject=hi&priority=urgent",
     SipUri("sips", "[2001:db8::1]", "alice", "secret", 5061, (("transport", "tls"), ("lr", None)),
            (("subject", "hi"), ("priority", "urgent")))),
    # RFC 3261 19.1.3: the user part may itself hold ';' and '=' before the '@'
    ("sip:alice;day=tuesday@atlanta.com", SipUri("sip", "atlanta.com", "alice;day=tuesday")),
    ("sip:+1-212-555-1212:1234@gateway.com;user=phone",
     SipUri("sip", "gateway.com", "+1-212-555-1212", "1234", None, (("user", "phone"),))),
    ("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
     SipUri("sip", "atlanta.com", None, None, None, (("method", "REGISTER"),), (("to", "alice%40atlanta.com"),))),
    ("sip:alice@192.0.2.4", SipUri("sip", "192.0.2.4", "alice")),
    ("sip:%61lice@atlanta.com;maddr=239.255.255.1;ttl=15",
     SipUri("sip", "atlanta.com", "%61lice", None, None, (("maddr", "239.255.255.1"), ("ttl", "15")))),
    ("SIP:Billing@PBX.Acme.Test", SipUri("sip", "PBX.Acme.Test", "Billing")),
    ("sip:host.example.com.", SipUri("sip", "host.example.com.")),
])
def test_parses_the_parts(text, expected):
    assert parse_sip_uri(text) == expected


@pytest.mark.parametrize(("text", "problem", "at"), [
    ("http://pbx.acme.test", "it must start with sip: or sips:", 1),
    ("billing@pbx.acme.test", "it must start with sip: or sips:", 1),
    ("sip:", "the host is missing", 5),
    ("sip:@pbx.acme.test", "the user part before '@' is empty", 5),
    ("sip:bill ing@pbx.acme.test", "a space is not allowed in the user part; escape it as %20", 9),
    ("sip:billing@pbx.acme.test\r\nVia: SIP/2.0/UDP evil", "a line break (CR) is not allowed in the host", 26),
    ("sip:billing@", "the host is missing", 13),
    ("sip:a@pbx.123", "the last label of the host 'pbx.123' must start with a letter", 11),
    ("sip:a@-pbx.test", "a label of the host '-pbx.test' cannot start or end with '-'", 7),
    ("sip:a@pbx..test", "the host 'pbx..test' has an empty label", 11),
    ("sip:a@pbx_1.test", "'_' is not allowed in the host 'pbx_1.test'", 10),
    ("sip:a@1.2.3.400", "'1.2.3.400' is not an IPv4 address (a part is above 255)", 7),
    ("sip:a@[2001:db8::zz]", "'2001:db8::zz' is not an IPv6 address", 8),
    ("sip:a@[2001:db8::1", "an IPv6 reference needs a closing ']'", 7),
    ("sip:a@host:5o60", "the port '5o60' must be digits after ':'", 12),
    ("sip:a@host:70000", "the port 70000 is above 65535", 12),
    ("sip:a@b@host", "'@' is not allowed in the host 'b@host'", 8),
    ("sip:a%4@host", "'%' in the user part must start an escape such as %20", 6),
    ("sip:a@host;=x", "a URI parameter has no name", 12),
    ("sip:a@host;lr;LR", "the parameter 'LR' appears twice", 15),
    ("sip:a@host;ttl=256", "ttl= needs a number from 0 to 255", 12),
    ("sip:a@host;transport=", "the parameter 'transport' has '=' but no value", 21),
    ("sip:a@host;maddr=bad..host", "the host 'bad..host' has an empty label", 22),
    ("sip:a@host;x=<y>", "'<' is not allowed in the parameter 'x'; escape it as %3C", 14),
    ("sip:a@host?", "'?' must be followed by headers such as ?subject=hello", 11),
    ("sip:a@host?subject", "a header must be written name=value (got 'subject')", 12),
    ("sip:a@host?subject=a b", "a space is not allowed in the header 'subject'; escape it as %20", 21),
])
def test_errors_name_the_part_and_the_position(text, problem, at):
    with pytest.raises(SipUriError) as caught:
        parse_sip_uri(text)

    assert caught.value.problem.startswith(problem), caught.value.problem
    assert caught.value.position is not None and caught.value.position + 1 == at
    assert str(caught.value).startswith(f"{text!r} is not a valid SIP URI: ")


def test_comparison_follows_rfc_3261():
    key = parse_sip_uri("sip:alice@AtLanTa.CoM;Transport=UDP").key()

    assert key == parse_sip_uri("SIP:%61lice@atlanta.com;transport=udp").key()  # escapes, case of host and params
    assert key == parse_sip_uri("sip:alice@atlanta.com;transport=udp;lr;foo=bar?subject=x").key()  # ignored parts
    assert key != parse_sip_uri("sip:ALICE@atlanta.com;transport=udp").key()  # the user is case-sensitive
    assert key != parse_sip_uri("sip:alice@atlanta.com:5060;transport=udp").key()  # an explicit port differs
    assert key != parse_sip_uri("sips:alice@atlanta.com;transport=udp").key()


def test_address_drops_the_headers_only():
    uri = parse_sip_uri("sips:q@pbx.test:5061;transport=tls?subject=hi")

    assert uri.address == "sips:q@pbx.test:5061;transport=tls"
    assert uri.param("TRANSPORT") == "tls" and uri.param("lr") is None


def test_tokens():
    assert is_token("X-Order") and is_token("Max-Forwards") and is_token("a.b!%*_+`'~")
    assert not is_token("") and not is_token("X Order") and not is_token("X:Order") and not is_token("Ünïcode")


# ---- generated URIs -------------------------------------------------------------------------------

ALPHANUM = string.ascii_letters + string.digits
MARK = "-_.!~*'()"


def _chars(extra: str) -> st.SearchStrategy[str]:
    escape = st.integers(0, 255).map(lambda n: f"%{n:02X}")
    return st.lists(st.one_of(st.sampled_from(ALPHANUM + MARK + extra), escape), min_size=1, max_size=8).map("".join)


_inner = st.text(ALPHANUM + "-", max_size=6)
_label = st.builds(lambda first, inner, last: first + (inner + last if inner else ""),
                   st.sampled_from(ALPHANUM), _inner, st.sampled_from(ALPHANUM))
_top = st.builds(lambda first, inner, last: first + (inner + last if inner else ""),
                 st.sampled_from(string.ascii_letters), _inner, st.sampled_from(ALPHANUM))
hostnames = st.builds(lambda labels, top, dot: ".".join([*labels, top]) + dot,
                      st.lists(_label, max_size=3), _top, st.sampled_from(["", "."]))
ipv4 = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
ipv6 = st.integers(0, 2**128 - 1).map(lambda n: f"[{ipaddress.IPv6Address(n)}]")
hosts = st.one_of(hostnames, ipv4, ipv6)
users = _chars("&=+$,;?/")
passwords = st.one_of(st.just(""), _chars("&=+$,"))
other_params = st.tuples(_chars("[]/:&+$").filter(lambda n: n.lower() not in ("transport", "user", "method", "ttl",
                                                                                "maddr", "lr")),
                         st.one_of(st.none(), _chars("[]/:&+$")))
known_params = st.sampled_from([("transport", "tls"), ("transport", "udp"), ("user", "phone"), ("method", "INVITE"),
                                ("ttl", "255"), ("maddr", "239.255.255.1"), ("lr", None)])
params = st.lists(st.one_of(known_params, other_params), max_size=4, unique_by=lambda p: p[0].lower())
headers = st.lists(st.tuples(_chars("[]/?:+$"), st.one_of(st.just(""), _chars("[]/?:+$"))), max_size=3)


@st.composite
def sip_uris(draw: st.DrawFn) -> SipUri:
    user = draw(st.one_of(st.none(), users))
    password = draw(passwords) if user is not None and draw(st.booleans()) else None
    return SipUri(draw(st.sampled_from(["sip", "sips"])), draw(hosts), user, password,
                  draw(st.one_of(st.none(), st.integers(0, 65535))), tuple(draw(params)), tuple(draw(headers)))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(sip_uris())
def test_every_uri_the_grammar_allows_parses_back_to_its_parts(uri):
    assert parse_sip_uri(str(uri)) == uri


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(max_size=40).map(lambda tail: "sip:" + tail))
@example("sip:a@b;c=d?e=f&g=")
@example("sip:[::1")
def test_any_text_parses_or_raises_sip_uri_error(text):
    try:
        uri = parse_sip_uri(text)
    except SipUriError as problem:
        assert problem.position is None or 0 <= problem.position <= len(text)
    else:
        assert str(uri) == text  # what parses is written back exactly
        assert not any(c in str(uri) for c in " \r\n\t<>\"")


@settings(max_examples=100, deadline=None, derandomize=True)
@given(sip_uris(), st.sampled_from(list(" \r\n\t<>\"{}|\\^`")), st.data())
def test_a_character_outside_the_grammar_anywhere_after_the_scheme_is_refused(uri, bad, data):
    text = str(uri)
    if text.startswith("sips:[") or text.startswith("sip:["):
        return  # inside an IPv6 reference the error is about the address; covered above
    at = data.draw(st.integers(len(uri.scheme) + 1, len(text)))
    with pytest.raises(SipUriError):
        parse_sip_uri(text[:at] + bad + text[at:])
