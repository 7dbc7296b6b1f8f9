import datetime
from decimal import Decimal

import factory

from catalog.grading import NATIONAL_SCALES, SCALE_UG
from catalog.models import (
    Course,
    CourseInstance,
    CourseInstancePeriod,
    Grade,
    GradingScale,
    Module,
    Programme,
    ProgrammeInstance,
    StudyPeriod,
)


def scale(code: str = SCALE_UG) -> GradingScale:
    """The national scales come from a data migration; a transactional test's flush empties the
    table for the tests after it, so they are put back when missing."""
    found = GradingScale.objects.filter(code=code).first()
    if found is None:
        restore_national_scales()
        found = GradingScale.objects.get(code=code)
    return found


def restore_national_scales() -> None:
    """What catalog/0003_national_grading_scales creates."""
    for code, name_sv, name_en, grades in NATIONAL_SCALES:
        scale_row, _created = GradingScale.objects.get_or_create(
            code=code, defaults={"name_sv": name_sv, "name_en": name_en}
        )
        for rank, (grade, grade_sv, grade_en, passing) in enumerate(grades, start=1):
            Grade.objects.get_or_create(
                scale=scale_row,
                code=grade,
                defaults={
                    "name_sv": grade_sv,
                    "name_en": grade_en,
                    "passing": passing,
                    "rank": rank,
                },
            )


class StudyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyPeriod

    institution = factory.SubFactory("tests.factories.institutions.InstitutionFactory")
    code = factory.Sequence(lambda n: f"P{n}")
    name_sv = factory.LazyAttribute(lambda o: o.code)
    name_en = factory.LazyAttribute(lambda o: o.code)
    start_date = datetime.date(2026, 8, 31)
    end_date = datetime.date(2027, 1, 17)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    institution = factory.SubFactory("tests.factories.institutions.InstitutionFactory")
    code = factory.Sequence(lambda n: f"KURS{n:02d}")
    name_sv = factory.Sequence(lambda n: f"Kurs {n}")
    name_en = factory.Sequence(lambda n: f"Course {n}")
    credits = Decimal("7.5")
    grading_scale = factory.LazyFunction(scale)
    level = "first"


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    institution = factory.SelfAttribute("course.institution")
    code = factory.Sequence(lambda n: f"{n:04d}")
    name_sv = factory.Sequence(lambda n: f"Moment {n}")
    name_en = factory.Sequence(lambda n: f"Module {n}")
    credits = Decimal("7.5")
    grading_scale = factory.LazyFunction(scale)


class CourseInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseInstance

    course = factory.SubFactory(CourseFactory)
    institution = factory.SelfAttribute("course.institution")
    instance_code = factory.Sequence(lambda n: f"{10000 + n}")
    start_date = datetime.date(2026, 8, 31)
    end_date = datetime.date(2026, 11, 1)
    pace = 50
    town = "Lund"
    teaching_language = "sv"


class CourseInstancePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseInstancePeriod

    course_instance = factory.SubFactory(CourseInstanceFactory)
    institution = factory.SelfAttribute("course_instance.institution")
    study_period = factory.SubFactory(
        StudyPeriodFactory, institution=factory.SelfAttribute("..institution")
    )
    sequence = 1
    credits = factory.SelfAttribute("course_instance.course.credits")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    institution = factory.SubFactory("tests.factories.institutions.InstitutionFactory")
    code = factory.Sequence(lambda n: f"PROG{n}")
    kind = "programme"
    credits = Decimal("180")
    name_sv = factory.Sequence(lambda n: f"Program {n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")


class ProgrammeInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeInstance

    programme = factory.SubFactory(ProgrammeFactory)
    institution = factory.SelfAttribute("programme.institution")
    instance_code = factory.Sequence(lambda n: f"P{20000 + n}")
    start_date = datetime.date(2026, 8, 31)
    end_date = datetime.date(2029, 6, 7)
