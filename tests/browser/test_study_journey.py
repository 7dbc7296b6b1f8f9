"""A student's study journey in the browser, at 360 px, in Swedish and in English, axe clean and
without sideways scrolling on every page visited (issue #3, Acceptance): register from the start
page and from the course page (S-REG-1..3), withdraw from a programme with its courses listed,
with JavaScript in place and without it on a plain page (S-WD-1), drop out and be reminded of
CSN (S-WD-2), change course instance and register on the new one (S-SWAP-1), My education with
each filter (S-EDU-1, S-EDU-2) and a doctoral student's programme page (S-EDU-4).

Elements are found by form actions, links, input names and ids, never by translated words;
messages are compared with what the same message catalogue gives in the browser's language."""

import re

from django.utils.translation import gettext
from playwright.sync_api import Page

from ladokportal.templatetags.portal import credits
from registration.models import CourseParticipation, ParticipationState, Registration
from studentweb.education import CSN_REMINDER
from tests.browser import assert_no_horizontal_scroll, login, open_page, submit
from tests.browser.journey import (  # noqa: F401 - journey_fixture is the `journey` fixture
    LOCALES,
    Journey,
    assert_phone_ready_without_javascript,
    check_page,
    days,
    in_language,
    journey_fixture,
)

S = ParticipationState


def course_codes(page: Page, within: str) -> list[str]:
    """The course codes listed in a part of the page (each row's meta line starts with one)."""
    metas = page.locator(f"{within} .course-item .course-item__meta").all_inner_texts()
    return [meta.split(" · ")[0] for meta in metas]


def messages(page: Page) -> list[str]:
    return page.locator(".messages .alert").all_inner_texts()


def open_dialog(page: Page, link: str, slot: str) -> None:
    """Press a link that opens its dialog in place (htmx) and wait until it is there."""
    url = page.url
    page.locator(link).click()
    page.locator(f"{slot} .dialog").wait_for()
    assert page.url == url, "the dialog should open in place, not on a page of its own"
    # Focus moves to the dialog's heading, so that a screen reader reads the dialog next.
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'dialog-heading'", timeout=2000
    )


# --- Registration (S-REG-1..3) ------------------------------------------------------------------


@LOCALES
def test_register_from_the_start_page_and_continue_on_the_course_page(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    first, second = journey.opens_now, journey.continuation
    login(page, live_server, "sara")
    assert page.url == f"{live_server.url}/start/"
    registrations = "section[aria-labelledby='registrations-open']"
    forms = page.locator(f"{registrations} form[action$='/register/']")
    assert [forms.nth(i).get_attribute("action") for i in range(forms.count())] == [
        f"/courses/{second.public_id}/register/",
        f"/courses/{first.public_id}/register/",
    ]
    # S-REG-2: a course before its registration period says when it opens.
    later = page.locator(
        "section[aria-labelledby='current-courses'] .course-item",
        has=page.locator(f"a[href='/courses/{journey.to_change.public_id}/']"),
    )
    assert re.search(
        rf"\b20\b.*\({days(20).isoformat()}\)", later.locator(".course-item__note").inner_text()
    )

    submit(page, f"{registrations} form[action='/courses/{first.public_id}/register/'] button")

    assert page.url == f"{live_server.url}/start/"
    period = first.course_instance.periods.get()
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext("You are registered on %(course)s for %(period)s.")
                % {"course": first.course_instance.course.name, "period": period.study_period.name}
            ),
        )
    ]
    assert list(
        Registration.objects.filter(participation=first).values_list("study_period", flat=True)
    ) == [period.study_period_id]
    assert page.locator(f"form[action='/courses/{first.public_id}/register/']").count() == 0
    current = page.locator(
        "section[aria-labelledby='current-courses'] .course-item",
        has=page.locator(f"a[href='/courses/{first.public_id}/']"),
    )
    assert current.locator(".badge").get_attribute("class") == "badge badge--registered"
    check_page(page, with_menu=True)

    # S-REG-3: the continuation registration, for the second study period, on the course page.
    submit(
        page, f"section[aria-labelledby='current-courses'] a[href='/courses/{second.public_id}/']"
    )
    registration = "section[aria-labelledby='course-registration']"
    assert page.locator(f"{registration} input[name='period']").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    ) == ["2"]
    check_page(page)
    submit(page, f"{registration} form[action='/courses/{second.public_id}/register/'] button")

    assert page.url == f"{live_server.url}/courses/{second.public_id}/"
    period = second.course_instance.periods.get(sequence=2)
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext("You are registered on %(course)s for %(period)s.")
                % {"course": second.course_instance.course.name, "period": period.study_period.name}
            ),
        )
    ]
    assert sorted(
        Registration.objects.filter(participation=second).values_list("study_period", flat=True)
    ) == sorted(p.study_period_id for p in second.course_instance.periods.all())
    assert page.locator(f"{registration} form").count() == 0


# --- Withdrawal from a programme (S-WD-1) -------------------------------------------------------


def covered_codes(page: Page, slot: str) -> list[str]:
    """The course codes a programme dialog lists: "Name (CODE), 7.5 credits"."""
    items = page.locator(f"{slot} .dialog .plain-list li").all_inner_texts()
    return [re.search(r"\(([A-Z0-9]+)\)", item)[1] for item in items]


def assert_withdrawn_from_the_programme(
    page: Page, live_server, journey: Journey, locale: str, *, javascript: bool = True
) -> None:
    programme = journey.programme
    assert page.url == f"{live_server.url}/education/"
    names = ", ".join(
        in_language(locale, lambda p=p: p.course_instance.course.name)
        for p in journey.programme_courses
    )
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext("You have withdrawn from %(programme)s.")
                % {"programme": programme.programme_instance.programme.name}
                + " "
                + gettext("Also withdrawn: %(courses)s.") % {"courses": names}
            ),
        )
    ]
    programme.refresh_from_db()
    assert programme.state == S.WITHDRAWN
    assert [CourseParticipation.objects.get(pk=p.pk).state for p in journey.programme_courses] == [
        S.WITHDRAWN,
        S.WITHDRAWN,
    ]
    # Withdrawn studies disappear from the student's views.
    assert page.locator(f"a[href='/programmes/{programme.public_id}/']").count() == 0
    assert course_codes(page, "main") == ["BI1000", "BI1002", "MA1003", "BI1001", "KE1004"]
    if javascript:
        check_page(page)
    else:
        # The same page as with JavaScript, which the other test checks with axe.
        assert_no_horizontal_scroll(page)


@LOCALES
def test_withdraw_from_a_programme_in_a_dialog_that_lists_its_courses(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    programme = journey.programme
    login(page, live_server, "sara")
    open_page(page, f"{live_server.url}/programmes/{programme.public_id}/")

    open_dialog(page, "a[hx-get$='/withdraw/']", "#programme-dialog")

    assert covered_codes(page, "#programme-dialog") == ["BI2001", "BI2002"]
    check_page(page)  # the dialog is modal: the menu behind it is inert
    submit(
        page, f"#programme-dialog form[action='/programmes/{programme.public_id}/withdraw/'] button"
    )

    assert_withdrawn_from_the_programme(page, live_server, journey, locale)


@LOCALES
def test_withdraw_from_a_programme_without_javascript_on_a_confirmation_page(
    new_page, live_server, journey: Journey, locale: str
) -> None:
    page = new_page(locale=locale, java_script_enabled=False)
    programme = journey.programme
    login(page, live_server, "sara")
    open_page(page, f"{live_server.url}/programmes/{programme.public_id}/")

    submit(page, "a[href$='/withdraw/']")

    assert page.url == f"{live_server.url}/programmes/{programme.public_id}/withdraw/"
    assert covered_codes(page, "#programme-dialog") == ["BI2001", "BI2002"]
    assert_phone_ready_without_javascript(page, new_page, locale)
    submit(page, f"form[action='/programmes/{programme.public_id}/withdraw/'] button")

    assert_withdrawn_from_the_programme(page, live_server, journey, locale, javascript=False)


# --- Dropout (S-WD-2) ---------------------------------------------------------------------------


@LOCALES
def test_drop_out_of_a_registered_course_and_be_reminded_of_csn(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    course = journey.registered
    login(page, live_server, "sara")
    open_page(page, f"{live_server.url}/courses/{course.public_id}/")

    open_dialog(page, "a[hx-get$='/drop-out/']", "#course-dialog")

    period = course.course_instance.periods.get()
    registrations = page.locator("#course-dialog .plain-list li").all_inner_texts()
    assert len(registrations) == 1
    study_period = period.study_period
    amount = in_language(locale, lambda: credits(period.credits))
    assert registrations[0].startswith(
        f"{study_period.name}, {study_period.start_date.isoformat()} – "
        f"{study_period.end_date.isoformat()}, {amount}: "
    )
    check_page(page)  # the dialog is modal: the menu behind it is inert
    submit(page, f"#course-dialog form[action='/courses/{course.public_id}/drop-out/'] button")

    assert page.url == f"{live_server.url}/courses/{course.public_id}/"
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext("You have dropped out of %(course)s.")
                % {"course": course.course_instance.course.name}
            ),
        ),
        in_language(locale, lambda: CSN_REMINDER),
    ]
    assert page.locator(".messages .alert--info").inner_text() == in_language(
        locale, lambda: CSN_REMINDER
    )
    course.refresh_from_db()
    assert (course.state, course.early_dropout) == (S.DROPPED, False)
    assert page.locator("section[aria-labelledby='course-actions']").count() == 0
    check_page(page)
    # A later dropout stays on My education, with its status (S-WD-2).
    open_page(page, f"{live_server.url}/education/")
    row = page.locator(".course-item", has=page.locator(f"a[href='/courses/{course.public_id}/']"))
    assert row.locator(".badge").get_attribute("class") == "badge badge--dropped"
    check_page(page)


# --- Change of course instance (S-SWAP-1) -------------------------------------------------------


@LOCALES
def test_change_course_instance_then_register_on_the_new_one(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    old, target = journey.to_change, journey.change_target
    login(page, live_server, "sara")
    open_page(page, f"{live_server.url}/courses/{old.public_id}/")

    open_dialog(page, "a[hx-get$='/change-instance/']", "#course-dialog")
    radios = page.locator("#course-dialog input[name='target']")
    assert radios.evaluate_all("inputs => inputs.map(i => i.value)") == [str(target.public_id)]
    assert page.locator("#course-dialog input[name='scope_credits']").count() == 1
    check_page(page)
    radios.check()
    page.locator("#course-dialog form[hx-post] button[type='submit']").click()
    confirm = page.locator("#course-dialog button[name='confirm']")
    confirm.wait_for()
    assert page.url == f"{live_server.url}/courses/{old.public_id}/"
    new_instance = page.locator("#course-dialog dl.facts").nth(1).locator("dd").first
    assert new_instance.inner_text() == (
        f"{target.instance_code}, {target.start_date.isoformat()} – "
        f"{target.end_date.isoformat()}, {target.town}"
    )
    check_page(page)  # the dialog is modal: the menu behind it is inert
    submit(page, "#course-dialog button[name='confirm']")

    new = CourseParticipation.objects.get(course_instance=target)
    assert page.url == f"{live_server.url}/courses/{new.public_id}/"
    assert (new.state, new.changed_from_id) == (S.ADMITTED, old.pk)
    old.refresh_from_db()
    assert old.state == S.CHANGED_INSTANCE
    assert messages(page) == [
        in_language(
            locale,
            lambda: (
                gettext(
                    "You have changed to course instance %(code)s. Register on it when its "
                    "registration period is open."
                )
                % {"code": target.instance_code}
            ),
        )
    ]
    check_page(page)

    submit(page, f"form[action='/courses/{new.public_id}/register/'] button")

    assert page.url == f"{live_server.url}/courses/{new.public_id}/"
    new.refresh_from_db()
    assert new.state == S.REGISTERED
    assert list(new.registrations.values_list("study_period", flat=True)) == [
        target.periods.get().study_period_id
    ]
    assert page.locator(".messages .alert--success").count() == 1


# --- My education (S-EDU-1, S-EDU-2) and the programme page (S-EDU-4) ---------------------------


@LOCALES
def test_my_education_with_each_filter(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    login(page, live_server, "sara")
    open_page(page, f"{live_server.url}/education/")
    summary = page.locator("section[aria-labelledby='education-summary'] dd")
    assert summary.all_inner_texts() == [
        in_language(locale, lambda: credits(7.5)),
        in_language(locale, lambda: credits(0)),
    ]
    programme = f"article[aria-labelledby='programme-{journey.programme.public_id}']"
    everything = {
        "programme": ["BI2001", "BI2002"],
        "courses": ["BI1000", "BI1002", "MA1003", "BI1001", "KE1004"],
    }
    assert {
        "programme": course_codes(page, programme),
        "courses": course_codes(page, "section[aria-labelledby='education-courses']"),
    } == everything
    check_page(page, with_menu=True)

    shown = {}
    for show in ("completed", "not_completed", "credited", "all"):
        page.locator(f"form[action='/education/'] input[name='show'][value='{show}']").check()
        submit(page, "form[action='/education/'] button[type='submit']")
        assert page.url == f"{live_server.url}/education/?show={show}"
        assert page.locator("input[name='show']:checked").get_attribute("value") == show
        shown[show] = (
            page.locator(programme).count(),
            course_codes(page, "section[aria-labelledby='education-courses']"),
            page.locator("section[aria-labelledby='education-credited']").count(),
        )
        check_page(page)

    assert shown == {
        "completed": (0, ["BI1000"], 0),
        "not_completed": (1, ["BI1002", "MA1003", "BI1001", "KE1004"], 0),
        "credited": (0, [], 1),
        "all": (1, everything["courses"], 0),
    }


@LOCALES
def test_programme_page_of_a_doctoral_student(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    login(page, live_server, "dan")

    page.locator("details.menu summary").click()
    submit(page, "details.menu a[href='/education/']")
    doctoral = f"article[aria-labelledby='programme-{journey.doctoral.public_id}']"
    assert course_codes(page, doctoral) == ["BI3001"]
    check_page(page)
    submit(page, f"{doctoral} a[href='/programmes/{journey.doctoral.public_id}/']")

    plan = page.locator("section[aria-labelledby='study-plan'] dd").all_inner_texts()
    assert plan == [
        days(-380).isoformat(),
        days(-20).isoformat(),
        "Professor Maja Handledare",
        "Docent Per Biträdande",
        days(1000).isoformat(),
    ]
    assert page.locator("section[aria-labelledby='study-plan'] .prewrap").inner_text() == (
        "Avhandling om fjärilars flyttvägar."
        if locale.startswith("sv")
        else "A thesis on the migration routes of butterflies."
    )
    assert page.locator("section[aria-labelledby='study-activity'] li").all_inner_texts() == [
        f"{days(-400).isoformat()} – {days(-220).isoformat()}: 100 %",
        f"{days(-219).isoformat()} – {days(-40).isoformat()}: 80 %",
    ]
    leave = page.locator("section[aria-labelledby='programme-leaves'] li").inner_text()
    assert leave.startswith(f"{days(-30).isoformat()} – {days(60).isoformat()} (")
    assert course_codes(page, "section[aria-labelledby='programme-courses']") == ["BI3001"]
    check_page(page, with_menu=True)
