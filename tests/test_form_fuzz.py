"""#17 point 6: bad input for every form of the portal.

The forms are found, not listed: on the demo (seed_demo, without its PDFs) each demo login walks
every page it can reach by following the portal's own links from its start pages, and every form
with a POST method on them is collected. Forms of apps added later are covered as soon as a page
links to them. Each form is then sent once per kind of bad input, every field of it at once:
missing, oversized, wrong type, a far date, unicode (with a NUL), and script.

For each answer: no 5xx; when the answer is a refusal (an error status, or the page again with
the form's errors), nothing in the database changed; the answer speaks the person's language
(Swedish here: none of Django's English form messages); a script never comes back unescaped.
Every sending is rolled back afterwards, so each starts from the same demo. Runs on PostgreSQL
as well (DATABASE_URL).
"""

import datetime
import re
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from people.models import User

LOGINS = ["student", "doctoral", "teacher", "examiner", "studyadmin", "sysadmin"]
MAX_PAGES = 60  # per login
PER_ROUTE = 2  # pages of one URL pattern visited per login
# Forms whose sending is not an act on data: logging out ends the walk.
SKIPPED_ACTIONS = ("/accounts/logout/",)
# Pages not worth walking (downloads, feeds, the API's JSON).
SKIPPED_PATHS = (".pdf", ".ics", "/export/", "/template/", "/api/", "/admin/", "/status/")

SCRIPT = "<script>alert('x')</script>"
KINDS = {
    "missing": None,
    "oversized": "9" * 20_000,
    "wrong type": "-1e999 abc []",
    "far date": "9999-12-31",
    "unicode": "Ωmëga 🎓 \u202eÅÄÖ\u0000",
    "script": SCRIPT,
}
# How a page says it refused (the form error components of templates/components/).
REFUSED = ('class="alert alert--error"', 'class="field__error"')
# Django's own form messages in English: seen by a Swedish person, a message was not translated.
ENGLISH = (
    "This field is required.",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "Enter a whole number",
    "Enter a number",
    "Null characters are not allowed",
    "is not a valid UUID",
    "Enter a list of values",
)


class _Forms(HTMLParser):
    """The links and the POST forms of a page: (action, method, [(name, type, value)])."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", tag).lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            self._form["fields"].append((a["name"], kind, a.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _parse(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _walk(client: Client) -> list[tuple[str, dict]]:
    """(page, form) of every POST form on the pages reachable from the start pages."""
    queue = ["/start/", "/staff/", "/"]
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    found: dict[tuple, tuple[str, dict]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = _route(path)
        if url in seen or route is None or any(s in path for s in SKIPPED_PATHS):
            continue
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        seen.add(url)
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _parse(response.content.decode())
        for href in page.links:
            target = urljoin(url, href)
            if target.startswith("/") and not target.startswith("//"):
                queue.append(target.split("#")[0])
        for form in page.forms:
            action = urljoin(url, form["action"] or url)
            editable = [f for f in form["fields"] if f[0] != "csrfmiddlewaretoken"]
            if form["method"] != "post" or not editable or action.startswith(SKIPPED_ACTIONS):
                continue
            key = (_route(urlsplit(action).path), tuple(sorted(f[0] for f in editable)))
            found.setdefault(key, (action, form))
    return list(found.values())


def _data(form: dict, value: str | None) -> dict:
    data: dict[str, list[str]] = {}
    for name, kind, original in form["fields"]:
        if name == "csrfmiddlewaretoken":
            data.setdefault(name, []).append(original)
        elif value is not None:
            data.setdefault(name, []).append(value)
        elif kind in ("checkbox", "radio"):
            continue
    return data


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label != "sessions.Session"
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django_scopes import scopes_disabled

    from institutions.demo.seed import seed_demo
    from ladokportal import clock

    folder = tmp_path_factory.mktemp("fuzz")
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=folder / "media",
        SEAL_DIR=folder / "seals",
        SEAL_DEMO_KEYS=True,
    )
    no_pdfs = mock.patch("institutions.demo.seed.create_demo_certificates", lambda *a: [])
    with django_db_blocker.unblock(), transaction.atomic(), fast, no_pdfs:
        seed_demo(today=clock.today())
        with scopes_disabled():
            users = {u.username: u for u in User.objects.filter(username__in=LOGINS)}
        yield users
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_every_form_takes_bad_input_without_5xx_or_harm(demo, login):
    client = Client()
    client.force_login(demo[login])
    client.cookies["django_language"] = "sv"
    forms = _walk(client)
    assert forms, f"{login} reached no form"
    problems: list[str] = []
    for action, form in forms:
        for kind, value in KINDS.items():
            with transaction.atomic():
                before = _counts()
                response = client.post(action, _data(form, value))
                where = f"{login} {kind} POST {action}"
                html = response.content.decode(errors="replace")
                refused = response.status_code >= 400 or any(m in html for m in REFUSED)
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif refused:
                    after = _counts()
                    changed = {k for k in before if before[k] != after[k]}
                    if changed:
                        problems.append(f"{where}: refused but changed {sorted(changed)}")
                    english = [e for e in ENGLISH if e in html]
                    if english:
                        problems.append(f"{where}: English message {english}")
                    if SCRIPT in html:
                        problems.append(f"{where}: script echoed unescaped")
                transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_the_kinds_include_dates_beyond_any_sane_range():
    assert datetime.date.fromisoformat(KINDS["far date"]).year == 9999
    assert re.search(r"\x00", KINDS["unicode"])
