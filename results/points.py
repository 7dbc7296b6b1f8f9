"""Points to grades (B-8): a per-session table of thresholds proposes a grade from examination
points; the teacher confirms it by saving. Pure functions, no queries: the pages and services
hand in the grades and thresholds they have already read.

A threshold says "at least `min_points` gives `grade`". The proposal for some points is the grade
with the highest threshold the points reach; below every threshold nothing is proposed (give the
failing grade 0 points to have it proposed).
"""

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from catalog.models import Grade

# Points are annotations (results.validation): 0 ≤ points < 10000, two decimals stored here.
MAX_POINTS = Decimal("9999.99")


def parse_points(value: object) -> Decimal | None:
    """The points a person typed ("12,5" or "12.5"), or None for empty or not a number."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        return None
    if not points.is_finite() or points < 0 or points > MAX_POINTS:
        return None
    return points


def propose(points: object, thresholds: Iterable[tuple[Grade, Decimal]]) -> Grade | None:
    """The grade the points reach: the one with the highest threshold not above them. None when
    the points are missing, not a number, or below every threshold."""
    value = parse_points(points)
    if value is None:
        return None
    reached = [(minimum, grade) for grade, minimum in thresholds if minimum <= value]
    if not reached:
        return None
    # Equal thresholds are refused by check_thresholds; the rank breaks a tie in old data.
    return max(reached, key=lambda pair: (pair[0], pair[1].rank))[1]


def check_thresholds(rows: Sequence[tuple[Grade, Decimal | None]]) -> list[str]:
    """What is wrong with a table (grade → minimum points, None where not given), as messages
    fit to show; empty when it may be saved.

    - every minimum is a number from 0 to 9999.99;
    - a higher grade (by rank) needs more points than every lower grade given;
    - a passing grade never needs fewer points than a failing one (also when a scale's ranks
      and passing flags disagree).
    """
    errors: list[str] = []
    given = [(g, p) for g, p in rows if p is not None]
    for grade, minimum in given:
        if minimum < 0 or minimum > MAX_POINTS:
            errors.append(
                _("The minimum for %(grade)s must be a number from 0 to 9999.99.")
                % {"grade": grade.code}
            )
    if errors:
        return errors
    ordered = sorted(given, key=lambda pair: pair[0].rank)
    for (lower, low_points), (higher, high_points) in itertools.pairwise(ordered):
        if high_points <= low_points:
            errors.append(
                _("%(higher)s must need more points than %(lower)s (%(points)s).")
                % {"higher": higher.code, "lower": lower.code, "points": _plain(low_points)}
            )
    if errors:
        return errors
    # With ranks that put every passing grade above every failing one (all national scales)
    # the rule above already says this; it stands on its own for any other scale.
    failing = [(g, p) for g, p in given if not g.passing]
    for grade, minimum in given:
        if not grade.passing:
            continue
        above = [g for g, p in failing if p > minimum or (p == minimum and g.rank > grade.rank)]
        if above:
            errors.append(
                _(
                    "The passing grade %(grade)s cannot need fewer points than the failing grade "
                    "%(failing)s."
                )
                % {"grade": grade.code, "failing": above[0].code}
            )
    return errors


def _plain(points: Decimal) -> str:
    """12.50 → 12.5, 30.00 → 30: as a teacher would write it."""
    text = f"{points:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
