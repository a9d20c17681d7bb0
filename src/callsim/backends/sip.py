"""SIP and SIPS URIs, parsed by the grammar of RFC 3261 (section 25.1), not by a loose regex.

    SIP-URI  = "sip:"  [ userinfo ] hostport uri-parameters [ headers ]
    SIPS-URI = "sips:" [ userinfo ] hostport uri-parameters [ headers ]
    userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
    hostport = host [ ":" port ]            host = hostname / IPv4address / IPv6reference
    uri-parameters = *( ";" pname [ "=" pvalue ] )
    headers  = "?" hname "=" hvalue *( "&" hname "=" hvalue )

Neither the user part nor anything after the host may hold an unescaped "@", so the first "@"
ends the user info; the user part may itself hold ";", "?" and "=" (`sip:alice;day=tue@host`).
A problem is a `SipUriError` that names the part and the character at fault.
"""

from __future__ import annotations

import ipaddress
import re
import string
from dataclasses import dataclass

__all__ = ["SipUri", "SipUriError", "is_token", "parse_sip_uri"]

_ALPHANUM = string.ascii_letters + string.digits
_MARK = "-_.!~*'()"
_UNRESERVED = frozenset(_ALPHANUM + _MARK)
_USER = _UNRESERVED | frozenset("&=+$,;?/")
_PASSWORD = _UNRESERVED | frozenset("&=+$,")
_PARAM = _UNRESERVED | frozenset("[]/:&+$")
_HEADER = _UNRESERVED | frozenset("[]/?:+$")
_TOKEN = frozenset(_ALPHANUM + "-.!%*_+`'~")
_HEX = frozenset(string.hexdigits)

_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z")
_TOP_LABEL = re.compile(r"[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}\Z")
_TTL = re.compile(r"\d{1,3}\Z")


class SipUriError(ValueError):
    """Raised when text is not a SIP or SIPS URI; `position` is the 0-based index of the problem."""

    def __init__(self, text: str, problem: str, position: int | None = None) -> None:
        self.text = text
        self.problem = problem
        self.position = position
        where = f" (at character {position + 1})" if position is not None else ""
        super().__init__(f"{text!r} is not a valid SIP URI: {problem}{where}")


@dataclass(frozen=True, slots=True)
class SipUri:
    """A parsed SIP or SIPS URI; parts keep their written (escaped) form, so `str()` gives the URI back."""

    scheme: str
    """`sip` or `sips` (lower case)."""
    host: str
    user: str | None = None
    password: str | None = None
    port: int | None = None
    params: tuple[tuple[str, str | None], ...] = ()
    """URI parameters in order: `;transport=tls` is ("transport", "tls"), `;lr` is ("lr", None)."""
    headers: tuple[tuple[str, str], ...] = ()
    """Headers written into the URI after `?`, in order."""

    def __str__(self) -> str:
        text = f"{self.scheme}:"
        if self.user is not None:
            text += self.user + (f":{self.password}" if self.password is not None else "") + "@"
        text += self.host + (f":{self.port}" if self.port is not None else "")
        text += "".join(f";{name}" + (f"={value}" if value is not None else "") for name, value in self.params)
        if self.headers:
            text += "?" + "&".join(f"{name}={value}" for name, value in self.headers)
        return text

    def param(self, name: str) -> str | None:
        """A URI parameter's value by case-insensitive name (None when absent or valueless)."""
        for key, value in self.params:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def address(self) -> str:
        """The URI without its headers: what a call is placed to."""
        return str(SipUri(self.scheme, self.host, self.user, self.password, self.port, self.params))

    def key(self) -> tuple[object, ...]:
        """What two URIs must share to name the same target (RFC 3261 19.1.4, without the headers).

        The user and password compare case-sensitively after unescaping, the host case-insensitively;
        the parameters transport, user, ttl, method and maddr must agree, other parameters are ignored.
        """
        significant = ("transport", "user", "ttl", "method", "maddr")
        params = tuple(sorted((name.lower(), _unescape(value or "").lower()) for name, value in self.params
                              if name.lower() in significant))
        return (self.scheme, _unescape(self.user) if self.user is not None else None,
                _unescape(self.password) if self.password is not None else None,
                self.host.lower().rstrip("."), self.port, params)


def is_token(text: str) -> bool:
    """Whether `text` is an RFC 3261 token (what a header name or a method must be)."""
    return bool(text) and all(c in _TOKEN for c in text)


def parse_sip_uri(text: str) -> SipUri:
    """Parse a `sip:` or `sips:` URI; raise SipUriError naming what is wrong and where."""
    if not isinstance(text, str):
        raise SipUriError(str(text), "expected text")
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in ("sip", "sips"):
        raise SipUriError(text, "it must start with sip: or sips:", 0)
    offset = len(scheme) + 1
    user = password = None
    at = rest.find("@")
    if at >= 0:
        userinfo, rest = rest[:at], rest[at + 1:]
        user, has_password, pw = userinfo.partition(":")
        if not user:
            raise SipUriError(text, "the user part before '@' is empty", offset)
        _check_chars(text, user, offset, _USER, "the user part")
        if has_password:
            _check_chars(text, pw, offset + len(user) + 1, _PASSWORD, "the password")
            password = pw
        offset += at + 1
    host_end = _end_of_hostport(rest)
    hostport, tail = rest[:host_end], rest[host_end:]
    host, port = _hostport(text, hostport, offset)
    offset += host_end
    params_text, question, headers_text = tail.partition("?")
    params = _params(text, params_text, offset)
    headers = _headers(text, headers_text, offset + len(params_text) + 1) if question else ()
    return SipUri(scheme.lower(), host, user, password, port, params, headers)


def _end_of_hostport(rest: str) -> int:
    """Where the host and port end: at the first ';' or '?' outside an IPv6 reference's brackets."""
    start = rest.find("]") + 1 if rest.startswith("[") else 0
    ends = [i for i in (rest.find(";", start), rest.find("?", start)) if i >= 0]
    return min(ends) if ends else len(rest)


def _hostport(text: str, hostport: str, offset: int) -> tuple[str, int | None]:
    if not hostport:
        raise SipUriError(text, "the host is missing", offset)
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            raise SipUriError(text, "an IPv6 reference needs a closing ']'", offset)
        host, after = hostport[: close + 1], hostport[close + 1:]
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise SipUriError(text, f"{host[1:-1]!r} is not an IPv6 address", offset + 1) from None
    else:
        host, colon, port_text = hostport.partition(":")
        after = colon + port_text
        _check_host(text, host, offset)
    if not after:
        return host, None
    port_text = after[1:]
    where = offset + len(host) + 1
    if not after.startswith(":") or not port_text.isascii() or not port_text.isdigit():
        raise SipUriError(text, f"the port {port_text or after!r} must be digits after ':'", where)
    if int(port_text) > 65535:
        raise SipUriError(text, f"the port {port_text} is above 65535", where)
    return host, int(port_text)


def _check_host(text: str, host: str, offset: int) -> None:
    if not host:
        raise SipUriError(text, "the host is missing", offset)
    if _IPV4.match(host):
        if any(int(part) > 255 for part in host.split(".")):
            raise SipUriError(text, f"{host!r} is not an IPv4 address (a part is above 255)", offset)
        return
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    position = offset
    for index, label in enumerate(labels):
        top = index == len(labels) - 1
        if not (_TOP_LABEL if top else _DOMAIN_LABEL).match(label):
            bad = next((i for i, c in enumerate(label) if c not in _ALPHANUM + "-"), None)
            if not label:
                problem = f"the host {host!r} has an empty label"
            elif bad is not None:
                problem = f"{_shown(label[bad])} is not allowed in the host {host!r}"
                position += bad
            elif top:
                problem = f"the last label of the host {host!r} must start with a letter (or be an IP address)"
            else:
                problem = f"a label of the host {host!r} cannot start or end with '-'"
            raise SipUriError(text, problem, position)
        position += len(label) + 1


def _params(text: str, params_text: str, offset: int) -> tuple[tuple[str, str | None], ...]:
    if not params_text:
        return ()
    params: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    position = offset + 1
    for item in params_text[1:].split(";"):
        name, equals, value = item.partition("=")
        if not name:
            raise SipUriError(text, "a URI parameter has no name", position)
        _check_chars(text, name, position, _PARAM, "a parameter name")
        if equals:
            if not value:
                raise SipUriError(text, f"the parameter {name!r} has '=' but no value", position + len(name))
            _check_chars(text, value, position + len(name) + 1, _PARAM, f"the parameter {name!r}")
        if name.lower() in seen:
            raise SipUriError(text, f"the parameter {name!r} appears twice", position)
        seen.add(name.lower())
        _check_known_param(text, name.lower(), value if equals else None, position)
        params.append((name, value if equals else None))
        position += len(item) + 1
    return tuple(params)


def _check_known_param(text: str, name: str, value: str | None, position: int) -> None:
    """The parameters RFC 3261 gives a syntax of their own: transport, user, method, ttl, maddr, lr."""
    if name in ("transport", "user", "method") and not (value and is_token(value)):
        raise SipUriError(text, f"{name}= needs a token value, e.g. {name}=" +
                          {"transport": "tls", "user": "phone", "method": "INVITE"}[name], position)
    if name == "ttl" and not (value and _TTL.match(value) and int(value) <= 255):
        raise SipUriError(text, "ttl= needs a number from 0 to 255", position)
    if name == "maddr":
        if not value:
            raise SipUriError(text, "maddr= needs a host", position)
        if value.startswith("["):
            try:
                ipaddress.IPv6Address(value[1:-1] if value.endswith("]") else "!")
            except ValueError:
                raise SipUriError(text, f"maddr={value} is not an IPv6 reference", position) from None
        else:
            _check_host(text, value, position + len("maddr="))


def _headers(text: str, headers_text: str, offset: int) -> tuple[tuple[str, str], ...]:
    if not headers_text:
        raise SipUriError(text, "'?' must be followed by headers such as ?subject=hello", offset - 1)
    headers = []
    position = offset
    for item in headers_text.split("&"):
        name, equals, value = item.partition("=")
        if not name or not equals:
            raise SipUriError(text, f"a header must be written name=value (got {item!r})", position)
        _check_chars(text, name, position, _HEADER, "a header name")
        _check_chars(text, value, position + len(name) + 1, _HEADER, f"the header {name!r}")
        headers.append((name, value))
        position += len(item) + 1
    return tuple(headers)


def _check_chars(text: str, part: str, offset: int, allowed: frozenset[str], what: str) -> None:
    """Every character of `part` is allowed or a %HH escape."""
    index = 0
    while index < len(part):
        char = part[index]
        if char == "%":
            if len(part) < index + 3 or not (part[index + 1] in _HEX and part[index + 2] in _HEX):
                raise SipUriError(text, f"'%' in {what} must start an escape such as %20", offset + index)
            index += 3
            continue
        if char not in allowed:
            hint = f"; escape it as %{ord(char):02X}" if " " <= char < "\x7f" else ""
            raise SipUriError(text, f"{_shown(char)} is not allowed in {what}{hint}", offset + index)
        index += 1


def _shown(char: str) -> str:
    names = {"\r": "a line break (CR)", "\n": "a line break (LF)", " ": "a space", "\t": "a tab", "\0": "NUL"}
    return names.get(char) or repr(char)


def _unescape(text: str) -> str:
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m[1], 16)), text)
