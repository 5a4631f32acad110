"""The base of every form of the project: user text passes `maslikhat.core.text.clean_text`, and
whole numbers are bounded to what the database stores (64 bits).

A form of the project derives from `SafeForm` (or `SafeModelForm`, or mixes in `SafeFormMixin`);
tests/hostile/test_hostile_forms.py finds every form class of the project and fails on one that
does not, then feeds each of them NUL bytes, invisible-only text and numbers beyond 64 bits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from .text import UnacceptableText, clean_text

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def _checked(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def to_python_checked(value: Any) -> Any:
        value = to_python(value)
        if not isinstance(value, str):
            return value
        try:
            return clean_text(value)
        except UnacceptableText as exc:
            raise ValidationError(str(exc.message), code=exc.code) from None

    return to_python_checked


def guard_field(field: forms.Field) -> None:
    """Make one (per-form-instance) field apply the project's rules for text and numbers; a
    second call changes nothing."""
    if getattr(field, "_guarded", False):
        return
    field._guarded = True  # type: ignore[attr-defined]
    if isinstance(field, forms.CharField):
        # Django's CharField.to_python has stripped the blanks; the rest is decided here, before
        # the field's validators, clean_<name>() and the form's clean() see the value.
        field.to_python = _checked(field.to_python)  # type: ignore[method-assign,assignment]
    if isinstance(field, forms.IntegerField):
        if field.min_value is None:
            field.validators.append(MinValueValidator(INT64_MIN))
        if field.max_value is None:
            field.validators.append(MaxValueValidator(INT64_MAX))


class SafeFormMixin:
    """Mix into any Form or ModelForm (before it) to apply the rules to all of its fields."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        # Here rather than in __init__: a field added by a subclass's __init__ is covered too.
        for field in self.fields.values():
            guard_field(field)
        super().full_clean()  # type: ignore[misc]


class SafeForm(SafeFormMixin, forms.Form):
    pass


class SafeModelForm(SafeFormMixin, forms.ModelForm):
    pass
