"""`python manage.py seed_demo` (DESIGN.md § Contracts, issue #2; the study journey, issue #3;
the certificates, S-CERT-1..4 and B-5).

Read-only checks share one seeded database (TestSeededDemo); the command's own behaviour —
determinism, --students, --if-empty, refusing a second run — seeds inside a savepoint that is
rolled back, so each run starts from an empty database. The demo's certificates are rendered and
sealed for real into a temporary MEDIA_ROOT and SEAL_DIR.
"""

import datetime
import hashlib
import itertools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.test import override_settings
from django.utils import timezone
from django_scopes import scope

from catalog.grading import NATIONAL_SCALES
from catalog.models import (
    Course,
    CourseInstance,
    CourseInstancePeriod,
    GradingScale,
    Module,
    ProgrammeCourse,
)
from certificates import queries as certificate_queries
from certificates import seal, staff_queries
from certificates.codes import display
from certificates.models import (
    Certificate,
    CertificateCheck,
    CertificateKind,
    CertificateState,
    CheckMethod,
)
from exams.models import ActivitySession
from institutions.demo import identities
from institutions.demo.seed import DEMO_LOGINS, seed_demo
from institutions.models import Institution, InstitutionSettings, LocalText, LocalTextSlot
from ladokportal import clock
from people import identity
from people.models import Person, StaffRole, User
from registration import eligibility
from registration.models import (
    Application,
    ApplicationOffer,
    CourseParticipation,
    ParticipationEvent,
    ParticipationSource,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)
from registration.services import change_instance_targets
from results.api_auth import hash_token
from results.models import (
    VISIBLE_TO_STUDENT,
    ApiClient,
    RejectedRecord,
    Result,
    ResultSource,
    ResultState,
)
from studychoices.models import ChoicePeriod, StudyChoice
from tests.certificates.test_worker import _qr_codes

S = ParticipationState
# What `make run PORT=8123` sets SITE_URL to (tests/test_makefile.py): the demo's links use it.
SERVED = "http://127.0.0.1:8123"


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fingerprint() -> list[tuple]:
    return sorted(
        Person.objects.values_list("identity_number", "local_number", "first_name", "last_name"),
        key=str,
    )


def seeded_then_undone(*args: str) -> list[tuple]:
    """Seed an empty database, take its fingerprint, and roll the seeding back."""
    with transaction.atomic():
        seed(*args)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module", autouse=True)
def _files_in_a_temporary_folder(tmp_path_factory):
    """The demo certificates' PDFs and the demo seals go to a folder of this module's own."""
    folder = tmp_path_factory.mktemp("seed_demo")
    with override_settings(
        MEDIA_ROOT=folder / "media",
        SEAL_DIR=folder / "seals",
        SEAL_DEMO_KEYS=True,
        SITE_URL=SERVED,
        ATTACHMENT_DIR=folder / "attachments",
        EMREX_DEMO_DIR=folder / "emrex-demo",
        ELMO_SCHEMA_DIR=Path(settings.BASE_DIR).parent.parent / "shared" / "elmo",
    ):
        yield
    seal.clear_cache()


@pytest.fixture
def without_certificates(monkeypatch):
    """Rendering and sealing the demo's seven PDFs costs seconds per seeding: tests about
    something else leave that last step out (the shared demo and the test of every day keep
    it)."""
    monkeypatch.setattr("institutions.demo.seed.create_demo_certificates", lambda *args: [])


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """One seeded database for every read-only test in the class, undone afterwards; its value
    is what the command printed. Hashing is made cheap as for every test (tests/conftest.py); a
    class fixture runs before that."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with fast:
            output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestSeededDemo:
    def test_every_identity_number_is_valid_and_canonical(self):
        numbers = list(
            Person.objects.exclude(identity_number=None).values_list("identity_number", flat=True)
        )

        assert [identity.normalise(n) for n in numbers] == numbers

    def test_every_identity_number_is_one_of_skatteverkets_test_numbers(self):
        numbers = Person.objects.exclude(identity_number=None).values_list(
            "identity_number", flat=True
        )
        assert [n for n in numbers if not identities.is_test_number(n)] == []

    def test_student_studies_at_lund_and_uppsala(self):
        person = User.objects.get(username="student").person

        codes = set(
            CourseParticipation.objects.filter(person=person).values_list(
                "institution__code", flat=True
            )
        )

        assert codes == {"lu", "uu"}
        assert person.has_registered_address

    def test_student2_has_no_identity_number_and_one_registration(self):
        person = User.objects.get(username="student2").person

        assert (person.identity_number, person.local_number) == (None, "T001")
        assert Registration.objects.filter(participation__person=person).count() == 1

    def test_alumnus_has_only_completed_studies(self):
        person = User.objects.get(username="alumnus").person

        states = set(person.course_participations.values_list("state", flat=True))

        assert states == {ParticipationState.COMPLETED}

    def test_staff_roles_are_granted_as_documented(self):
        roles = sorted(StaffRole.objects.values_list("user__username", "institution__code", "role"))

        assert roles == [
            ("creditofficer", "lu", "credit_officer"),
            ("degreeofficer", "lu", "degree_officer"),
            ("examiner", "lu", "certifier"),
            ("examiner-kth", "kth", "certifier"),
            ("examiner-uu", "uu", "certifier"),
            ("feeadmin", "lu", "fee_admin"),
            ("studyadmin", "lu", "study_admin"),
            ("sysadmin", "lu", "system_admin"),
            ("sysadmin", "uu", "system_admin"),
            ("teacher", "lu", "reporter"),
        ]

    def test_student_has_a_registration_open_now_and_one_opening_later(self):
        today = clock.today()
        periods = CourseInstancePeriod.objects.filter(
            course_instance__participations__person__user__username="student",
            course_instance__participations__state=ParticipationState.ADMITTED,
            sequence=1,
        )

        assert periods.filter(registration_opens__lte=today, registration_closes__gte=today)
        assert periods.filter(registration_opens__gt=today)

    def test_start_page_text_names_its_university(self):
        texts = LocalText.objects.filter(slot=LocalTextSlot.START_OTHER).select_related(
            "institution"
        )

        assert sorted(t.institution.code for t in texts) == ["kth", "lu", "uu"]
        assert all(t.institution.name_sv in t.body_sv for t in texts)
        assert all(t.institution.name_en in t.body_en for t in texts)

    def test_every_university_has_a_text_for_every_slot(self):
        counts = Institution.objects.annotate(texts=Count("localtext")).values_list(
            "texts", flat=True
        )

        assert list(counts) == [len(LocalTextSlot.values)] * 3

    def test_lunds_start_text_has_a_history_and_a_text_waiting_for_its_day(self):
        """T-ADM-1: sysadmin's versions of Lund's "Other information", one scheduled."""
        from institutions.queries import local_text_editor

        lu = Institution.objects.get(code="lu")
        text, versions = local_text_editor(lu, LocalTextSlot.START_OTHER)
        assert [(v.is_shown, v.is_waiting) for v in versions] == [
            (False, True),
            (True, False),
            (False, False),
        ]
        assert {v.created_by.username for v in versions} == {"sysadmin"}
        assert versions[1].body_en == text.body_en

    def test_course_credits_are_the_sum_of_module_credits(self):
        courses = Course.objects.prefetch_related("modules")

        assert all(c.credits == sum(m.credits for m in c.modules.all()) for c in courses)

    def test_modules_use_every_national_grading_scale(self):
        used = set(Module.objects.values_list("grading_scale__code", flat=True))

        assert used == {code for code, *_ in NATIONAL_SCALES}

    def test_an_instance_spans_two_study_periods_with_split_credits(self):
        spanning = CourseInstance.objects.annotate(n=Count("periods")).filter(n=2)

        for instance in spanning:
            periods = list(instance.periods.all())
            assert [p.sequence for p in periods] == [1, 2]
            assert sum(p.credits for p in periods) == instance.course.credits
        # One per university (catalogue.py), and Lund's MATB21 for continuation (issue #3).
        assert spanning.count() == 4

    def test_programmes_include_a_specialisation_and_a_doctoral_subject(self):
        lu = Institution.objects.get(code="lu")

        kinds = set(lu.programme_set.values_list("kind", flat=True))

        assert kinds == {"programme", "specialisation", "doctoral"}

    def test_student_sees_every_state_of_a_study_journey_at_lund(self):
        assert_student_journey_on_show(clock.today())

    def test_student_may_withdraw_from_an_admitted_course_and_drop_out_of_a_registered_one(self):
        settings = lund_settings()
        admitted = at_lund("student").get(course_instance__course__code="FYSC01")
        registered = at_lund("student").get(course_instance__course__code="MATB21")

        verdicts = (
            eligibility.can_withdraw(admitted, settings),
            eligibility.can_drop_out(registered, settings),
        )

        assert verdicts == (eligibility.YES, eligibility.YES)

    def test_later_dropout_runs_now_and_early_dropout_fell_within_the_early_weeks(self):
        today = clock.today()
        weeks = datetime.timedelta(weeks=lund_settings().early_dropout_weeks)

        dropouts = list(
            at_lund("student")
            .filter(state=S.DROPPED, course_instance__end_date__gte=today)
            .order_by("early_dropout")
        )
        later, early = dropouts

        assert [p.early_dropout for p in dropouts] == [False, True]
        assert dropped_on(later) >= later.course_instance.start_date + weeks
        assert dropped_on(early) < early.course_instance.start_date + weeks

    def test_student_changed_instance_and_may_change_again(self):
        moved = at_lund("student").get(source=ParticipationSource.CHANGE)
        course = moved.course_instance.course
        last_instance = CourseInstance.objects.filter(course=course).order_by("start_date").last()

        targets = change_instance_targets(moved)

        assert (moved.state, moved.changed_from.state) == (S.ADMITTED, S.CHANGED_INSTANCE)
        assert moved.changed_from.course_instance.course == course
        assert eligibility.can_change_instance(moved, lund_settings()) == eligibility.YES
        assert last_instance in targets

    def test_choice_alternatives_and_offer_are_electives_of_her_programme_untouched(self):
        student = User.objects.get(username="student").person
        period = ChoicePeriod.objects.get()
        offer = ApplicationOffer.objects.get()
        alternatives = {a.course_instance_id for a in period.alternatives.all()}

        electives = set(
            ProgrammeCourse.objects.filter(
                programme_instance=period.programme_instance, mandatory=False
            ).values_list("course_instance", flat=True)
        )

        assert (period.min_picks, period.max_picks, period.max_credits) == (1, 2, Decimal(15))
        assert len(alternatives) == 4
        assert electives == alternatives | {offer.course_instance_id}
        assert StudyChoice.objects.filter(person=student).count() == 0
        assert Application.objects.filter(person=student, removed_at=None).count() == 0

    def test_student2_has_applied_within_her_programme_and_may_remove_it(self):
        today = clock.today()
        programme = ProgrammeParticipation.objects.get(person__user__username="student2")

        application = Application.objects.select_related("offer", "course_participation").get(
            person__user__username="student2"
        )
        held = application.course_participation

        assert application.removed_at is None
        assert application.offer.opens <= today <= application.offer.closes
        assert application.offer.programme_instance_id == programme.programme_instance_id
        assert (held.state, held.source) == (S.EXPECTED, ParticipationSource.APPLICATION)
        assert lund_settings().allow_remove_application is True

    def test_doctoral_student_has_a_study_plan_activity_and_a_leave(self):
        participation = ProgrammeParticipation.objects.select_related(
            "study_plan", "programme_instance__programme"
        ).get(person__user__username="doctoral")
        plan, leave = participation.study_plan, participation.leaves.get()
        activities = list(participation.study_activities.all())
        leave_event = participation.events.get(note__startswith="leave of absence")

        during_leave = [
            a
            for a in activities
            if a.start_date <= leave.end_date and a.end_date >= leave.start_date
        ]

        assert participation.programme_instance.programme.kind == "doctoral"
        assert plan.established_on < leave.start_date <= leave.end_date < plan.revised_on
        assert len(activities) == 3
        assert during_leave == []
        assert (leave.recorded_by.username, leave_event.actor.username) == (
            "studyadmin",
            "studyadmin",
        )

    def test_doctoral_login_is_the_doctoral_student(self):
        user = authenticate(username="doctoral", password="demo")

        kinds = list(
            user.person.programme_participations.values_list(
                "programme_instance__programme__kind", flat=True
            )
        )

        assert kinds == ["doctoral"]

    def test_student_has_exam_sessions_in_every_filter(self):
        """Issue #4 demo: open for sign-up, signed up (anonymous, with a code), past."""
        from exams import queries

        person = User.objects.get(username="student").person
        lund = Institution.objects.get(code="lu")
        with scope(institution=[lund.pk]):
            cards = {
                which: queries.exam_cards(person, lund.settings, which) for which in queries.FILTERS
            }
        assert [c.session.label for c in cards["signed_up"]] == ["TEN2"]
        assert cards["signed_up"][0].signup.anonymisation_code.startswith("TEN2-")
        assert [c.session.label for c in cards["past"]] == ["TEN0"]
        open_now = [c.session.label for c in cards["not_signed_up"] if c.sign_up.allowed]
        later = [c.sign_up.opens_on for c in cards["not_signed_up"] if c.sign_up.opens_on]
        assert open_now != []
        assert later != []

    def test_student_failed_then_passed_and_a_course_grade_rests_on_her_modules(self):
        """Results demo: a re-take and a course grade (T-REP-1, T-CERT-1, S-EDU-3)."""
        mata21 = demo_results("student", "MATA21").filter(course_instance__end_date__lt=TODAY())

        exam = [(r.grade.code, r.annotations) for r in mata21.filter(module__code="0101")]
        course_grade = mata21.get(module=None)

        assert exam == [("U", {"points": "14"}), ("VG", {"points": "41"})]
        assert (course_grade.grade.code, course_grade.state) == ("VG", ResultState.CERTIFIED)
        assert course_grade.examination_date == max(r.examination_date for r in mata21)

    def test_student_has_a_credited_module_and_a_removed_result(self):
        credited = demo_results("student", "MATA22").get(source=ResultSource.CREDIT)
        removed = Result.objects.get(person__user__username="student", state=ResultState.REMOVED)

        assert (credited.module.code, credited.state) == ("0102", ResultState.CERTIFIED)
        assert removed.course_instance.course.code == "MATA23"
        assert removed.removal_reason.startswith("Reported on the wrong student")
        assert removed.removed_by.username == "examiner"

    def test_student_has_a_decided_and_an_open_credit_case_and_creditofficer_has_work(self):
        from credits.models import CreditCase

        cases = CreditCase.objects.order_by("number")
        mine = [
            (c.person.user.username, c.status, sorted(i.outcome for i in c.items.all()))
            for c in cases
        ]
        credited = cases[0].items.get(outcome="credited")

        assert mine == [
            ("student", "decided", ["credited", "refused"]),
            ("student", "under_review", [""]),
            ("student2", "submitted", [""]),
        ]
        assert credited.result.state == ResultState.CERTIFIED
        assert cases[1].attachments.get().content_type == "application/pdf"

    def test_student_has_foreign_merits_from_the_demo_contact_point(self):
        from emrex.models import ForeignMerit

        if not (settings.ELMO_SCHEMA_DIR / "schema.xsd").is_file():
            pytest.skip("the ELMO schema set is not on this machine")
        titles = ForeignMerit.objects.filter(person__user__username="student").values_list(
            "title", flat=True
        )
        assert sorted(titles) == ["Data Structures", "Linear Algebra I", "Principles of Economics"]

    def test_student_has_new_results_to_see_on_her_first_login(self):
        """S-HOME-1: certified since she last looked; everything older she has seen."""
        unseen = demo_results("student").filter(seen_by_student_at=None)

        codes = sorted(
            (r.course_instance.course.code, r.module.code if r.module else "")
            for r in unseen.filter(state__in=VISIBLE_TO_STUDENT)
        )

        assert codes[:2] == [("MATA23", ""), ("MATA23", "0101")]
        assert set(codes[2:]) <= {("MATM11", "0101")}

    def test_classmates_sat_an_anonymous_exam_whose_drafts_came_by_code(self):
        """T-EXT-1, T-ANON-1, B-7, B-8: drafts from the exam system keyed by code, points
        kept, one record rejected and waiting in the inbox."""
        session = ActivitySession.objects.get(label="DIG1")
        codes = dict(session.signups.values_list("person_id", "anonymisation_code"))
        drafts = list(Result.objects.filter(activity_session=session))
        rejected = RejectedRecord.objects.get(session=session)

        assert session.anonymous and session.grade_thresholds.count() == 3
        assert {(r.state, r.source) for r in drafts} == {(ResultState.DRAFT, ResultSource.API)}
        assert len(drafts) == len(codes) - 1
        assert all(r.person_id in codes and "points" in r.annotations for r in drafts)
        assert rejected.payload["anonymisation_code"] in codes.values()
        assert rejected.state == "rejected"

    def test_classmates_assignments_are_drafts_ready_for_the_examiner_and_one_prepared(self):
        assignments = Result.objects.filter(
            module__code="0102", course_instance__course__code="MATA21", activity_session=None
        ).exclude(person__user__username="student")

        states = Counter(assignments.values_list("state", flat=True))
        notified = set(assignments.filter(state="ready").values_list("notify__username", flat=True))

        assert set(states) == {"draft", "ready", "certified", "removal_prepared"}
        assert notified == {"examiner"}

    def test_every_completed_course_has_its_certified_course_grade(self):
        assert_completed_courses_have_course_grades()

    def test_every_result_has_its_history(self):
        assert_results_history_agrees(TODAY())

    def test_the_exam_system_has_a_client_at_lund(self):
        client = ApiClient.objects.select_related("institution", "acting_user").get()

        assert (client.institution.code, client.acting_user.username) == ("lu", "studyadmin")
        assert client.active

    def test_every_kind_of_certificate_is_ready_with_its_sealed_file(self):
        """S-CERT-1, S-CERT-2, S-CERT-4: rendered in the seed itself, so the demo shows
        finished documents without a worker; each file is the one its hash names."""
        certificates = list(Certificate.objects.order_by("pk"))

        assert {c.kind for c in certificates} == set(CertificateKind.values)
        for certificate in certificates:
            with default_storage.open(certificate.pdf.name, "rb") as file:
                data = file.read()
            assert certificate.state == CertificateState.READY
            assert data.startswith(b"%PDF-")
            assert hashlib.sha256(data).hexdigest() == certificate.sha256
            assert seal.inspect_pdf(data).valid
            assert certificate.content["check_code"] == certificate.display_code
            assert certificate.content["verify_url"].startswith(f"{SERVED}/verify/")
        # The QR code a phone reads leads to the address served (#16 point 4).
        with default_storage.open(certificates[0].pdf.name, "rb") as file:
            assert _qr_codes(file.read()) == [certificates[0].content["verify_url"]]

    def test_demo_logins_have_the_certificates_described(self):
        rows = sorted(
            Certificate.objects.values_list(
                "person__user__username", "kind", "language", "created_by__username"
            )
        )

        assert rows == [
            ("alumnus", "degree", "sv", "degreeofficer"),
            ("alumnus", "transcript", "sv", "alumnus"),
            ("doctoral", "registration", "en", "doctoral"),
            ("student", "expected_participation", "sv", "studyadmin"),
            ("student", "national_transcript", "en", "student"),
            ("student", "registration", "en", "student"),
            ("student", "registration", "sv", "student"),
            ("student", "transcript", "en", "student"),
        ]

    def test_doctoral_registration_certificate_has_supervisors_and_study_activity(self):
        certificate = Certificate.objects.get(person__user__username="doctoral")

        (programme,) = certificate.content["body"]["doctoral"]

        assert programme["supervisors"] == {
            "main": "Professor Karin Lindqvist",
            "assistants": "Docent Erik Sjöberg, Dr Sofia Bergman",
        }
        assert [a["percent"] for a in programme["activity"]] == [80]

    def test_expected_participation_lists_the_admissions_not_yet_registered(self):
        certificate = Certificate.objects.get(kind=CertificateKind.EXPECTED_PARTICIPATION)

        codes = {row["code"] for row in certificate.content["body"]["admissions"]}

        assert {"FYSC01", "FYSA11"} <= codes

    def test_expired_certificate_is_gone_from_the_students_list_and_kept_for_staff(self):
        """S-CERT-3: listed for its validity only; issued that long before it ran out, and
        its content dated the same (valid_until was moved back with its issue date)."""
        today = TODAY()
        person = Person.objects.get(user__username="student")
        lund = Institution.objects.get(code="lu")
        expired = Certificate.objects.get(person=person, valid_until__lt=today)
        validity = datetime.timedelta(days=lund_settings().certificate_validity_days)

        with scope(institution=[lund.pk]):
            listed = certificate_queries.student_certificates(person, today)
            for_staff = staff_queries.certificates_of(person, lund, today)

        assert expired.pk not in {c.pk for c in listed}
        assert len(listed) == 4
        assert [r.certificate.pk for r in for_staff if r.expired] == [expired.pk]
        assert len(for_staff) == 5
        assert clock.date_of(expired.created_at) + validity == expired.valid_until
        assert expired.content["valid_until"] == expired.valid_until.isoformat()
        assert expired.content["issued_at"][:10] == clock.date_of(expired.created_at).isoformat()

    def test_students_transcript_was_checked_three_ways_after_it_was_issued(self):
        """B-5: the student sees that, when and how her document was checked."""
        certificate = Certificate.objects.get(
            person__user__username="student", kind=CertificateKind.TRANSCRIPT
        )

        checks = list(CertificateCheck.objects.filter(certificate=certificate).order_by("at"))

        assert {c.method for c in checks} == set(CheckMethod.values)
        assert len({c.at for c in checks}) == 3
        assert all(certificate.ready_at < c.at <= timezone.now() for c in checks)
        assert clock.date_of(certificate.created_at) == TODAY() - datetime.timedelta(days=1)

    def test_summary_prints_the_check_code_of_every_certificate(self, demo):
        codes = Certificate.objects.values_list("check_code", flat=True)

        assert f"Check codes of the demo certificates (try them at {SERVED}/verify/)" in demo
        assert all(f": {display(code)}" in demo for code in codes)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_demo_logins_accept_the_password_demo():
    seed()

    accepted = [name for name in DEMO_LOGINS if authenticate(username=name, password="demo")]

    assert accepted == list(DEMO_LOGINS)


@pytest.mark.django_db
def test_national_scales_are_those_of_catalog_grading():
    in_database = [
        (
            s.code,
            s.name_sv,
            s.name_en,
            tuple((g.code, g.name_sv, g.name_en, g.passing) for g in s.grades.order_by("rank")),
        )
        for s in GradingScale.objects.filter(code__in=[c for c, *_ in NATIONAL_SCALES])
    ]

    assert sorted(in_database) == sorted(NATIONAL_SCALES)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_the_same_seed_draws_the_same_persons():
    first = seeded_then_undone("--seed", "1")
    second = seeded_then_undone("--seed", "1")
    other = seeded_then_undone("--seed", "2")

    assert first == second
    assert other != first


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_students_option_adds_that_many_persons():
    with transaction.atomic():
        seed()
        plain = Person.objects.count()
        transaction.set_rollback(True)

    seed("--students", "50")

    assert Person.objects.count() == plain + 50
    assert CourseParticipation.objects.filter(person__email__contains=".49@").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_if_empty_leaves_a_seeded_database_alone():
    seed()
    before = (Person.objects.count(), CourseParticipation.objects.count())

    output = seed("--if-empty")

    assert output == ""
    assert (Person.objects.count(), CourseParticipation.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_seeding_a_database_twice_is_refused():
    seed()

    with pytest.raises(CommandError, match="already holds universities"):
        seed()


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_summary_lists_the_demo_logins():
    output = seed()

    assert 'Demo logins (password "demo"): ' + ", ".join(DEMO_LOGINS) in output


@pytest.mark.django_db
@pytest.mark.usefixtures("without_certificates")
def test_summary_prints_the_exam_systems_token_once_kept_only_as_its_hash():
    output = seed()

    (line,) = [line for line in output.splitlines() if line.startswith("API token for ")]
    university, token = line.removeprefix("API token for ").split(": ")
    client = ApiClient.objects.get()

    assert university == "Lund University"
    assert client.token_hash == hash_token(token)
    assert token not in client.token_hash


@contextmanager
def clock_at(day: datetime.date) -> Iterator[None]:
    """Django's clock (timezone.now, and so localdate) at noon in Stockholm on `day`."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def check_deferred_constraints_now() -> None:
    """On PostgreSQL the foreign keys (and registration/0002's composite ones) are checked at
    commit, which a rolled-back test never reaches: check them here instead."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def assert_history_and_registrations_agree(today: datetime.date) -> None:
    """Each participation's history runs from "" to its state, and it holds registrations
    exactly for the study periods of its own instance that it could have registered for."""
    instance_periods = set(
        CourseInstancePeriod.objects.values_list("course_instance_id", "study_period_id")
    )
    for p in CourseParticipation.objects.prefetch_related("events", "registrations"):
        steps = [(e.from_state, e.to_state) for e in p.events.all()]
        assert steps[0][0] == "" and steps[-1][1] == p.state
        assert all(a[1] == b[0] for a, b in itertools.pairwise(steps))
        registrations = list(p.registrations.all())
        assert bool(registrations) == (p.state in {"registered", "completed", "dropped"})
        for r in registrations:
            assert r.course_instance_id == p.course_instance_id
            assert (r.course_instance_id, r.study_period_id) in instance_periods
    assert ParticipationEvent.objects.filter(at__date__gt=today).count() == 0


def TODAY() -> datetime.date:
    return clock.today()


def demo_results(username: str, course_code: str | None = None):
    results = Result.objects.filter(person__user__username=username)
    if course_code:
        results = results.filter(course_instance__course__code=course_code)
    return results.select_related("grade", "module", "course_instance__course").order_by(
        "examination_date", "certified_at", "pk"
    )


def assert_completed_courses_have_course_grades() -> None:
    """A participation is completed by its certified course grade
    (results.services.certifying.certify), so every completed one in the demo has one; the volume
    students (`--students`, born 1976-1995: identities.py) are left without results (bulk.py)."""
    course_grade = Result.objects.filter(
        person_id=OuterRef("person_id"),
        course_instance_id=OuterRef("course_instance_id"),
        module=None,
        state__in=VISIBLE_TO_STUDENT,
    )
    completed = CourseParticipation.objects.filter(state=S.COMPLETED).exclude(
        person__birth_date__lte=identities.BULK[1]
    )

    assert completed.exists()
    assert completed.exclude(Exists(course_grade)).count() == 0


def assert_results_history_agrees(today: datetime.date) -> None:
    """Each result's history runs from "" through the allowed moves to its state, is dated
    no later than today, and a certified result carries its decision."""
    for result in Result.objects.prefetch_related("events"):
        events = list(result.events.all())
        assert events[0].from_state == "" and events[0].action == "reported"
        assert events[-1].to_state == result.state
        assert all(a.to_state == b.from_state for a, b in itertools.pairwise(events))
        assert all(clock.date_of(e.at) <= today for e in events)
        assert result.examination_date <= today
        if result.state in VISIBLE_TO_STUDENT:
            assert result.certified_by_id is not None and result.certified_at is not None


def at_lund(username: str):
    return CourseParticipation.objects.filter(
        person__user__username=username, institution__code="lu"
    ).select_related("course_instance__course")


def lund_settings() -> InstitutionSettings:
    return InstitutionSettings.objects.select_related("institution").get(institution__code="lu")


def dropped_on(participation: CourseParticipation) -> datetime.date:
    return clock.date_of(participation.events.get(to_state=S.DROPPED).at)


def assert_certificates_ready(today: datetime.date) -> None:
    """Whatever the day, every demo certificate could be created and is ready; one has run out
    and the doctoral student's shows this term's study activity."""
    certificates = Certificate.objects.all()
    doctoral = certificates.get(person__user__username="doctoral")

    assert {c.state for c in certificates} == {CertificateState.READY}
    assert {c.kind for c in certificates} == set(CertificateKind.values)
    assert [c.valid_until < today for c in certificates].count(True) == 1
    assert [a["percent"] for a in doctoral.content["body"]["doctoral"][0]["activity"]] == [80]


def assert_student_journey_on_show(today: datetime.date) -> None:
    """What `student` sees at Lund on `today` (issue #3), whatever the date: a place in every
    state, a continuation registration open after the first period's, and an application and
    a study choice open now in her own programme."""
    # MATM11's state follows the date: admitted in the summer, before its registration opens.
    states = Counter(
        at_lund("student")
        .exclude(course_instance__course__code="MATM11")
        .values_list("state", flat=True)
    )
    continuing = at_lund("student").get(course_instance__course__code="MATB21")
    first, second = continuing.course_instance.periods.order_by("sequence")
    programme = ProgrammeParticipation.objects.get(
        person__user__username="student", institution__code="lu"
    )
    open_offers = ApplicationOffer.objects.filter(opens__lte=today, closes__gte=today)
    open_periods = ChoicePeriod.objects.filter(opens__lte=today, closes__gte=today)

    assert dict(states) == {
        S.ADMITTED: 3,
        S.REGISTERED: 1,
        S.COMPLETED: 3,
        S.DROPPED: 3,
        S.WITHDRAWN: 1,
        S.CHANGED_INSTANCE: 1,
        S.CANCELLED: 1,
    }
    assert list(continuing.registrations.values_list("study_period", flat=True)) == [
        first.study_period_id
    ]
    assert eligibility.can_register(continuing, second, {1}, today) == eligibility.YES
    assert [o.programme_instance_id for o in open_offers] == [programme.programme_instance_id]
    assert [p.programme_instance_id for p in open_periods] == [programme.programme_instance_id]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2027, 7, 10),  # summer: no term is running
        datetime.date(2027, 8, 30),  # first day of the autumn term
        datetime.date(2027, 12, 31),
        datetime.date(2028, 1, 17),  # first day of the spring term
        datetime.date(2028, 6, 4),  # last day of the spring term
    ],
)
def test_demo_is_consistent_whatever_the_day(today):
    # The clock is set to that day too: the result services judge dates against it (an
    # examination date may not lie in the future), as they do when seed_demo runs for real.
    with transaction.atomic(), clock_at(today):
        seed_demo(today=today, students=20)
        check_deferred_constraints_now()

        open_now = CourseInstancePeriod.objects.filter(
            registration_opens__lte=today, registration_closes__gte=today
        )
        assert open_now.exists()
        assert CourseInstancePeriod.objects.filter(registration_opens__gt=today).exists()
        assert_history_and_registrations_agree(today)
        assert_student_journey_on_show(today)
        assert_results_history_agrees(today)
        assert_completed_courses_have_course_grades()
        assert demo_results("student").filter(seen_by_student_at=None).count() >= 2
        assert Module.objects.filter(credits__lte=Decimal(0)).count() == 0
        assert_certificates_ready(today)
        transaction.set_rollback(True)
