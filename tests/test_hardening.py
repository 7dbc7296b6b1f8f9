"""#17 points 4 and 5: input at the edges and privacy headers, for every page.

- request bodies over the limit are refused before anything reads them (the CSRF check, the form
  parser), and an upload stops at the limit whatever length was declared;
- numbers from forms are bounded (ladokportal.bounds);
- every response to someone logged in, page or download, is `no-store`.
"""

import io

import pytest
from django import forms
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory

from ladokportal import limits, nexturl
from people.models import StaffRole

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class _Exploding(io.BytesIO):
    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def _post_unread(client: Client, path: str, length: int):
    """A POST declaring `length` bytes whose body must not be read."""
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": _Exploding()},
    )


@pytest.mark.parametrize(
    ("path", "length"),
    [
        ("/verify/", 60 * MB),
        ("/accounts/login/", 4 * MB),
        ("/staff/results/file/x/y/", 3 * MB),
        ("/api/v1/sessions/x/results", 3 * MB),
        ("/courses/00000000-0000-0000-0000-000000000000/register/", 100 * MB),
    ],
)
def test_a_body_over_the_limit_is_refused_unread(path, length):
    client = Client(enforce_csrf_checks=True)
    response = _post_unread(client, path, length)
    assert response.status_code == 413


def test_the_verify_page_explains_the_refusal_on_its_form():
    response = _post_unread(Client(enforce_csrf_checks=True), "/verify/", 60 * MB)
    assert response.status_code == 413
    assert "The file is larger than 10 MB" in response.content.decode()


def test_a_length_that_is_no_number_is_refused():
    response = Client().generic("POST", "/verify/", b"", CONTENT_LENGTH="lots")
    assert response.status_code == 413


def test_an_upload_stops_at_the_limit_whatever_was_declared(settings):
    settings.REQUEST_BODY_LIMIT = 1000
    settings.REQUEST_BODY_LIMITS = []
    request = RequestFactory().post("/x/")
    handler = limits.LimitedUploadHandler(request)
    handler.receive_data_chunk(b"a" * 600, 0)
    with pytest.raises(RequestDataTooBig):
        handler.receive_data_chunk(b"a" * 600, 600)


def test_the_longest_prefix_decides():
    assert limits.limit_for("/verify/")[0] > 10 * MB
    assert limits.limit_for("/staff/results/file/a/b/")[0] < 3 * MB
    assert limits.limit_for("/start/")[0] == limits.settings.REQUEST_BODY_LIMIT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/start/", "/start/"),
        ("/exams/?show=past", "/exams/?show=past"),
        ("x", "/d/"),
        ("", "/d/"),
        (None, "/d/"),
        ("//evil.example/", "/d/"),
        ("/\\evil.example", "/d/"),
        ("https://evil.example/", "/d/"),
        ("javascript:alert(1)", "/d/"),
        ("/a\nb", "/d/"),
        ("/" + "a" * 3000, "/d/"),
    ],
)
def test_next_is_a_local_path_or_the_default(value, expected):
    request = RequestFactory().post("/")
    assert nexturl.local(request, value, "/d/") == expected


def test_numbers_from_forms_are_bounded():
    class Form(forms.Form):
        count = forms.IntegerField()
        role = forms.ModelChoiceField(queryset=StaffRole.objects.all())
        roles = forms.ModelMultipleChoiceField(queryset=StaffRole.objects.all())

    form = Form({"count": "9" * 40, "role": "9" * 40, "roles": ["1", "9" * 40]})
    assert not form.is_valid()
    assert set(form.errors) == {"count", "role", "roles"}


def test_every_response_to_someone_logged_in_is_no_store(client_for, staff_user, student_user):
    for user, path in ((staff_user, "/staff/"), (student_user, "/start/")):
        response = client_for(user).get(path)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, path


def test_a_download_is_no_store(client_for, student_user):
    response = client_for(student_user).get("/exams/calendar/")
    assert "no-store" in response.get("Cache-Control", "")
