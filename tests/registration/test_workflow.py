"""The participation state machine (DESIGN.md § Workflows): only the listed transitions happen,
and each writes exactly one event naming who moved it, from where and to where."""

import itertools

import pytest

from registration import workflow
from registration.models import ParticipationEvent, ParticipationState
from registration.workflow import TransitionError
from tests.factories import CourseParticipationFactory, ProgrammeParticipationFactory, UserFactory
from tests.registration.conftest import S, history

pytestmark = pytest.mark.django_db

# Written out here, not read from workflow.ALLOWED, so that a pair added there by mistake fails.
EXPECTED_TABLE = {
    # DESIGN.md: admitted | expected → registered → completed
    (S.ADMITTED, S.REGISTERED),
    (S.EXPECTED, S.REGISTERED),
    (S.REGISTERED, S.COMPLETED),
    # T-REM-1: the certified course grade that completed it was removed
    (S.COMPLETED, S.REGISTERED),
    # S-WD-1: withdrawal from a place not yet taken up
    (S.ADMITTED, S.WITHDRAWN),
    (S.EXPECTED, S.WITHDRAWN),
    # S-APP-2, S-CHOICE-2: an application or choice removed within its period
    (S.EXPECTED, S.CANCELLED),
    # S-WD-2: dropout from registered studies
    (S.REGISTERED, S.DROPPED),
    # S-SWAP-1: change of course instance, from a place held or taken up
    (S.ADMITTED, S.CHANGED_INSTANCE),
    (S.EXPECTED, S.CHANGED_INSTANCE),
    (S.REGISTERED, S.CHANGED_INSTANCE),
}
STATES = list(ParticipationState)
REFUSED = sorted(set(itertools.product(STATES, STATES)) - EXPECTED_TABLE)


def test_the_table_is_exactly_the_designed_one():
    assert workflow.ALLOWED == EXPECTED_TABLE


@pytest.mark.parametrize(("from_state", "to_state"), sorted(EXPECTED_TABLE))
@pytest.mark.parametrize(
    "factory", [CourseParticipationFactory, ProgrammeParticipationFactory], ids=["course", "prog"]
)
def test_an_allowed_transition_changes_state_and_writes_one_event(factory, from_state, to_state):
    actor = UserFactory()
    participation = factory(state=from_state)
    before = participation.state_changed_at

    workflow.transition(participation, to_state, actor=actor, note="because")

    participation.refresh_from_db()
    assert participation.state == to_state
    assert participation.state_changed_at > before
    assert history(participation) == [(actor.pk, from_state, to_state, "because")]
    assert ParticipationEvent.objects.count() == 1


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_any_other_transition_is_refused_and_leaves_no_trace(from_state, to_state):
    participation = CourseParticipationFactory(state=from_state)

    with pytest.raises(TransitionError):
        workflow.transition(participation, to_state, actor=UserFactory())

    assert participation.state == from_state
    participation.refresh_from_db()
    assert participation.state == from_state
    assert ParticipationEvent.objects.count() == 0


def test_a_programme_refuses_the_same_transitions():
    participation = ProgrammeParticipationFactory(state=S.WITHDRAWN)

    for to_state in STATES:
        with pytest.raises(TransitionError):
            workflow.transition(participation, to_state, actor=None)

    participation.refresh_from_db()
    assert participation.state == S.WITHDRAWN
    assert ParticipationEvent.objects.count() == 0


def test_record_writes_the_current_state_with_its_origin():
    actor = UserFactory()
    participation = ProgrammeParticipationFactory(state=S.ADMITTED)

    event = workflow.record(participation, from_state="", actor=actor, note="x" * 600)

    assert history(participation) == [(actor.pk, "", S.ADMITTED, "x" * 500)]
    assert event.institution_id == participation.institution_id
    assert event.course_participation_id is None
