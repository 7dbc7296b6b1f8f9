"""Numbers and ids from forms are bounded before they reach the database (#17 point 4).

A 40-digit id in a choice field made SQLite raise OverflowError and PostgreSQL "out of range"
(HTTP 500). Installed once at start-up (ladokportal.apps), for every form of every app, the ones
added later included:

- a model choice field whose key is an integer refuses any key that is not a whole number within
  the database's range, with the field's own "not one of the choices" message;
- an integer (or decimal, or float) form field without its own limits gets the database's range.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

BIGINT = 2**63 - 1
INT = 2**31 - 1


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

    integer_init = forms.IntegerField.__init__

    def bounded_init(self, *, max_value=None, min_value=None, **kwargs):
        integer_init(
            self,
            max_value=BIGINT if max_value is None else max_value,
            min_value=-BIGINT - 1 if min_value is None else min_value,
            **kwargs,
        )

    forms.ModelChoiceField.to_python = bounded_to_python
    forms.ModelMultipleChoiceField._check_values = bounded_check_values
    forms.IntegerField.__init__ = bounded_init
    forms.ModelChoiceField._bounded = True
