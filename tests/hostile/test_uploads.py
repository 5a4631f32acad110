"""Hostile uploads: the wrong type behind the right extension, oversized files, a zip bomb, an
SVG with a script, polyglots. Through the appeal page, the API, the council proposal form and
the newsroom, each is refused with a clear translated message and nothing is stored: no row,
no file under either media root."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from maslikhat.appeals.models import Appeal, AppealAttachment
from maslikhat.core.uploads import MAX_BYTES
from maslikhat.news.uploads import MAX_PHOTO_BYTES

from .conftest import stored_files

pytestmark = pytest.mark.django_db


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def real_png() -> bytes:
    """A well-formed 1x1 PNG."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


REAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REAL_JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
)


def zip_bomb() -> bytes:
    """A small archive that expands to 50 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("bomb.bin", b"\x00" * (50 * 1024 * 1024))
    return buffer.getvalue()


def small_zip(payload: bytes = b"<html><script>alert(1)</script></html>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", payload)
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run"
)

# name, bytes, content type the client claims; every one is refused as "not a PDF, JPEG or PNG".
WRONG_TYPE: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "exe named .pdf": ("letter.pdf", lambda: EXE, "application/pdf"),
    "zip bomb named .pdf": ("scan.pdf", zip_bomb, "application/pdf"),
    "svg with script named .png": ("photo.png", lambda: SVG, "image/png"),
    "html named .jpg": ("photo.jpg", lambda: b"<!DOCTYPE html><script>alert(1)</script>", "image/jpeg"),
    "pdf with html inside the sniffed head": (
        "letter.pdf",
        lambda: b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
        "application/pdf",
    ),
    "jpeg with a script in its comment": (
        "photo.jpg",
        lambda: b"\xff\xd8\xff\xfe\x00\x30<script>alert(1)</script>" + b"\x00" * 20 + b"\xff\xd9",
        "image/jpeg",
    ),
    "png with a zip appended": ("photo.png", lambda: real_png() + small_zip(), "image/png"),
    "pdf with a zip appended": ("letter.pdf", lambda: REAL_PDF + small_zip(), "application/pdf"),
    "png with html after IEND": (
        "photo.png",
        lambda: real_png() + b"\n" * 2000 + b"<html><script>alert(1)</script></html>",
        "image/png",
    ),
}


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def oversized_pdf(limit: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * limit + b"\n%%EOF\n"


def _messages(lang: str, msgid: str, **params: Any) -> str:
    with translation.override(lang):
        return gettext(msgid) % params


@pytest.fixture
def nothing_stored(settings: Any) -> Callable[[], None]:
    def check() -> None:
        assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []
        assert stored_files(settings.MEDIA_ROOT) == []

    return check


def _appeal_form(applicant: dict[str, str]) -> dict[str, str]:
    return {
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road on Abai street.",
        "language": "ru",
        **applicant,
        "step": "confirm",  # the files go with the confirmation (after the preview)
    }


# ------------------------------------------------------------------------------------------ appeal page


def test_appeal_page_refuses_wrong_type_and_polyglots(
    astana: dict[str, Any],
    applicant: dict[str, str],
    nothing_stored: Any,
) -> None:
    for case, (name, content, content_type) in WRONG_TYPE.items():
        response = Client().post(
            f"/ru/appeals/new/?body={astana['maslikhat'].pk}",
            {**_appeal_form(applicant), "attachments": [_upload(name, content(), content_type)]},
        )
        assert response.status_code == 200, case
        message = _messages("ru", "%(name)s is not a PDF, JPEG or PNG file.", name=name)
        assert message != _messages("en", "%(name)s is not a PDF, JPEG or PNG file.", name=name)
        assert message in response.content.decode(), case
        assert (Appeal.objects.count(), AppealAttachment.objects.count()) == (0, 0), case
        nothing_stored()


def test_appeal_page_refuses_an_oversized_file(
    astana: dict[str, Any],
    applicant: dict[str, str],
    nothing_stored: Any,
) -> None:
    response = Client().post(
        f"/en/appeals/new/?body={astana['maslikhat'].pk}",
        {
            **_appeal_form(applicant),
            "attachments": [_upload("big.pdf", oversized_pdf(MAX_BYTES), "application/pdf")],
        },
    )
    assert response.status_code == 200
    assert "big.pdf is larger than 10 MB." in response.content.decode()
    assert Appeal.objects.count() == 0
    nothing_stored()


def test_one_bad_file_among_good_ones_refuses_the_whole_appeal(
    astana: dict[str, Any],
    applicant: dict[str, str],
    nothing_stored: Any,
) -> None:
    response = Client().post(
        f"/en/appeals/new/?body={astana['maslikhat'].pk}",
        {
            **_appeal_form(applicant),
            "attachments": [
                _upload("a.pdf", REAL_PDF, "application/pdf"),
                _upload("b.png", real_png(), "image/png"),
                _upload("c.pdf", EXE, "application/pdf"),
            ],
        },
    )
    assert response.status_code == 200
    assert "c.pdf is not a PDF, JPEG or PNG file." in response.content.decode()
    assert Appeal.objects.count() == 0
    nothing_stored()


def test_genuine_files_are_still_accepted(
    astana: dict[str, Any],
    applicant: dict[str, str],
    settings: Any,
) -> None:
    response = Client().post(
        f"/en/appeals/new/?body={astana['maslikhat'].pk}",
        {
            **_appeal_form(applicant),
            "attachments": [
                _upload("a.pdf", REAL_PDF, "application/pdf"),
                _upload("b.png", real_png(), "image/png"),
                _upload("c.jpg", REAL_JPEG, "image/jpeg"),
            ],
        },
    )
    assert response.status_code == 302
    assert sorted(AppealAttachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
        "image/png",
    ]
    assert len(stored_files(settings.PRIVATE_MEDIA_ROOT)) == 3


# ------------------------------------------------------------------------------------------ API


def test_api_submission_takes_no_files_and_a_multipart_body_is_refused(
    astana: dict[str, Any], nothing_stored: Any
) -> None:
    for case in ("exe named .pdf", "svg with script named .png", "zip bomb named .pdf"):
        name, content, content_type = WRONG_TYPE[case]
        response = Client().post(
            "/api/v1/appeals",
            {
                "body_id": astana["maslikhat"].pk,
                "kind": "application",
                "topic": "roads",
                "text": "x",
                "file": _upload(name, content(), content_type),
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code in (400, 415, 422), case
        assert response.json()["code"] in ("validation_error", "bad_request", "unsupported_media_type")
        assert response.json()["message"]
        assert Appeal.objects.count() == 0
        nothing_stored()


# ------------------------------------------------------------------------------------------ council proposal


def _proposal_client(council: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(council["staff_user"])
    return client


def _proposal(council: dict[str, Any], files: list[SimpleUploadedFile]) -> dict[str, Any]:
    return {
        "body": council["maslikhat"].pk,
        "title": "Receptions online",
        "text": "Allow online receptions.",
        "language": "en",
        "policy_area": "local_government",
        "files": files,
    }


def test_council_proposal_form_refuses_wrong_type_and_polyglots(
    council_world: dict[str, Any], nothing_stored: Any
) -> None:
    from maslikhat.council.models import Proposal, ProposalDocument

    client = _proposal_client(council_world)
    for case, (name, content, content_type) in WRONG_TYPE.items():
        response = client.post(
            "/ru/council/proposals/new/", _proposal(council_world, [_upload(name, content(), content_type)])
        )
        assert response.status_code == 422, case
        message = _messages("ru", "%(name)s is not a PDF, JPEG or PNG file.", name=name)
        assert message in response.content.decode(), case
        assert (Proposal.objects.count(), ProposalDocument.objects.count()) == (0, 0), case
        nothing_stored()


def test_council_proposal_form_refuses_an_oversized_file(
    council_world: dict[str, Any], nothing_stored: Any
) -> None:
    from maslikhat.council.models import Proposal

    response = _proposal_client(council_world).post(
        "/en/council/proposals/new/",
        _proposal(council_world, [_upload("big.pdf", oversized_pdf(MAX_BYTES), "application/pdf")]),
    )
    assert response.status_code == 422
    assert "big.pdf is larger than 10 MB." in response.content.decode()
    assert Proposal.objects.count() == 0
    nothing_stored()


# ------------------------------------------------------------------------------------------ news photo

PHOTO_CASES = {k: v for k, v in WRONG_TYPE.items() if not k.startswith("pdf")}
PHOTO_CASES["pdf named .jpg"] = ("photo.jpg", lambda: REAL_PDF, "image/jpeg")


def _newsroom(astana: dict[str, Any], photo: SimpleUploadedFile) -> tuple[Client, dict[str, Any]]:
    client = Client()
    client.force_login(astana["staff_user"])
    data = {
        "body": str(astana["maslikhat"].pk),
        "title_ru": "Сессия",
        "text_ru": "Бюджет утверждён.",
        "areas": "",
        "photo": photo,
        "photo_alt": "A photo",
    }
    return client, data


def test_news_photo_refuses_wrong_type_and_polyglots(astana: dict[str, Any], nothing_stored: Any) -> None:
    from maslikhat.news.models import Publication

    message = _messages("ru", "The photo must be a JPEG or PNG image.")
    assert message != "The photo must be a JPEG or PNG image."
    for case, (name, content, content_type) in PHOTO_CASES.items():
        client, data = _newsroom(astana, _upload(name, content(), content_type))
        response = client.post("/ru/news/newsroom/new/", data)
        assert response.status_code == 400, case
        assert message in response.content.decode(), case
        assert Publication.objects.count() == 0, case
        nothing_stored()


def test_news_photo_refuses_an_oversized_image(astana: dict[str, Any], nothing_stored: Any) -> None:
    from maslikhat.news.models import Publication

    big = real_png()[:-12] + b"\x00" * MAX_PHOTO_BYTES + real_png()[-12:]
    client, data = _newsroom(astana, _upload("big.png", big, "image/png"))
    response = client.post("/en/news/newsroom/new/", data)
    assert response.status_code == 400
    assert "The photo is larger than 5 MB." in response.content.decode()
    assert Publication.objects.count() == 0
    nothing_stored()


def test_news_photo_refused_on_edit_keeps_the_old_one(astana: dict[str, Any], settings: Any) -> None:
    from maslikhat.news.models import Publication

    client, data = _newsroom(astana, _upload("good.png", real_png(), "image/png"))
    assert client.post("/en/news/newsroom/new/", data).status_code == 302
    publication = Publication.objects.get()
    before = (publication.photo.name, stored_files(settings.MEDIA_ROOT))
    _, data = _newsroom(astana, _upload("evil.png", SVG, "image/png"))
    response = client.post(f"/en/news/newsroom/{publication.pk}/", data)
    assert response.status_code == 400
    assert "The photo must be a JPEG or PNG image." in response.content.decode()
    publication.refresh_from_db()
    assert (publication.photo.name, stored_files(settings.MEDIA_ROOT)) == before
