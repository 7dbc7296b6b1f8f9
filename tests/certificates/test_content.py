"""The frozen content of each kind of certificate (S-CERT-1, S-CERT-3), in Swedish and English:
what the student's records said when it was made, with names resolved to the certificate's
language, only certified results (S-EDU-3), and a fixed number of queries whatever the size of
the records."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from catalog.models import ProgrammeKind
from certificates import codes, content, options
from certificates.errors import CertificateError
from certificates.models import CertificateKind
from ladokportal import clock
from registration.models import ParticipationState
from results.models import ResultSource, ResultState
from tests.factories import (
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    CourseParticipationFactory,
    IndividualStudyPlanFactory,
    ModuleFactory,
    PersonFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    RegistrationFactory,
    StudyActivityFactory,
)
from tests.factories.certificates import certified, examiner_of, transcript_student
from tests.factories.results import ResultFactory, grade

pytestmark = pytest.mark.django_db

K = CertificateKind
S = ParticipationState
BODY = "K7XQ3MRT9WAHC2P"
CODE = BODY + codes.check_character(BODY)


def today() -> datetime.date:
    return clock.today()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def build(kind, person, institution, language="en", *, issued_at=None, **raw) -> dict:
    issued_at = issued_at or timezone.now()
    return content.build(
        kind=kind,
        language=language,
        person=person,
        institution=institution,
        options=options.parse(kind, raw, today=clock.date_of(issued_at)),
        check_code=CODE,
        issued_at=issued_at,
        valid_until=datetime.date(2027, 3, 11),
    )


def refusal(kind, person, institution, language="en", **raw) -> str:
    with pytest.raises(CertificateError) as refused:
        build(kind, person, institution, language, **raw)
    return refused.value.message


def in_language(language: str, message: str, context: str = "") -> str:
    with translation.override(language):
        return pgettext(context, message) if context else gettext(message)


@pytest.fixture
def person():
    return PersonFactory(
        first_name="Stina",
        last_name="Student",
        birth_date=datetime.date(2001, 4, 5),
        identity_number="200104052383",
    )


# --- The header every kind shares ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "issuer"), [("sv", "Lunds universitet"), ("en", "Lund University")]
)
def test_header_names_the_student_issuer_code_and_verification_link(institution, language, issuer):
    """S-CERT-2: the check code in display form and the public link with it filled in."""
    person = transcript_student(institution, courses=1).person
    institution.website = "https://www.lu.se"
    issued_at = timezone.now()

    c = build(K.TRANSCRIPT, person, institution, language, issued_at=issued_at)

    assert {key: value for key, value in c.items() if key not in ("body", "options")} == {
        "schema": 1,
        "kind": "transcript",
        "language": language,
        "title": in_language(language, "Transcript of records", "certificate kind"),
        "issuer": {"code": "lu", "name": issuer, "website": "https://www.lu.se"},
        "student": {
            "name": f"{person.first_name} {person.last_name}",
            "identity_number": f"{person.identity_number[:8]}-{person.identity_number[8:]}",
            "birth_date": person.birth_date.isoformat(),
        },
        "issued_at": clock.local(issued_at).isoformat(),
        "valid_until": "2027-03-11",
        "check_code": codes.display(CODE),
        "verify_url": f"{settings.SITE_URL.rstrip('/')}/verify/{codes.display(CODE)}/",
    }
    assert c["options"] == options.Options().as_json()


def test_a_student_without_identity_number_is_named_with_the_birth_date(institution):
    person = transcript_student(institution, courses=1).person
    person.identity_number = ""

    c = build(K.TRANSCRIPT, person, institution)

    assert c["student"]["identity_number"] == ""
    assert c["student"]["birth_date"] == person.birth_date.isoformat()


def test_just_after_midnight_in_sweden_the_certificate_is_of_the_swedish_day(institution):
    """The issue date printed and the day "current" and "not ended" are measured from are the
    day in Sweden (TIME_ZONE), not in UTC: at 00:30 in Lund an admission that ended the day
    before is over."""
    issued_at = datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)  # 00:30 in Lund
    person = PersonFactory()
    ended_yesterday = CourseInstanceFactory(
        course__institution=institution,
        start_date=datetime.date(2025, 11, 1),
        end_date=datetime.date(2026, 1, 15),
    )
    CourseParticipationFactory(person=person, course_instance=ended_yesterday)
    upcoming = CourseInstanceFactory(
        course__institution=institution,
        start_date=datetime.date(2026, 1, 19),
        end_date=datetime.date(2026, 3, 22),
    )
    CourseParticipationFactory(person=person, course_instance=upcoming)

    c = build(K.EXPECTED_PARTICIPATION, person, institution, issued_at=issued_at)

    assert c["issued_at"][:10] == "2026-01-16"
    assert [row["instance_code"] for row in c["body"]["admissions"]] == [upcoming.instance_code]


# --- Certificate of expected participation -------------------------------------------------------


def admitted_course(person, institution, *, state=S.ADMITTED, start=20, end=120, **course):
    instance = CourseInstanceFactory(
        course__institution=institution,
        start_date=days(start),
        end_date=days(end),
        **{f"course__{key}": value for key, value in course.items()},
    )
    return CourseParticipationFactory(person=person, course_instance=instance, state=state)


@pytest.mark.parametrize(
    ("language", "course", "programme"),
    [("sv", "Kemi", "Civilingenjör i kemi"), ("en", "Chemistry", "Chemical engineering")],
)
def test_expected_participation_lists_admissions_not_yet_registered_on(
    institution, other_institution, person, language, course, programme
):
    """S-CERT-1: admitted or expected, course or programme, not registered, not ended."""
    admitted = admitted_course(
        person, institution, start=40, code="KEMA01", name_sv="Kemi", name_en="Chemistry"
    )
    expected = ProgrammeParticipationFactory(
        person=person,
        state=S.EXPECTED,
        programme_instance=ProgrammeInstanceFactory(
            programme__institution=institution,
            programme__code="TKKEM",
            programme__name_sv="Civilingenjör i kemi",
            programme__name_en="Chemical engineering",
            start_date=days(10),
            end_date=days(1000),
        ),
    )
    # Not on the certificate: registered, withdrawn, ended, and at another university.
    admitted_course(person, institution, state=S.REGISTERED, start=-10)
    admitted_course(person, institution, state=S.WITHDRAWN)
    admitted_course(person, institution, start=-100, end=-1)
    admitted_course(person, other_institution)

    c = build(K.EXPECTED_PARTICIPATION, person, institution, language)

    instance = admitted.course_instance
    assert c["body"]["admissions"] == [
        {
            "code": "TKKEM",
            "name": programme,
            "credits": "180.0",
            "instance_code": expected.programme_instance.instance_code,
            "start": days(10).isoformat(),
            "end": days(1000).isoformat(),
            "pace": expected.programme_instance.pace,
            "town": expected.programme_instance.town,
            "state": in_language(language, "Expected participation", "participation state"),
        },
        {
            "code": "KEMA01",
            "name": course,
            "credits": "7.5",
            "instance_code": instance.instance_code,
            "start": days(40).isoformat(),
            "end": days(120).isoformat(),
            "pace": 50,
            "town": "Lund",
            "state": in_language(language, "Admitted", "participation state"),
        },
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_expected_participation_is_refused_without_an_admission(
    institution, other_institution, person, language
):
    admitted_course(person, institution, state=S.REGISTERED, start=-10)
    admitted_course(person, other_institution)

    message = refusal(K.EXPECTED_PARTICIPATION, person, institution, language)

    assert message == in_language(
        language,
        "There is no admission that is not yet registered on, so a certificate of expected "
        "participation would have nothing to show.",
    )


# --- Registration certificate --------------------------------------------------------------------


def registered(
    person,
    institution,
    *,
    start: int,
    end: int,
    programme=None,
    period_credits=None,
    **course,
):
    """A registration on one study period from `start` to `end` days from today."""
    instance = CourseInstanceFactory(
        course__institution=institution,
        start_date=days(start),
        end_date=days(end),
        **{f"course__{key}": value for key, value in course.items()},
    )
    period = CourseInstancePeriodFactory(
        course_instance=instance,
        study_period__start_date=days(start),
        study_period__end_date=days(end),
        study_period__name_sv=f"Termin {start}",
        study_period__name_en=f"Term {start}",
        credits=period_credits or instance.course.credits,
    )
    participation = CourseParticipationFactory(
        person=person,
        course_instance=instance,
        state=S.REGISTERED,
        programme_participation=programme,
    )
    RegistrationFactory(participation=participation, study_period=period.study_period)
    return instance


def programme_of(person, institution, name_sv, name_en, *, kind=ProgrammeKind.PROGRAMME, **fields):
    return ProgrammeParticipationFactory(
        person=person,
        state=S.REGISTERED,
        programme_instance=ProgrammeInstanceFactory(
            programme__institution=institution,
            programme__kind=kind,
            programme__name_sv=name_sv,
            programme__name_en=name_en,
            start_date=days(-400),
            end_date=days(800),
            **{f"programme__{key}": value for key, value in fields.items()},
        ),
    )


def codes_by_group(c) -> list[tuple[str, list[str]]]:
    return [
        (group["name"], [row["code"] for row in group["registrations"]])
        for group in c["body"]["programmes"]
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_registration_certificate_shows_current_registrations(institution, person, language):
    """S-CERT-1: without a range, the registrations on a study period that includes today."""
    now = registered(
        person,
        institution,
        start=-20,
        end=60,
        code="NU01",
        name_sv="Nutid",
        name_en="Present",
        credits=Decimal("15"),
        period_credits=Decimal("7.5"),
    )
    registered(person, institution, start=-400, end=-250, code="DA01")
    registered(person, institution, start=100, end=200, code="SEN01")

    c = build(K.REGISTRATION, person, institution, language)

    outside = in_language(language, "Courses outside a programme")
    assert c["body"]["period"] == {
        "from": today().isoformat(),
        "to": today().isoformat(),
        "current": True,
    }
    assert c["body"]["programmes"] == [
        {
            "code": "",
            "name": outside,
            "registrations": [
                {
                    "code": "NU01",
                    "name": {"sv": "Nutid", "en": "Present"}[language],
                    # The credits of this study period, not of the whole course.
                    "credits": "7.5",
                    "instance_code": now.instance_code,
                    "pace": 50,
                    "period": {"sv": "Termin -20", "en": "Term -20"}[language],
                    "start": days(-20).isoformat(),
                    "end": days(60).isoformat(),
                }
            ],
        }
    ]
    assert c["body"]["doctoral"] == []


def test_a_registration_certificate_never_states_a_course_the_student_left(institution, person):
    """A withdrawn course, an early dropout (never started), the old instance after a change of
    instance: none is a registration to certify. A later dropout was registered in its past
    period but is no current registration."""
    from registration.models import CourseParticipation

    left = {
        "WD01": {"state": S.WITHDRAWN},
        "ED01": {"state": S.DROPPED, "early_dropout": True},
        "CH01": {"state": S.CHANGED_INSTANCE},
        "DR01": {"state": S.DROPPED},
    }
    registered(person, institution, start=-20, end=60, code="ST01")
    for code, fields in left.items():
        instance = registered(person, institution, start=-20, end=60, code=code)
        CourseParticipation.objects.filter(course_instance=instance).update(**fields)

    current = build(K.REGISTRATION, person, institution)
    ranged = build(
        K.REGISTRATION,
        person,
        institution,
        date_from=days(-30).isoformat(),
        date_to=days(-10).isoformat(),
    )

    assert codes_by_group(current) == [("Courses outside a programme", ["ST01"])]
    assert codes_by_group(ranged) == [("Courses outside a programme", ["DR01", "ST01"])]


def test_registration_certificate_for_a_range_shows_the_registrations_in_it(institution, person):
    """S-CERT-1: e.g. a past term; periods that overlap the range count."""
    registered(person, institution, start=-20, end=60, code="NU01")
    registered(person, institution, start=-400, end=-250, code="DA01")
    registered(person, institution, start=-260, end=-150, code="DA02")
    first, last = days(-300), days(-200)

    c = build(
        K.REGISTRATION,
        person,
        institution,
        date_from=first.isoformat(),
        date_to=last.isoformat(),
    )

    assert c["body"]["period"] == {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "current": False,
    }
    assert codes_by_group(c) == [("Courses outside a programme", ["DA01", "DA02"])]
    assert c["options"]["date_from"] == first.isoformat()


def test_a_range_without_registration_is_a_valid_certificate_that_says_so(
    institution, other_institution, person
):
    """S-CERT-1: "a period without registration" is something a student needs to certify."""
    registered(person, institution, start=-20, end=60, code="NU01")
    registered(person, other_institution, start=-700, end=-600, code="UU01")
    first, last = days(-700), days(-600)

    c = build(
        K.REGISTRATION,
        person,
        institution,
        date_from=first.isoformat(),
        date_to=last.isoformat(),
    )

    assert c["body"] == {
        "period": {"from": first.isoformat(), "to": last.isoformat(), "current": False},
        "programmes": [],
        "doctoral": [],
    }


@pytest.mark.parametrize("language", ["sv", "en"])
def test_registrations_are_grouped_by_programme_and_courses_outside_come_last(
    institution, person, language
):
    """S-CERT-1: ordered by programme, in the programme names of the certificate's language."""
    # In Swedish "Arkitekt" comes first, in English "Biology" does.
    zeta = programme_of(person, institution, "Zoologi", "Biology")
    alpha = programme_of(person, institution, "Arkitekt", "Design")
    registered(person, institution, start=-20, end=60, code="FRI01")
    registered(person, institution, start=-20, end=60, code="ZOO02", programme=zeta)
    registered(person, institution, start=-30, end=60, code="ZOO01", programme=zeta)
    registered(person, institution, start=-20, end=60, code="ARK01", programme=alpha)

    c = build(K.REGISTRATION, person, institution, language)

    groups = {
        "sv": [("Arkitekt", ["ARK01"]), ("Zoologi", ["ZOO01", "ZOO02"])],
        "en": [("Biology", ["ZOO01", "ZOO02"]), ("Design", ["ARK01"])],
    }[language]
    outside = (in_language(language, "Courses outside a programme"), ["FRI01"])
    assert codes_by_group(c) == [*groups, outside]
    assert [g["code"] for g in c["body"]["programmes"]][-1] == ""


@pytest.fixture
def doctoral(institution, person):
    participation = programme_of(
        person,
        institution,
        "Kemi (forskarnivå)",
        "Chemistry (doctoral)",
        kind=ProgrammeKind.DOCTORAL_SUBJECT,
        code="KEFKEM00",
    )
    IndividualStudyPlanFactory(
        programme_participation=participation,
        main_supervisor="Professor Maja Handledare",
        assistant_supervisors="Dr Per Biträdare",
    )
    StudyActivityFactory(
        programme_participation=participation,
        start_date=days(-30),
        end_date=days(150),
        activity_percent=80,
    )
    StudyActivityFactory(
        programme_participation=participation,
        start_date=days(-400),
        end_date=days(-200),
        activity_percent=50,
    )
    return participation


@pytest.mark.parametrize(
    ("language", "name"), [("sv", "Kemi (forskarnivå)"), ("en", "Chemistry (doctoral)")]
)
def test_doctoral_student_gets_supervisors_and_study_activity_when_asked(
    institution, person, doctoral, language, name
):
    """S-CERT-1: for doctoral students optionally supervisors and study activity."""
    c = build(K.REGISTRATION, person, institution, language, supervisors=True, study_activity=True)

    assert c["body"]["doctoral"] == [
        {
            "code": "KEFKEM00",
            "name": name,
            "supervisors": {"main": "Professor Maja Handledare", "assistants": "Dr Per Biträdare"},
            # Current: the activity reported for today's period only.
            "activity": [
                {"start": days(-30).isoformat(), "end": days(150).isoformat(), "percent": 80}
            ],
        }
    ]


def test_doctoral_additions_come_only_as_asked(institution, person, doctoral):
    supervisors = build(K.REGISTRATION, person, institution, supervisors=True)
    activity = build(
        K.REGISTRATION,
        person,
        institution,
        study_activity=True,
        date_from=days(-500).isoformat(),
        date_to=days(0).isoformat(),
    )
    neither = build(K.REGISTRATION, person, institution)

    assert [
        (d["supervisors"] is not None, d["activity"]) for d in supervisors["body"]["doctoral"]
    ] == [(True, None)]
    assert [
        (d["supervisors"], [a["percent"] for a in d["activity"]])
        for d in activity["body"]["doctoral"]
    ] == [(None, [50, 80])]
    assert neither["body"]["doctoral"] == []


@pytest.mark.parametrize("option", ["supervisors", "study_activity"])
def test_doctoral_additions_are_refused_for_a_student_who_is_not_doctoral(
    institution, person, option
):
    """Asked for supervisors without being a doctoral student: refused, not silently left out."""
    programme = programme_of(person, institution, "Kemi", "Chemistry")
    registered(person, institution, start=-20, end=60, programme=programme)

    assert refusal(K.REGISTRATION, person, institution, **{option: True}) == (
        "Supervisors and study activity can be added only for doctoral students."
    )


# --- Transcripts ---------------------------------------------------------------------------------


def course_instance(institution, code, *, credits=Decimal("15"), end=-30, **names):
    return CourseInstanceFactory(
        course__institution=institution,
        course__code=code,
        course__credits=credits,
        course__name_sv=names.get("name_sv", f"Kurs {code}"),
        course__name_en=names.get("name_en", f"Course {code}"),
        start_date=days(end - 90),
        end_date=days(end),
    )


def course_codes(c) -> list[str]:
    return [course["code"] for u in c["body"]["universities"] for course in u["courses"]]


def result_in(person, instance, state, module=None, code="G"):
    fields = {}
    if state not in (ResultState.DRAFT, ResultState.READY):
        fields = {"certified_by": examiner_of(instance.institution), "certified_at": timezone.now()}
    return ResultFactory(
        person=person,
        course_instance=instance,
        module=module,
        grade=grade(code),
        state=state,
        examination_date=instance.end_date,
        **fields,
    )


def test_transcript_has_certified_results_only(institution):
    """S-EDU-3, S-CERT-1: a draft, a ready and a removed result never appear; a result only
    prepared for removal is still certified and still appears (VISIBLE_TO_STUDENT)."""
    person = transcript_student(institution, courses=1).person
    for code, state in [
        ("DRAFT01", ResultState.DRAFT),
        ("READY01", ResultState.READY),
        ("GONE01", ResultState.REMOVED),
        ("PREP01", ResultState.REMOVAL_PREPARED),
    ]:
        result_in(person, course_instance(institution, code, end=-10), state)

    c = build(K.TRANSCRIPT, person, institution)

    codes_on_it = course_codes(c)
    assert "PREP01" in codes_on_it
    assert [code for code in ("DRAFT01", "READY01", "GONE01") if code in codes_on_it] == []
    assert len(codes_on_it) == 2


@pytest.mark.parametrize(
    ("language", "course", "module", "pass_word", "university", "level", "scale", "fail_word"),
    [
        (
            "sv",
            "Analys",
            "Tentamen",
            "Godkänd",
            "Lunds universitet",
            "Grundnivå",
            "Underkänd, godkänd",
            "Underkänd",
        ),
        (
            "en",
            "Calculus",
            "Written exam",
            "Pass",
            "Lund University",
            "First cycle",
            "Fail, pass",
            "Fail",
        ),
    ],
)
def test_transcript_course_with_modules_in_the_certificates_language(
    institution, person, language, course, module, pass_word, university, level, scale, fail_word
):
    instance = course_instance(institution, "MATA01", name_sv="Analys", name_en="Calculus")
    exam = ModuleFactory(
        course=instance.course,
        code="0101",
        name_sv="Tentamen",
        name_en="Written exam",
        credits=Decimal("15"),
        position=1,
    )
    certified(person, exam, instance, examination_date=days(-40))
    certified(person, None, instance, examination_date=days(-35))

    c = build(K.TRANSCRIPT, person, institution, language)

    assert c["body"] == {
        "universities": [
            {
                "code": "lu",
                "name": university,
                "credits": "15.0",
                "courses": [
                    {
                        "code": "MATA01",
                        "name": course,
                        "course_credits": "15.0",
                        "credits": "15.0",
                        "completed": True,
                        "grade": {"code": "G", "name": pass_word, "scale": "UG"},
                        "date": days(-35).isoformat(),
                        "credited": False,
                        "level": "first",
                        "title": "",
                        "modules": [
                            {
                                "code": "0101",
                                "name": module,
                                "credits": "15.0",
                                "grade": {"code": "G", "name": pass_word, "scale": "UG"},
                                "date": days(-40).isoformat(),
                                "passing": True,
                                "counting": True,
                                "credited": False,
                                "title": "",
                            }
                        ],
                    }
                ],
                "levels": [{"level": "first", "name": level, "credits": "15.0"}],
            }
        ],
        "credits": "15.0",
        "levels": [{"level": "first", "name": level, "credits": "15.0"}],
        "scales": [
            {
                "code": "UG",
                "name": scale,
                "grades": [{"code": "U", "name": fail_word}, {"code": "G", "name": pass_word}],
            }
        ],
    }


@pytest.mark.parametrize("shown", [True, False])
def test_transcript_carries_the_thesis_title_the_course_page_shows(institution, person, shown):
    """#16 point 6: the title of a degree project, from the annotation column the course page
    shows the student (an internal column stays internal)."""
    from results.models import AnnotationColumn, AnnotationKind

    instance = course_instance(institution, "FYSK01")
    thesis = ModuleFactory(course=instance.course, code="0200", position=1)
    AnnotationColumn.objects.create(
        institution=institution,
        course=instance.course,
        module=thesis,
        kind=AnnotationKind.TITLE,
        shown_to_student=shown,
    )
    certified(person, thesis, instance, annotations={"title": "Dark matter in dwarf galaxies"})
    certified(person, None, instance)

    c = build(K.TRANSCRIPT, person, institution, "en", include_modules=True)

    (row,) = c["body"]["universities"][0]["courses"]
    expected = "Dark matter in dwarf galaxies" if shown else ""
    assert (row["title"], row["modules"][0]["title"]) == (expected, expected)


@pytest.fixture
def part_done(institution, person):
    """One completed course (two modules, 15 credits) and one course with one of two modules
    passed (7.5 of 15 credits)."""
    done = course_instance(institution, "DONE01", end=-60)
    half = course_instance(institution, "HALF01", end=-20)
    for instance in (done, half):
        for position in (1, 2):
            ModuleFactory(course=instance.course, code=f"M{position}", position=position)
    done_modules = list(done.course.modules.order_by("position"))
    half_modules = list(half.course.modules.order_by("position"))
    for module in done_modules:
        certified(person, module, done, examination_date=done.end_date)
    certified(person, None, done, examination_date=done.end_date)
    certified(person, half_modules[0], half, examination_date=half.end_date)
    return done, half


def test_transcript_counts_passed_modules_of_a_course_not_completed(institution, person, part_done):
    c = build(K.TRANSCRIPT, person, institution)

    (university,) = c["body"]["universities"]
    assert [
        (
            course["code"],
            course["completed"],
            course["credits"],
            course["course_credits"],
            len(course["modules"]),
        )
        for course in university["courses"]
    ] == [("DONE01", True, "15.0", "15.0", 2), ("HALF01", False, "7.5", "15.0", 1)]
    assert university["credits"] == "22.5"
    assert c["body"]["credits"] == "22.5"
    assert university["courses"][1]["grade"] is None


def test_completed_only_leaves_out_courses_not_completed(institution, person, part_done):
    c = build(K.TRANSCRIPT, person, institution, completed_only=True)

    assert course_codes(c) == ["DONE01"]
    assert c["body"]["credits"] == "15.0"


def test_without_modules_the_courses_stand_alone(institution, person, part_done):
    c = build(K.TRANSCRIPT, person, institution, include_modules=False)

    assert [
        (course["code"], course["modules"]) for course in c["body"]["universities"][0]["courses"]
    ] == [
        ("DONE01", []),
        ("HALF01", []),
    ]
    # Still what the course counts for, modules shown or not.
    assert c["body"]["credits"] == "22.5"


def test_completed_only_with_nothing_completed_is_refused(institution, person):
    instance = course_instance(institution, "HALF01")
    module = ModuleFactory(course=instance.course, position=1)
    certified(person, module, instance)

    assert refusal(K.TRANSCRIPT, person, institution, completed_only=True) == (
        "Nothing on the records matches the options chosen."
    )


@pytest.fixture
def retaken(institution, person):
    """A module failed at the first attempt and passed at the re-take."""
    instance = course_instance(institution, "RETA01")
    module = ModuleFactory(course=instance.course, code="TEN1", position=1)
    certified(person, module, instance, code="U", examination_date=days(-60))
    certified(person, module, instance, code="G", examination_date=days(-30))
    return module


def test_a_failed_attempt_is_left_out_unless_asked_for(institution, person, retaken):
    c = build(K.TRANSCRIPT, person, institution)

    (course,) = c["body"]["universities"][0]["courses"]
    assert [(m["grade"]["code"], m["passing"], m["counting"]) for m in course["modules"]] == [
        ("G", True, True)
    ]


def test_include_failed_shows_the_failed_attempt_as_not_counting(institution, person, retaken):
    """S-CERT-1: the option to add failed attempts; the pass is what counts."""
    c = build(K.TRANSCRIPT, person, institution, include_failed=True)

    (course,) = c["body"]["universities"][0]["courses"]
    assert [
        (m["code"], m["grade"]["code"], m["date"], m["passing"], m["counting"])
        for m in course["modules"]
    ] == [
        ("TEN1", "U", days(-60).isoformat(), False, False),
        ("TEN1", "G", days(-30).isoformat(), True, True),
    ]
    assert course["credits"] == "7.5"


def test_only_failed_results_make_a_transcript_with_nothing_to_show(institution, person):
    instance = course_instance(institution, "FAIL01")
    module = ModuleFactory(course=instance.course, position=1)
    certified(person, module, instance, code="U")

    assert refusal(K.TRANSCRIPT, person, institution) == (
        "Nothing on the records matches the options chosen."
    )
    assert course_codes(build(K.TRANSCRIPT, person, institution, include_failed=True)) == ["FAIL01"]


def test_credit_transfer_is_marked_credited(institution, person):
    """S-CERT-1: credit transfers are on the transcript, marked as such (S-EDU-3)."""
    instance = course_instance(institution, "TILL01")
    module = ModuleFactory(course=instance.course, code="M1", position=1)
    certified(person, module, instance, source=ResultSource.CREDIT)
    certified(person, None, instance, source=ResultSource.CREDIT)
    own = course_instance(institution, "OWN01")
    certified(person, None, own)

    c = build(K.TRANSCRIPT, person, institution)

    courses = {course["code"]: course for course in c["body"]["universities"][0]["courses"]}
    assert (courses["TILL01"]["credited"], courses["TILL01"]["modules"][0]["credited"]) == (
        True,
        True,
    )
    assert courses["OWN01"]["credited"] is False


@pytest.mark.parametrize("language", ["sv", "en"])
def test_transcript_without_certified_results_is_refused(institution, person, language):
    result_in(person, course_instance(institution, "DRAFT01"), ResultState.DRAFT)

    assert refusal(K.TRANSCRIPT, person, institution, language) == in_language(
        language, "There are no certified results yet, so a transcript of records would be empty."
    )


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("sv", ["Lunds universitet", "Uppsala universitet"]),
        ("en", ["Lund University", "Uppsala University"]),
    ],
)
def test_national_transcript_has_every_university_and_the_local_one_only_its_own(
    institution, other_institution, language, names
):
    """S-CERT-1: the national transcript is the same from every institution in the system."""
    student = transcript_student(institution, courses=2)
    transcript_student(other_institution, courses=1, person=student.person)

    national = build(K.NATIONAL_TRANSCRIPT, student.person, institution, language)
    local = build(K.TRANSCRIPT, student.person, institution, language)

    assert [
        (u["code"], u["name"], len(u["courses"]), u["credits"])
        for u in national["body"]["universities"]
    ] == [
        ("lu", names[0], 2, "30.0"),
        ("uu", names[1], 1, "15.0"),
    ]
    assert national["body"]["credits"] == "45.0"
    assert [(u["code"], u["credits"]) for u in local["body"]["universities"]] == [("lu", "30.0")]
    assert local["body"]["credits"] == "30.0"


def test_local_transcript_at_a_university_without_results_is_refused(
    institution, other_institution
):
    student = transcript_student(other_institution, courses=1)

    assert refusal(K.TRANSCRIPT, student.person, institution) == (
        "There are no certified results yet, so a transcript of records would be empty."
    )
    assert course_codes(build(K.NATIONAL_TRANSCRIPT, student.person, institution)) != []


# --- A fixed number of queries -------------------------------------------------------------------


@pytest.mark.parametrize("courses", [2, 12])
@pytest.mark.parametrize("kind", [K.TRANSCRIPT, K.NATIONAL_TRANSCRIPT])
def test_transcript_content_takes_four_queries_whatever_the_number_of_courses(
    institution, other_institution, django_assert_num_queries, courses, kind
):
    student = transcript_student(institution, courses=courses)
    transcript_student(other_institution, courses=courses, person=student.person)

    # Results, modules, thesis-title columns, the grades of the scales used (the legend).
    with django_assert_num_queries(4):
        c = build(kind, student.person, institution, include_failed=True)

    assert len(course_codes(c)) == courses * (2 if kind == K.NATIONAL_TRANSCRIPT else 1)


@pytest.mark.parametrize("courses", [2, 12])
def test_registration_content_takes_a_fixed_number_of_queries(
    institution, person, django_assert_num_queries, courses
):
    doctoral_programme = programme_of(
        person, institution, "Fysik", "Physics", kind=ProgrammeKind.DOCTORAL_SUBJECT
    )
    IndividualStudyPlanFactory(programme_participation=doctoral_programme)
    StudyActivityFactory(programme_participation=doctoral_programme)
    for n in range(courses):
        registered(person, institution, start=-20 - n, end=60, programme=doctoral_programme)

    with django_assert_num_queries(2):
        plain = build(K.REGISTRATION, person, institution)
    with django_assert_num_queries(4):
        build(K.REGISTRATION, person, institution, supervisors=True, study_activity=True)

    assert len(plain["body"]["programmes"][0]["registrations"]) == courses


@pytest.mark.parametrize("courses", [2, 12])
def test_expected_participation_content_takes_two_queries(
    institution, person, django_assert_num_queries, courses
):
    for _ in range(courses):
        admitted_course(person, institution)

    with django_assert_num_queries(2):
        c = build(K.EXPECTED_PARTICIPATION, person, institution)

    assert len(c["body"]["admissions"]) == courses
