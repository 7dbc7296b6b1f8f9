"""The portal's calendar (ladokportal.clock): a day taken from a moment is the day in Sweden.

The guard below reads every Python file of the project, tests included, and refuses the ways a
UTC date slips in: `.date()` on a datetime (the UTC day for a stored timestamp), Django's
`timezone.localdate`/`localtime` beside the one helper, and `date.today()`/`datetime.now()`
(the machine's zone). A `.date()` on a value that is naive by nature (a spreadsheet cell, a
parsed YYYYMMDD) says so with a `# naive` comment on its line.
"""

import ast
import datetime
from pathlib import Path

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone

from ladokportal import clock

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "node_modules", "staticfiles", "migrations", ".git"}
HELPER = ROOT / "ladokportal" / "clock.py"
UTC = datetime.UTC


def _python_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED.intersection(path.relative_to(ROOT).parts) and path != HELPER
    )


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


FORBIDDEN_CALLS = {
    "timezone.localdate": "use clock.today() or clock.date_of(moment)",
    "timezone.localtime": "use clock.local(moment)",
    "date.today": "use clock.today()",
    "datetime.date.today": "use clock.today()",
    "datetime.today": "use clock.now() or clock.today()",
    "datetime.datetime.today": "use clock.now() or clock.today()",
    "datetime.now": "use clock.now()",
    "datetime.datetime.now": "use clock.now()",
    "datetime.utcnow": "use clock.now()",
    "datetime.datetime.utcnow": "use clock.now()",
}


def _bare_date_call(node: ast.Call) -> bool:
    return node.func.attr == "date" and not node.args and not node.keywords


def offences(source: str, name: str = "<source>") -> list[str]:
    """Each place in `source` that takes a day or a moment past the clock module."""
    lines = source.splitlines()
    found = []
    tree = ast.parse(source, name)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _dotted(node) in FORBIDDEN_CALLS:
            # Named without a call (TODAY = timezone.localdate) it is the same way in.
            parent_calls = any(
                isinstance(other, ast.Call) and other.func is node for other in calls
            )
            if not parent_calls:
                found.append(
                    f"{name}:{node.lineno}: {_dotted(node)}: {FORBIDDEN_CALLS[_dotted(node)]}"
                )
            continue
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        line = lines[node.lineno - 1]
        dotted = _dotted(node.func)
        if dotted in FORBIDDEN_CALLS:
            found.append(f"{name}:{node.lineno}: {dotted}(): {FORBIDDEN_CALLS[dotted]}")
        elif _bare_date_call(node) and "# naive" not in line and "- naive" not in line:
            found.append(
                f"{name}:{node.lineno}: .date() gives the UTC day of a stored moment: "
                "use clock.date_of(moment), or mark a naive value with '# naive: why'"
            )
    return found


def test_no_code_takes_a_day_or_a_moment_past_the_clock():
    """G-6: the guard itself, over the project's code and tests."""
    found = []
    for path in _python_files():
        found += offences(path.read_text(), str(path.relative_to(ROOT)))
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "x = moment.date()",
        "x = timezone.now().date()",
        "x = timezone.localdate()",
        "x = timezone.localtime(moment)",
        "x = datetime.date.today()",
        "x = date.today()",
        "x = datetime.datetime.now(datetime.UTC)",
        "x = datetime.now(tz=UTC)",
        "TODAY = timezone.localdate",
    ],
)
def test_the_guard_catches_each_way_a_utc_day_slips_in(source):
    assert len(offences(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "x = clock.date_of(moment)",
        "x = clock.today()",
        "x = cell.date()  # naive: a spreadsheet cell has no time zone",
        "x = moment.date(2026, 1, 1)",
    ],
)
def test_the_guard_lets_the_helper_and_marked_naive_values_pass(source):
    assert offences(source) == []


# --- The helper at the hours where Sweden and UTC have different days ---------------------------

AWKWARD = [
    # (UTC moment, the day in Sweden)
    (datetime.datetime(2026, 12, 5, 23, 30, tzinfo=UTC), datetime.date(2026, 12, 6)),  # 00:30 CET
    (datetime.datetime(2026, 12, 5, 22, 59, tzinfo=UTC), datetime.date(2026, 12, 5)),  # 23:59 CET
    (datetime.datetime(2027, 6, 14, 22, 30, tzinfo=UTC), datetime.date(2027, 6, 15)),  # 00:30 CEST
    (datetime.datetime(2027, 6, 14, 23, 30, tzinfo=UTC), datetime.date(2027, 6, 15)),  # 01:30 CEST
    (datetime.datetime(2027, 6, 14, 21, 59, tzinfo=UTC), datetime.date(2027, 6, 14)),  # 23:59 CEST
    # Spring forward: 2027-03-28 02:00 CET becomes 03:00 CEST (01:00 UTC).
    (datetime.datetime(2027, 3, 27, 23, 30, tzinfo=UTC), datetime.date(2027, 3, 28)),
    (datetime.datetime(2027, 3, 28, 22, 30, tzinfo=UTC), datetime.date(2027, 3, 29)),
    (datetime.datetime(2027, 3, 28, 21, 59, tzinfo=UTC), datetime.date(2027, 3, 28)),
    # Fall back: 2026-10-25 03:00 CEST becomes 02:00 CET (01:00 UTC).
    (datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), datetime.date(2026, 10, 25)),
    (datetime.datetime(2026, 10, 25, 22, 59, tzinfo=UTC), datetime.date(2026, 10, 25)),
    (datetime.datetime(2026, 10, 25, 23, 0, tzinfo=UTC), datetime.date(2026, 10, 26)),
]


@pytest.mark.parametrize(("moment", "day"), AWKWARD)
def test_the_day_of_a_moment_is_the_day_in_sweden(moment, day):
    assert clock.date_of(moment) == day
    with time_machine.travel(moment, tick=False):
        assert clock.today() == day
        assert clock.date_of(clock.now()) == day


@pytest.mark.parametrize(("moment", "day"), AWKWARD)
def test_isodate_shows_the_day_in_sweden(moment, day):
    rendered = Template("{% load portal %}{{ at|isodate }}|{{ on|isodate }}").render(
        Context({"at": moment, "on": day})
    )
    assert rendered == f"{day.isoformat()}|{day.isoformat()}"


def test_isominute_shows_the_wall_clock_in_sweden_across_both_changes():
    render = Template("{% load portal %}{{ at|isominute }}").render
    # The last minute of CET before spring forward and the first of CEST after it.
    assert render(Context({"at": datetime.datetime(2027, 3, 28, 0, 59, tzinfo=UTC)})) == (
        "2027-03-28 01:59"
    )
    assert render(Context({"at": datetime.datetime(2027, 3, 28, 1, 0, tzinfo=UTC)})) == (
        "2027-03-28 03:00"
    )
    # 02:30 happens twice in autumn: once in summer time, once in winter time.
    assert render(Context({"at": datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)})) == (
        "2026-10-25 02:30"
    )
    assert render(Context({"at": datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)})) == (
        "2026-10-25 02:30"
    )


def test_a_time_zone_activated_for_a_request_does_not_move_a_legal_date():
    with timezone.override(datetime.timezone(datetime.timedelta(hours=-10))):
        assert clock.date_of(datetime.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)) == (
            datetime.date(2026, 12, 6)
        )


def test_an_empty_value_shows_nothing():
    rendered = Template("{% load portal %}[{{ none|isodate }}][{{ none|isominute }}]").render(
        Context({"none": None})
    )
    assert rendered == "[][]"
