"""Study choices and applications within a programme in the browser, at 360 px, in Swedish and in
English, axe clean and without sideways scrolling (issue #3, Acceptance): a choice that breaks
a rule is refused with that rule, keeps the ticks and saves nothing; one that keeps the rules
gives expected participation, seen on the start page and on My education (S-CHOICE-1). An
application from the start page, and its removal in place (S-APP-1, S-APP-2)."""

from django.utils.translation import gettext
from playwright.sync_api import Page

from ladokportal.templatetags.portal import credits
from registration.models import Application, CourseParticipation, ParticipationState
from studychoices.models import StudyChoice
from studychoices.services import check_rules
from tests.browser import login, submit
from tests.browser.journey import (  # noqa: F401 - journey_fixture is the `journey` fixture
    LOCALES,
    Journey,
    check_page,
    in_language,
    journey_fixture,
)

S = ParticipationState


def ticked(page: Page) -> list[str]:
    return page.locator("input[name='alternatives']").evaluate_all(
        "boxes => boxes.filter(b => b.checked).map(b => b.value)"
    )


@LOCALES
def test_a_choice_that_breaks_a_rule_is_refused_then_one_that_keeps_it_is_saved(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    period = journey.choice_period
    marine, plants, _bioinformatics = journey.alternatives
    url = f"/choices/{period.public_id}/"
    login(page, live_server, "sara")
    choices = page.locator("section[aria-labelledby='choices-heading']")
    assert choices.locator("a").evaluate_all("links => links.map(a => a.pathname)") == [url]
    submit(page, f"section[aria-labelledby='choices-heading'] a[href='{url}']")
    assert page.url == f"{live_server.url}{url}"
    check_page(page, with_menu=True)

    # Two courses of 7.5 credits: more than the period's 10 credits.
    page.locator(f"input[name='alternatives'][value='{marine.pk}']").check()
    page.locator(f"input[name='alternatives'][value='{plants.pk}']").check()
    submit(page, f"form[action='{url}'] button[type='submit']")

    rule = in_language(locale, lambda: check_rules(period, [marine, plants]).reason)
    # The message names the rule: the sum chosen and the period's limit.
    assert [in_language(locale, lambda n=n: credits(n)) in rule for n in (15, 10)] == [True, True]
    broken = in_language(locale, lambda: gettext("Nothing was saved.")) + " " + rule
    assert page.locator(f"form[action='{url}'] .alert--error[role='alert']").inner_text() == broken
    assert ticked(page) == [str(marine.pk), str(plants.pk)]
    assert StudyChoice.objects.count() == 0
    assert not CourseParticipation.objects.filter(
        course_instance__in=[a.course_instance for a in journey.alternatives]
    ).exists()
    check_page(page)

    page.locator(f"input[name='alternatives'][value='{plants.pk}']").uncheck()
    submit(page, f"form[action='{url}'] button[type='submit']")

    assert page.url == f"{live_server.url}{url}"
    assert page.locator(".messages .alert").all_inner_texts() == [
        in_language(locale, lambda: gettext("Your study choice has been saved."))
    ]
    choice = StudyChoice.objects.get()
    assert [item.alternative_id for item in choice.items.all()] == [marine.pk]
    expected = CourseParticipation.objects.get(course_instance=marine.course_instance)
    assert (expected.state, expected.programme_participation_id) == (
        S.EXPECTED,
        journey.programme.pk,
    )
    assert page.locator(".choice-target .choice-target__name").all_inner_texts() == [
        in_language(locale, lambda: marine.course_instance.course.name)
    ]
    check_page(page)

    # The expected participation is a current course on the start page and on My education.
    submit(page, ".choice-back a[href='/start/']")
    current = page.locator("section[aria-labelledby='current-courses']")
    assert current.locator(f"a[href='/courses/{expected.public_id}/']").count() == 1
    assert choices.locator(".badge").count() == 1
    check_page(page)
    page.locator("details.menu > summary").click()
    submit(page, "details.menu a[href='/education/']")
    programme = page.locator(f"article[aria-labelledby='programme-{journey.programme.public_id}']")
    assert programme.locator(f"a[href='/courses/{expected.public_id}/']").count() == 1


@LOCALES
def test_apply_from_the_start_page_then_remove_the_application_in_place(
    page: Page, live_server, journey: Journey, locale: str
) -> None:
    offer = journey.offer
    url = f"/applications/{offer.public_id}/"
    login(page, live_server, "sara")
    submit(page, f"section[aria-labelledby='applications-heading'] a[href='{url}']")
    assert page.url == f"{live_server.url}{url}"

    submit(page, f"#application form[action='{url}'] button[type='submit']")

    assert page.url == f"{live_server.url}{url}"
    assert page.locator(".messages .alert").all_inner_texts() == [
        in_language(locale, lambda: gettext("Your application has been saved."))
    ]
    application = Application.objects.get()
    assert (application.course_participation.state, application.removed_at) == (S.EXPECTED, None)
    check_page(page, with_menu=True)

    page.locator(f"#application-actions a[hx-get='{url}remove/']").click()
    confirm = page.locator(f"#application-actions form[hx-post='{url}remove/'] button")
    confirm.wait_for()
    assert page.url == f"{live_server.url}{url}"
    check_page(page)
    confirm.click()
    notice = page.locator("#application .alert--success[role='status']")
    notice.wait_for()

    assert page.url == f"{live_server.url}{url}"
    assert notice.inner_text() == in_language(
        locale, lambda: gettext("Your application has been removed.")
    )
    application.refresh_from_db()
    assert application.removed_at is not None
    assert application.course_participation.state == S.CANCELLED
    # S-APP-2: and the student may apply again.
    assert page.locator(f"#application form[action='{url}'] button[type='submit']").count() == 1
    check_page(page)
