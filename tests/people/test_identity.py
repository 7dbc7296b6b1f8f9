"""S-CONT-4: personal identity numbers and coordination numbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ladokportal import clock
from people import identity
from tests.factories import valid_identity_number


@pytest.mark.parametrize(
    "raw",
    ["19811218-9876", "198112189876", "811218-9876", "8112189876", " 19811218-9876 "],
)
def test_valid_number_is_stored_as_twelve_digits(raw):
    assert identity.normalise(raw) == "198112189876"


def test_wrong_check_digit_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as error:
        identity.normalise("19811218-9877")
    assert error.value.code == "invalid"
    assert "check digit" in error.value.messages[0]


@pytest.mark.parametrize("raw", ["19900230-1234", "19901301-1234", "19900100-1234"])
def test_impossible_date_is_refused_as_such(raw):
    with pytest.raises(ValidationError) as error:
        identity.normalise(raw)
    assert error.value.messages == ["The identity number contains a date that does not exist."]


def test_coordination_number_is_valid_and_keeps_its_day_plus_sixty():
    canonical = identity.normalise("19701063-2391")
    assert canonical == "197010632391"
    assert identity.is_coordination_number(canonical) is True
    assert identity.birth_date(canonical) == datetime.date(1970, 10, 3)


def test_coordination_number_with_impossible_day_is_refused():
    # Day 92 - 60 = 32 does not exist.
    with pytest.raises(ValidationError):
        identity.normalise("19701092-2391")


def test_ordinary_number_is_not_a_coordination_number():
    assert identity.is_coordination_number("198112189876") is False
    assert identity.birth_date("198112189876") == datetime.date(1981, 12, 18)


@pytest.mark.parametrize("raw", ["", "abc", "1981-12-18-9876", "19811218987", "1981121898761"])
def test_malformed_input_gets_the_format_message(raw):
    with pytest.raises(ValidationError) as error:
        identity.normalise(raw)
    assert error.value.code == "format"


def test_date_in_the_future_is_refused():
    future = clock.today() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        identity.normalise(valid_identity_number(future, 123))
    assert error.value.code == "date"


def test_display_form_is_yyyymmdd_dash_four():
    assert identity.display("198112189876") == "19811218-9876"


def test_mask_hides_the_last_four_digits_in_any_form():
    text = "login for 19811218-9876 and 8112189876 failed"
    assert identity.mask(text) == "login for 19811218-**** and 811218-**** failed"


def test_factory_numbers_are_valid():
    for serial in range(100, 130):
        assert identity.is_valid(valid_identity_number(datetime.date(1999, 2, 28), serial))


def test_saml_attribute_lists_give_their_first_value():
    from people.adapters import claim_value

    claims = {"personal_identity_number": ["198112189876", "ignored"], "empty": []}
    assert claim_value(claims, "personal_identity_number") == "198112189876"
    assert claim_value(claims, "empty") == ""
    assert claim_value(claims, "missing") == ""


@pytest.mark.django_db
def test_admin_form_validates_and_stores_the_canonical_number():
    from people.admin import PersonAdminForm

    data = {
        "first_name": "Ada",
        "last_name": "Admin",
        "birth_date": "1981-12-18",
        "email": "ada@example.com",
        "language": "sv",
        "local_number": "",
    }
    wrong = PersonAdminForm(data={**data, "identity_number": "198112189877"})
    assert not wrong.is_valid()
    assert "check digit" in wrong.errors["identity_number"][0]
    right = PersonAdminForm(data={**data, "identity_number": "19811218-9876"})
    assert right.is_valid(), right.errors
    assert right.cleaned_data["identity_number"] == "198112189876"
