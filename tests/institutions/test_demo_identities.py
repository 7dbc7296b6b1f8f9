"""The demo's identity numbers are Skatteverket's published test personal identity numbers
(#16): the rule of institutions.demo.identities yields only those, and the demo's people use only
the rule (tests/institutions/test_seed_demo.py checks every seeded person)."""

import datetime
import json
import os
from pathlib import Path

import pytest

from institutions.demo import identities
from people import identity


def test_hand_picked_numbers_are_valid_test_numbers_by_sex():
    woman = identities.test_number(datetime.date(2001, 4, 17), female=True)
    man = identities.test_number(datetime.date(2001, 4, 17), female=False)
    assert (woman[8:11], man[8:11]) == ("238", "239")
    assert identity.normalise(woman) == woman and identities.is_test_number(man)


@pytest.mark.parametrize("birth", [datetime.date(1995, 12, 31), datetime.date(2004, 1, 1)])
def test_hand_picked_birth_dates_stay_in_their_range(birth):
    with pytest.raises(ValueError):
        identities.test_number(birth, female=True)


def test_a_day_the_list_leaves_out_has_no_number():
    with pytest.raises(ValueError):
        identities.test_number(datetime.date(2001, 11, 4), female=True)


def test_drawn_and_bulk_numbers_are_test_numbers_and_never_meet():
    import random

    drawer = identities.NumberDrawer(random.Random(1))  # noqa: S311 - the demo's draw, not a secret
    drawn = {drawer.draw(female=n % 2 == 0)[1] for n in range(200)}
    bulk = {identities.bulk_identity_number(i)[1] for i in range(0, 14_000, 7)} - {None}
    assert all(identities.is_test_number(n) for n in drawn | bulk)
    assert not drawn & bulk
    assert identities.bulk_identity_number(len(identities.BULK_NUMBERS))[1] is None


VECTORS = Path(os.environ.get("IDENTITY_VECTORS", "/nonexistent"))


@pytest.mark.skipif(not VECTORS.is_dir(), reason="IDENTITY_VECTORS names no folder")
def test_the_rule_yields_only_published_numbers():
    published = set(json.loads((VECTORS / "testpersonnummer.json").read_text()))
    first, last = identities.BULK[0], identities.DRAWN[1]
    yielded = {number for _day, number in identities._walk(first, last)}
    assert yielded - published == set()
    assert len(yielded) > 24_000
