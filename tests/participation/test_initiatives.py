"""Initiatives: creation by residents, similar ones, moderation, support, thresholds, answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maslikhat.core.calendar import add_working_days
from maslikhat.core.errors import DomainError, FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.participation import selectors
from maslikhat.participation.choices import InitiativeStatus
from maslikhat.participation.models import Implementation, Initiative, PaperSignatures, Support
from maslikhat.participation.services import (
    initiative_answer,
    initiative_create,
    initiative_moderate,
    initiative_support,
    initiative_withdraw_support,
    initiatives_close_expired,
    law_threshold,
    paper_signatures_add,
    threshold_for,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _create(locality: dict[str, Any], actor: Any, **kw: Any) -> Initiative:
    data: dict[str, Any] = {
        "area": locality["village"],
        "title": "A playground in the central yard",
        "text": "The children of the central yard have no playground.",
        "category": "yards",
    }
    data.update(kw)
    return initiative_create(actor=actor, **data)


def test_a_resident_proposes_to_the_maslikhat_of_the_area(locality: dict[str, Any], resident: Any) -> None:
    co = locality["outsider"]
    photo = SimpleUploadedFile("yard.png", PNG, content_type="image/png")
    initiative = _create(locality, resident, photos=[photo], co_authors=[co], lat=48.0, lon=70.0)
    assert initiative.body == locality["body"]  # the settlement's district maslikhat
    assert initiative.status == InitiativeStatus.SUBMITTED
    assert initiative.photos.count() == 1
    assert list(initiative.co_authors.all()) == [co]


def test_a_non_resident_cannot_propose(locality: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as caught:
        _create(locality, locality["outsider"])
    assert caught.value.status == 403 and caught.value.code == "not_resident"
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("title", {"title": ""}),
        ("title", {"title": "x" * 201}),
        ("text", {"text": "\x00"}),
        ("category", {"category": "nope"}),
        ("lat", {"lat": 10.0, "lon": 10.0}),
    ],
)
def test_bad_input_is_a_field_error(
    locality: dict[str, Any], resident: Any, field: str, kw: dict[str, Any]
) -> None:
    with pytest.raises(FieldErrors) as caught:
        _create(locality, resident, **kw)
    assert caught.value.errors[0][0] == field
    assert not Initiative.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(locality: dict[str, Any], resident: Any) -> None:
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(FieldErrors):
        _create(locality, resident, photos=[pdf])
    fake = SimpleUploadedFile("x.png", b"MZ not an image", content_type="image/png")
    with pytest.raises(FieldErrors):
        _create(locality, resident, photos=[fake])
    assert not Initiative.objects.exists()


def test_similar_initiatives_are_suggested(locality: dict[str, Any], collecting: Initiative) -> None:
    found = selectors.similar_initiatives(text="street lights on the school road", area=locality["district"])
    assert [i.pk for i in found] == [collecting.pk]
    assert selectors.similar_initiatives(text="a new football pitch", area=locality["district"]) == []
    assert selectors.similar_initiatives(text="", area=None) == []


def test_an_excluded_topic_cannot_pass_moderation(locality: dict[str, Any], resident: Any) -> None:
    initiative = _create(locality, resident, text="Reverse the court decision about our land.")
    with pytest.raises(FieldErrors) as caught:
        initiative_moderate(actor=locality["staff"], initiative=initiative, publish=True)
    assert caught.value.errors[0][1] == "excluded_topic"
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


def test_a_refusal_needs_a_published_reason(locality: dict[str, Any], resident: Any) -> None:
    initiative = _create(locality, resident)
    with pytest.raises(FieldErrors):
        initiative_moderate(actor=locality["staff"], initiative=initiative, publish=False)
    refused = initiative_moderate(
        actor=locality["staff"], initiative=initiative, publish=False, reason="Duplicate."
    )
    assert refused.status == InitiativeStatus.REFUSED and refused.moderation_reason == "Duplicate."
    assert ActionLog.objects.filter(event="participation.initiative_refused", visibility="public").exists()


def test_only_the_bodys_staff_moderate(locality: dict[str, Any], resident: Any) -> None:
    initiative = _create(locality, resident)
    with pytest.raises(DomainError) as caught:
        initiative_moderate(actor=resident, initiative=initiative, publish=True)
    assert caught.value.status == 403


def test_publishing_opens_a_90_day_period_with_the_threshold(collecting: Initiative) -> None:
    today = timezone.localdate()
    assert collecting.status == InitiativeStatus.COLLECTING
    assert collecting.support_until == today + timedelta(days=90)
    assert collecting.threshold == 4_000  # 10 % of 40,000


def test_thresholds_follow_the_petitions_law(locality: dict[str, Any], settings: Any) -> None:
    assert law_threshold(locality["body"]) == 4_000
    assert law_threshold(locality["other_body"]) == 5_000  # 120,000 people
    assert law_threshold(locality["regional"]) == 16_000  # 2 % of 800,000
    locality["region"].population = None
    locality["region"].save()
    regional = type(locality["regional"]).objects.get(pk=locality["regional"].pk)
    assert threshold_for(regional) is None
    settings.PARTICIPATION_THRESHOLDS = {"tr-01-maslikhat": 3_000, "tr-01-d1-maslikhat": 9_000}
    assert threshold_for(regional) == 3_000
    assert threshold_for(locality["body"]) == 4_000  # an override may only lower it


def test_support_once_and_withdraw(locality: dict[str, Any], collecting: Initiative, resident: Any) -> None:
    assert initiative_support(actor=resident, initiative=collecting) is True
    assert initiative_support(actor=resident, initiative=collecting) is False
    collecting.refresh_from_db()
    assert collecting.online_supports == 1 == Support.objects.count()
    assert initiative_withdraw_support(actor=resident, initiative=collecting) is True
    assert initiative_withdraw_support(actor=resident, initiative=collecting) is False
    collecting.refresh_from_db()
    assert collecting.online_supports == 0


def test_a_non_resident_cannot_support(
    locality: dict[str, Any], collecting: Initiative, make_resident: Any
) -> None:
    elsewhere = make_resident(area=locality["district"])  # the district is wider than the village
    with pytest.raises(DomainError) as caught:
        initiative_support(actor=elsewhere, initiative=collecting)
    assert caught.value.status == 403
    with pytest.raises(DomainError):
        initiative_support(actor=locality["outsider"], initiative=collecting)
    assert not Support.objects.exists()


def test_support_closes_with_the_period(
    locality: dict[str, Any], collecting: Initiative, resident: Any
) -> None:
    Initiative.objects.filter(pk=collecting.pk).update(support_until=timezone.localdate() - timedelta(days=1))
    collecting.refresh_from_db()
    with pytest.raises(FieldErrors) as caught:
        initiative_support(actor=resident, initiative=collecting)
    assert caught.value.errors[0][1] == "not_collecting"
    assert initiatives_close_expired(actor=None) == 1
    collecting.refresh_from_db()
    assert collecting.status == InitiativeStatus.NOT_REACHED


def test_paper_signatures_count_separately_and_reach_the_threshold(
    locality: dict[str, Any], collecting: Initiative, resident: Any
) -> None:
    Initiative.objects.filter(pk=collecting.pk).update(threshold=3)
    initiative_support(actor=resident, initiative=collecting)
    with pytest.raises(DomainError):
        paper_signatures_add(actor=resident, initiative=collecting, count=5)
    for bad in (0, -1, 10**12, True):
        with pytest.raises(FieldErrors):
            paper_signatures_add(actor=locality["staff"], initiative=collecting, count=bad)
    paper_signatures_add(actor=locality["staff"], initiative=collecting, count=2, note="box 1")
    collecting.refresh_from_db()
    assert (collecting.online_supports, collecting.paper_supports) == (1, 2)
    assert collecting.status == InitiativeStatus.REACHED
    assert collecting.answer_due == add_working_days(timezone.localdate(), 20)
    batch = PaperSignatures.objects.get()
    assert batch.entered_by == locality["staff"]
    assert ActionLog.objects.filter(event="participation.paper_signatures", actor=locality["staff"]).exists()


def test_the_answer_and_its_implementation_record(locality: dict[str, Any], collecting: Initiative) -> None:
    with pytest.raises(NotAllowed):
        initiative_answer(actor=locality["staff"], initiative=collecting, outcome="accepted", text="Yes.")
    Initiative.objects.filter(pk=collecting.pk).update(
        status=InitiativeStatus.REACHED, reached_on=date(2026, 1, 5)
    )
    with pytest.raises(FieldErrors):
        initiative_answer(actor=locality["staff"], initiative=collecting, outcome="rejected", text="")
    with pytest.raises(FieldErrors):
        initiative_answer(actor=locality["staff"], initiative=collecting, outcome="maybe", text="Hm.")
    answered = initiative_answer(
        actor=locality["staff"],
        initiative=collecting,
        outcome="accepted",
        text="Lights in spring.",
        plan_reference="Session 12, item 3",
    )
    assert answered.status == InitiativeStatus.ACCEPTED
    assert Implementation.objects.get().initiative == answered


def test_overdue_answers_are_public(locality: dict[str, Any], collecting: Initiative) -> None:
    Initiative.objects.filter(pk=collecting.pk).update(
        status=InitiativeStatus.REACHED, reached_on=date(2026, 1, 5), answer_due=date(2026, 2, 2)
    )
    overdue = selectors.overdue_initiatives(today=date(2026, 2, 3))
    assert [i.pk for i in overdue] == [collecting.pk]
    assert selectors.overdue_initiatives(today=date(2026, 2, 2)) == []
