"""Persons and logins of the demo.

Every demo login has the password "demo". Hashing is deliberately slow, so the hash is computed
once and shared: the demo accounts are public knowledge anyway.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password

from institutions.demo import names
from institutions.demo.identities import NumberDrawer, bulk_identity_number
from institutions.models import Institution
from people.models import Person, StaffRole, User

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented password of the public demo accounts


def demo_password_hash() -> str:
    return _hash_with(settings.PASSWORD_HASHERS[0])


@cache
def _hash_with(hasher: str) -> str:
    """Keyed by the hasher so that a changed PASSWORD_HASHERS (as in tests) gets a fresh hash."""
    return make_password(DEMO_PASSWORD)


def email_address(first: str, last: str, tag: str = "") -> str:
    """first.last@example.com, in plain ASCII (å → a, ü → u) as mail systems want it."""
    local = f"{first}.{last}{tag}".lower().replace(" ", "")
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_local}@example.com"


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str


def draw_address(rng: random.Random) -> Address:
    city, prefix = rng.choice(names.CITIES)
    street = f"{rng.choice(names.STREETS)} {rng.randint(1, 60)}"
    return Address(street, f"{prefix} {rng.randint(10, 99)}", city)


def new_person(
    first: str,
    last: str,
    birth: datetime.date,
    number: str | None,
    address: Address | None,
    **extra: object,
) -> Person:
    """An unsaved Person; `address` is the population-register address, None for someone
    without a Swedish identity number (S-CONT-3)."""
    return Person(
        first_name=first,
        last_name=last,
        birth_date=birth,
        identity_number=number,
        email=extra.pop("email", None) or email_address(first, last),
        registered_street=address.street if address else "",
        registered_postal_code=address.postal_code if address else "",
        registered_city=address.city if address else "",
        **extra,
    )


def draw_student(rng: random.Random, drawer: NumberDrawer, tag: str) -> Person:
    """An unsaved student with a drawn name, a unique identity number and an address."""
    female = rng.random() < 0.5
    first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
    last = rng.choice(names.LAST_NAMES)
    birth, number = drawer.draw(female=female)
    return new_person(
        first, last, birth, number, draw_address(rng), email=email_address(first, last, tag)
    )


def draw_international_student(rng: random.Random, number: int) -> Person:
    """An unsaved student without a Swedish number: birth date and a local number (S-CONT-4)."""
    first, last = names.INTERNATIONAL_NAMES[number % len(names.INTERNATIONAL_NAMES)]
    birth = datetime.date(1996, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    return new_person(
        first,
        last,
        birth,
        None,
        None,
        local_number=f"T{number:03d}",
        email=email_address(first, last, str(number)),
        language="en",
    )


def bulk_student(index: int, rng: random.Random) -> Person:
    """An unsaved volume-test student whose identity number follows from `index` alone; past
    the published test numbers, a local number instead (identities.py)."""
    birth, number = bulk_identity_number(index)
    female = int(number[10]) % 2 == 0 if number else rng.random() < 0.5
    first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
    last = rng.choice(names.LAST_NAMES)
    email = email_address(first, last, f".{index}")
    if number is None:
        return new_person(first, last, birth, None, None, local_number=f"V{index}", email=email)
    return new_person(first, last, birth, number, draw_address(rng), email=email)


def create_login(username: str, first: str, last: str, person: Person | None = None) -> User:
    return User.objects.create(
        username=username,
        email=f"{username}@example.com",
        first_name=first,
        last_name=last,
        person=person,
        password=demo_password_hash(),
    )


def grant(user: User, role: str, institution: Institution, **narrowing: object) -> StaffRole:
    return StaffRole.objects.create(user=user, institution=institution, role=role, **narrowing)
