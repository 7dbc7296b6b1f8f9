"""Student and alumni pages. Views are thin: a form parses, a service writes, a query reads."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from exams import queries as exam_queries
from institutions import choice
from institutions.models import LocalTextSlot
from institutions.queries import local_text
from ladokportal import clock
from people import services
from people.access import student_required
from people.middleware import alumni_allowed
from registration import queries as registration_queries
from results.queries import student as result_queries
from results.services import students
from studentweb.education import expanded_course
from studentweb.forms import ContactDetailsForm
from studychoices import queries as studychoice_queries


@alumni_allowed
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own part of the portal."""
    if request.session.get("portal_mode") == "alumni":
        return redirect("alumni_home")
    if request.institution is not None:
        return redirect("student_start")
    if request.user.staff_roles.exists():
        return redirect("staff_home")
    return render(request, "people/not_student.html", status=403)


@student_required
def start(request: HttpRequest) -> HttpResponse:
    """S-HOME-1..4; each section is switched per university (G-4) in the template and here.

    New results (S-HOME-1) are shown the first time the page is rendered after certification,
    then marked seen, in one UPDATE after the page has been rendered: a GET with a side effect,
    which is what "shown once, then gone" asks for."""
    settings = request.institution.settings
    person = request.user.person
    today = clock.today()
    other = (
        local_text(request.institution, LocalTextSlot.START_OTHER)
        if settings.show_other_information
        else None
    )
    new_results = result_queries.new_results(person) if settings.show_new_results else []
    response = render(
        request,
        "studentweb/start.html",
        {
            "settings": settings,
            "other_information": other,
            "new_results": new_results,
            **registration_queries.start_page(person, today),
            **studychoice_queries.start_page(person, today),
            **exam_queries.start_page(person, settings),
            **(expanded_course(request) if settings.show_current_courses else {}),
            "start_url": request.path,
        },
    )
    if new_results:
        students.mark_seen(person.pk, [result.pk for result in new_results])
    return response


@alumni_allowed
@student_required
def alumni_home(request: HttpRequest) -> HttpResponse:
    return render(request, "studentweb/alumni_home.html")


@alumni_allowed
@student_required
def my_details(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    form = ContactDetailsForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.update_contact_details(request.user, person=person, changes=form.changes())
        messages.success(request, _("Your contact details have been saved."))
        return redirect("my_details")
    if request.method == "POST":
        # The form is bound to the instance; restore it so nothing half-typed is shown as saved.
        person.refresh_from_db()
    return render(request, "studentweb/my_details.html", {"form": form, "person": person})


@alumni_allowed
@require_POST
@student_required
def switch_institution(request: HttpRequest) -> HttpResponse:
    choice.switch(request)
    return redirect("home")


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (stores the choice in a cookie, so it survives logout), plus the
    person's language for e-mail and PDFs."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and isinstance(response, HttpResponseRedirect):
        services.set_language(request.user, language=language)
    return response
