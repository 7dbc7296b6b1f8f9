"""Annotation columns (T-REP-2) and points-to-grades tables (B-8): who may set them up, and
what is refused."""

from decimal import Decimal

import pytest
from django.utils import translation

from catalog.grading import SCALE_U345, SCALE_UG
from results.errors import NotAllowed, ResultError
from results.models import AnnotationColumn, AnnotationKind, GradeThreshold
from results.services import annotations
from tests.factories import ModuleFactory
from tests.factories.exams import ActivitySessionFactory
from tests.factories.results import grade, reporting_world

pytestmark = pytest.mark.django_db

K = AnnotationKind


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    return reporting_world(institution)


def test_reporter_adds_a_column_on_a_module_and_on_the_course(world):
    annotations.add_column(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        kind=K.POINTS,
        shown_to_student=False,
    )
    annotations.add_column(
        world.reporter,
        course_instance=world.instance,
        module=None,
        kind=K.TITLE,
        shown_to_student=True,
    )
    columns = AnnotationColumn.objects.order_by("kind")
    assert [(c.module_id, c.kind, c.shown_to_student) for c in columns] == [
        (world.module.pk, "points", False),
        (None, "title", True),
    ]
    assert {c.course_id for c in columns} == {world.instance.course_id}


def test_a_second_column_of_the_same_kind_is_refused(world):
    for module in (world.module, None):
        annotations.add_column(
            world.reporter,
            course_instance=world.instance,
            module=module,
            kind=K.TEXT,
            shown_to_student=False,
        )
        with pytest.raises(ResultError, match=r"There already is a column “Note” there\."):
            annotations.add_column(
                world.reporter,
                course_instance=world.instance,
                module=module,
                kind=K.TEXT,
                shown_to_student=True,
            )
    assert AnnotationColumn.objects.count() == 2


def test_columns_need_the_reporting_right_and_a_module_of_the_course(world):
    with pytest.raises(NotAllowed):
        annotations.add_column(
            world.outsider,
            course_instance=world.instance,
            module=world.module,
            kind=K.POINTS,
            shown_to_student=True,
        )
    stranger = ModuleFactory()
    with pytest.raises(ResultError, match="does not belong"):
        annotations.add_column(
            world.reporter,
            course_instance=world.instance,
            module=stranger,
            kind=K.POINTS,
            shown_to_student=True,
        )
    with pytest.raises(ResultError, match="Choose what the column holds"):
        annotations.add_column(
            world.reporter,
            course_instance=world.instance,
            module=world.module,
            kind="shoe size",
            shown_to_student=True,
        )
    assert AnnotationColumn.objects.count() == 0


def test_remove_column_takes_only_that_one(world):
    for module in (world.module, world.modules[1]):
        annotations.add_column(
            world.reporter,
            course_instance=world.instance,
            module=module,
            kind=K.POINTS,
            shown_to_student=True,
        )
    with pytest.raises(NotAllowed):
        annotations.remove_column(
            world.outsider, course_instance=world.instance, module=world.module, kind=K.POINTS
        )
    annotations.remove_column(
        world.study_admin, course_instance=world.instance, module=world.module, kind=K.POINTS
    )
    assert list(AnnotationColumn.objects.values_list("module_id", flat=True)) == [
        world.modules[1].pk
    ]
    with pytest.raises(ResultError, match="already been removed"):
        annotations.remove_column(
            world.reporter, course_instance=world.instance, module=world.module, kind=K.POINTS
        )


# --- Points to grades -----------------------------------------------------------------------------


@pytest.fixture
def session(world):
    s = ActivitySessionFactory(
        institution=world.instance.institution, course_instances=[world.instance]
    )
    s.modules.add(world.module)
    return s


def _table(**minimums):
    return [(grade(code, SCALE_UG), minimums.get(code)) for code in ("U", "G")]


def test_set_thresholds_replaces_the_table_on_the_modules_scale(world, session):
    other_scale = GradeThreshold.objects.create(
        institution=session.institution,
        session=session,
        grade=grade("3", SCALE_U345),
        min_points=Decimal(30),
    )
    count = annotations.set_thresholds(
        world.reporter,
        session=session,
        module=world.module,
        minimums=_table(U=Decimal(0), G=Decimal(30)),
    )
    assert count == 2
    count = annotations.set_thresholds(
        world.reporter, session=session, module=world.module, minimums=_table(G=Decimal("25.5"))
    )
    assert count == 1
    rows = GradeThreshold.objects.filter(session=session).order_by("pk")
    assert [(t.grade.code, t.min_points) for t in rows] == [
        ("3", Decimal(30)),
        ("G", Decimal("25.50")),
    ]
    assert rows[0] == other_scale


def test_a_wrong_table_changes_nothing(world, session):
    annotations.set_thresholds(
        world.reporter, session=session, module=world.module, minimums=_table(G=Decimal(30))
    )
    with pytest.raises(ResultError, match="G must need more points than U"):
        annotations.set_thresholds(
            world.reporter,
            session=session,
            module=world.module,
            minimums=_table(U=Decimal(40), G=Decimal(30)),
        )
    with pytest.raises(ResultError, match="grading scale"):
        annotations.set_thresholds(
            world.reporter,
            session=session,
            module=world.module,
            minimums=[(grade("5", SCALE_U345), Decimal(50))],
        )
    assert [t.min_points for t in GradeThreshold.objects.all()] == [Decimal(30)]


def test_thresholds_need_the_right_on_a_course_of_the_session(world, session):
    with pytest.raises(NotAllowed):
        annotations.set_thresholds(
            world.outsider, session=session, module=world.module, minimums=_table(G=Decimal(1))
        )
    elsewhere = ActivitySessionFactory(institution=world.instance.institution)
    with pytest.raises(NotAllowed):
        annotations.set_thresholds(
            world.reporter, session=elsewhere, module=world.module, minimums=_table(G=Decimal(1))
        )
    assert GradeThreshold.objects.count() == 0
