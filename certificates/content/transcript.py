"""The body of the transcript of records (resultatintyg) at one university and of the national
transcript from every university in the system (S-CERT-1): courses with their final grades,
modules, credit transfers, with the student's options (only completed courses; modules; failed
attempts).

Results are read only through results.queries.student.visible: certified and not removed, the
same rule as every student page. Which result counts on a module is the same as on the course page
(the latest certified by examination date). A transcript that looks official (#16): each grade with
its code and word, the legend of every grading scale used, the thesis title the course page shows
(an annotation column shown to students), and the credits summed per level of education. Four
queries per transcript, whatever the number of courses or universities.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from catalog.models import EducationLevel, Grade, Module
from certificates.content import credits
from certificates.errors import CertificateError
from certificates.options import Options
from institutions.models import Institution
from ladokportal.i18n import pick
from people.models import Person
from results.models import AnnotationColumn, AnnotationKind, Result, ResultSource
from results.queries.student import COUNTING_ORDER, visible


def local(person: Person, institution: Institution, options: Options, language: str, today):
    rows = _results(person).filter(institution=institution)
    return _transcript(rows, options, language)


def national(person: Person, institution: Institution, options: Options, language: str, today):
    # The one read in the portal that crosses universities on purpose: the national transcript
    # is the student's own records everywhere in the system (S-CERT-1).
    with scopes_disabled():
        return _transcript(_results(person), options, language)


def _results(person: Person):
    return visible(person).select_related(
        "grade__scale", "module", "course_instance__course", "institution"
    )


def _transcript(rows, options: Options, language: str) -> dict:
    results = list(rows.order_by(*COUNTING_ORDER))
    modules = _modules_of({r.course_instance.course_id for r in results})
    titled = _titled({r.course_instance.course_id for r in results})
    by_course: dict[int, list[Result]] = {}
    for result in results:
        by_course.setdefault(result.course_instance.course_id, []).append(result)
    universities: dict[int, dict] = {}
    for course_results in by_course.values():
        course = _course(course_results, modules, titled, options, language)
        if course is None:
            continue
        institution = course_results[0].institution
        university = universities.setdefault(
            institution.pk,
            {
                "code": institution.code,
                "name": pick(institution.name_sv, institution.name_en, language),
                "courses": [],
            },
        )
        university["courses"].append(course)
    _add_credit_transfers(universities, results, language)
    for university in universities.values():
        university["courses"].sort(key=lambda c: (c["date"], c["code"]))
        university["credits"] = credits(sum(Decimal(c["credits"]) for c in university["courses"]))
        university["levels"] = _per_level(university["courses"])
    ordered = sorted(universities.values(), key=lambda u: u["name"])
    if not ordered:
        # A transcript with nothing on it is a true statement but never what the student
        # wanted: say why before a document is made.
        raise CertificateError(
            _("Nothing on the records matches the options chosen.")
            if results
            else _("There are no certified results yet, so a transcript of records would be empty.")
        )
    shown = [u["courses"] for u in ordered]
    return {
        "universities": ordered,
        "credits": credits(sum(Decimal(u["credits"]) for u in ordered)),
        "levels": _per_level([course for courses in shown for course in courses]),
        "scales": _scales(results, language),
    }


def _titled(course_ids: set[int]) -> set[tuple[int, int | None]]:
    """(course, module or None) whose thesis title the student sees: the same columns as the
    course page (results.queries.student). One query."""
    return set(
        AnnotationColumn.objects.filter(
            course_id__in=course_ids, kind=AnnotationKind.TITLE, shown_to_student=True
        ).values_list("course_id", "module_id")
    )


def _title(result: Result, titled: set) -> str:
    if (result.course_instance.course_id, result.module_id) not in titled:
        return ""
    return str(result.annotations.get(AnnotationKind.TITLE) or "")


def _per_level(courses: list[dict]) -> list[dict]:
    """Credits summed per level of education (first, second, third cycle), in that order."""
    sums: dict[str, Decimal] = {}
    for course in courses:
        sums[course["level"]] = sums.get(course["level"], Decimal(0)) + Decimal(course["credits"])
    return [
        {"level": level.value, "name": str(level.label), "credits": credits(sums[level.value])}
        for level in EducationLevel
        if level.value in sums
    ]


def _scales(results: list[Result], language: str) -> list[dict]:
    """The legend: every grading scale a grade on the transcript comes from, with all its grades,
    lowest first. One query."""
    used = {r.grade.scale_id: r.grade.scale for r in results}
    grades: dict[int, list[dict]] = {pk: [] for pk in used}
    for grade in Grade.objects.filter(scale_id__in=used).order_by("scale_id", "rank"):
        grades[grade.scale_id].append(
            {"code": grade.code, "name": pick(grade.name_sv, grade.name_en, language)}
        )
    return [
        {
            "code": scale.code,
            "name": pick(scale.name_sv, scale.name_en, language),
            "grades": grades[pk],
        }
        for pk, scale in sorted(used.items(), key=lambda item: item[1].code)
    ]


def _add_credit_transfers(universities: dict[int, dict], results: list[Result], language: str):
    """S-CERT-1: each credit transfer on the transcript as an entry of its own, with what it
    rests on (the decision's case and the earlier education). One query."""
    from credits.queries import decisions_of

    credited = [r for r in results if r.source == ResultSource.CREDIT]
    decisions = decisions_of(credited)
    for result in credited:
        university = universities.get(result.institution_id)
        item = decisions.get(result.pk)
        if university is None or item is None:
            continue
        target = result.module or result.course_instance.course
        university.setdefault("credit_transfers", []).append(
            {
                "code": target.code,
                "name": pick(target.name_sv, target.name_en, language),
                "credits": credits(item.credited_credits),
                "grade": _grade(result, language),
                "date": result.examination_date.isoformat(),
                "case": item.case.number,
                "basis": item.basis,
            }
        )


def _modules_of(course_ids: set[int]) -> dict[int, list[Module]]:
    by_course: dict[int, list[Module]] = {}
    for module in Module.objects.filter(course_id__in=course_ids).order_by("position", "code"):
        by_course.setdefault(module.course_id, []).append(module)
    return by_course


def _course(
    results: list[Result],
    modules: dict[int, list[Module]],
    titled: set,
    options: Options,
    language: str,
) -> dict | None:
    """One course: its final grade when certified, else the passed modules so far. None when
    the options leave nothing of it."""
    course = results[0].course_instance.course
    finals = [r for r in results if r.module_id is None]
    final = finals[-1] if finals else None
    if options.completed_only and final is None:
        return None
    module_rows = []
    passed_credits = Decimal(0)
    for module in modules.get(course.pk, []):
        attempts = [r for r in results if r.module_id == module.pk]
        if not attempts:
            continue
        counting = attempts[-1]
        if counting.grade.passing:
            passed_credits += module.credits
        shown = attempts if options.include_failed else [counting]
        shown = [r for r in shown if options.include_failed or r.grade.passing]
        module_rows.extend(
            _module_row(module, r, r is counting, _title(r, titled), language) for r in shown
        )
    if final is None and not module_rows:
        return None
    return {
        "code": course.code,
        "name": pick(course.name_sv, course.name_en, language),
        "course_credits": credits(course.credits),
        # What the course counts for on this transcript: all of it when completed.
        "credits": credits(course.credits if final else passed_credits),
        "completed": final is not None,
        "grade": _grade(final, language) if final else None,
        "date": (final or results[-1]).examination_date.isoformat(),
        "credited": bool(final and final.source == ResultSource.CREDIT),
        "level": course.level,
        # The thesis title: of the course grade, or of the module that carries it.
        "title": (_title(final, titled) if final else "")
        or next((row["title"] for row in module_rows if row["title"]), ""),
        "modules": module_rows if options.include_modules else [],
    }


def _module_row(module: Module, result: Result, counting: bool, title: str, language: str) -> dict:
    return {
        "code": module.code,
        "name": pick(module.name_sv, module.name_en, language),
        "credits": credits(module.credits),
        "grade": _grade(result, language),
        "date": result.examination_date.isoformat(),
        "passing": result.grade.passing,
        "counting": counting,
        "credited": result.source == ResultSource.CREDIT,
        "title": title,
    }


def _grade(result: Result, language: str) -> dict:
    return {
        "code": result.grade.code,
        "name": pick(result.grade.name_sv, result.grade.name_en, language),
        "scale": result.grade.scale.code,
    }
