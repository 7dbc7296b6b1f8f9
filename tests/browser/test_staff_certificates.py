"""The study administrator's certificate pages in the browser (issue "Certificates", point 5),
in Swedish and in English, at laptop width and at 360 px: the student's certificates with the
create form, a registration certificate created on the student's behalf (rendered by the live
server as the worker would), and its page with the frozen content. Axe clean and no sideways
scrolling on both (G-2, G-3)."""

import pytest

from certificates.models import Certificate, CertificateState
from tests.browser import LAPTOP, PHONE, login, open_page, submit
from tests.browser.journey import (  # noqa: F401 - journey_fixture is the `journey` fixture
    LOCALES,
    Journey,
    check_page,
    journey_fixture,
)

pytestmark = pytest.mark.usefixtures("documents")


@LOCALES
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_study_administrator_creates_a_certificate_on_the_students_behalf(
    new_page, live_server, journey: Journey, locale: str, viewport
) -> None:
    page = new_page(locale=locale, viewport=viewport)
    login(page, live_server, "siv")
    listing = f"/staff/students/{journey.person.public_id}/certificates/"

    open_page(page, f"{live_server.url}{listing}")
    check_page(page)

    page.check("input[name='kind'][value='registration']")
    page.check(f"input[name='language'][value='{locale[:2]}']")
    submit(page, f"form[action='{listing}'] button[type='submit']")

    certificate = Certificate.objects.get(person=journey.person)
    assert (certificate.state, certificate.created_by) == (
        CertificateState.READY,
        journey.study_admin,
    )
    assert page.url == f"{live_server.url}{listing}{certificate.public_id}/"
    assert page.locator(".certificate-content").count() == 1
    check_page(page)
