"""The redaction the product proposes before publication (a pure function, no database)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from maslikhat.appeals.applicant import Applicant
from maslikhat.appeals.redaction import EMAIL_RE, IIN_RE, PHONE_RE, propose_redaction

M = "[hidden]"
APPLICANT = Applicant(
    full_name="Айгүл Бекова",
    address="Астана, Мәңгілік Ел даңғылы, 8",
    phone="+7 701 234 56 78",
    email="aigul@example.org",
    iin="850315300128",
)
NOBODY = Applicant()

# Words around the personal data: letters, punctuation and short numbers, never a digit run
# that would join the data into a longer number.
words = st.lists(
    st.sampled_from(
        ["Жол", "дорога", "street", "мектеп", "2026", "15", "No.", "—", "бар", "нужно", "ремонт"]
    ),
    max_size=6,
).map(" ".join)
iins = st.text(alphabet="0123456789", min_size=12, max_size=12)
separators = st.sampled_from(["", " ", "-", " - ", "(", ")", " (", ") ", "\u00a0"])


@st.composite
def kazakh_phones(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["+7", "+ 7", "8"]))
    digits = "7" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    out = prefix
    for d in digits:
        out += draw(separators) + d
    return out


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,15}", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z0-9-]{1,8}){0,2}\.(kz|ru|com|org)", fullmatch=True))
    return f"{local}@{domain}"


def redact(text: str, applicant: Applicant = NOBODY) -> str:
    return propose_redaction(text, applicant=applicant, marker=M)


@settings(max_examples=200, deadline=None)
@given(before=words, iin=iins, after=words)
def test_every_iin_shaped_string_is_removed(before: str, iin: str, after: str) -> None:
    # given any 12 digits in a text; when redacted; then no 12-digit run is left
    out = redact(f"{before} ИИН {iin}, {after}")
    assert iin not in out
    assert IIN_RE.search(out) is None
    assert M in out


@settings(max_examples=300, deadline=None)
@given(before=words, phone=kazakh_phones(), after=words)
def test_every_kazakh_phone_shape_is_removed(before: str, phone: str, after: str) -> None:
    # given a Kazakh number written with +7 or 8, spaces, dashes or brackets
    out = redact(f"{before} тел. {phone} {after}")
    # then neither the number nor its ten digits remain
    assert phone not in out
    assert PHONE_RE.search(out) is None
    ten = "".join(c for c in phone if c.isdigit())[-10:]
    assert ten not in "".join(c for c in out if c.isdigit())


@settings(max_examples=200, deadline=None)
@given(before=words, email=email_addresses(), after=words)
def test_every_email_shape_is_removed(before: str, email: str, after: str) -> None:
    out = redact(f"{before} <{email}> {after}")
    assert email not in out
    assert EMAIL_RE.search(out) is None
    assert "@" not in out


@settings(max_examples=100, deadline=None)
@given(
    form=st.sampled_from([str, str.upper, str.lower, str.swapcase, str.title]),
    before=words,
    after=words,
)
def test_the_applicants_name_is_removed_in_any_letter_case(form, before: str, after: str) -> None:
    # given the applicant's name written in another letter case
    out = redact(f"{before} Я, {form(APPLICANT.full_name)}, прошу {after}", APPLICANT)
    # then none of its words is left, in any case
    for word in ("айгүл", "бекова"):
        assert word not in out.lower()
    assert f"Я, {M}, прошу" in out


def test_the_name_is_removed_with_the_endings_kazakh_and_russian_add() -> None:
    text = "Бековой Айгүл отказали; Бековаға жауап берілмеді; АЙГҮЛГЕ хабарлаңыз; айгүл Бекова сказала."
    out = redact(text, APPLICANT)
    assert out == f"{M} отказали; {M} жауап берілмеді; {M} хабарлаңыз; {M} сказала."


def test_the_applicants_own_address_phone_email_and_iin_are_removed_as_given() -> None:
    text = (
        "Я живу по адресу Астана, Мәңгілік Ел даңғылы, 8. Двор у дома Мәңгілік Ел даңғылы, 8 не освещён. "
        "Звоните 87012345678 или +7 (701) 234-56-78, пишите AIGUL@example.org, ИИН 850315300128."
    )
    out = redact(text, APPLICANT)
    assert out == (
        f"Я живу по адресу {M}. Двор у дома {M} не освещён. Звоните {M} или {M}, пишите {M}, ИИН {M}."
    )


def test_a_foreign_phone_of_the_applicant_is_removed_by_its_digits() -> None:
    applicant = Applicant(full_name="Ivan Petrov", phone="+49 30 1234 5678")
    out = redact("My number: +49 (30) 1234-5678. Call me.", applicant)
    assert out == f"My number: {M}. Call me."


def test_text_without_personal_data_is_left_as_written() -> None:
    # the city of the address, years, counts and ordinary numbers are not personal data
    text = (
        "В Астане на улице 15 лет не ремонтируют дорогу: 2026 год, 3 подъезда, 120 семей. "
        "Бюджет 12 345 678 тенге, номер решения 7/123."
    )
    assert redact(text, APPLICANT) == text


def test_a_longer_digit_run_is_not_taken_for_an_iin() -> None:
    # a 13-digit account number is not IIN-shaped; a 12-digit one inside a word boundary is
    assert redact("счёт 1234567890123") == "счёт 1234567890123"
    assert redact("БИН: 123456789012.") == f"БИН: {M}."


def test_adjacent_markers_read_as_one_gap() -> None:
    out = redact("Айгүл Бекова, aigul@example.org, +7 701 234 56 78", APPLICANT)
    assert out == M


def test_short_name_words_match_only_as_written() -> None:
    applicant = Applicant(full_name="Ли Ан")
    assert redact("Ли и Ан пришли; Лиза и Анна нет.", applicant) == f"{M} и {M} пришли; Лиза и Анна нет."


def test_the_marker_is_whatever_the_caller_gives() -> None:
    assert propose_redaction("ИИН 850315300128", applicant=NOBODY, marker="[скрыто]") == "ИИН [скрыто]"
    assert re.fullmatch(r"\[…\]", propose_redaction("a@b.kz", applicant=NOBODY, marker="[…]"))
