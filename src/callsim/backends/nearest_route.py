"""Which of a scenario's HTTP routes a request that matched none was probably meant for, and how it differs.

A request and a route are compared part by part, as a person reads a URL: the method, the scheme,
the host, each path segment, the query. Each differing part weighs by how far apart the two are
(a different host weighs most; a path segment that differs by one character least), and the route
with the smallest total is the nearest. A route on another host whose path differs too is not
near anything: then there is no suggestion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlsplit

Difference = tuple[float, str]
"""How much a part differs (its weight) and a sentence naming it."""


def nearest_route(routes: Sequence[tuple[str, str, str]], method: str, url: str) -> tuple[str, list[str]] | None:
    """The nearest of `routes` (label, method, URL pattern; a URL ending in `*` is a prefix) to a request,
    with each way the request differs from it; None when no route is close."""
    best: tuple[float, int, str, list[str]] | None = None
    for order, (label, route_method, route_url) in enumerate(routes):
        found = differences(route_method, route_url, method, url)
        if found is None:
            continue
        weight = sum(w for w, _ in found)
        if best is None or (weight, order) < best[:2]:
            best = (weight, order, label, [text for _, text in found])
    return None if best is None else (best[2], best[3])


def differences(route_method: str, route_url: str, method: str, url: str) -> list[Difference] | None:
    """Every way a request differs from a route, or None when they are not close (other host and path)."""
    prefix = route_url.endswith("*")
    route, request = urlsplit(route_url[:-1] if prefix else route_url), urlsplit(url)
    found: list[Difference] = []
    if route_method.upper() != method.upper():
        found.append((0.75, f"the method: the route is {route_method.upper()}, the request {method.upper()}"))
    if route.scheme.lower() != request.scheme.lower():
        found.append((0.5, f"the scheme: the route uses {route.scheme}, the request {request.scheme}"))
    path = _path(route.path, request.path, prefix)
    if route.netloc.lower() != request.netloc.lower():
        if path:
            return None
        found.append((2.0, f"the host: the route has {route.netloc}, the request {request.netloc}"))
    found.extend(path)
    if route.query and not prefix:  # a route without a query answers any query
        found.extend(_query(route.query, request.query))
    if not found:  # what only the full text shows, e.g. a trailing slash or an encoded character
        found.append((1.0, f"the URL: the route has {route_url}, the request {url}"))
    return found


def _segments(path: str) -> list[str]:
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


def _path(route_path: str, request_path: str, prefix: bool) -> list[Difference]:
    route, request = _segments(route_path), _segments(request_path)
    # a prefix route ending inside a segment (`/orders/1*`) matches a segment that starts with it
    open_last = prefix and bool(route) and not route_path.endswith("/")
    found: list[Difference] = []
    for index, (want, have) in enumerate(zip(route, request)):
        last = index == len(route) - 1
        if want == have or (open_last and last and have.startswith(want)):
            continue
        shown = f"{want}*" if open_last and last else want
        where = "the last path segment" if last and index == len(request) - 1 else f"path segment {index + 1}"
        import difflib  # only once a request has missed every route

        similarity = difflib.SequenceMatcher(None, want, have).ratio()
        found.append((1.0 - similarity / 2, f"{where}: the route has {shown!r}, the request {have!r}"))
    if len(request) > len(route) and not prefix:
        found.append((0.5, "the path: the request goes on with /" + "/".join(request[len(route):])))
    elif len(route) > len(request):
        found.append((0.5, "the path: the route goes on with /" + "/".join(route[len(request):])))
    return found


def _query(route_query: str, request_query: str) -> list[Difference]:
    route = Counter(parse_qsl(route_query, keep_blank_values=True))
    request = Counter(parse_qsl(request_query, keep_blank_values=True))
    missing, extra = route - request, request - route
    parts = []
    changed = {name for name, _ in missing} & {name for name, _ in extra}
    for name in sorted(changed):
        want = ", ".join(f"{k}={v}" for k, v in missing if k == name)
        have = ", ".join(f"{k}={v}" for k, v in extra if k == name)
        parts.append(f"the route has {want}, the request {have}")
    lacking = [f"{k}={v}" for k, v in missing if k not in changed]
    adding = [f"{k}={v}" for k, v in extra if k not in changed]
    if lacking:
        parts.append("the request has no " + "&".join(lacking))
    if adding:
        parts.append("the request adds " + "&".join(adding))
    if not parts:
        return []
    return [(0.5 * (len(changed) + len(lacking) + len(adding)), "the query: " + "; ".join(parts))]
