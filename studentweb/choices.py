"""Study choices and applications within a programme (S-CHOICE-1, S-CHOICE-2, S-APP-1, S-APP-2).

Each page reads through studychoices.queries (only periods and offers of the student's own
programmes: anything else is a 404) and writes through one service. Without JavaScript a POST
ends in a redirect with a message; with htmx the removal dialog opens and closes in place.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ladokportal import clock
from ladokportal.attempts import attempt
from people.access import student_required
from registration import services as registration_services
from registration.services import RegistrationError
from studychoices import queries, services
from studychoices.models import ChoiceAlternative, ChoicePeriod

PERIOD_TEMPLATE = "studentweb/choices/period.html"
REMOVE_CHOICE_TEMPLATE = "studentweb/choices/remove_choice.html"
OFFER_TEMPLATE = "studentweb/choices/offer.html"
REMOVE_APPLICATION_TEMPLATE = "studentweb/choices/remove_application.html"


class ChoiceForm(forms.Form):
    """The ticked alternatives. Nothing ticked is valid here: the service says how many to pick."""

    alternatives = forms.MultipleChoiceField(
        label=gettext_lazy("Alternatives"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, alternatives: list[ChoiceAlternative], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each choice's label is the alternative itself: the template shows its course details.
        self.fields["alternatives"].choices = [(str(a.pk), a) for a in alternatives]
        self._by_pk = {str(a.pk): a for a in alternatives}

    def chosen(self) -> list[ChoiceAlternative]:
        return [self._by_pk[pk] for pk in self.cleaned_data["alternatives"]]


def _period_or_404(request: HttpRequest, public_id: uuid.UUID) -> ChoicePeriod:
    period = queries.choice_period(request.user.person, public_id)
    if period is None:
        raise Http404
    return period


def _choice_context(request: HttpRequest, period: ChoicePeriod, **extra) -> dict:
    page = queries.choice_page(
        request.user.person, period, request.institution.settings, clock.today()
    )
    form = extra.pop("form", None) or ChoiceForm(alternatives=page.alternatives)
    return {"page": page, "form": form, **extra}


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@student_required
def choice_period(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The period, its rules and alternatives; "Choose" (S-CHOICE-1)."""
    period = _period_or_404(request, public_id)
    if request.method != "POST":
        # htmx asks for the choice part only, e.g. when a removal dialog is cancelled in place.
        partial = "#choice" if request.htmx else ""
        return render(request, PERIOD_TEMPLATE + partial, _choice_context(request, period))
    alternatives = list(period.alternatives.all())
    form = ChoiceForm(request.POST, alternatives=alternatives)
    refusal = ""
    if form.is_valid():
        try:
            services.choose(request.user, period=period, alternatives=form.chosen())
        except RegistrationError as error:
            refusal = str(error)
        else:
            messages.success(request, _("Your study choice has been saved."))
            return redirect("choice_period", public_id=period.public_id)
    else:
        refusal = _("Choose among the alternatives shown.")
    return render(
        request, PERIOD_TEMPLATE, _choice_context(request, period, form=form, refusal=refusal)
    )


def _confirm_then_remove(
    request: HttpRequest,
    *,
    context: dict,
    confirm_template: str,
    page_partial: str,
    remove: Callable[[], None],
    done: str,
    fresh_context: Callable[[str], dict],
    back: HttpResponse,
) -> HttpResponse:
    """The removal pattern of choices and applications: GET shows the confirmation (a page, or
    with htmx the dialog in place); POST removes through the service, then shows the result in
    place with htmx, or redirects with a message without JavaScript."""
    if request.method != "POST":
        return render(
            request, confirm_template + ("#remove-dialog" if request.htmx else ""), context
        )
    try:
        remove()
    except RegistrationError as error:
        if request.htmx:
            return render(request, page_partial, {**context, "refusal": str(error)})
        messages.error(request, str(error))
    else:
        if request.htmx:
            return render(request, page_partial, fresh_context(done))
        messages.success(request, done)
    return back


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@student_required
def remove_choice(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-CHOICE-2: a confirmation page (or, with htmx, the dialog in place), then removal."""
    period = _period_or_404(request, public_id)
    context = _choice_context(request, period)
    choice = context["page"].choice
    if choice is None:
        raise Http404
    return _confirm_then_remove(
        request,
        context=context,
        confirm_template=REMOVE_CHOICE_TEMPLATE,
        page_partial=PERIOD_TEMPLATE + "#choice",
        remove=lambda: services.remove_choice(request.user, choice=choice),
        done=_("Your study choice has been removed."),
        fresh_context=lambda notice: _choice_context(request, period, notice=notice),
        back=redirect("choice_period", public_id=period.public_id),
    )


def _offer_or_404(request: HttpRequest, public_id: uuid.UUID):
    offer = queries.offer(request.user.person, public_id)
    if offer is None:
        raise Http404
    return offer


def _offer_context(request: HttpRequest, offer, **extra) -> dict:
    page = queries.offer_page(
        request.user.person, offer, request.institution.settings, clock.today()
    )
    return {"page": page, **extra}


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@student_required
def application_offer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """What can be applied for, in full; "Apply" (S-APP-1)."""
    offer = _offer_or_404(request, public_id)
    if request.method != "POST":
        partial = "#application" if request.htmx else ""
        return render(request, OFFER_TEMPLATE + partial, _offer_context(request, offer))
    attempt(
        request,
        lambda: registration_services.apply(request.user, offer=offer),
        _("Your application has been saved."),
    )
    return redirect("application_offer", public_id=offer.public_id)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@student_required
def remove_application(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-APP-2: a confirmation page (or, with htmx, the dialog in place), then removal."""
    offer = _offer_or_404(request, public_id)
    context = _offer_context(request, offer)
    application = context["page"].application
    if application is None:
        raise Http404
    return _confirm_then_remove(
        request,
        context=context,
        confirm_template=REMOVE_APPLICATION_TEMPLATE,
        page_partial=OFFER_TEMPLATE + "#application",
        remove=lambda: registration_services.remove_application(
            request.user, application=application
        ),
        done=_("Your application has been removed."),
        fresh_context=lambda notice: _offer_context(request, offer, notice=notice),
        back=redirect("application_offer", public_id=offer.public_id),
    )
