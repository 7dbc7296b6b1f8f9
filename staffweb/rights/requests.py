"""Requests for reporting rights (#12 point 5, seed 004): a study administrator's queue of the
requests waiting on the courses they administer, each approved (the right is granted) or
refused; both in the rights history. Guarded by people.rules.administers_studies_at; the
service checks the course."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ladokportal.attempts import attempt
from people import rights_queries, services
from people.rules import administers_studies_at
from staffweb.access import require


@require_GET
@require(administers_studies_at)
def queue(request: HttpRequest) -> HttpResponse:
    rows = rights_queries.pending_requests_for(request.user, request.institution)
    return render(request, "staffweb/rights/requests.html", {"rows": rows})


def _decide(request: HttpRequest, request_id: int, *, approve: bool) -> HttpResponse:
    row = rights_queries.rights_request_at(request.institution, request_id)
    if row is None:
        raise Http404
    words = {"name": row.user.display_name, "course": row.course.code}
    attempt(
        request,
        lambda: services.decide_rights_request(request.user, request=row, approve=approve),
        (
            _("%(name)s may now report results on %(course)s.")
            if approve
            else _("The request of %(name)s for %(course)s is refused.")
        )
        % words,
    )
    return redirect("staff_rights_requests")


@require_POST
@require(administers_studies_at)
def approve(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, approve=True)


@require_POST
@require(administers_studies_at)
def refuse(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, approve=False)
