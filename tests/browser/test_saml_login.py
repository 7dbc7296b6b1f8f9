"""S-AUTH-1: logging in through the university's SAML IdP in a real browser (#20).

The portal's login page → the local IdP (pysaml2 on loopback, institutions.demo.saml_idp) → its
signed response posted back → the portal, logged in as the right person: the student sees her
start page, the staff member reaches the staff web. The IdP is on another site than the portal
(127.0.0.1 against localhost), as a university's IdP is, so the session cookie does not ride on
the IdP's POST. Phone and laptop, Swedish and English, axe clean.
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from playwright.sync_api import Page

from institutions.demo import saml_idp
from tests.browser import (
    LAPTOP,
    PHONE,
    assert_phone_ready,
    html_lang,
    log_out,
    open_page,
    submit,
)
from tests.people.saml_support import (
    PROVIDER,
    PROVIDER_NAME,
    configure,
    provider_entry,
    require_xmlsec1,
)


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    require_xmlsec1()
    provider = saml_idp.IdentityProvider(state=tmp_path_factory.mktemp("saml-idp"))
    with provider.serve():
        yield provider


@pytest.fixture
def federation(settings, monkeypatch, idp, world):
    cache.clear()
    # The live server answers at http://localhost:<port>: a name without a dot, which only a
    # test portal has.
    configure(settings, monkeypatch, [provider_entry(idp, allow_single_label_domains=True)])
    anna = world.person
    idp.people.clear()
    idp.people["anna"] = saml_idp.person(
        "anli0001@lu.se", anna.first_name, anna.last_name, nin=anna.identity_number
    )
    idp.people["tove"] = saml_idp.person("tove@lu.se", "Tove", "Lärare")
    SocialAccount.objects.create(user=world.staff, provider=PROVIDER, uid="tove@lu.se")
    return idp


def through_the_idp(page: Page, live_server, idp, name: str) -> None:
    open_page(page, f"{live_server.url}/accounts/login/")
    submit(page, f"form[action^='/accounts/saml/{PROVIDER}/login/'] button")
    assert page.url.startswith(f"{idp.sso_url}?SAMLRequest="), page.url
    submit(page, f"button:has-text('{name}')")  # who she is, at the IdP
    submit(page, "button:has-text('Continue to Ladok')")  # the signed response, posted back


@pytest.mark.parametrize(
    ("locale", "viewport", "welcome"),
    [
        pytest.param("sv-SE", PHONE, "Välkommen, Anna", id="sv-phone"),
        pytest.param("en-US", LAPTOP, "Welcome, Anna", id="en-laptop"),
    ],
)
def test_student_and_staff_log_in_through_the_saml_idp(
    new_page, live_server, federation, locale, viewport, welcome
) -> None:
    page = new_page(locale=locale, viewport=viewport)

    open_page(page, f"{live_server.url}/accounts/login/")
    assert page.locator(f"button:has-text('{PROVIDER_NAME}')").count() == 1
    assert_phone_ready(page)

    through_the_idp(page, live_server, federation, "Anna Lindqvist")
    assert page.url == f"{live_server.url}/start/"
    assert welcome in page.locator("main").inner_text()
    assert_phone_ready(page)

    log_out(page)
    through_the_idp(page, live_server, federation, "Tove Lärare")
    assert page.url == f"{live_server.url}/staff/"
    assert html_lang(page) == locale[:2]
    assert_phone_ready(page)
