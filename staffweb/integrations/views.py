"""Staff pages of the integration with digital exam systems (B-7, T-EXT-1): the inbox of
records an exam system sent that could not become drafts, where a study administrator corrects
and re-applies a record or dismisses it, and the list of the university's exam-system clients,
where one is created (its token shown once) or deactivated.

Study administrators of the current university only; other staff and students get 403. A
record or client of another university is a 404. B-6: a record shows what the exam system sent;
a code is never joined to its person here.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ladokportal.attempts import attempt
from people.rules import administers_studies_at
from results.errors import ResultError
from results.models import RejectedRecord
from results.queries import integration as integration_queries
from results.services import integration
from staffweb.access import require
from staffweb.integrations.forms import ClientForm, CorrectionForm, DismissForm, InboxFilterForm

PAGE_SIZE = 50


def _record_or_404(request: HttpRequest, record_id: uuid.UUID) -> RejectedRecord:
    record = integration_queries.record_at(request.institution, record_id)
    if record is None:
        raise Http404
    return record


@require_GET
@require(administers_studies_at)
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    records = integration_queries.inbox(request.institution, state=form.state_filter())
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [integration_queries.shaped(r) for r in page.object_list]
    return render(
        request, "staffweb/integrations/inbox.html", {"form": form, "page": page, "rows": rows}
    )


def _record_page(request: HttpRequest, record: RejectedRecord, **forms) -> HttpResponse:
    context = {"row": integration_queries.shaped(record), **forms}
    return render(request, "staffweb/integrations/record.html", context)


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def record(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    """The record, and "Correct and re-apply": the form posts here."""
    found = _record_or_404(request, record_id)
    row = integration_queries.shaped(found)
    if not row.is_open:
        return _record_page(request, found)
    session = integration.SessionContext.load(found.session)
    posted = request.method == "POST"
    form = CorrectionForm(request.POST if posted else None, record=found, context=session)
    if posted and form.is_valid():
        try:
            integration.reapply(request.user, record=found, corrected=form.pushed())
        except ResultError as error:
            for reason in str(error).splitlines():
                form.add_error(None, reason)
        else:
            messages.success(request, _("The record is applied: it is now a draft result."))
            return redirect("staff_integrations")
    return _record_page(request, found, form=form, dismiss_form=DismissForm())


@require_POST
@require(administers_studies_at)
def dismiss(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    found = _record_or_404(request, record_id)
    form = DismissForm(request.POST)
    if form.is_valid():
        if attempt(
            request,
            lambda: integration.dismiss(request.user, record=found, note=form.cleaned_data["note"]),
            _("The record is dismissed."),
        ):
            return redirect("staff_integrations")
        return redirect("staff_integration_record", record_id=found.public_id)
    if not integration_queries.shaped(found).is_open:
        return _record_page(request, found)
    session = integration.SessionContext.load(found.session)
    return _record_page(
        request,
        found,
        form=CorrectionForm(record=found, context=session),
        dismiss_form=form,
    )


@require_GET
@require(administers_studies_at)
def clients(request: HttpRequest) -> HttpResponse:
    rows = integration_queries.clients_at(request.institution)
    return render(request, "staffweb/integrations/clients.html", {"clients": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def client_create(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ClientForm(
        request.POST if posted else None,
        acting_users=integration_queries.acting_user_choices(request.institution),
    )
    if posted and form.is_valid():
        try:
            client, token = integration.create_client(
                request.user, institution=request.institution, **form.cleaned_data
            )
        except ResultError as error:
            form.add_error(None, str(error))
        else:
            # The token is in this answer only: not in a message, a URL or the session, and
            # the page is not cached.
            return render(
                request,
                "staffweb/integrations/client_created.html",
                {"client": client, "token": token},
            )
    return render(request, "staffweb/integrations/client_form.html", {"form": form})


@require_POST
@require(administers_studies_at)
def client_deactivate(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    client = integration_queries.client_at(request.institution, client_id)
    if client is None:
        raise Http404
    integration.deactivate_client(request.user, client=client)
    messages.success(
        request,
        _("%(name)s can no longer send results: its token stops working now.")
        % {"name": client.name},
    )
    return redirect("staff_integration_clients")
