"""The student's exam sessions (S-EXAM-1..3, S-EXAM-4 through the service, B-1, B-9).

The page lists the sessions of the chosen filter as cards (exams.queries), each with the
sign-up button or the reason there is none, and details with the cancel button or its reason.
Sign-up and cancellation go through exams.services: without JavaScript they end in a redirect
back to the filter with a message; with htmx the card is swapped in place. Cancelling asks for
confirmation first: a page of its own, or with htmx the question inside the card.

The calendar feed is fetched by calendar apps without a login: its secret link is the key.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect
from django_scopes import scopes_disabled

from exams import calendar, queries, services
from exams.models import ActivitySession, CalendarFeed, Signup
from exams.queries import SessionCard
from institutions.models import LocalTextSlot
from institutions.queries import local_text
from ladokportal import links, nexturl
from people.access import student_required

SESSIONS_TEMPLATE = "studentweb/exams/sessions.html"
SESSION_TEMPLATE = "studentweb/exams/session.html"
CANCEL_TEMPLATE = "studentweb/exams/cancel.html"

FILTER_LABELS = {
    "not_signed_up": pgettext_lazy("exam sessions filter", "Not signed up"),
    "signed_up": pgettext_lazy("exam sessions filter", "Signed up"),
    "past": pgettext_lazy("exam sessions filter", "Past"),
}
DEFAULT_FILTER = "not_signed_up"


class ExamFilterForm(forms.Form):
    """S-EXAM-2: which of the three filters; anything else falls back to Not signed up."""

    show = forms.ChoiceField(choices=[(key, FILTER_LABELS[key]) for key in queries.FILTERS])

    def value(self) -> str:
        return self.cleaned_data["show"] if self.is_valid() else DEFAULT_FILTER


def _show(data) -> str:
    return ExamFilterForm(data).value()


def _list_url(show: str) -> str:
    return f"{reverse('exam_sessions')}?{urlencode({'show': show})}"


def _back(request: HttpRequest, show: str) -> str:
    """Where a POST returns to: the page it came from (e.g. the start page), if it is ours,
    else the filter it was made under."""
    return nexturl.local(request, request.POST.get("next"), _list_url(show))


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def _card(request: HttpRequest, public_id: uuid.UUID) -> SessionCard | None:
    return queries.exam_card(request.user.person, request.institution.settings, public_id)


def _card_or_404(request: HttpRequest, public_id: uuid.UUID) -> SessionCard:
    card = _card(request, public_id)
    if card is None:
        raise Http404
    return card


def _card_response(request: HttpRequest, card: SessionCard, show: str, **extra) -> HttpResponse:
    """The card alone, for htmx, with its details open: the student was working in them."""
    context = {"card": card, "show": show, "expanded": True, **extra}
    return render(request, SESSION_TEMPLATE + "#card", context)


# --- The page (S-EXAM-1..3) ---------------------------------------------------------------------


@require_GET
@student_required
def exam_sessions(request: HttpRequest) -> HttpResponse:
    show = _show(request.GET)
    person = request.user.person
    feed = calendar.feed_of(person)
    feed_url = links.absolute(reverse("exam_calendar_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        SESSIONS_TEMPLATE,
        {
            "show": show,
            "filters": [(key, FILTER_LABELS[key]) for key in queries.FILTERS],
            "cards": queries.exam_cards(person, request.institution.settings, show),
            "local_text": local_text(request.institution, LocalTextSlot.EXAMS),
            "feed_url": feed_url,
            # The same link for calendar apps that open webcal: links (phones, mostly).
            "webcal_url": "webcal" + feed_url.removeprefix("https").removeprefix("http"),
        },
    )


@vary_on_headers("HX-Request")
@require_GET
@student_required
def exam_session(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One card as a page of its own, or for htmx the card alone (e.g. when a cancellation
    is not confirmed after all)."""
    card = _card_or_404(request, public_id)
    show = _show(request.GET)
    if request.htmx:
        return _card_response(request, card, show)
    return render(request, SESSION_TEMPLATE, {"card": card, "show": show, "expanded": True})


# --- Sign-up and cancellation (S-EXAM-1, S-EXAM-4) ----------------------------------------------


@vary_on_headers("HX-Request")
@require_POST
@student_required
def exam_sign_up(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Any session of the university may be asked for: the service refuses those of courses the
    student does not take, with its reason."""
    session = get_object_or_404(ActivitySession, public_id=public_id)
    show = _show(request.POST)
    try:
        signup = services.sign_up(request.user, session=session)
    except services.SignupError as error:
        return _after(request, public_id, show, refusal=str(error))
    notice = _("You are signed up for %(session)s.") % {"session": session.name}
    if signup.anonymisation_code:
        notice += " " + _("Your anonymisation code is %(code)s.") % {
            "code": signup.anonymisation_code
        }
    return _after(request, public_id, show, notice=notice)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@student_required
def exam_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """GET: the confirmation (a page, or for htmx the question inside the card); POST: the
    cancellation, which the service refuses where the session or the university does not
    allow it."""
    if request.method == "GET":
        card = _card_or_404(request, public_id)
        if card.signup is None:
            raise Http404
        context = {"card": card, "show": _show(request.GET)}
        return render(request, CANCEL_TEMPLATE + ("#confirm" if request.htmx else ""), context)
    signup = get_object_or_404(
        Signup.objects.select_related("session"),
        person=request.user.person,
        session__public_id=public_id,
        cancelled_at__isnull=True,
    )
    show = _show(request.POST)
    try:
        services.cancel_sign_up(request.user, signup=signup)
    except services.SignupError as error:
        return _after(request, public_id, show, refusal=str(error))
    notice = _("Your sign-up for %(session)s has been cancelled.") % {
        "session": signup.session.name
    }
    return _after(request, public_id, show, notice=notice)


def _after(
    request: HttpRequest, public_id: uuid.UUID, show: str, *, notice: str = "", refusal: str = ""
) -> HttpResponse:
    """With htmx the card in its new state with the outcome inside it; otherwise (or when the
    session is not one of the student's) a message and back to where the student was."""
    card = _card(request, public_id) if request.htmx else None
    if card is not None:
        return _card_response(request, card, show, notice=notice, refusal=refusal)
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, notice)
    return _go(request, _back(request, show))


# --- Calendar feed (B-9) ------------------------------------------------------------------------


@require_POST
@student_required
def exam_calendar_link(request: HttpRequest) -> HttpResponse:
    """Create the secret calendar link, or replace it: the old one stops working."""
    had_one = calendar.feed_of(request.user.person) is not None
    calendar.renew_feed(request.user)
    if had_one:
        messages.success(
            request, _("A new calendar link has been created. The old link no longer works.")
        )
    else:
        messages.success(request, _("Your calendar link has been created."))
    return redirect(_list_url(_show(request.POST)) + "#calendar")


@login_not_required
@require_safe
def exam_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    # A calendar app has no session: the random token is the only credential, looked up in the
    # database. The feed covers every university the person is signed up at, so the scope of
    # one university that the middleware opened is deliberately lifted here, and only here.
    with scopes_disabled():
        feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
        body = calendar.feed_ics(feed.person)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="exam-sessions.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
