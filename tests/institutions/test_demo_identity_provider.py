"""The demo's university account (#12 point 6, S-AUTH-1): `make run` starts a real OpenID
Connect provider beside the portal (institutions/demo/identity_provider.py) and tells the portal
of it with DEMO_IDENTITY_PROVIDER; the demo's student logs in through it with one click and is
linked to her Person by the identity number it asserts."""

from pathlib import Path

import oidc_provider_mock
import pytest
from django.conf import settings as django_settings
from oidc_provider_mock._storage import User as ProviderUser

from institutions.demo.identity_provider import PROVIDER, demo_subjects
from institutions.demo.students import named_number
from tests.conftest import enrol
from tests.factories import PersonFactory
from tests.people.test_oidc_login import log_in, logged_in_user, settings_from_environment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings(
        r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning"
    ),
]


def test_make_run_starts_the_provider_beside_the_portal():
    makefile = (Path(django_settings.BASE_DIR) / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "-m institutions.demo.identity_provider" in run
    assert "DEMO_IDENTITY_PROVIDER=http://127.0.0.1:$(OIDC_PORT)" in run


def test_the_demo_student_is_one_of_the_providers_users():
    _birth, number = named_number("student")
    assert {s["sub"]: s["personal_identity_number"] for s in demo_subjects()}["student"] == (number)


@pytest.fixture
def demo_provider(settings, monkeypatch):
    users = [
        ProviderUser(sub=s["sub"], claims={k: v for k, v in s.items() if k != "sub"})
        for s in demo_subjects()
    ]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        url = f"http://localhost:{server.server_port}"
        monkeypatch.setenv("DEMO_IDENTITY_PROVIDER", url)
        monkeypatch.delenv("OIDC_PROVIDERS", raising=False)
        fresh = settings_from_environment()
        settings.OIDC_PROVIDERS = fresh.OIDC_PROVIDERS
        settings.SOCIALACCOUNT_PROVIDERS = fresh.SOCIALACCOUNT_PROVIDERS
        settings.CONTENT_SECURITY_POLICY = fresh.CONTENT_SECURITY_POLICY
        yield url


def test_the_demo_student_logs_in_with_the_demo_university_account(
    demo_provider, institution, client
):
    birth, number = named_number("student")
    stina = PersonFactory(first_name="Stina", birth_date=birth, identity_number=number)
    enrol(stina, institution)
    assert "University account (demo)" in client.get("/accounts/login/").text
    response = log_in(client, demo_provider, PROVIDER["id"], "student")
    assert response.status_code == 302
    assert logged_in_user(client).person == stina
