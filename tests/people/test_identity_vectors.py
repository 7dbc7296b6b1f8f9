"""S-CONT-4 against references the project did not write (#16).

Two sets of vectors run through `people.identity.normalise`, the one validation of every entry
point:

- Generated here from Skatteverket's rules, independently of the code under test: every day of
  leap and common years (1900 is no leap year, 2000 is), each as a personal identity number and a
  coordination number, with month 00 and day 60 (unknown parts), the right check digit and every
  wrong one, in the four written forms (12 or 10 digits, with or without separator, `+` past a
  hundred), plus the published list's edge cases (birth number 000, blanks inside, interim
  letters, full-width digits).
- The published lists themselves, when `IDENTITY_VECTORS` names a folder holding them (they are
  not part of the repository; docs/identity-numbers.md says where they come from and how to run
  this): Skatteverket's test personal identity numbers and test coordination numbers, and the
  personnummer/meta `list.json` and `structured.json`.

Deliberate exception, documented in docs/identity-numbers.md: interim numbers (a letter in the
serial, personnummer/meta `interim.json`) identify nobody in the population register and are
refused.
"""

import calendar
import datetime
import json
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from ladokportal import clock
from people import identity

YEARS = (1900, 1915, 2000, 2023)
SERIALS = ("239", "000")


def _luhn(nine: str) -> int:
    # The rule as Skatteverket states it: digits alternately times 2 and 1, the digits of the
    # products summed, the check digit the one that brings the sum to a multiple of ten.
    products = [int(d) * (1 if i % 2 else 2) for i, d in enumerate(nine)]
    total = sum(sum(int(c) for c in str(p)) for p in products)
    return -total % 10


def _reference(year: int, month: int, day: int, serial: str, check: int) -> bool:
    """Valid by the rules: a real date for a personal identity number; month 0-12 and day
    0-31 (+60) for a coordination number; birth number not 000; Luhn; not after today."""
    coordination = day >= 60
    birth_day = day - 60 if coordination else day
    if coordination:
        if not (0 <= month <= 12 and 0 <= birth_day <= 31):
            return False
        earliest = datetime.date(year, month or 1, 1)
    else:
        if not (1 <= month <= 12 and 1 <= birth_day <= calendar.monthrange(year, month)[1]):
            return False
        earliest = datetime.date(year, month, birth_day)
    if serial == "000" or earliest > clock.today():
        return False
    return check == _luhn(f"{year % 100:02d}{month:02d}{day:02d}{serial}")


def _generated():
    for year in YEARS:
        for month in range(0, 13):
            for day in [*range(0, 33), *range(60, 93)]:
                for serial in SERIALS:
                    nine = f"{year % 100:02d}{month:02d}{day:02d}{serial}"
                    right = _luhn(nine)
                    for check in (right, (right + 3) % 10):
                        yield year, month, day, serial, check


def _written_forms(year: int, twelve: str) -> list[str]:
    """The ways a person writes it: the ten-digit forms only where they mean the same year."""
    forms = [twelve, f"{twelve[:8]}-{twelve[8:]}", f" {twelve[:8]}+{twelve[8:]} "]
    age_in_years = clock.today().year - year
    if 0 <= age_in_years < 100:
        forms += [twelve[2:], f"{twelve[2:8]}-{twelve[8:]}"]
    elif 100 <= age_in_years < 200:
        forms += [f"{twelve[2:8]}+{twelve[8:]}"]
    return forms


def test_generated_vectors_agree_with_the_rules():
    disagreements = []
    count = 0
    for year, month, day, serial, check in _generated():
        twelve = f"{year:04d}{month:02d}{day:02d}{serial}{check}"
        expected = _reference(year, month, day, serial, check)
        for written in _written_forms(year, twelve):
            count += 1
            try:
                got = identity.normalise(written)
            except ValidationError:
                got = None
            if (got is not None) != expected or (expected and got != twelve):
                disagreements.append((written, got, expected))
    assert count > 20_000
    assert disagreements == []


@pytest.mark.parametrize(
    "raw",
    [
        "19150072-2390",  # unknown month (Skatteverket's test coordination numbers)
        "19180660-2395",  # unknown day
        "19300290-2397",  # 30 February as stated to Skatteverket
        "090527+1474",  # past a hundred: 1909 (personnummer/meta)
        "20000229-2399",  # leap day
    ],
)
def test_published_edge_cases_are_valid(raw):
    assert identity.is_valid(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "20150916-0006",  # birth number 000
        "19090527 1474",  # blank inside the number
        "20000101-T220",  # interim number
        "１９８１１２１８-９８７６",  # full-width digits
        "19811218-98٧6",  # an Arabic-Indic digit
        "19000229-2381",  # 1900 was no leap year
    ],
)
def test_published_invalid_forms_are_refused(raw):
    assert not identity.is_valid(raw)


def test_ten_digit_century_follows_the_separator():
    this_year = clock.today().year % 100
    nine = f"{this_year:02d}0101238"
    assert identity.normalise(f"{nine[:6]}-238{_luhn(nine)}")[:2] == "20"
    assert identity.normalise("090527+1474") == "190905271474"
    assert identity.normalise("0905271474")[:4] == "2009"


# --- The published lists, when they are at hand --------------------------------------------------

VECTORS = Path(os.environ.get("IDENTITY_VECTORS", "/nonexistent"))
published = pytest.mark.skipif(
    not VECTORS.is_dir(), reason="IDENTITY_VECTORS does not name the folder of published lists"
)


def _disagreements_with_numbers(numbers: list[str]) -> list:
    wrong = []
    for number in numbers:
        for written in (number, f"{number[:8]}-{number[8:]}"):
            try:
                if identity.normalise(written) != number:
                    wrong.append(written)
            except ValidationError as error:
                wrong.append((written, error.messages))
    return wrong


@published
@pytest.mark.parametrize("name", ["testpersonnummer.json", "testsamordningsnummer.json"])
def test_skatteverkets_test_numbers_are_all_valid_and_canonical(name):
    numbers = json.loads((VECTORS / name).read_text())
    assert len(numbers) > 2000
    assert _disagreements_with_numbers(numbers) == []


@published
def test_personnummer_meta_list_agrees():
    formats = ("long_format", "short_format", "separated_format", "separated_long")
    wrong = []
    for item in json.loads((VECTORS / "list.json").read_text()):
        for name in formats:
            if identity.is_valid(item[name]) != item["valid"]:
                wrong.append((item[name], item["valid"]))
                continue
            # Without its separator a ten-digit number past a hundred reads as this century,
            # which the list itself expects only of the separated forms.
            unseparated_centenarian = name == "short_format" and "+" in item["separated_format"]
            if item["valid"] and not unseparated_centenarian:
                canonical = identity.normalise(item[name])
                if canonical != item["long_format"]:
                    wrong.append((item[name], canonical))
    structured = json.loads((VECTORS / "structured.json").read_text())
    for kind in structured.values():
        for form in kind.values():
            for validity, values in form.items():
                wrong += [v for v in values if identity.is_valid(str(v)) != (validity == "valid")]
    assert wrong == []
