"""Form fields Django's own almost cover: what they miss on hostile input (issue #18 item 2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# The widest integer column either database stores (PostgreSQL bigint, SQLite INTEGER).
INTEGER_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a 40-digit id is "not a valid value" instead of an overflow in the database.

    Django checks each chosen id with a lazy `filter()` and then asks `pk__in` of all of them: on
    SQLite an id wider than 64 bits raises OverflowError there (a 500), on PostgreSQL a DataError.
    """

    def _check_values(self, value: Any) -> Any:
        model = self.queryset.model if self.queryset is not None else None
        key = self.to_field_name or "pk"
        column = None if model is None else model._meta.pk if key == "pk" else model._meta.get_field(key)
        if isinstance(column, (models.IntegerField, models.AutoField)):
            for pk in value or ():
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django's own check answers it
                if number not in INTEGER_RANGE:
                    message = self.error_messages["invalid_pk_value"]
                    raise ValidationError(message, code="invalid_pk_value", params={"pk": str(pk)[:20]})
        return super()._check_values(value)  # type: ignore[misc]  # django-stubs leave out this private method
