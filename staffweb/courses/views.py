"""Course search and course view for staff (seed 004): find a course by code or name from the
search at the top of every staff page; the course lists its instances; an instance lists its
modules and its activity sessions, each with its Report and Certify tabs whenever the person
holds the right, not only while results wait (T-CERT-1, T-ANON-1). Any staff member of the
university may search and look; what each tab does is guarded by its own page."""

import uuid

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from catalog import queries
from staffweb.access import any_staff_member, require, rights


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Course code or name"), max_length=100, required=False)


@require_GET
@require(any_staff_member)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    courses = list(queries.search_courses(request.institution.pk, text)) if text else []
    return render(
        request,
        "staffweb/courses/search.html",
        {"form": form, "text": text, "courses": courses, "limit": queries.SEARCH_LIMIT},
    )


def _course_or_404(request: HttpRequest, code: str):
    found = queries.course_with_instances(request.institution.pk, code)
    if found is None:
        raise Http404
    return found


@require_GET
@require(any_staff_member)
def course(request: HttpRequest, code: str) -> HttpResponse:
    found = _course_or_404(request, code)
    mine = rights(request)
    return render(
        request,
        "staffweb/courses/course.html",
        {
            "course": found,
            "instances": found.instances.all(),
            "may_report": mine.may_report(found),
            "may_certify": mine.may_certify(found),
        },
    )


@require_GET
@require(any_staff_member)
def instance(request: HttpRequest, code: str, instance_id: uuid.UUID) -> HttpResponse:
    found = _course_or_404(request, code)
    chosen = queries.instance_with_modules_and_sessions(found, instance_id)
    if chosen is None:
        raise Http404
    mine = rights(request)
    return render(
        request,
        "staffweb/courses/instance.html",
        {
            "course": found,
            "instance": chosen,
            "modules": chosen.course.modules.all(),
            "sessions": chosen.activity_sessions.all(),
            "may_report": mine.may_report(found),
            "may_certify": mine.may_certify(found),
        },
    )
