"""A student's study year at Lund, built with the factories, for the browser tests of the study
journey (issue #3): tests/browser/test_study_journey.py, test_choices.py, test_staff_students.py.

Every date is placed relative to today. The live server's tests run in transactions that end in a
flush, which also empties the tables the data migrations fill: the national grading scales are
put back first, the way catalog 0003 creates them.

A test module takes the fixture with `from tests.browser.journey import journey_fixture` (the
fixture's name is `journey`), and LOCALES runs a test in Swedish and in English (G-1).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page

from catalog.models import CourseInstance, ProgrammeKind
from institutions.models import Institution, InstitutionSettings
from ladokportal import clock
from people.models import Person, StaffRoleKind, User
from registration.models import (
    ApplicationOffer,
    CourseParticipation,
    ParticipationState,
    ProgrammeParticipation,
)
from results.models import ResultState
from studychoices.models import ChoiceAlternative, ChoicePeriod
from tests.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_phone_ready,
    open_page,
)
from tests.factories import (
    ApplicationOfferFactory,
    ChoiceAlternativeFactory,
    ChoicePeriodFactory,
    CourseFactory,
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    CourseParticipationFactory,
    IndividualStudyPlanFactory,
    LeaveOfAbsenceFactory,
    ModuleFactory,
    PersonFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    StaffRoleFactory,
    StudyActivityFactory,
    UserFactory,
    participation_with_periods,
    valid_identity_number,
)
from tests.factories.catalog import restore_national_scales
from tests.factories.results import ResultFactory, grade

S = ParticipationState

LOCALES = pytest.mark.parametrize("locale", ["sv-SE", "en-US"], ids=["sv", "en"])


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def in_language(locale: str, make):
    """What `make()` gives in the browser's language: the live server runs in this process and
    reads the same message catalogue, so a message is compared with the very text the page
    must show in either language, whatever the Swedish wording is."""
    with translation.override(locale[:2]):
        return str(make())


@dataclass(frozen=True)
class Journey:
    """Sara Holm's year at Lund, Dan Ek's doctoral studies and Siv, a study administrator."""

    institution: Institution
    student: User  # "sara"
    doctoral_student: User  # "dan"
    study_admin: User  # "siv"
    # Stand-alone courses.
    opens_now: CourseParticipation  # admitted, first registration open now
    continuation: CourseParticipation  # registered for period 1, period 2 open now
    registered: CourseParticipation  # registered, started 30 days ago (past early dropout)
    to_change: CourseParticipation  # admitted, registration opens in 20 days
    change_target: CourseInstance  # another instance of to_change's course, registration open
    completed: CourseParticipation  # completed last year
    # The master's programme, not yet started, and what lies within it.
    programme: ProgrammeParticipation
    programme_courses: tuple[CourseParticipation, ...]
    choice_period: ChoicePeriod  # open now: one or two alternatives, at most 10 credits
    alternatives: tuple[ChoiceAlternative, ...]
    offer: ApplicationOffer  # a course to apply for, open now
    doctoral: ProgrammeParticipation  # Dan's, with study plan, activity and a leave

    @property
    def person(self) -> Person:
        return self.student.person


def _course(institution: Institution, code: str, sv: str, en: str, credits: str = "7.5"):
    return CourseFactory(
        institution=institution, code=code, name_sv=sv, name_en=en, credits=Decimal(credits)
    )


def _instance(course, start: int, length: int = 70) -> CourseInstance:
    return CourseInstanceFactory(
        course=course, start_date=days(start), end_date=days(start + length)
    )


def _stand_alone(person: Person, institution: Institution, code: str, sv: str, en: str, **kw):
    participation = participation_with_periods(person, institution, **kw)
    course = participation.course_instance.course
    course.code, course.name_sv, course.name_en = code, sv, en
    course.save(update_fields=["code", "name_sv", "name_en"])
    ModuleFactory(course=course, institution=institution, name_sv="Teori", name_en="Theory")
    return participation


def _in_programme(programme: ProgrammeParticipation, course, start: int) -> CourseParticipation:
    """A course of the programme, admitted with it; its registration opens ten days before."""
    instance = _instance(course, start)
    CourseInstancePeriodFactory(
        course_instance=instance,
        study_period__start_date=days(start),
        study_period__end_date=days(start + 70),
        credits=course.credits,
        registration_opens=days(start - 10),
        registration_closes=days(start + 5),
    )
    return CourseParticipationFactory(
        person=programme.person,
        course_instance=instance,
        programme_participation=programme,
        state=S.ADMITTED,
    )


def build_journey(institution: Institution) -> Journey:
    restore_national_scales()
    InstitutionSettings.objects.filter(institution=institution).update(
        allow_change_instance=True, allow_partial_reregistration=True
    )
    birth = datetime.date(2001, 5, 14)
    sara = PersonFactory(
        first_name="Sara",
        last_name="Holm",
        birth_date=birth,
        identity_number=valid_identity_number(birth, 482),
        email="sara.holm@example.se",
    )

    opens_now = _stand_alone(sara, institution, "BI1001", "Cellbiologi", "Cell biology")
    continuation = _stand_alone(
        sara,
        institution,
        "BI1002",
        "Genetik",
        "Genetics",
        state=S.REGISTERED,
        start=-40,
        length=160,
        windows=((-50, -40), (-3, 6)),
        registered=1,
    )
    registered = _stand_alone(
        sara,
        institution,
        "MA1003",
        "Statistik för biologer",
        "Statistics for biologists",
        state=S.REGISTERED,
        start=-30,
        windows=((-40, -30),),
        registered=1,
    )
    to_change = _stand_alone(
        sara,
        institution,
        "KE1004",
        "Allmän kemi",
        "General chemistry",
        start=40,
        windows=((20, 35),),
    )
    change_target = _instance(to_change.course_instance.course, start=10)
    CourseInstancePeriodFactory(
        course_instance=change_target,
        study_period__start_date=days(10),
        study_period__end_date=days(80),
        registration_opens=days(-4),
        registration_closes=days(9),
    )
    completed = _stand_alone(
        sara,
        institution,
        "BI1000",
        "Introduktion till biologi",
        "Introduction to biology",
        state=S.COMPLETED,
        start=-300,
        windows=((-310, -300),),
        registered=1,
    )
    # Completed means a certified course grade (S-EDU-2 reads it from the results); seen long
    # ago, so it is no news on the start page.
    ResultFactory(
        person=sara,
        course_instance=completed.course_instance,
        grade=grade("G"),
        examination_date=completed.course_instance.end_date,
        state=ResultState.CERTIFIED,
        certified_by=UserFactory(username="bi-examiner"),
        certified_at=timezone.now(),
        seen_by_student_at=timezone.now(),
    )

    programme = ProgrammeParticipationFactory(
        person=sara,
        programme_instance=ProgrammeInstanceFactory(
            programme__institution=institution,
            programme__code="NAMBI",
            programme__name_sv="Masterprogram i biologi",
            programme__name_en="Master's Programme in Biology",
            programme__credits=Decimal(120),
            start_date=days(20),
            end_date=days(20 + 640),
            town="Lund",
        ),
        state=S.ADMITTED,
    )
    programme_courses = tuple(
        _in_programme(programme, course, start)
        for course, start in (
            (_course(institution, "BI2001", "Evolutionsbiologi", "Evolutionary biology"), 20),
            (_course(institution, "BI2002", "Fältekologi", "Field ecology", "15"), 80),
        )
    )
    choice_period = ChoicePeriodFactory(
        programme_instance=programme.programme_instance,
        name_sv="Valbara kurser, termin 2",
        name_en="Elective courses, semester 2",
        min_picks=1,
        max_picks=2,
        max_credits=Decimal(10),
    )
    alternatives = tuple(
        ChoiceAlternativeFactory(
            period=choice_period,
            course_instance=_instance(_course(institution, code, sv, en), start=140),
            position=position,
        )
        for position, (code, sv, en) in enumerate(
            (
                ("BI2101", "Marinbiologi", "Marine biology"),
                ("BI2102", "Växtfysiologi", "Plant physiology"),
                ("BI2103", "Bioinformatik", "Bioinformatics"),
            )
        )
    )
    offer = ApplicationOfferFactory(
        programme_instance=programme.programme_instance,
        course_instance=_instance(
            _course(institution, "BI2201", "Vetenskapligt skrivande", "Scientific writing"), 200
        ),
    )

    birth = datetime.date(1994, 2, 3)
    dan = PersonFactory(
        first_name="Dan",
        last_name="Ek",
        birth_date=birth,
        identity_number=valid_identity_number(birth, 317),
    )
    doctoral = ProgrammeParticipationFactory(
        person=dan,
        programme_instance=ProgrammeInstanceFactory(
            programme__institution=institution,
            programme__code="NABIF00",
            programme__kind=ProgrammeKind.DOCTORAL_SUBJECT,
            programme__name_sv="Biologi, forskarnivå",
            programme__name_en="Biology, doctoral studies",
            programme__credits=Decimal(240),
            start_date=days(-400),
            end_date=days(-400 + 1460),
            town="Lund",
        ),
        state=S.REGISTERED,
    )
    IndividualStudyPlanFactory(
        programme_participation=doctoral,
        established_on=days(-380),
        revised_on=days(-20),
        main_supervisor="Professor Maja Handledare",
        assistant_supervisors="Docent Per Biträdande",
        planned_defence=days(1000),
        summary_sv="Avhandling om fjärilars flyttvägar.",
        summary_en="A thesis on the migration routes of butterflies.",
    )
    StudyActivityFactory(
        programme_participation=doctoral,
        start_date=days(-400),
        end_date=days(-220),
        activity_percent=100,
    )
    StudyActivityFactory(
        programme_participation=doctoral,
        start_date=days(-219),
        end_date=days(-40),
        activity_percent=80,
    )
    LeaveOfAbsenceFactory(programme_participation=doctoral, start_date=days(-30), end_date=days(60))
    _stand_alone(
        dan,
        institution,
        "BI3001",
        "Forskningsetik",
        "Research ethics",
        state=S.REGISTERED,
        start=-60,
        windows=((-70, -60),),
        registered=1,
        programme_participation=doctoral,
    )

    study_admin = UserFactory(username="siv", first_name="Siv", last_name="Berglund")
    StaffRoleFactory(user=study_admin, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    return Journey(
        institution=institution,
        student=UserFactory(username="sara", person=sara),
        doctoral_student=UserFactory(username="dan", person=dan),
        study_admin=study_admin,
        opens_now=opens_now,
        continuation=continuation,
        registered=registered,
        to_change=to_change,
        change_target=change_target,
        completed=completed,
        programme=programme,
        programme_courses=programme_courses,
        choice_period=choice_period,
        alternatives=alternatives,
        offer=offer,
        doctoral=doctoral,
    )


def check_page(page: Page, *, with_menu: bool = False) -> None:
    """No sideways scroll at the context's width and zero axe violations. With the menu: the
    whole of assert_phone_ready (the menu opened and checked too, the same component on every
    page, so once per test is enough), and the menu closed again so the test goes on with the
    page as a person sees it."""
    if not with_menu:
        assert_no_horizontal_scroll(page)
        assert_no_axe_violations(page)
        return
    assert_phone_ready(page)
    page.locator("details.menu > summary").click()
    assert page.locator("details.menu").get_attribute("open") is None, "the menu did not close"


def assert_phone_ready_without_javascript(page: Page, new_page, locale: str) -> None:
    """assert_phone_ready for a page opened without JavaScript. The width is measured there;
    axe-core cannot run in it (it waits on timers a page without JavaScript never fires), so it
    looks at the same address, served the same way, in a second context with JavaScript, the
    same cookies and the same width."""
    assert_no_horizontal_scroll(page)
    twin = new_page(locale=locale, viewport=page.viewport_size)
    twin.context.add_cookies(page.context.cookies())
    open_page(twin, page.url)
    check_page(twin, with_menu=True)


@pytest.fixture(name="journey")
def journey_fixture(institution) -> Journey:
    return build_journey(institution)
