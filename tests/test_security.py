"""The security baseline every page inherits (issue #2 § 9)."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from people.logging import MaskIdentityNumbers

TEMPLATES = Path(settings.BASE_DIR, "templates")


@pytest.mark.django_db
def test_csp_forbids_inline_and_eval_scripts(client_for, student_user):
    response = client_for(student_user).get("/start/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy


def test_templates_carry_no_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)} (event handler attribute)")
    assert offenders == []


@pytest.mark.django_db
def test_pages_render_no_inline_script(client_for, student_user):
    for url in ["/start/", "/my-details/"]:
        page = client_for(student_user).get(url).text
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []


@pytest.mark.django_db
def test_logout_needs_a_post_with_csrf(student_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student_user)
    assert client.get("/accounts/logout/").status_code == 200  # a confirmation page, no logout
    assert client.post("/accounts/logout/").status_code == 403  # no CSRF token
    assert client.get("/start/").status_code == 200


@pytest.mark.django_db
def test_my_details_post_without_csrf_is_refused(student_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student_user)
    assert client.post("/my-details/", {"email": "x@example.se"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "seconds"),
    [("staff_user", "STAFF_SESSION_SECONDS"), ("student_user", "STUDENT_SESSION_SECONDS")],
)
def test_a_login_ends_when_its_lifetime_has_passed(request, fixture, seconds):
    user = request.getfixturevalue(fixture)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.username, "password": "demo"})
    assert response.status_code == 302
    assert client.session["session_max_age"] == getattr(settings, seconds)
    session = client.session
    session["authenticated_at"] -= getattr(settings, seconds) - 60
    session.save()
    assert client.get("/").status_code == 302
    assert client.get("/accounts/login/").wsgi_request.user.is_authenticated is True
    session["authenticated_at"] -= 120
    session.save()
    response = client.get("/start/")
    assert response.url == "/accounts/login/"
    assert client.get("/accounts/login/").wsgi_request.user.is_authenticated is False


def test_staff_sessions_are_shorter_than_students():
    assert settings.STAFF_SESSION_SECONDS < settings.STUDENT_SESSION_SECONDS


def test_log_lines_never_carry_an_identity_number():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "lookup %s failed", ("198112189876",), None
    )
    MaskIdentityNumbers().filter(record)
    assert record.getMessage() == "lookup 19811218-**** failed"


def test_no_url_pattern_takes_an_identity_number():
    from django.urls import get_resolver

    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("identity" in p or "pnr" in p for p in patterns)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": "x9!" * 20 + "production-secret-key-for-the-check",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_COOKIES": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "ALLOWED_HOSTS": "portal.example.se",
        "SEAL_DEMO_KEYS": "false",
        # Production's own seal folder; the demo's holds demo keys, which the check reports.
        "SEAL_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
