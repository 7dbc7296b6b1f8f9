"""S-AUTH-1: SAML login end to end against a real identity provider (#20).

The IdP is pysaml2's, over HTTP on loopback (institutions.demo.saml_idp, tests/people/
saml_support.py); it signs with its own key and is read from a federation aggregate whose
signature the portal checks. Nothing of allauth or python3-saml is replaced: the portal sends
its AuthnRequest, the IdP answers with a signed Response through the browser, and the portal
validates it and links the login to a Person as the OpenID Connect login does.
"""

import datetime

import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.test import Client

from institutions.demo import saml_idp
from ladokportal import clock
from people.models import User
from tests.conftest import enrol
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory, valid_identity_number
from tests.people.saml_support import (
    OTHER_SP,
    PORTAL_HOST,
    PROVIDER,
    PROVIDER_NAME,
    at_idp,
    configure,
    deliver,
    log_in,
    logged_in_user,
    provider_entry,
    require_xmlsec1,
    start_login,
)

pytestmark = pytest.mark.django_db

NO_MATCH = "We could not find you in Ladok"
REFUSED = "We could not log you in"
BIRTH = datetime.date(1998, 5, 17)
NUMBER = valid_identity_number(BIRTH, 482)


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    require_xmlsec1()
    provider = saml_idp.IdentityProvider(state=tmp_path_factory.mktemp("saml-idp"))
    with provider.serve():
        yield provider


@pytest.fixture
def portal(settings, monkeypatch, idp):
    settings.ALLOWED_HOSTS = [PORTAL_HOST]
    cache.clear()  # the IdP read from metadata is cached
    configure(settings, monkeypatch, [provider_entry(idp)])
    client = Client(enforce_csrf_checks=True, HTTP_HOST=PORTAL_HOST)
    metadata = client.get(f"/accounts/saml/{PROVIDER}/metadata/")
    assert metadata.status_code == 200
    idp.register_sp(metadata.text)
    idp.register_sp(metadata.text, entity_id=OTHER_SP)
    idp.tweaks = saml_idp.Tweaks()
    idp.people.clear()
    return client


@pytest.fixture
def student(institution):
    person = PersonFactory(
        first_name="Sigrid", last_name="Svensson", birth_date=BIRTH, identity_number=NUMBER
    )
    enrol(person, institution)
    return person


def displayed(number: str) -> str:
    return f"{number[:8]}-{number[8:]}"


@pytest.mark.parametrize(
    "attribute", [saml_idp.NOR_EDU_PERSON_NIN, saml_idp.PERSONAL_IDENTITY_NUMBER]
)
def test_login_links_the_federation_account_to_the_person(portal, idp, student, attribute):
    idp.people["sigrid"] = saml_idp.person(
        "sisv0001@lu.se",
        "Sigrid",
        "Svensson",
        nin=displayed(NUMBER) if attribute == saml_idp.PERSONAL_IDENTITY_NUMBER else NUMBER,
        nin_attribute=attribute,
        date_of_birth=f"{BIRTH:%Y%m%d}",
        mail="sigrid@student.lu.se",
    )

    response = log_in(portal, idp, "sigrid")

    assert response.status_code == 302, response.text
    assert response["Location"] == "/"
    user = logged_in_user(portal)
    assert user.person == student
    account = SocialAccount.objects.get(user=user, provider=PROVIDER)
    assert account.uid == "sisv0001@lu.se"  # eduPersonPrincipalName
    assert account.extra_data[saml_idp.MAIL] == ["sigrid@student.lu.se"]
    assert portal.session["portal_mode"] == "student"
    start = portal.get("/start/")
    assert start.status_code == 200
    assert "Welcome, Sigrid" in start.text

    # The second login through the same account reaches the same user.
    again = Client(enforce_csrf_checks=True, HTTP_HOST=PORTAL_HOST)
    assert log_in(again, idp, "sigrid").status_code == 302
    assert logged_in_user(again) == user
    assert User.objects.filter(person=student).count() == 1


def test_without_an_identity_number_birth_date_and_local_number_find_the_person(
    portal, idp, institution
):
    """S-CONT-4: a student without a Swedish number is the birth date and the local number."""
    kim = PersonFactory(
        first_name="Kim",
        last_name="Nguyen",
        birth_date=datetime.date(2001, 9, 3),
        identity_number=None,
        local_number="K123",
    )
    enrol(kim, institution)
    # Another person born the same day with another local number.
    enrol(
        PersonFactory(birth_date=kim.birth_date, identity_number=None, local_number="K999"),
        institution,
    )
    idp.people["kim"] = saml_idp.person("K123@lu.se", "Kim", "Nguyen", date_of_birth="20010903")

    response = log_in(portal, idp, "kim")

    assert response.status_code == 302
    assert logged_in_user(portal).person == kim


@pytest.mark.parametrize(
    "attributes",
    [
        pytest.param({"nin": valid_identity_number(datetime.date(1971, 3, 4), 123)}, id="unknown"),
        pytest.param({"date_of_birth": "20010903"}, id="birth-date-without-local-number"),
        pytest.param({"date_of_birth": "19980517"}, id="birth-date-of-someone-with-a-number"),
        pytest.param({}, id="nothing"),
        pytest.param({"nin": "not a number"}, id="garbage"),
    ],
)
def test_attributes_that_match_nobody_end_on_the_no_match_page(portal, idp, student, attributes):
    idp.people["nobody"] = saml_idp.person("nobody@lu.se", "No", "Body", **attributes)
    users_before = User.objects.count()

    response = log_in(portal, idp, "nobody")

    assert response.status_code == 403
    assert NO_MATCH in response.text
    assert PROVIDER_NAME in response.text
    assert logged_in_user(portal) is None
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()


def test_staff_account_linked_by_principal_name_reaches_the_staff_web(portal, idp, institution):
    staff = UserFactory(username="maria", first_name="Maria", last_name="Nilsson")
    StaffRoleFactory(user=staff, institution=institution)
    SocialAccount.objects.create(user=staff, provider=PROVIDER, uid="mani@lu.se", extra_data={})
    idp.people["maria"] = saml_idp.person("mani@lu.se", "Maria", "Nilsson")

    response = log_in(portal, idp, "maria")

    assert response.status_code == 302
    assert logged_in_user(portal) == staff
    assert portal.get("/staff/").status_code == 200


# --- What a careful service provider refuses (#20 point 4) --------------------------------------


def assert_refused(client: Client, response, caplog, reason: str) -> None:
    assert response.status_code == 403
    assert REFUSED in response.text
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert client.get("/start/")["Location"].startswith("/accounts/login/")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert reason in logged, logged


@pytest.fixture
def sigrid(idp, student):
    idp.people["sigrid"] = saml_idp.person("sisv0001@lu.se", "Sigrid", "Svensson", nin=NUMBER)
    return "sigrid"


@pytest.mark.parametrize(
    ("tweaks", "reason"),
    [
        pytest.param(
            saml_idp.Tweaks(sign_assertion=False, sign_response=False),
            "is not signed",
            id="unsigned",
        ),
        pytest.param(
            # The envelope is signed, the assertion in it is not.
            saml_idp.Tweaks(sign_assertion=False),
            "The Assertion of the Response is not signed",
            id="unsigned-assertion-in-signed-response",
        ),
        pytest.param(
            saml_idp.Tweaks(other_key=True), "Signature validation failed", id="other-key"
        ),
        pytest.param(
            saml_idp.Tweaks(audience=OTHER_SP), "is not a valid audience", id="wrong-audience"
        ),
        pytest.param(
            saml_idp.Tweaks(destination="http://portal.test/accounts/saml/uu-saml/acs/"),
            "The response was received at",
            id="wrong-acs-url",
        ),
    ],
)
def test_refused_responses(portal, idp, sigrid, caplog, tweaks, reason):
    idp.tweaks = tweaks
    response = log_in(portal, idp, sigrid)
    assert_refused(portal, response, caplog, reason)


@pytest.mark.parametrize(
    ("shift", "reason"),
    [
        # The assertion lives five minutes; python3-saml allows five more of clock skew.
        pytest.param(datetime.timedelta(minutes=11), "expired", id="expired"),
        pytest.param(-datetime.timedelta(minutes=6), "not yet valid", id="not-yet-valid"),
    ],
)
def test_responses_outside_their_time_are_refused(portal, idp, sigrid, caplog, shift, reason):
    posted = at_idp(start_login(portal, idp), sigrid)
    with time_machine.travel(clock.now() + shift, tick=True):
        response = deliver(portal, posted)
    assert_refused(portal, response, caplog, reason)


def test_a_response_within_the_clock_skew_is_accepted(portal, idp, sigrid, student):
    posted = at_idp(start_login(portal, idp), sigrid)
    with time_machine.travel(clock.now() - datetime.timedelta(minutes=2), tick=True):
        response = deliver(portal, posted)
    assert response.status_code == 302
    assert logged_in_user(portal).person == student


def test_a_response_is_accepted_once(portal, idp, sigrid, student, caplog):
    posted = at_idp(start_login(portal, idp), sigrid)
    assert deliver(portal, posted).status_code == 302
    assert logged_in_user(portal).person == student

    for browser in (portal, Client(HTTP_HOST=PORTAL_HOST)):
        # Replayed in the same browser after logging out, and in another browser.
        browser.logout()
        response = deliver(browser, posted)
        assert response.status_code == 403
        assert REFUSED in response.text
        assert logged_in_user(browser) is None
    assert "replayed" in " ".join(r.getMessage() for r in caplog.records)


def idp_initiated(portal, idp, login):
    idp.tweaks = saml_idp.Tweaks(unsolicited=True)
    metadata = portal.get(f"/accounts/saml/{PROVIDER}/metadata/").text
    sp = metadata.split('entityID="', 1)[1].split('"', 1)[0]
    acs = f"http://{PORTAL_HOST}/accounts/saml/{PROVIDER}/acs/"
    response, _ = idp.answer(login, None, acs_url=acs, sp=sp)
    return saml_idp_posted(acs, response)


def saml_idp_posted(acs, response):
    from tests.people.saml_support import idp_answer

    return idp_answer(saml_idp.post_form(acs, response, ""))


def test_idp_initiated_login_is_refused(portal, idp, sigrid, caplog):
    response = deliver(portal, idp_initiated(portal, idp, sigrid))
    assert_refused(portal, response, caplog, "Login through")


def test_idp_initiated_login_when_allowed(settings, monkeypatch, portal, idp, sigrid, student):
    configure(settings, monkeypatch, [provider_entry(idp, allow_idp_initiated=True)])
    response = deliver(portal, idp_initiated(portal, idp, sigrid))
    assert response.status_code == 302
    assert logged_in_user(portal).person == student


# --- Metadata (#20 point 5) ---------------------------------------------------------------------


def offered(client: Client) -> bool:
    return f"/accounts/saml/{PROVIDER}/login/" in client.get("/accounts/login/").text


def test_idp_read_from_a_metadata_file(settings, monkeypatch, portal, idp, sigrid, tmp_path):
    aggregate = tmp_path / "federation.xml"
    aggregate.write_text(idp.federation_metadata())
    entry = provider_entry(idp)
    entry["idp"]["metadata"] = str(aggregate)
    configure(settings, monkeypatch, [entry])
    assert log_in(portal, idp, sigrid).status_code == 302


@pytest.mark.parametrize(
    ("aggregate", "reason"),
    [
        pytest.param(
            lambda idp: idp.federation_metadata().replace(idp.sso_url, "http://127.0.0.9/sso"),
            "signature does not verify",
            id="altered-after-signing",
        ),
        pytest.param(
            lambda idp: idp.federation_metadata(valid_for=-datetime.timedelta(minutes=1)),
            "metadata expired",
            id="expired",
        ),
    ],
)
def test_metadata_that_cannot_be_trusted_offers_no_login(
    settings, monkeypatch, portal, idp, tmp_path, caplog, aggregate, reason
):
    metadata = tmp_path / "federation.xml"
    metadata.write_text(aggregate(idp))
    entry = provider_entry(idp)
    entry["idp"]["metadata"] = str(metadata)
    configure(settings, monkeypatch, [entry])

    assert not offered(portal)
    assert portal.get(f"/accounts/saml/{PROVIDER}/login/").status_code == 404
    assert reason in caplog.text


def test_metadata_signed_by_a_key_the_portal_was_not_given(
    settings, monkeypatch, portal, idp, caplog
):
    entry = provider_entry(idp)
    entry["idp"]["metadata_cert"] = str(idp.signing.cert_file)  # the IdP's, not the federation's
    configure(settings, monkeypatch, [entry])
    assert not offered(portal)
    assert "signature does not verify" in caplog.text


def test_sp_metadata_at_a_stable_url(portal):
    answer = portal.get(f"/accounts/saml/{PROVIDER}/metadata/")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/xml")
    assert f'entityID="http://{PORTAL_HOST}/accounts/saml/{PROVIDER}/metadata/"' in answer.text
    assert f"http://{PORTAL_HOST}/accounts/saml/{PROVIDER}/acs/" in answer.text
    assert 'WantAssertionsSigned="true"' in answer.text


def test_staff_account_is_linked_by_command(portal, idp, institution):
    from django.core.management import CommandError, call_command

    staff = UserFactory(username="per")
    StaffRoleFactory(user=staff, institution=institution)
    call_command("link_saml_account", "per", PROVIDER, "peho@lu.se")
    idp.people["per"] = saml_idp.person("peho@lu.se", "Per", "Holm")

    assert log_in(portal, idp, "per").status_code == 302
    assert logged_in_user(portal) == staff
    other = UserFactory(username="eva")
    StaffRoleFactory(user=other, institution=institution)
    with pytest.raises(CommandError, match="another login"):
        call_command("link_saml_account", "eva", PROVIDER, "peho@lu.se")


def test_the_xmlsec_binding_signs_and_verifies(tmp_path):
    """python3-saml's xmlsec binding is installed and agrees with lxml on libxml2 (a wheel of
    one built against another libxml2 than the other's refuses to load), whether or not the
    IdP's xmlsec1 is on the machine."""
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    keys = saml_idp.make_keys(tmp_path, "check")
    document = (
        '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_1">'
        '<md:EntityDescriptor entityID="urn:example:idp"/></md:EntitiesDescriptor>'
    )
    cert = keys.cert_file.read_text()
    signed = OneLogin_Saml2_Utils.add_sign(document, keys.key_file.read_text(), cert)
    assert OneLogin_Saml2_Utils.validate_metadata_sign(signed, cert)
    tampered = signed.replace(b"urn:example:idp", b"urn:example:other")
    assert not OneLogin_Saml2_Utils.validate_metadata_sign(tampered, cert)


def test_the_demo_idp_names_the_demo_people():
    """make run's IdP (institutions.demo.saml) asserts what seed_demo gives `student`: her
    test identity number and birth date; `teacher` by the eduPersonPrincipalName seed links."""
    from institutions.demo import saml as demo
    from institutions.demo.identities import test_number
    from institutions.demo.students import NAMED_NUMBERS

    people = demo.demo_people()
    birth, sex = NAMED_NUMBERS["student"]
    assert people["student"][saml_idp.NOR_EDU_PERSON_NIN] == [test_number(birth, female=sex == "F")]
    assert people["student"][saml_idp.SCHAC_DATE_OF_BIRTH] == [f"{birth:%Y%m%d}"]
    assert people["teacher"][saml_idp.EPPN] == [demo.TEACHER_EPPN]
