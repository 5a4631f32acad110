from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.news import services
from maslikhat.news.models import Publication, PublicationEvent
from maslikhat.news.services import NotPermitted
from tests.news.factories import make_tag

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _create(astana, **overrides):
    kwargs = {
        "actor": astana["staff_user"],
        "body": astana["maslikhat"],
        "title_ru": "Сессия маслихата",
        "text_ru": "Депутаты утвердили бюджет.",
    }
    kwargs.update(overrides)
    return services.publication_create(**kwargs)


def test_create_makes_a_draft_with_tags_areas_event_and_log(astana):
    # given a tag
    make_tag(code="budget")
    # when the staff of Astana's maslikhat writes news
    p = _create(astana, tag_codes=["budget"], area_codes=["KZ-71"])
    # then a draft exists with its tag, area, event and log row
    assert p.status == "draft"
    assert p.published_at is None
    assert p.author == astana["staff_user"]
    assert [t.code for t in p.tags.all()] == ["budget"]
    assert [a.code for a in p.areas.all()] == ["KZ-71"]
    assert list(p.events.values_list("kind", "to_status")) == [("created", "draft")]
    assert ActionLog.objects.filter(event="news.publication_created", target_id=str(p.pk)).count() == 1


def test_publish_sets_the_dates_and_writes_a_status_event(astana):
    p = _create(astana)
    published = services.publication_publish(actor=astana["staff_user"], publication=p)
    assert published.status == "published"
    assert published.published_at is not None
    assert published.published_on is not None
    assert list(published.events.values_list("kind", "from_status", "to_status")) == [
        ("created", "", "draft"),
        ("status", "draft", "published"),
    ]


def test_withdraw_then_publish_again(astana):
    p = _create(astana)
    services.publication_publish(actor=astana["staff_user"], publication=p)
    services.publication_withdraw(actor=astana["staff_user"], publication=p, reason="typo")
    p.refresh_from_db()
    assert p.status == "withdrawn"
    services.publication_publish(actor=astana["staff_user"], publication=p)
    p.refresh_from_db()
    assert p.status == "published"
    assert ActionLog.objects.filter(event="news.publication_withdrawn").count() == 1


def test_a_draft_cannot_be_withdrawn_and_nothing_changes(astana):
    p = _create(astana)
    with pytest.raises(NotAllowed) as exc:
        services.publication_withdraw(actor=astana["staff_user"], publication=p)
    assert exc.value.code == "invalid_transition"
    p.refresh_from_db()
    assert p.status == "draft"
    assert PublicationEvent.objects.filter(publication=p).count() == 1


def test_publishing_twice_is_refused(astana):
    p = _create(astana)
    services.publication_publish(actor=astana["staff_user"], publication=p)
    with pytest.raises(NotAllowed):
        services.publication_publish(actor=astana["staff_user"], publication=p)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"title_ru": "", "text_ru": ""}, "title_kk", "required"),
        ({"text_ru": ""}, "text_ru", "incomplete_language"),
        ({"title_ru": "x" * 301}, "title_ru", "too_long"),
        ({"tag_codes": ["no-such-tag"]}, "tags", "invalid_choice"),
        ({"area_codes": ["NOWHERE"]}, "areas", "invalid_choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(astana, overrides, field, code):
    logs = ActionLog.objects.count()
    with pytest.raises(FieldErrors) as exc:
        _create(astana, **overrides)
    assert (field, code) in [(f, c) for f, c, _ in exc.value.errors]
    assert Publication.objects.count() == 0
    assert ActionLog.objects.count() == logs


def test_photo_must_be_a_jpeg_or_png_by_content(astana):
    fake = SimpleUploadedFile("photo.png", b"GIF89a" + b"\x00" * 20, content_type="image/png")
    with pytest.raises(FieldErrors) as exc:
        _create(astana, photo=fake)
    assert [(f, c) for f, c, _ in exc.value.errors] == [("photo", "file_type")]
    assert Publication.objects.count() == 0


def test_photo_larger_than_5_mb_is_refused(astana):
    big = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (5 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(FieldErrors) as exc:
        _create(astana, photo=big)
    assert [(f, c) for f, c, _ in exc.value.errors] == [("photo", "file_too_large")]


def test_photo_is_stored_under_a_random_name_with_its_sniffed_type(astana):
    p = _create(astana, photo=SimpleUploadedFile("../../evil.exe", PNG, content_type="text/plain"))
    assert p.photo_content_type == "image/png"
    assert p.photo.name.startswith("news/")
    assert p.photo.name.endswith(".png")
    assert "evil" not in p.photo.name
    assert p.photo.open("rb").read() == PNG


def test_update_replaces_content_tags_and_areas(astana):
    make_tag(code="budget")
    p = _create(astana, tag_codes=["budget"])
    updated = services.publication_update(
        actor=astana["staff_user"],
        publication=p,
        title_kk="Сессия",
        text_kk="Бюджет бекітілді.",
        title_ru="Сессия маслихата",
        text_ru="Бюджет утверждён.",
        area_codes=["KZ-71"],
        photo=io.BytesIO(JPEG),
    )
    assert updated.title_kk == "Сессия"
    assert updated.text_ru == "Бюджет утверждён."
    assert list(updated.tags.all()) == []
    assert [a.code for a in updated.areas.all()] == ["KZ-71"]
    assert updated.photo_content_type == "image/jpeg"
    assert updated.events.last().data == {"fields": ["title_kk", "text_kk", "text_ru", "photo"]}


def test_staff_of_one_maslikhat_cannot_publish_for_another(astana, reference):
    from maslikhat.directory.models import Organization

    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    with pytest.raises(NotPermitted):
        _create(astana, body=almaty)
    assert Publication.objects.count() == 0
