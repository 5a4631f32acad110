"""IIN, the 12-digit individual identification number (see DOMAIN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


@dataclass(frozen=True)
class IIN:
    value: str
    birth_date: date
    male: bool


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no valid digit exists."""
    digits = [int(c) for c in first_eleven]
    c = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if c == 10:
        c = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if c == 10:
            return None
    return c


def parse_iin(value: object) -> IIN:
    """Validate and parse an IIN; raises ValidationError with a stable `code`."""
    if not isinstance(value, str):
        raise ValidationError(_("The IIN must be a string of 12 digits."), code="iin_format")
    raw = value.strip()
    if len(raw) != 12 or not raw.isascii() or not raw.isdigit():
        raise ValidationError(_("The IIN must consist of exactly 12 digits."), code="iin_format")
    century = _CENTURY.get(raw[6])
    if century is None:
        raise ValidationError(_("The IIN has an invalid century digit."), code="iin_century")
    try:
        born = date(century + int(raw[0:2]), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        raise ValidationError(
            _("The IIN does not contain a valid birth date."), code="iin_birth_date"
        ) from None
    expected = check_digit(raw[:11])
    if expected is None or expected != int(raw[11]):
        raise ValidationError(_("The IIN check digit is wrong."), code="iin_checksum")
    return IIN(value=raw, birth_date=born, male=int(raw[6]) % 2 == 1)


def validate_iin(value: object) -> None:
    """Django validator form of parse_iin."""
    parse_iin(value)


def mask_iin(value: str) -> str:
    """For display to those who may not see it: keep the last two digits only."""
    return "•" * 10 + value[-2:] if len(value) == 12 else "•" * 12
