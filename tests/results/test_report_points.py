"""Points to grades (B-8): the pure proposal and the checks of a threshold table."""

from decimal import Decimal

import pytest
from django.utils import translation

from catalog.grading import SCALE_AF, SCALE_U345, SCALE_UG, SCALE_UGVG
from catalog.models import Grade
from results import points
from tests.factories.results import grade

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def table(scale: str, **minimums: str) -> list[tuple[Grade, Decimal]]:
    return [(grade(code, scale), D(value)) for code, value in minimums.items()]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", D("12")),
        ("12,5", D("12.5")),
        (" 12.5 ", D("12.5")),
        ("0", D("0")),
        ("", None),
        ("abc", None),
        ("-1", None),
        ("10000", None),
        ("NaN", None),
        (None, None),
    ],
)
def test_parse_points_reads_what_teachers_type(typed, expected):
    assert points.parse_points(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0", "U"), ("29.5", "U"), ("30", "3"), ("39,99", "3"), ("40", "4"), ("50", "5"), ("99", "5")],
)
def test_propose_gives_the_highest_grade_the_points_reach(typed, expected):
    thresholds = table(SCALE_U345, U="0", **{"3": "30", "4": "40", "5": "50"})
    assert points.propose(typed, thresholds).code == expected


def test_propose_gives_nothing_below_every_threshold_or_without_points():
    thresholds = table(SCALE_UGVG, G="30", VG="45")
    assert points.propose("29", thresholds) is None
    assert points.propose("", thresholds) is None
    assert points.propose("many", thresholds) is None
    assert points.propose("45", []) is None


def test_propose_does_not_depend_on_the_order_of_the_table():
    thresholds = table(SCALE_UGVG, VG="45", U="0", G="30")
    assert points.propose("44", thresholds).code == "G"
    assert points.propose("45", thresholds).code == "VG"


def test_a_good_table_has_no_errors():
    rows = [(grade("F", SCALE_AF), None), *table(SCALE_AF, Fx="10", E="20", D="30", C="40")]
    rows += [(grade("B", SCALE_AF), None), (grade("A", SCALE_AF), D("60"))]
    assert points.check_thresholds(rows) == []


def test_higher_grades_need_more_points():
    rows = table(SCALE_UGVG, U="0", G="30", VG="30")
    assert points.check_thresholds(rows) == ["VG must need more points than G (30)."]


def test_grades_left_empty_are_skipped_when_comparing():
    rows = [*table(SCALE_U345, U="0", **{"3": "40"}), (grade("4", SCALE_U345), None)]
    rows.append((grade("5", SCALE_U345), D("35.50")))
    assert points.check_thresholds(rows) == ["5 must need more points than 3 (40)."]


def test_a_passing_grade_never_needs_fewer_points_than_a_failing_one():
    rows = table(SCALE_UG, U="20", G="10")
    # National scales rank every passing grade above the failing ones: one message says it.
    assert points.check_thresholds(rows) == ["G must need more points than U (20)."]


def test_the_passing_rule_holds_on_its_own_for_a_scale_ranked_otherwise():
    passing = Grade(code="P", passing=True, rank=1)
    failing = Grade(code="F", passing=False, rank=2)
    # Ranks ascend with the points, so the rank rule is met; the passing rule is not.
    errors = points.check_thresholds([(passing, D("10")), (failing, D("20"))])
    assert errors == ["The passing grade P cannot need fewer points than the failing grade F."]
    assert points.check_thresholds([(passing, D("10"))]) == []


def test_minimums_outside_the_range_are_refused():
    rows = table(SCALE_UG, U="-1", G="10000")
    assert points.check_thresholds(rows) == [
        "The minimum for U must be a number from 0 to 9999.99.",
        "The minimum for G must be a number from 0 to 9999.99.",
    ]
