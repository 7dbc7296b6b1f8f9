"""Numbers and ids from forms are bounded before they reach the database (#17 point 4).

A 40-digit id in a choice field made SQLite raise OverflowError and PostgreSQL "out of range"
(HTTP 500). Installed once at start-up (ladokportal.apps), for every form of every app, the ones
added later included:

- a model choice field whose key is an integer refuses any key that is not a whole number within
  the database's range, with the field's own "not one of the choices" message;
- an integer form field refuses a number outside the database's range as not a whole number
  (its own limits, if any, still speak first for the numbers within it).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

BIGINT = 2**63 - 1


def _integer_key(field: forms.ModelChoiceField) -> bool:
    name = field.to_field_name or "pk"
    meta = field.queryset.model._meta
    model_field = meta.pk if name == "pk" else meta.get_field(name)
    return isinstance(model_field, models.IntegerField | models.AutoField)


def _in_range(value: object) -> bool:
    text = str(value).strip()
    if not text.lstrip("-").isdigit() or len(text) > 20:
        return False
    return -BIGINT - 1 <= int(text) <= BIGINT


def _refuse(field: forms.ModelChoiceField, value: object) -> ValidationError:
    return ValidationError(
        field.error_messages["invalid_choice"],
        code="invalid_choice",
        params={"value": str(value)[:40]},
    )


def install() -> None:
    if getattr(forms.ModelChoiceField, "_bounded", False):
        return

    to_python = forms.ModelChoiceField.to_python

    def bounded_to_python(self, value):
        if value not in self.empty_values and _integer_key(self) and not _in_range(value):
            raise _refuse(self, value)
        return to_python(self, value)

    check_values = forms.ModelMultipleChoiceField._check_values

    def bounded_check_values(self, value):
        if _integer_key(self):
            try:
                values = frozenset(value)
            except TypeError:
                values = frozenset()
            for item in values:
                if not _in_range(item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:40]},
                    )
        return check_values(self, value)

    integer_to_python = forms.IntegerField.to_python

    def bounded_integer(self, value):
        number = integer_to_python(self, value)
        if isinstance(number, int) and not -BIGINT - 1 <= number <= BIGINT:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    forms.ModelChoiceField.to_python = bounded_to_python
    forms.ModelMultipleChoiceField._check_values = bounded_check_values
    forms.IntegerField.to_python = bounded_integer
    forms.ModelChoiceField._bounded = True
