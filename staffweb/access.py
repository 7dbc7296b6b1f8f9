"""Who may open a staff page (#11 point 5): one guard, `require(predicate)`, on every view.

A staff page is for someone with a staff role at the current university for whom a named
predicate of the domain's rules holds there:

    @require(administers_studies_at)  # people.rules: study administrators
    @require(reports_at)             # results.rules: any reporting right at the university
    @require(certifies_at)           # results.rules: examiners
    @require(administers_rights_at)  # people.rules: system administrators of the whole university
    @require(any_staff_member)       # everyone with a staff role here

The predicates are the `rules` predicates each domain app defines and registers as permissions
(registration.rules, results.rules, people.rules, exams.rules); the guard asks them the way
`rules` does, `predicate.test(user, id of the current university)`, and they are the very
objects the services call, so a page and the service behind it cannot disagree. Predicates
combine (`reports_at | certifies_at`). Someone without a staff role at any university (a
student) sees the page that sends them to the student web, 403. A staff member for whom the
predicate does not hold is refused with NotAllowed, answered 403 by ladokportal.refusals - the one
place a refusal becomes a response.

A right on one object (this course, this session) is judged after the object is found: another
university's, or one that does not exist, is a 404; one the person has no right on is
NotAllowed, 403 (DESIGN.md "How a request flows").
"""

import uuid
from collections.abc import Callable
from functools import wraps

import rules
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.models import Course, CourseInstance
from ladokportal.errors import NotAllowed
from results.queries import common as common_queries
from results.rules import Rights

View = Callable[..., HttpResponse]

# Having a staff role at the current university is what `require` checks before any predicate
# (the middleware picks the current university among those the person has a role at).
any_staff_member = rules.always_allow


def require(predicate: rules.Predicate) -> Callable[[View], View]:
    """Guard a staff view: a staff role at the current university, and `predicate` there."""

    def guard(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.institution is None:
                return render(request, "people/not_staff.html", status=403)
            if not predicate.test(request.user, request.institution.pk):
                raise NotAllowed
            return view(request, *args, **kwargs)

        return guarded

    return guard


def rights(request: HttpRequest) -> Rights:
    """The person's result rights at the current university, read once per request (the
    `reports_at` and `certifies_at` guards read the same ones)."""
    return Rights.remembered(request.user, request.institution.pk)


def course_instance_or_404(
    request: HttpRequest,
    instance_id: uuid.UUID,
    right: Callable[[Rights, Course], bool],
    *,
    with_modules: bool = False,
) -> CourseInstance:
    """The course instance in the URL: 404 outside the current university, 403 (NotAllowed)
    without `right` on its course, e.g. `Rights.may_report` or `Rights.may_certify`."""
    found = common_queries.course_instance(instance_id, with_modules=with_modules)
    if found is None:
        raise Http404
    if not right(rights(request), found.course):
        raise NotAllowed
    return found
