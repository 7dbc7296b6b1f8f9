"""S-AUTH-1, S-AUTH-2: OpenID Connect login end to end against a real provider.

The provider is oidc-provider-mock, a real OpenID provider on loopback in this process. allauth
discovers it, sends the browser to it, exchanges the code and fetches userinfo over real HTTP;
nothing of allauth is replaced. The providers are configured the way an operator does it: the
OIDC_PROVIDERS environment variable, read by ladokportal/settings.py.
"""

import datetime
import importlib.util
import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.test import Client

import ladokportal.settings
from people.models import User
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import PersonFactory, UserFactory, valid_identity_number

pytestmark = [
    pytest.mark.django_db,
    # The provider runs in this process, under the suite's "warnings are errors" filter; authlib
    # warns about an API the mock still uses, which would turn the token answer into a 500.
    pytest.mark.filterwarnings(
        r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning"
    ),
]

STUDENT_SSO = "lu-sso"
ALUMNI_EID = "e-id"
EDUID = "eduid"
EDUID_CLAIM = "national_identity_number"
NO_MATCH = "We could not find you in Ladok"


@pytest.fixture(scope="module")
def provider_url():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def settings_from_environment():
    """ladokportal/settings.py evaluated afresh against the current environment, without
    touching the settings Django already runs with."""
    spec = importlib.util.spec_from_file_location("_fresh_settings", ladokportal.settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def providers(settings, monkeypatch, provider_url):
    """A university SSO, an alumni e-ID provider and eduID (which names the claim its own way),
    all served by the one provider on loopback."""
    common = {"server_url": provider_url, "secret": "not-so-secret"}
    configured = [
        {"id": STUDENT_SSO, "name": "Lund University", "client_id": "portal-lu", **common},
        {
            "id": ALUMNI_EID,
            "name": "BankID",
            "client_id": "portal-eid",
            "kind": "alumni",
            **common,
        },
        {
            "id": EDUID,
            "name": "eduID",
            "client_id": "portal-eduid",
            "identity_claim": EDUID_CLAIM,
            **common,
        },
    ]
    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps(configured))
    fresh = settings_from_environment()
    settings.OIDC_PROVIDERS = fresh.OIDC_PROVIDERS
    settings.SOCIALACCOUNT_PROVIDERS = fresh.SOCIALACCOUNT_PROVIDERS
    settings.CONTENT_SECURITY_POLICY = fresh.CONTENT_SECURITY_POLICY
    return configured


def provider_subject(provider_url: str, claims: dict) -> str:
    """A new subject at the provider, with the claims it will assert about them."""
    sub = uuid.uuid4().hex
    answer = requests.put(f"{provider_url}/users/{sub}", json=claims, timeout=5)
    answer.raise_for_status()
    return sub


def log_in(client: Client, provider_url: str, provider_id: str, sub: str):
    """What a browser does: press the provider's button on our login page, let the provider
    redirect back with a code, follow that to our callback. Returns the callback's answer."""
    page = client.get("/accounts/login/")
    action = f"/accounts/oidc/{provider_id}/login/?process=login"
    if page.status_code == 200:
        assert f'action="{action}"' in page.text
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    else:
        # Someone is logged in, so the login page sends them home; the button on a login page
        # opened earlier (another tab) still works.
        assert page.status_code == 302
        csrf = client.cookies["csrftoken"].value
    start = client.post(action, {"csrfmiddlewaretoken": csrf})
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{provider_url}/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["redirect_uri"] == [
        f"http://testserver/accounts/oidc/{provider_id}/login/callback/"
    ]
    assert query["code_challenge_method"] == ["S256"]
    assert "openid" in query["scope"][0].split()

    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == f"/accounts/oidc/{provider_id}/login/callback/"
    assert set(parse_qs(callback.query)) >= {"code", "state"}
    return client.get(f"{callback.path}?{callback.query}")


def logged_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def student(institution):
    person = PersonFactory(first_name="Sigrid", last_name="Svensson")
    enrol(person, institution)
    return person


def displayed(identity_number: str) -> str:
    return f"{identity_number[:8]}-{identity_number[8:]}"


def test_login_page_offers_each_provider_in_its_section(browser, providers, provider_url):
    response = browser.get("/accounts/login/")
    students, former = response.text.split('id="login-alumni"', 1)
    assert f"/accounts/oidc/{STUDENT_SSO}/login/" in students
    assert f"/accounts/oidc/{EDUID}/login/" in students
    assert f"/accounts/oidc/{ALUMNI_EID}/login/" not in students
    assert f"/accounts/oidc/{ALUMNI_EID}/login/" in former
    # The button's form is redirected to the provider: the CSP must allow that form action.
    form_action = re.search(r"form-action ([^;]+)", response["Content-Security-Policy"])[1]
    assert form_action.split() == ["'self'", provider_url]


@pytest.mark.parametrize("claim_form", [displayed, str], ids=["YYYYMMDD-XXXX", "12-digits"])
def test_login_links_the_provider_account_to_the_person(
    browser, providers, provider_url, student, claim_form
):
    sub = provider_subject(
        provider_url,
        {"personal_identity_number": claim_form(student.identity_number), "email": "s@lu.se"},
    )

    response = log_in(browser, provider_url, STUDENT_SSO, sub)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = logged_in_user(browser)
    assert user is not None
    assert user.person == student
    assert SocialAccount.objects.filter(user=user, provider=STUDENT_SSO, uid=sub).count() == 1
    assert browser.session["portal_mode"] == "student"
    home = browser.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/start/"
    start = browser.get("/start/")
    assert start.status_code == 200
    assert "Welcome, Sigrid" in start.text
    assert "Sigrid Svensson" in start.text


def test_second_login_with_the_same_subject_reuses_the_user(providers, provider_url, student):
    sub = provider_subject(
        provider_url, {"personal_identity_number": displayed(student.identity_number)}
    )
    first = Client(enforce_csrf_checks=True)
    log_in(first, provider_url, STUDENT_SSO, sub)
    user = logged_in_user(first)

    again = Client(enforce_csrf_checks=True)
    response = log_in(again, provider_url, STUDENT_SSO, sub)

    assert response.status_code == 302
    assert logged_in_user(again) == user
    assert User.objects.filter(person=student).count() == 1
    assert SocialAccount.objects.filter(provider=STUDENT_SSO, uid=sub).count() == 1


def test_another_provider_for_the_same_person_reaches_the_same_user(
    providers, provider_url, student
):
    """eduID names the claim its own way (identity_claim); the person is still one user."""
    lu = provider_subject(provider_url, {"personal_identity_number": student.identity_number})
    eduid = provider_subject(provider_url, {EDUID_CLAIM: displayed(student.identity_number)})
    first = Client(enforce_csrf_checks=True)
    log_in(first, provider_url, STUDENT_SSO, lu)
    second = Client(enforce_csrf_checks=True)
    response = log_in(second, provider_url, EDUID, eduid)

    assert response.status_code == 302
    assert logged_in_user(second) == logged_in_user(first)
    assert logged_in_user(second).person == student
    assert set(
        SocialAccount.objects.filter(user__person=student).values_list("provider", "uid")
    ) == {(STUDENT_SSO, lu), (EDUID, eduid)}


def unknown_number() -> str:
    # Factory persons are born from 1990 on: nobody has this one.
    return valid_identity_number(datetime.date(1971, 3, 4), 123)


def wrong_check_digit(canonical: str) -> str:
    return canonical[:-1] + str((int(canonical[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(lambda p: {"personal_identity_number": unknown_number()}, id="unknown"),
        pytest.param(lambda p: {"email": p.email}, id="missing"),
        pytest.param(lambda p: {"personal_identity_number": ""}, id="empty"),
        pytest.param(lambda p: {"personal_identity_number": "not a number"}, id="garbage"),
        pytest.param(
            lambda p: {"personal_identity_number": wrong_check_digit(p.identity_number)},
            id="wrong-check-digit",
        ),
        pytest.param(
            # The right number under a claim name this provider is not configured to trust.
            lambda p: {EDUID_CLAIM: p.identity_number},
            id="other-claim-name",
        ),
    ],
)
def test_claims_that_match_nobody_end_on_the_no_match_page(
    browser, providers, provider_url, student, claims
):
    asserted = claims(student)
    sub = provider_subject(provider_url, asserted)
    users_before = User.objects.count()

    response = log_in(browser, provider_url, STUDENT_SSO, sub)

    assert response.status_code == 403
    assert "people/no_match.html" in [t.name for t in response.templates]
    assert NO_MATCH in response.text
    assert "Lund University" in response.text
    for value in asserted.values():
        if value:
            assert value not in response.text  # the page never echoes what the provider said
    assert logged_in_user(browser) is None
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert browser.get("/start/")["Location"].startswith("/accounts/login/")


def test_subject_linked_to_another_person_is_refused(browser, providers, provider_url, student):
    """A provider subject that once belonged to someone else now names another person: the
    login is refused, never merged, and nothing is created for the person now named."""
    earlier = UserFactory(person=PersonFactory())
    sub = provider_subject(provider_url, {"personal_identity_number": student.identity_number})
    SocialAccount.objects.create(user=earlier, provider=STUDENT_SSO, uid=sub, extra_data={})

    response = log_in(browser, provider_url, STUDENT_SSO, sub)

    assert response.status_code == 403
    assert NO_MATCH in response.text
    assert logged_in_user(browser) is None
    assert not User.objects.filter(person=student).exists()
    assert SocialAccount.objects.get(provider=STUDENT_SSO, uid=sub).user == earlier


@pytest.fixture
def alumnus(institution):
    person = PersonFactory(first_name="Astrid", last_name="Alm")
    enrol(person, institution, state=ParticipationState.COMPLETED)
    return person


def test_alumni_provider_opens_only_the_alumni_pages(browser, providers, provider_url, alumnus):
    sub = provider_subject(provider_url, {"personal_identity_number": alumnus.identity_number})

    response = log_in(browser, provider_url, ALUMNI_EID, sub)

    assert response.status_code == 302
    assert logged_in_user(browser).person == alumnus
    assert browser.session["portal_mode"] == "alumni"
    assert browser.get("/")["Location"] == "/alumni/"
    # S-AUTH-2: nothing outside the alumni pages exists for the session.
    assert browser.get("/start/").status_code == 404
    alumni_page = browser.get("/alumni/")
    assert alumni_page.status_code == 200
    assert "Welcome, Astrid" in alumni_page.text
    assert browser.get("/my-details/").status_code == 200


def test_student_provider_does_not_restrict_the_session(browser, providers, provider_url, student):
    sub = provider_subject(provider_url, {"personal_identity_number": student.identity_number})
    log_in(browser, provider_url, STUDENT_SSO, sub)

    assert browser.session["portal_mode"] == "student"
    assert browser.get("/start/").status_code == 200
    assert browser.get("/alumni/").status_code == 200
    assert browser.get("/my-details/").status_code == 200


def test_alumni_login_over_a_student_session_is_still_restricted(
    browser, providers, provider_url, student, alumnus
):
    """allauth logs the previous user out (a new session) between our pre-login hook and the
    login itself; the alumni restriction must survive that."""
    log_in(
        browser,
        provider_url,
        STUDENT_SSO,
        provider_subject(provider_url, {"personal_identity_number": student.identity_number}),
    )
    assert browser.get("/start/").status_code == 200

    log_in(
        browser,
        provider_url,
        ALUMNI_EID,
        provider_subject(provider_url, {"personal_identity_number": alumnus.identity_number}),
    )

    assert logged_in_user(browser).person == alumnus
    assert browser.session["portal_mode"] == "alumni"
    assert browser.get("/start/").status_code == 404


def test_student_login_over_an_alumni_session_is_not_restricted(
    browser, providers, provider_url, student, alumnus
):
    log_in(
        browser,
        provider_url,
        ALUMNI_EID,
        provider_subject(provider_url, {"personal_identity_number": alumnus.identity_number}),
    )
    log_in(
        browser,
        provider_url,
        STUDENT_SSO,
        provider_subject(provider_url, {"personal_identity_number": student.identity_number}),
    )

    assert logged_in_user(browser).person == student
    assert browser.session["portal_mode"] == "student"
    assert browser.get("/start/").status_code == 200
