"""Two acts on one case or one share at the same moment, on PostgreSQL where row locks are real
(tests/concurrency.py): two officers issuing one case make one degree; a share looked up while it
is revoked is either answered and logged before the revocation or refused after it."""

import pytest
from django.db import connection

from degrees import services, sharing
from degrees.errors import DegreeError
from degrees.models import DegreeCaseEvent, DegreeShare, IssuedDegree, ShareUse
from tests.concurrency import REPETITIONS, head_start, run_together
from tests.factories.degrees import apply, graduate, officer, settings_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL"
    ),
]


def test_two_officers_issuing_one_case_make_one_degree(institution):
    settings_of(institution)
    person, user, kind = graduate(institution)
    # The race is over the case; the document's key follows the degree (one render suffices,
    # so none here: the worker's own race tests are certificates').
    settings = settings_of(institution)
    settings.digital_degree = False
    settings.save()
    first, second = officer(institution, "karin"), officer(institution, "lars")
    for repetition in range(REPETITIONS):
        case = apply(user, person, institution, kind, delivery="paper")
        outcomes = run_together(
            lambda c=case: services.issue(first, c),
            lambda c=case: services.issue(second, c),
            delays=head_start(repetition),
        )
        issued = [o for o in outcomes if isinstance(o, IssuedDegree)]
        refused = [o for o in outcomes if isinstance(o, DegreeError)]
        assert (len(issued), len(refused)) == (1, 1), outcomes
        assert IssuedDegree.objects.filter(case=case).count() == 1
        assert DegreeCaseEvent.objects.filter(case=case, action="issue").count() == 1
    assert IssuedDegree.objects.count() == REPETITIONS


def test_a_share_used_while_revoked_is_consistent(institution):
    settings_of(institution)
    person, user, kind = graduate(institution)
    degree = services.issue(officer(institution), apply(user, person, institution, kind))
    for repetition in range(REPETITIONS):
        share = sharing.create_share(user, degree)
        looked, _revoked = run_together(
            lambda s=share: sharing.look_up(s.code, person.identity_number),
            lambda s=share: sharing.revoke_share(user, s),
            delays=head_start(repetition),
        )
        assert not isinstance(looked, Exception), looked
        share = DegreeShare.objects.get(pk=share.pk)
        uses = list(ShareUse.objects.filter(share=share))
        assert share.revoked_at is not None
        # Answered exactly when a use was logged, and never logged after the revocation.
        assert (looked is not None) == (len(uses) == 1)
        assert all(use.at <= share.revoked_at for use in uses)
        assert sharing.look_up(share.code, person.identity_number) is None
