"""The result state machine (DESIGN.md § Workflows as explicit state machines; T-CERT-1, T-CERT-2,
T-REM-1): the table of allowed moves is exactly the designed one, every other move is refused,
a certified result never changes in place, a removed result is final, and the services agree
with the table from every state."""

import itertools

import pytest

from results import workflow
from results.errors import ResultError
from results.models import Result, ResultAction, ResultState
from results.services import certifying, removal, reporting
from results.validation import Entry
from results.workflow import TransitionError
from tests.factories.results import ResultFactory, grade, reporting_world
from tests.results.deep_helpers import picture, result_in, timeline

S = ResultState
A = ResultAction

# Written out here, not read from workflow.ALLOWED, so that a move added there by mistake fails.
EXPECTED_TABLE = {
    ("", A.REPORTED): S.DRAFT,  # T-REP-1 Save
    (S.DRAFT, A.EDITED): S.DRAFT,
    (S.DRAFT, A.MARKED_READY): S.READY,  # T-REP-3 Klarmarkera
    (S.DRAFT, A.DISCARDED): S.REMOVED,  # a draft reported by mistake
    (S.READY, A.EDITED): S.READY,  # T-REP-3: grade or date of a ready result may change
    (S.READY, A.UNMARKED): S.DRAFT,  # T-REP-3, T-CERT-1: sent back to draft
    (S.READY, A.CERTIFIED): S.CERTIFIED,  # T-CERT-1 Attestera
    (S.READY, A.REMOVED): S.REMOVED,  # T-REM-1: the examiner removes a marked-ready result
    (S.CERTIFIED, A.REMOVAL_PREPARED): S.REMOVAL_PREPARED,  # T-REM-1
    (S.CERTIFIED, A.REMOVED): S.REMOVED,  # T-REM-1: the examiner removes directly
    (S.REMOVAL_PREPARED, A.REMOVAL_WITHDRAWN): S.CERTIFIED,
    (S.REMOVAL_PREPARED, A.REMOVED): S.REMOVED,  # T-REM-1: the examiner certifies the removal
}
FROM_STATES = ["", *ResultState.values]
EVERY_PAIR = list(itertools.product(FROM_STATES, ResultAction.values))
REFUSED = [pair for pair in EVERY_PAIR if pair not in EXPECTED_TABLE]


def test_the_table_is_exactly_the_designed_one():
    assert workflow.ALLOWED == EXPECTED_TABLE


def test_grade_and_date_change_only_before_certification():
    assert frozenset({S.DRAFT, S.READY}) == workflow.EDITABLE


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED_TABLE))
def test_an_allowed_move_goes_where_the_table_says(state, action):
    assert workflow.allows(state, action)
    assert workflow.target(state, action) == EXPECTED_TABLE[(state, action)]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_other_move_raises_transition_error(state, action):
    assert not workflow.allows(state, action)
    with pytest.raises(TransitionError):
        workflow.target(state, action)


@pytest.mark.parametrize(("state", "action"), [p for p in REFUSED if p[0]])
def test_a_refused_advance_leaves_the_result_as_it_was(state, action):
    result = Result(state=state, version=4)
    with pytest.raises(TransitionError):
        workflow.advance(result, action, workflow.snapshot(result))
    assert (result.state, result.version) == (state, 4)


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED_TABLE))
def test_an_allowed_advance_counts_the_version(state, action):
    result = Result(state=state or S.DRAFT, version=4)
    before = workflow.snapshot(result if state else None)
    workflow.advance(result, action, before)
    assert result.state == EXPECTED_TABLE[(state, action)]
    assert result.version == (5 if state else 1)


@pytest.mark.parametrize("decided", [S.CERTIFIED, S.REMOVAL_PREPARED])
def test_a_certified_result_is_never_edited_nor_sent_back(decided):
    """T-REM-1: after the formal decision no move changes grade or date, and none leads back to
    draft or ready; only a removal (and withdrawing a prepared one) exists."""
    assert not workflow.allows(decided, A.EDITED)
    reachable = {to for (frm, _action), to in workflow.ALLOWED.items() if frm == decided}
    assert reachable <= {S.CERTIFIED, S.REMOVAL_PREPARED, S.REMOVED}
    assert not reachable & workflow.EDITABLE


def test_removed_is_terminal():
    assert not [pair for pair in workflow.ALLOWED if pair[0] == S.REMOVED]
    for action in ResultAction.values:
        with pytest.raises(TransitionError):
            workflow.target(S.REMOVED, action)


def test_a_result_comes_into_being_only_by_being_reported():
    assert [a for (frm, a) in workflow.ALLOWED if frm == ""] == [A.REPORTED]
    assert A.REPORTED not in {a for (frm, a) in workflow.ALLOWED if frm}


def test_certified_is_reached_only_by_certifying_or_withdrawing_a_removal():
    """Students see a result only after the formal decision (T-CERT-1): no other move leads
    into a state they see."""
    into_visible = {
        (frm, a)
        for (frm, a), to in workflow.ALLOWED.items()
        if to in (S.CERTIFIED, S.REMOVAL_PREPARED)
    }
    assert into_visible == {
        (S.READY, A.CERTIFIED),
        (S.CERTIFIED, A.REMOVAL_PREPARED),
        (S.REMOVAL_PREPARED, A.REMOVAL_WITHDRAWN),
    }


@pytest.mark.django_db
def test_event_records_before_and_after():
    result = ResultFactory.build(state=S.DRAFT, version=1, grade=grade("G"))
    before = workflow.snapshot(result)
    result.grade = grade("U")
    workflow.advance(result, A.EDITED, before)
    event = workflow.event(result, A.EDITED, actor=None, source="page", before=before, note="x")
    assert (event.from_state, event.to_state) == (S.DRAFT, S.DRAFT)
    assert (event.grade_before.code, event.grade_after.code) == ("G", "U")
    assert event.date_before == event.date_after == result.examination_date
    assert event.note == "x"


# --- The services follow the table ----------------------------------------------------------

# The act each service performs, done by the course's examiner (who has both rights) on a result
# loaded with its current version.


def _edit(world, result):
    code = "U" if result.grade.code == "G" else "G"
    reporting.save_drafts(
        world.examiner,
        course_instance=world.instance,
        module=result.module,
        entries=[
            Entry(
                person=result.person,
                grade=grade(code),
                examination_date=result.examination_date,
                result=result,
                version=result.version,
            )
        ],
    )


ACTS = {
    A.EDITED: _edit,
    A.MARKED_READY: lambda w, r: reporting.mark_ready(
        w.examiner, results=[r], graded_by=w.examiner, notify=None
    ),
    A.UNMARKED: lambda w, r: reporting.unmark(w.examiner, results=[r]),
    A.CERTIFIED: lambda w, r: certifying.certify(w.examiner, results=[r]),
    A.REMOVAL_PREPARED: lambda w, r: removal.prepare_removal(w.examiner, result=r, reason="Dnr 7"),
    A.REMOVAL_WITHDRAWN: lambda w, r: removal.withdraw_removal(w.examiner, result=r),
    A.REMOVED: lambda w, r: removal.remove(w.examiner, result=r, reason="Dnr 8"),
    A.DISCARDED: lambda w, r: reporting.discard_draft(w.examiner, result=r),
}


@pytest.mark.parametrize("action", list(ACTS))
@pytest.mark.parametrize("state", ResultState.values)
def test_each_service_moves_exactly_where_the_table_allows(institution, state, action):
    """From every state, each act either makes the one move the table lists (one more version,
    one more event) or is refused with a message and changes nothing — never a TransitionError
    (a person's mistake, not a bug) and never a move outside the table."""
    world = reporting_world(institution, students=1, modules=1)
    result = result_in(world, state)
    history = timeline(result)
    rows, events = picture()

    if (state, action) in EXPECTED_TABLE:
        ACTS[action](world, result)
        after = Result.objects.get(pk=result.pk)
        assert after.state == EXPECTED_TABLE[(state, action)]
        assert after.version == result.version + 1
        assert timeline(result) == [*history, (action, state, after.state)]
    else:
        with pytest.raises(ResultError):
            ACTS[action](world, result)
        assert picture() == (rows, events)
