"""The staff side of the study journey in the browser (issue #3, point 7; T-ADM-2), in Swedish and
in English: a study administrator finds a student by personal identity number, registers her on
her behalf, records a leave of absence and admits her to a course instance, each change in the
history, at laptop width; and the overview once more at 360 px (G-2: staff pages degrade
gracefully on a phone). Axe clean and no sideways scrolling throughout (G-3)."""

from django.utils.translation import gettext
from playwright.sync_api import Page

from registration.models import (
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationEvent,
    ParticipationSource,
    ParticipationState,
    Registration,
)
from tests.browser import LAPTOP, PHONE, login, open_menu, open_page, submit
from tests.browser.journey import (  # noqa: F401 - journey_fixture is the `journey` fixture
    LOCALES,
    Journey,
    check_page,
    days,
    in_language,
    journey_fixture,
)

S = ParticipationState


def find_student(page: Page, live_server, journey: Journey) -> str:
    """From the staff menu to the student's overview; the overview's path."""
    open_menu(page)
    submit(page, "details.menu a[href='/staff/students/']")
    number = journey.person.identity_number
    page.locator("form[action='/staff/students/'] input[name='number']").fill(
        f"{number[:8]}-{number[8:]}"
    )
    submit(page, "form[action='/staff/students/'] button[type='submit']")
    path = f"/staff/students/{journey.person.public_id}/"
    assert page.url == f"{live_server.url}{path}"
    return path


def messages(page: Page) -> list[str]:
    return page.locator(".messages .alert").all_inner_texts()


@LOCALES
def test_study_administrator_corrects_a_students_participations(
    new_page, live_server, journey: Journey, locale: str
) -> None:
    page = new_page(locale=locale, viewport=LAPTOP)
    student, admin = journey.person, journey.study_admin
    course, programme = journey.opens_now, journey.programme
    login(page, live_server, "siv")
    assert page.url == f"{live_server.url}/staff/"

    overview = find_student(page, live_server, journey)

    assert page.locator("h1").inner_text() == "Sara Holm"
    check_page(page, with_menu=True)

    # Register on the student's behalf (the registration period is open; staff may anyway).
    register = f"{overview}courses/{course.public_id}/register/"
    submit(page, f"form[action='{register}'] button[type='submit']")

    assert page.url == f"{live_server.url}{overview}#course-{course.public_id}"
    period = course.course_instance.periods.get()
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext("%(name)s is registered on %(course)s for %(period)s.")
                % {
                    "name": student.full_name,
                    "course": course.course_instance.course.name,
                    "period": period.study_period.name,
                }
            ),
        )
    ]
    registration = Registration.objects.get(participation=course)
    assert (registration.study_period_id, registration.registered_by_id) == (
        period.study_period_id,
        admin.pk,
    )
    history = page.locator(f"#history-{course.public_id}")
    history.locator("summary").click()
    rows = history.locator("tbody tr")
    assert rows.count() == 1
    assert rows.locator("td").nth(0).inner_text() == "Siv Berglund"

    # A leave of absence from the programme.
    leave_form = page.locator(f"form[action='{overview}programmes/{programme.public_id}/leave/']")
    page.locator(f"#programme-{programme.public_id} details.action > summary").click()
    leave_form.locator("input[name='start']").fill(days(30).isoformat())
    leave_form.locator("input[name='end']").fill(days(120).isoformat())
    check_page(page)
    submit(page, f"form[action='{overview}programmes/{programme.public_id}/leave/'] button")

    assert page.url == f"{live_server.url}{overview}#programme-{programme.public_id}"
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext("Leave of absence recorded: %(start)s – %(end)s.")
                % {"start": days(30).isoformat(), "end": days(120).isoformat()}
            ),
        )
    ]
    leave = LeaveOfAbsence.objects.get(programme_participation=programme)
    assert (
        leave.programme_participation_id,
        leave.start_date,
        leave.end_date,
        leave.with_guaranteed_return,
        leave.recorded_by_id,
    ) == (programme.pk, days(30), days(120), True, admin.pk)
    leaves = page.locator(f"#programme-{programme.public_id} > table.record-table tbody th")
    assert leaves.all_inner_texts() == [f"{days(30).isoformat()} – {days(120).isoformat()}"]

    # Admit to another course instance.
    target = journey.change_target
    page.locator(f"form[action='{overview}admit/'] select[name='course_instance']").select_option(
        str(target.public_id)
    )
    submit(page, f"form[action='{overview}admit/'] button[type='submit']")

    admitted = CourseParticipation.objects.get(course_instance=target)
    assert page.url == f"{live_server.url}{overview}#course-{admitted.public_id}"
    assert (admitted.person_id, admitted.state, admitted.source) == (
        student.pk,
        S.ADMITTED,
        ParticipationSource.STAFF,
    )
    assert page.locator(f"#course-{admitted.public_id}").count() == 1
    # Every change is in the history, with the study administrator as actor.
    assert sorted(
        ParticipationEvent.objects.filter(actor=admin).values_list("to_state", flat=True)
    ) == sorted([S.REGISTERED, programme.state, S.ADMITTED])


@LOCALES
def test_student_overview_on_a_phone(new_page, live_server, journey: Journey, locale: str) -> None:
    page = new_page(locale=locale, viewport=PHONE)
    login(page, live_server, "siv")

    open_page(page, f"{live_server.url}/staff/students/{journey.person.public_id}/")

    articles = page.locator("article.participation")
    assert articles.count() == CourseParticipation.objects.filter(person=journey.person).count()
    check_page(page, with_menu=True)
