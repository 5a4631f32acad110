"""Residency: the three methods, expiry, a move, the SMS code flow and its limits."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from maslikhat.core.errors import DomainError, FieldErrors
from maslikhat.participation.choices import VerificationMethod
from maslikhat.participation.models import PhoneCode, ResidentRecord, SmsMessage, Verification
from maslikhat.participation.residency import is_resident, require_resident
from maslikhat.participation.services import (
    phone_code_confirm,
    phone_code_send,
    residency_by_list,
    residency_in_person,
    residents_import,
)

PHONE = "+7 701 234 5678"


def valid_iin(prefix: str = "90010130000") -> str:
    from maslikhat.core.iin import check_digit

    for last in range(10):
        head = prefix[:10] + str(last)
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise AssertionError("no valid IIN")


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_a_resident_of_a_settlement_is_a_resident_of_its_district_and_region(
    locality: dict[str, Any], resident: Any
) -> None:
    assert is_resident(resident, locality["village"])
    assert is_resident(resident, locality["district"])
    assert is_resident(resident, locality["region"])
    assert not is_resident(resident, locality["other_district"])
    assert not is_resident(locality["outsider"], locality["village"])


def test_an_action_may_accept_only_some_methods(locality: dict[str, Any], resident: Any) -> None:
    assert not is_resident(resident, locality["village"], [VerificationMethod.SMS_CODE])
    assert is_resident(resident, locality["village"], [VerificationMethod.IN_PERSON])


def test_a_verification_expires(locality: dict[str, Any], resident: Any) -> None:
    later = timezone.now() + timedelta(days=400)
    assert not is_resident(resident, locality["village"], now=later)


def test_a_move_ends_the_previous_residency(locality: dict[str, Any], resident: Any) -> None:
    residency_in_person(actor=locality["staff"], user=resident, area=locality["district"], document_note="ID")
    # staff of district 1 cannot verify for district 2; a moved resident verifies by code there
    assert Verification.objects.filter(user=resident, revoked_at__isnull=True).count() == 1


def test_the_refusal_says_why_and_how_to_verify(locality: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as caught:
        require_resident(locality["outsider"], locality["village"])
    assert caught.value.status == 403
    assert caught.value.code == "not_resident"
    assert "verify" in caught.value.data["how_to_verify"].lower()
    assert set(caught.value.data["methods"]) == set(VerificationMethod.values)


def test_only_the_areas_staff_verify_in_person(locality: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as caught:
        residency_in_person(
            actor=locality["outsider"],
            user=locality["outsider"],
            area=locality["village"],
            document_note="ID",
        )
    assert caught.value.status == 403
    with pytest.raises(DomainError):
        residency_in_person(
            actor=locality["staff"],
            user=locality["outsider"],
            area=locality["other_village"],
            document_note="ID",
        )
    assert not Verification.objects.exists()


def test_residents_list_stores_only_keyed_hashes_and_matches(locality: dict[str, Any], tmp_path: Any) -> None:
    iin = valid_iin()
    csv = tmp_path / "residents.csv"
    csv.write_text(f"iin,kato\n{iin},991011001\n123,991011001\n{iin},bad\n")
    call_command("participation_import_residents", str(csv), "--source", "test list")
    record = ResidentRecord.objects.get()
    assert iin not in record.iin_hash and len(record.iin_hash) == 64
    user = locality["outsider"]
    with pytest.raises(FieldErrors) as caught:
        residency_by_list(actor=user, iin=iin, area=locality["other_village"])
    assert caught.value.errors[0][1] == "not_in_list"
    with pytest.raises(FieldErrors) as caught:
        residency_by_list(actor=user, iin="12345\x00", area=locality["village"])
    assert caught.value.errors[0][1] == "invalid_iin"
    v = residency_by_list(actor=user, iin=iin, area=locality["village"])
    assert v.method == VerificationMethod.RESIDENTS_LIST
    assert is_resident(user, locality["district"])


def test_import_twice_adds_nothing(locality: dict[str, Any]) -> None:
    iin = valid_iin()
    assert residents_import(actor=None, rows=[(iin, "991011001")], source="a") == (1, 0)
    assert residents_import(actor=None, rows=[(iin, "991011001")], source="a") == (0, 0)


def _code_of(phone: str) -> str:
    message = SmsMessage.objects.filter(phone=phone).order_by("-id").first()
    assert message is not None
    found = re.search(r"\d{6}", message.text)
    assert found is not None
    return found.group(0)


def test_the_code_flow_verifies_and_keeps_only_hashes(locality: dict[str, Any]) -> None:
    user = locality["outsider"]
    phone_code_send(actor=user, area=locality["village"], phone=PHONE, client="1.2.3.4")
    code = _code_of("+77012345678")
    pc = PhoneCode.objects.get()
    # kept as keyed hashes only (a six-digit code can occur in a hex digest by chance: compare
    # with the digest, never search the digest for the code)
    from maslikhat.participation.residency import keyed_hash

    assert pc.phone_hash == keyed_hash("phone", "+77012345678") != "+77012345678"
    assert pc.code_hash == keyed_hash("code", f"{pc.phone_hash}:{code}") and len(pc.code_hash) == 64
    v = phone_code_confirm(actor=user, code=code)
    assert v.method == VerificationMethod.SMS_CODE and is_resident(user, locality["village"])
    with pytest.raises(FieldErrors):  # used once
        phone_code_confirm(actor=user, code=code)


def test_wrong_codes_are_counted_and_limited(locality: dict[str, Any]) -> None:
    user = locality["outsider"]
    phone_code_send(actor=user, area=locality["village"], phone=PHONE, client="1.2.3.4")
    code = _code_of("+77012345678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(FieldErrors) as caught:
            phone_code_confirm(actor=user, code=wrong)
        assert caught.value.errors[0][1] == "code_wrong"
    with pytest.raises(FieldErrors) as caught:
        phone_code_confirm(actor=user, code=code)
    assert caught.value.errors[0][1] == "too_many_attempts"
    assert not Verification.objects.exists()


def test_an_expired_code_is_refused(locality: dict[str, Any]) -> None:
    user = locality["outsider"]
    phone_code_send(actor=user, area=locality["village"], phone=PHONE, client="1.2.3.4")
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(FieldErrors) as caught:
        phone_code_confirm(actor=user, code=_code_of("+77012345678"))
    assert caught.value.errors[0][1] == "code_expired"


@pytest.mark.parametrize(
    "phone", ["", "12", "+1 202 555 0100", "+7 717 200 0000", "x" * 100, "\ud800", "8\x00701"]
)
def test_a_bad_phone_is_refused(locality: dict[str, Any], phone: str) -> None:
    with pytest.raises(FieldErrors) as caught:
        phone_code_send(actor=locality["outsider"], area=locality["village"], phone=phone, client="c")
    assert caught.value.errors[0][1] == "invalid_phone"
    assert not SmsMessage.objects.exists()


def test_codes_are_throttled_per_number_and_per_client(locality: dict[str, Any], settings: Any) -> None:
    settings.PARTICIPATION_SMS_PER_NUMBER_PER_HOUR = 2
    settings.PARTICIPATION_SMS_PER_CLIENT_PER_HOUR = 3
    user = locality["outsider"]
    for _ in range(2):
        phone_code_send(actor=user, area=locality["village"], phone=PHONE, client="a")
    with pytest.raises(DomainError) as caught:
        phone_code_send(actor=user, area=locality["village"], phone=PHONE, client="b")
    assert caught.value.code == "rate_limited" and caught.value.data["retry_after"] > 0
    phone_code_send(actor=user, area=locality["village"], phone="+77012345679", client="a")
    with pytest.raises(DomainError):
        phone_code_send(actor=user, area=locality["village"], phone="+77012345670", client="a")
    assert SmsMessage.objects.count() == 3


@pytest.mark.parametrize("depth", [1, 2, 5, 6, 7, 13])
def test_the_area_chain_is_every_area_above_nearest_first(
    db: None, depth: int, django_assert_max_num_queries: Any
) -> None:
    from maslikhat.participation.residency import area_chain_ids
    from tests.factories import AreaFactory

    areas: list[Any] = []
    for _ in range(depth):
        areas.append(AreaFactory(parent=areas[-1] if areas else None))
    with django_assert_max_num_queries(1 + depth // 6):  # five parent links a query
        chain = area_chain_ids(areas[-1].pk)
    assert chain == [a.pk for a in reversed(areas)]
