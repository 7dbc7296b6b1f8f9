"""Sharing a degree (S-DEG-5, B-5): code + identity number, the same answer for a wrong number
and an unknown code, revoked, expired and withdrawn stop answering, each use logged (never who)."""

import datetime

import pytest

from certificates import codes
from degrees import services, sharing
from degrees.errors import DegreeError, NotAllowed
from degrees.models import DegreeShare, ShareUse
from ladokportal import clock
from people.identity import display
from tests.factories import PersonFactory, UserFactory
from tests.factories.degrees import apply, graduate, officer, settings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(institution):
    settings_of(institution)
    person, user, kind = graduate(institution)
    degree = services.issue(officer(institution), apply(user, person, institution, kind))
    return person, user, degree


def test_right_code_and_number_answer_and_log_a_use(issued):
    person, user, degree = issued
    share = sharing.create_share(user, degree)
    assert codes.normalise(share.code) == share.code
    found = sharing.look_up(share.display_code, display(person.identity_number))
    assert found.degree == degree
    assert [c.code for c in found.current] == ["FYSA11", "MATA21", "MATK11"]
    assert ShareUse.objects.filter(share=share).count() == 1


def test_wrong_number_answers_like_an_unknown_code(issued):
    person, user, degree = issued
    share = sharing.create_share(user, degree)
    other = PersonFactory()
    assert sharing.look_up(share.code, other.identity_number) is None
    assert sharing.look_up(codes.new_code(), person.identity_number) is None
    assert sharing.look_up("not a code", person.identity_number) is None
    assert sharing.look_up(share.code, "19990101-0000") is None
    assert ShareUse.objects.count() == 0


def test_revoked_expired_and_withdrawn_stop_answering(issued, institution):
    person, user, degree = issued
    revoked = sharing.revoke_share(user, sharing.create_share(user, degree))
    assert sharing.look_up(revoked.code, person.identity_number) is None
    expiring = sharing.create_share(user, degree, expires_on=clock.today())
    assert sharing.look_up(expiring.code, person.identity_number) is not None
    DegreeShare.objects.filter(pk=expiring.pk).update(
        expires_on=clock.today() - datetime.timedelta(days=1)
    )
    assert sharing.look_up(expiring.code, person.identity_number) is None
    active = sharing.create_share(user, degree)
    services.withdraw(officer(institution), degree, reason="Withdrawn.")
    assert sharing.look_up(active.code, person.identity_number) is None
    degree.refresh_from_db()
    with pytest.raises(DegreeError):
        sharing.create_share(user, degree)


def test_only_the_holder_shares_and_revokes(issued):
    _person, user, degree = issued
    stranger = UserFactory(person=PersonFactory())
    with pytest.raises(NotAllowed):
        sharing.create_share(stranger, degree)
    share = sharing.create_share(user, degree)
    with pytest.raises(NotAllowed):
        sharing.revoke_share(stranger, share)
    assert DegreeShare.objects.count() == 1


def test_sharing_switched_off_or_expiry_out_of_range_is_refused(issued, institution):
    _person, user, degree = issued
    with pytest.raises(DegreeError):
        sharing.create_share(user, degree, expires_on=clock.today() - datetime.timedelta(days=1))
    settings = settings_of(institution)
    settings.degree_sharing = False
    settings.save()
    degree.institution.settings.refresh_from_db()
    with pytest.raises(DegreeError):
        sharing.create_share(user, degree)
    assert DegreeShare.objects.count() == 0
