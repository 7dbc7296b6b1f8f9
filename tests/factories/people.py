import datetime

import factory

from people.models import Person, StaffRole, StaffRoleKind, User


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        v = int(ch) * (2 - i % 2)
        total += v - 9 if v > 9 else v
    return str((10 - total % 10) % 10)


def valid_identity_number(birth: datetime.date, serial: int, *, coordination: bool = False) -> str:
    """A canonical 12-digit number with a correct check digit."""
    day = birth.day + (60 if coordination else 0)
    short = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{birth:%Y%m}{day:02d}{serial:03d}{_luhn_digit(short)}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    birth_date = factory.Sequence(
        lambda n: datetime.date(1990, 1, 1) + datetime.timedelta(days=n % 9000)
    )
    identity_number = factory.LazyAttributeSequence(
        lambda o, n: valid_identity_number(o.birth_date, 100 + n % 800)
    )
    email = factory.LazyAttributeSequence(lambda o, n: f"student{n}@example.se")
    registered_street = "Storgatan 1"
    registered_postal_code = "222 22"
    registered_city = "Lund"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save(update_fields=["password"])


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory("tests.factories.institutions.InstitutionFactory")
    role = StaffRoleKind.REPORTER
