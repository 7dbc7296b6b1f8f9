"""Fetching foreign results through EMREX (S-EMREX-1, issue #14 acceptance): a document signed
by the contact point is stored as other merits with the original; a broken signature, a foreign
key, a document that is not valid ELMO, a replayed session id and a cancelled session are each
refused with a message and store nothing."""

from decimal import Decimal

import pytest

from emrex import elmo, services
from emrex.models import ForeignMerit, SessionState
from emrex.services import EmrexError
from tests.emrex.conftest import signed
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(institution, contact_point, schema_dir):
    institution.settings.emrex = True
    institution.settings.save()
    person = PersonFactory()
    return services.start_import(person, institution=institution, contact_point=contact_point)


def receive(session, document: bytes | str, code: str = services.NCP_OK):
    text = document if isinstance(document, str) else elmo.encode(document)
    return services.receive(session_id=session.session_id, return_code=code, document=text)


def test_a_signed_document_is_stored_as_foreign_merits_with_the_original(session, ncp_key):
    document = signed(ncp_key)
    (merit,) = receive(session, document)
    merit = ForeignMerit.objects.get(pk=merit.pk)
    assert (merit.issuer, merit.country, merit.title, merit.credits, merit.scheme, merit.grade) == (
        "University of Helsinki",
        "FI",
        "Linear Algebra I",
        Decimal(5),
        "ECTS",
        "5",
    )
    assert merit.document.encode() == document
    session.refresh_from_db()
    assert session.state == SessionState.ACCEPTED


def refused(session, document, code=services.NCP_OK) -> str:
    with pytest.raises(EmrexError) as refusal:
        receive(session, document, code)
    assert ForeignMerit.objects.count() == 0
    return str(refusal.value)


def test_a_broken_signature_is_refused(session, ncp_key):
    tampered = signed(ncp_key).replace(b"<resultLabel>5<", b"<resultLabel>4<")
    assert "signature does not hold" in refused(session, tampered)


def test_a_document_signed_by_an_unknown_key_is_refused(session, stranger_key):
    assert "signature does not hold" in refused(session, signed(stranger_key))


def test_a_document_that_is_not_valid_elmo_is_refused(session, ncp_key):
    message = refused(session, signed(ncp_key, url=False))
    assert message.startswith("The results were refused and nothing was stored: The document is")
    assert "not valid ELMO" in message


def test_an_unsigned_document_and_garbage_are_refused(session, ncp_key):
    from lxml import etree

    from tests.emrex.conftest import foreign_document

    assert "not signed as ELMO requires" in refused(session, etree.tostring(foreign_document()))


def test_garbage_is_refused(session):
    assert "not well-formed XML" in refused(session, b"\x00 not xml")


def test_a_replayed_session_id_is_refused(session, ncp_key):
    receive(session, signed(ncp_key))
    with pytest.raises(EmrexError, match="already been used"):
        receive(session, signed(ncp_key, title="Analysis II"))
    assert list(ForeignMerit.objects.values_list("title", flat=True)) == ["Linear Algebra I"]


def test_a_cancelled_session_stores_nothing_and_cannot_be_used_again(session, ncp_key):
    assert "cancelled" in refused(session, "", services.NCP_CANCEL)
    assert "already been used" in refused(session, signed(ncp_key))
    session.refresh_from_db()
    assert session.state == SessionState.CANCELLED


def test_an_unknown_session_id_is_refused(session, ncp_key):
    with pytest.raises(EmrexError, match="Unknown Emrex session"):
        services.receive(
            session_id=session.session_id + "x",
            return_code=services.NCP_OK,
            document=elmo.encode(signed(ncp_key)),
        )
    assert ForeignMerit.objects.count() == 0


def test_emrex_switched_off_is_refused(institution, contact_point):
    with pytest.raises(EmrexError, match="not offered"):
        services.start_import(PersonFactory(), institution=institution, contact_point=contact_point)
