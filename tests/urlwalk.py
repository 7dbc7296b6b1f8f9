"""Every URL the portal answers, found by walking the URL configuration, so that tests which must
cover "every page" (the anonymity hunt, the bad-input test) cover pages added later without being
told about them."""

import itertools
import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def patterns(prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) of every view whose route starts with `prefix`; regex routes (the
    admin's catch-alls, allauth's) are left out."""

    def walk(resolver, route: str):
        for entry in resolver.url_patterns:
            part = str(entry.pattern)
            if part.startswith("^"):
                continue
            if isinstance(entry, URLResolver):
                yield from walk(entry, route + part)
            else:
                yield route + part, entry

    for route, pattern in walk(get_resolver(), ""):
        if route.startswith(prefix):
            yield route, pattern


def parameters(route: str) -> list[str]:
    return [m.group("name") for m in _PARAM.finditer(route)]


def fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """The route with every combination of the given values for its parameters; none when a
    parameter has no value."""
    names = parameters(route)
    if any(not values.get(name) for name in names):
        return []
    urls = []
    for combination in itertools.product(*(values[name] for name in names)):
        chosen = dict(zip(names, combination, strict=True))
        urls.append("/" + _PARAM.sub(lambda m, c=chosen: str(c[m.group("name")]), route))
    return urls


def urls(prefix: str, values: dict[str, list[str]]) -> list[str]:
    return [url for route, _p in patterns(prefix) for url in fill(route, values)]
