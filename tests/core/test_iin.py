from datetime import date

import pytest
from django.core.exceptions import ValidationError

from maslikhat.core.iin import check_digit, mask_iin, parse_iin


def make_iin(first_eleven: str) -> str:
    digit = check_digit(first_eleven)
    assert digit is not None
    return first_eleven + str(digit)


def test_valid_iin_is_parsed():
    # given a man born 15 Mar 1985 (century digit 3)
    iin = make_iin("85031530012")
    # when parsed, then birth date and sex are read
    parsed = parse_iin(iin)
    assert parsed.birth_date == date(1985, 3, 15)
    assert parsed.male is True


def test_woman_born_in_2000s():
    parsed = parse_iin(make_iin("05122360045"))
    assert parsed.birth_date == date(2005, 12, 23)
    assert parsed.male is False


def test_check_digit_second_pass():
    # sum with the first weights is 10 mod 11 for this number, so the second weights decide
    first = "00000000010"  # 1*10 = 10
    assert check_digit(first) == (1 * 1) % 11  # second weights: position 10 has weight 1


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "iin_format"),
        ("85031530012a", "iin_format"),
        ("８５０３１５３００１２３", "iin_format"),  # full-width digits are not ASCII
        (850315300123, "iin_format"),
        ("850315700123", "iin_century"),
        ("851315300123", "iin_birth_date"),
        ("850230300123", "iin_birth_date"),
    ],
)
def test_invalid_iin_codes(value, code):
    with pytest.raises(ValidationError) as exc:
        parse_iin(value)
    assert exc.value.code == code


def test_wrong_check_digit():
    good = make_iin("85031530012")
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        parse_iin(bad)
    assert exc.value.code == "iin_checksum"


def test_mask_keeps_last_two_digits():
    assert mask_iin("850315300123") == "••••••••••23"
