"""The rights administration pages in the browser (T-ROLE-1), in Swedish and in English: a
system administrator reaches them from the staff home, filters the list, is told what is wrong
with a grant, grants a course right, revokes it after the confirmation page and finds both in
the history; at laptop width, at 360 px (G-2: staff pages degrade gracefully on a phone) and
without JavaScript. Axe clean and no sideways scrolling throughout (G-3)."""

from dataclasses import dataclass

import pytest
from django.utils.translation import gettext
from playwright.sync_api import Page

from catalog.models import Course
from people.models import StaffRole, StaffRoleEvent, StaffRoleKind, User
from tests.browser import LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import LOCALES, assert_phone_ready_without_javascript, check_page
from tests.browser.journey import in_language as said
from tests.factories import CourseFactory, OrgUnitFactory, StaffRoleFactory, UserFactory

K = StaffRoleKind
LIST, GRANT, HISTORY = "/staff/rights/", "/staff/rights/grant/", "/staff/rights/history/"


@dataclass(frozen=True)
class Rights:
    admin: User  # "oskar", system administrator at Lund
    teacher: User  # "maria", a reporter for the whole university, about to get a course right
    course: Course


@pytest.fixture
def rights(institution, other_institution) -> Rights:
    admin = UserFactory(username="oskar", first_name="Oskar", last_name="Sandberg")
    StaffRoleFactory(user=admin, institution=institution, role=K.SYSTEM_ADMIN)
    teacher = UserFactory(username="maria", first_name="Maria", last_name="Nilsson")
    StaffRoleFactory(user=teacher, institution=institution, role=K.REPORTER, granted_by=admin)
    unit = OrgUnitFactory(institution=institution, name_sv="Matematik", name_en="Mathematics")
    study_admin = UserFactory(username="siv", first_name="Siv", last_name="Berglund")
    StaffRoleFactory(user=study_admin, institution=institution, role=K.STUDY_ADMIN, org_unit=unit)
    StaffRoleFactory(institution=other_institution, role=K.CERTIFIER)
    course = CourseFactory(
        institution=institution, code="MATA21", name_sv="Analys", name_en="Analysis"
    )
    return Rights(admin=admin, teacher=teacher, course=course)


def messages(page: Page) -> list[str]:
    return page.locator(".messages .alert").all_inner_texts()


def grant_course_right(page: Page, rights: Rights) -> StaffRole:
    form = page.locator(f"form[action='{GRANT}']")
    form.locator("input[name='account']").fill("maria")
    form.locator("select[name='role']").select_option(K.CERTIFIER)
    form.locator("input[name='course']").fill("mata21")
    submit(page, f"form[action='{GRANT}'] button[type='submit']")
    return StaffRole.objects.get(user=rights.teacher, role=K.CERTIFIER, course=rights.course)


@LOCALES
def test_system_administrator_grants_and_revokes_a_right(
    new_page, live_server, rights: Rights, locale: str
) -> None:
    page = new_page(locale=locale, viewport=LAPTOP)
    login(page, live_server, "oskar")
    assert page.url == f"{live_server.url}/staff/"
    submit(page, f"main a[href='{LIST}']")
    assert page.locator("table.record-table tbody tr").count() == 3
    check_page(page, with_menu=True)

    page.locator("form.filter-bar select[name='role']").select_option(K.STUDY_ADMIN)
    submit(page, "form.filter-bar button[type='submit']")
    assert page.locator("table.record-table tbody th").all_inner_texts() == ["Siv Berglund (siv)"]
    check_page(page)

    open_page(page, f"{live_server.url}{GRANT}")
    check_page(page)
    page.locator("input[name='account']").fill("nobody")
    submit(page, f"form[action='{GRANT}'] button[type='submit']")
    assert page.locator(".alert--error").count() == 1
    assert page.locator("#id_account_error").inner_text() == said(
        locale, lambda: gettext("No account has this username or e-mail address.")
    )
    check_page(page)

    row = grant_course_right(page, rights)
    assert page.url == f"{live_server.url}{LIST}"
    assert messages(page) == [
        said(
            locale,
            lambda: (
                gettext("%(name)s is granted the role %(role)s for %(scope)s.")
                % {
                    "name": "Maria Nilsson",
                    "role": K.CERTIFIER.label,
                    "scope": gettext("the course %(code)s %(name)s")
                    % {"code": "MATA21", "name": rights.course.name},
                }
            ),
        )
    ]
    check_page(page)

    submit(page, f"a[href='/staff/rights/{row.pk}/revoke/']")
    check_page(page)
    submit(page, f"form[action='/staff/rights/{row.pk}/revoke/'] button[type='submit']")
    assert not StaffRole.objects.filter(pk=row.pk).exists()
    assert len(messages(page)) == 1

    open_page(page, f"{live_server.url}{HISTORY}")
    assert page.locator("table.record-table tbody tr").count() == 2
    assert StaffRoleEvent.objects.count() == 2
    check_page(page)


@LOCALES
def test_rights_pages_on_a_phone(new_page, live_server, rights: Rights, locale: str) -> None:
    own = rights.admin.staff_roles.get()
    page = new_page(locale=locale, viewport=PHONE)
    login(page, live_server, "oskar")
    for path in (LIST, GRANT, HISTORY, f"/staff/rights/{own.pk}/revoke/"):
        open_page(page, f"{live_server.url}{path}")
        check_page(page)
    # The own administrator's right: the reason instead of the button.
    assert page.locator("main form[method='post']").count() == 0


@LOCALES
def test_grant_and_revoke_without_javascript(
    new_page, live_server, rights: Rights, locale: str
) -> None:
    page = new_page(locale=locale, viewport=PHONE, java_script_enabled=False)
    login(page, live_server, "oskar")
    open_page(page, f"{live_server.url}{GRANT}")
    row = grant_course_right(page, rights)
    assert page.url == f"{live_server.url}{LIST}"
    assert_phone_ready_without_javascript(page, new_page, locale)
    open_page(page, f"{live_server.url}/staff/rights/{row.pk}/revoke/")
    submit(page, f"form[action='/staff/rights/{row.pk}/revoke/'] button[type='submit']")
    assert page.url == f"{live_server.url}{LIST}"
    assert not StaffRole.objects.filter(pk=row.pk).exists()
