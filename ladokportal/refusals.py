"""How a page answers a refusal (#11 point 4): the one place that turns the domain's errors
(ladokportal.errors) into answers, for the staff web and the student web alike.

- `NotAllowed` (the person lacks the right, T-ROLE-1) is a 403 with the portal's page. Views do
  not catch it, and neither does the `require` guard (staffweb.access): both leave it to here.
- Any other `DomainError` a view leaves uncaught is shown as a message on the page the person
  came from: a redirect back there (the Referer, when it is a page of this portal) with the
  service's message, already in the person's language; htmx is told to load that page whole.
  This is the fallback only. A view that can show the refusal better still catches it - beside a
  form's fields, on a form shown again with what the person typed, on the report sheet with every
  row - and that stays the view's job. `ladokportal.attempts.attempt` is that job for the
  common case: do the act, then a success message or the refusal's message, and the view goes
  on to its own page.

Installed for every request (settings.MIDDLEWARE). The integration API answers its clients with
its own JSON errors (results.api) and never lets one reach here.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from ladokportal.errors import DomainError, NotAllowed


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotAllowed):
            raise PermissionDenied from exception
        if isinstance(exception, DomainError):
            return _shown_on_the_page_before(request, exception)
        return None


def _shown_on_the_page_before(request: HttpRequest, error: DomainError) -> HttpResponse | None:
    back = _back(request)
    if back is None:
        return None  # a GET of the start page itself was refused: a bug, not a person's error
    messages.error(request, str(error.message))
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(back)
    return HttpResponseRedirect(back)


def _back(request: HttpRequest) -> str | None:
    """The page the person came from; the start page of the staff or the student web when there
    is none to go back to (no Referer, another site's, or this very address asked for with GET,
    which would loop)."""
    referer = request.headers.get("referer", "")
    here = request.build_absolute_uri()
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not (request.method == "GET" and referer == here)
    ):
        return referer
    staff_home = reverse("staff_home")
    start = staff_home if request.path.startswith(staff_home) else reverse("home")
    if request.method == "GET" and request.path == start:
        return None
    return start
