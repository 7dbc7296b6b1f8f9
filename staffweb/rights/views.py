"""Staff pages where a university's system administrators grant and revoke staff rights
(T-ROLE-1): the list of rights at the current university with a filter, the grant form, the
revocation with its confirmation page, and the history of grants and revocations.

Other staff get 403. Rows are looked up through the current university, so the id of another
university's right, typed by hand, is a 404. Every change goes through people.services.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ladokportal.attempts import attempt
from people import rights_queries, services
from people.models import StaffRole
from people.rules import administers_rights_at
from staffweb.access import require
from staffweb.rights.forms import GrantForm, RoleFilterForm

PAGE_SIZE = 50


def scope_label(row: StaffRole) -> str:
    """Where a right applies, in words, for the messages after a change."""
    if row.course is not None:
        return _("the course %(code)s %(name)s") % {
            "code": row.course.code,
            "name": row.course.name,
        }
    if row.org_unit is not None:
        return _("the org unit %(name)s") % {"name": row.org_unit.name}
    return _("the whole university")


@require_GET
@require(administers_rights_at)
def role_list(request: HttpRequest) -> HttpResponse:
    form = RoleFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = rights_queries.roles_at(
        request.institution, role=filters.get("role", ""), search=filters.get("q", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staffweb/rights/list.html",
        {"form": form, "page": page, "filtered": any(filters.values())},
    )


@require_http_methods(["GET", "POST"])
@require(administers_rights_at)
def grant(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = GrantForm(request.POST if posted else None, institution=request.institution)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.grant_role(
                request.user,
                user=data["account"],
                role=data["role"],
                institution=request.institution,
                org_unit=data["org_unit"],
                course=data["course"],
            )
        except services.RoleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s is granted the role %(role)s for %(scope)s.")
                % {
                    "name": row.user.display_name,
                    "role": row.get_role_display(),
                    "scope": scope_label(row),
                },
            )
            return redirect("staff_rights")
    return render(request, "staffweb/rights/grant.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require(administers_rights_at)
def revoke(request: HttpRequest, role_id: int) -> HttpResponse:
    """GET asks for confirmation (or says why not); POST revokes."""
    row = rights_queries.role_at(request.institution, role_id)
    if row is None:
        raise Http404
    if request.method == "GET":
        refusal = services.revocation_refusal(request.user, row)
        return render(request, "staffweb/rights/revoke.html", {"row": row, "refusal": refusal})
    attempt(
        request,
        lambda: services.revoke_role(request.user, role_row=row),
        lambda _revoked: (
            _("The role %(role)s of %(name)s for %(scope)s is revoked.")
            % {
                "name": row.user.display_name,
                "role": row.get_role_display(),
                "scope": scope_label(row),
            }
        ),
    )
    return redirect("staff_rights")


@require_GET
@require(administers_rights_at)
def history(request: HttpRequest) -> HttpResponse:
    events = rights_queries.history_at(request.institution)
    return render(
        request,
        "staffweb/rights/history.html",
        {"events": events, "shown": rights_queries.HISTORY_SHOWN},
    )
