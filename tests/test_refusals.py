"""The one place a refusal becomes an answer (#11 point 4, ladokportal.refusals): NotAllowed is a
403, any other DomainError a view leaves uncaught is its message on the page the person came
from, and nothing else is touched."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from ladokportal.errors import DomainError, NotAllowed
from ladokportal.refusals import RefusalMiddleware
from registration.services import RegistrationError

BACK = "http://testserver/staff/students/7/"


def _request(rf, method: str, path: str, **headers):
    request = getattr(rf, method)(path, headers=headers)
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    request.htmx = HtmxDetails(request)
    return request


def _answer(request, error: Exception):
    return RefusalMiddleware(lambda r: HttpResponse()).process_exception(request, error)


def _messages(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_not_allowed_is_a_403(rf):
    request = _request(rf, "post", "/staff/students/7/admit/", referer=BACK)
    with pytest.raises(PermissionDenied):
        _answer(request, NotAllowed("Only the course's study administrators admit students."))
    assert _messages(request) == []


def test_a_refusal_left_uncaught_goes_back_to_the_page_with_its_message(rf):
    request = _request(rf, "post", "/staff/students/7/admit/", referer=BACK)
    response = _answer(request, RegistrationError("The student is already admitted."))
    assert (response.status_code, response["Location"]) == (302, BACK)
    assert _messages(request) == ["The student is already admitted."]


def test_htmx_is_told_to_load_the_page_whole(rf):
    request = _request(rf, "post", "/staff/students/7/admit/", referer=BACK, hx_request="true")
    response = _answer(request, DomainError("Not now."))
    assert (response.status_code, response["HX-Redirect"]) == (200, BACK)
    assert _messages(request) == ["Not now."]


@pytest.mark.parametrize(
    ("method", "path", "referer", "start"),
    [
        ("post", "/staff/students/7/admit/", "", "/staff/"),
        ("post", "/staff/students/7/admit/", "https://elsewhere.example/", "/staff/"),
        ("get", "/staff/students/7/", BACK, "/staff/"),
        ("post", "/exams/1/sign-up/", "", "/"),
    ],
)
def test_without_a_page_to_go_back_to_the_start_page_shows_the_message(
    rf, method, path, referer, start
):
    request = _request(rf, method, path, referer=referer)
    response = _answer(request, DomainError("Not now."))
    assert (response.status_code, response["Location"]) == (302, start)
    assert _messages(request) == ["Not now."]


def test_a_refusal_on_the_start_page_itself_is_left_alone(rf):
    request = _request(rf, "get", "/staff/", referer="http://testserver/staff/")
    assert _answer(request, DomainError("Not now.")) is None


def test_other_exceptions_are_left_alone(rf):
    request = _request(rf, "post", "/staff/students/7/admit/", referer=BACK)
    assert _answer(request, ValueError("a bug")) is None
    assert _messages(request) == []


def test_not_allowed_without_a_reason_says_so_in_the_persons_language():
    with translation.override("sv"):
        assert str(NotAllowed()) == "Du har inte behörighet att göra detta."
    with translation.override("en"):
        assert str(NotAllowed().message) == "You do not have the right to do this."
