"""Oversized and unreadable bodies, and NUL on pages (core.request_limits): a 413/400 in JSON with
a code under /api/, a translated page elsewhere; nothing stored; never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from maslikhat.appeals.models import Appeal, AppealAttachment
from maslikhat.core.request_limits import DEFAULT_BODY_MAX_BYTES, MB
from maslikhat.core.uploads import MAX_BYTES, MAX_FILES

from .conftest import stored_files

pytestmark = pytest.mark.django_db

REAL_PDF_HEAD = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
REAL_PDF_TAIL = b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf_of(size: int) -> bytes:
    """A PDF of exactly `size` bytes (a comment pads it)."""
    pad = size - len(REAL_PDF_HEAD) - len(REAL_PDF_TAIL) - 1
    return REAL_PDF_HEAD + b"%" + b"0" * pad + REAL_PDF_TAIL


def _appeal_form(applicant: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road on Abai street.",
        "language": "ru",
        **applicant,
        "step": "confirm",  # the files go with the confirmation (after the preview)
        **extra,
    }


def _message(lang: str, msgid: str, **params: Any) -> str:
    with translation.override(lang):
        return gettext(msgid) % params if params else gettext(msgid)


def test_the_default_cap_allows_an_appeal_with_all_its_attachments() -> None:
    assert DEFAULT_BODY_MAX_BYTES >= MAX_FILES * MAX_BYTES + django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MB


def test_api_json_body_over_the_data_limit_is_413_json_and_nothing_is_stored(
    astana: dict[str, Any], applicant: dict[str, str]
) -> None:
    # given: a JSON appeal whose text alone is larger than DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps(
        {
            "body_id": astana["maslikhat"].pk,
            "kind": "application",
            "topic": "roads",
            "text": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
            "applicant": applicant,
        }
    )

    # when: it is posted
    response = Client().post(
        "/api/v1/appeals", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then: 413 with the stable code and a translated message; no appeal
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "payload_too_large",
        "message": "The request is too large: at most 54 MB in all, files included.",
    }
    assert Appeal.objects.count() == 0


def test_api_body_over_the_overall_cap_is_413_json(astana: dict[str, Any], settings: Any) -> None:
    # given: a cap of 1 MB and a real body one byte over it
    settings.REQUEST_BODY_MAX_BYTES = MB
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * MB

    response = Client().post(
        "/api/v1/appeals", b"{" + b" " * MB, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 413
    assert response.json() == {
        "code": "payload_too_large",
        "message": _message(
            "ru", "The request is too large: at most %(mb)d MB in all, files included.", mb=1
        ),
    }


def test_page_form_over_the_data_limit_is_a_translated_413_page(
    astana: dict[str, Any], applicant: dict[str, str], settings: Any
) -> None:
    # given: an appeal form whose text fields together exceed DATA_UPLOAD_MAX_MEMORY_SIZE
    data = _appeal_form(applicant, text="ә" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2 + 1))

    # when: it is posted (urlencoded, as a browser without files would)
    response = Client().post(f"/kk/appeals/new/?body={astana['maslikhat'].pk}", data)

    # then: a 413 page in Kazakh; nothing stored
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert _message("kk", "The request is too large") in content
    assert Appeal.objects.count() == 0
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_page_multipart_body_over_the_overall_cap_is_413_and_no_file_is_stored(
    astana: dict[str, Any], applicant: dict[str, str], settings: Any
) -> None:
    # given: a cap of 2 MB and an appeal with two attachments of 1.5 MB
    settings.REQUEST_BODY_MAX_BYTES = 2 * MB
    files = [SimpleUploadedFile(f"{i}.pdf", _pdf_of(3 * MB // 2), "application/pdf") for i in range(2)]

    response = Client().post(
        f"/en/appeals/new/?body={astana['maslikhat'].pk}", {**_appeal_form(applicant), "attachments": files}
    )

    assert response.status_code == 413
    assert b"The request is too large: at most 2 MB in all, files included." in response.content
    assert Appeal.objects.count() == 0
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_an_appeal_with_five_attachments_of_10_mb_is_not_refused_by_the_cap(
    astana: dict[str, Any], applicant: dict[str, str], settings: Any
) -> None:
    # given: the default limits and five attachments of exactly 10 MB
    files = [
        SimpleUploadedFile(f"scan-{i}.pdf", _pdf_of(MAX_BYTES), "application/pdf") for i in range(MAX_FILES)
    ]

    # when: the appeal is posted
    response = Client().post(
        f"/en/appeals/new/?body={astana['maslikhat'].pk}", {**_appeal_form(applicant), "attachments": files}
    )

    # then: it is accepted with its five files
    assert response.status_code == 302, response.content[:500]
    assert AppealAttachment.objects.count() == MAX_FILES
    assert len(stored_files(settings.PRIVATE_MEDIA_ROOT)) == MAX_FILES


def test_too_many_fields_is_400_json_under_the_api(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = Client().post(
        "/api/v1/appeals",
        "&".join(f"f{i}=1" for i in range(20)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_malformed_multipart_body_is_400_page(astana: dict[str, Any]) -> None:
    response = Client().post(
        f"/en/appeals/new/?body={astana['maslikhat'].pk}",
        b'--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello',
        content_type="multipart/form-data",  # no boundary
    )
    assert response.status_code == 400
    assert b"The request could not be read." in response.content
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/en/?q=a%00b",
        "/en/find/?lat=%00&lon=1",
        "/en/news/?tag=%00",
        "/en/council/proposals/?status=%00",
        "/en/appeals/new/?body=1%00",
        "/en/bodies/?x%00=1",
    ],
)
def test_nul_in_a_page_query_is_a_400_page(reference: Any, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 400
    assert b"Null characters are not allowed." in response.content


def test_nul_in_a_posted_page_field_is_a_400_page_and_nothing_is_stored(
    astana: dict[str, Any], applicant: dict[str, str]
) -> None:
    response = Client().post(
        f"/ru/appeals/new/?body={astana['maslikhat'].pk}", _appeal_form(applicant, address="Астана\x00")
    )
    assert response.status_code == 400
    assert _message("ru", "Null characters are not allowed.").encode() in response.content
    assert Appeal.objects.count() == 0
