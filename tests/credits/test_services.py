"""Credit-transfer cases (S-CRED-1..3): the student's application, the case officer's decision,
and the credited result that counts wherever results count (S-EDU-2, S-CERT-1, B-3)."""

from decimal import Decimal

import pytest
from django_scopes import scope

from certificates.content import transcript
from certificates.options import Options
from credits import services
from credits.models import CaseAction, CaseStatus, Outcome
from credits.services import CreditError
from ladokportal.errors import NotAllowed
from results.models import ResultAction, ResultSource, ResultState
from results.queries import student as result_queries
from tests.factories.credits import credit_world, items_of, officer_at, submitted_case
from tests.factories.results import grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution):
    return credit_world(institution)


def test_submit_gives_a_case_number_per_university_and_year(world, other_institution):
    first = submitted_case(world)
    second = submitted_case(world)
    elsewhere = submitted_case(credit_world(other_institution, suffix="x"))
    year = first.submitted_at.year
    assert [first.number, second.number, elsewhere.number] == [
        f"TG-{year}-0001",
        f"TG-{year}-0002",
        f"TG-{year}-0001",
    ]
    assert first.status == CaseStatus.SUBMITTED
    assert list(first.events.values_list("action", "from_status", "to_status")) == [
        (CaseAction.SUBMITTED, "draft", "submitted")
    ]


def test_submit_refuses_an_empty_application(world):
    case = services.start_draft(world.person, institution=world.instance.institution)
    with pytest.raises(CreditError, match="at least one"):
        services.submit(world.person, case=case)


def test_a_submitted_application_cannot_be_changed(world):
    case = submitted_case(world)
    with pytest.raises(CreditError, match="already been submitted"):
        services.remove_item(world.person, case=case, item=items_of(case)[0])


def test_crediting_an_item_creates_a_certified_credit_result_with_its_timeline(world):
    case = submitted_case(world)
    services.take(world.officer, case=case)
    item = services.decide_item(
        world.officer, item=items_of(case)[0], outcome=Outcome.CREDITED, grade=grade("G")
    )
    result = item.result
    assert (result.state, result.source, result.module, result.person) == (
        ResultState.CERTIFIED,
        ResultSource.CREDIT,
        world.modules[0],
        world.person,
    )
    assert list(
        result.events.values_list("action", "source", "actor", "from_state", "to_state")
    ) == [
        (ResultAction.REPORTED, ResultSource.CREDIT, world.officer.pk, "", "draft"),
        (ResultAction.MARKED_READY, ResultSource.CREDIT, world.officer.pk, "draft", "ready"),
        (ResultAction.CERTIFIED, ResultSource.CREDIT, world.officer.pk, "ready", "certified"),
    ]
    assert result.version == 3
    case.refresh_from_db()
    assert (case.status, case.case_officer) == (CaseStatus.PARTLY_DECIDED, world.officer)


def test_credited_credits_count_in_my_education_and_on_the_transcript(world):
    case = submitted_case(world)
    before = result_queries.credit_summary(world.person)
    first, second = items_of(case)
    first = services.decide_item(
        world.officer, item=first, outcome=Outcome.CREDITED, grade=grade("G")
    )
    services.decide_item(
        world.officer, item=second, outcome=Outcome.REFUSED, refusal_reason="Different content."
    )
    after = result_queries.credit_summary(world.person)
    assert (before.completed, before.credited) == (Decimal(0), Decimal(0))
    assert (after.completed, after.credited) == (Decimal("7.5"), Decimal("7.5"))
    with scope(institution=[world.instance.institution_id]):
        body = transcript.local(
            world.person, world.instance.institution, Options(include_modules=True), "en", None
        )
    (university,) = body["universities"]
    assert university["credit_transfers"] == [
        {
            "code": "M1",
            "name": world.modules[0].name_en,
            "credits": "7.5",
            "grade": {"code": "G", "name": grade("G").name_en, "scale": "UG"},
            "date": first.result.examination_date.isoformat(),
            "case": case.number,
            "basis": "Analysis 1, Universität Wien, Austria (7.5 ECTS credits)",
        }
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_refusal_keeps_reason_and_appeal_instruction_and_creates_no_result(world):
    case = submitted_case(world, items=1)
    item = services.decide_item(
        world.officer, item=items_of(case)[0], outcome=Outcome.REFUSED, refusal_reason="No."
    )
    assert (item.result, item.refusal_reason) == (None, "No.")
    assert item.appeal_instruction.startswith("You may appeal")


def test_partial_credit_records_credits_and_creates_no_result(world):
    case = submitted_case(world, items=1)
    item = services.decide_item(
        world.officer,
        item=items_of(case)[0],
        outcome=Outcome.CREDITED,
        grade=grade("G"),
        credited_credits=Decimal(3),
    )
    assert (item.scope, item.credited_credits, item.result) == ("partial", Decimal(3), None)


def test_an_item_is_decided_once(world):
    case = submitted_case(world, items=1)
    (item,) = items_of(case)
    services.decide_item(world.officer, item=item, outcome=Outcome.CREDITED, grade=grade("G"))
    with pytest.raises(CreditError, match="already been decided"):
        services.decide_item(world.officer, item=item, outcome=Outcome.REFUSED, refusal_reason="x")
    assert world.person.results.filter(source=ResultSource.CREDIT).count() == 1


def test_decide_refuses_a_failing_grade_and_too_many_credits(world):
    case = submitted_case(world, items=1)
    (item,) = items_of(case)
    with pytest.raises(CreditError, match="passing grade"):
        services.decide_item(world.officer, item=item, outcome=Outcome.CREDITED, grade=grade("U"))
    with pytest.raises(CreditError, match=r"at most 7\.5"):
        services.decide_item(
            world.officer,
            item=item,
            outcome=Outcome.CREDITED,
            grade=grade("G"),
            credited_credits=Decimal(8),
        )


def test_only_the_universitys_case_officers_decide(world, other_institution, staff_user):
    case = submitted_case(world, items=1)
    (item,) = items_of(case)
    stranger = officer_at(other_institution, "olle")
    for actor in (stranger, staff_user, world.student):
        with pytest.raises(NotAllowed):
            services.decide_item(actor, item=item, outcome=Outcome.REFUSED, refusal_reason="x")
        with pytest.raises(NotAllowed):
            services.add_note(actor, case=case, text="x")
    assert items_of(case)[0].outcome == ""


def test_a_draft_cannot_be_decided(world):
    case = services.start_draft(world.person, institution=world.instance.institution)
    with pytest.raises(CreditError, match="not been submitted"):
        services.take(world.officer, case=case)
