"""The photo of a publication: JPEG or PNG by content (magic bytes, and not a polyglot), at most 5 MB."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.errors import FieldErrors
from maslikhat.core.uploads import is_polyglot

MAX_PHOTO_BYTES = 5 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class CheckedPhoto:
    upload: Any
    name: str
    content_type: str


def check_photo(upload: Any, field: str = "photo") -> CheckedPhoto:
    """Raise FieldErrors when the file is too large or not a JPEG/PNG; else the checked photo."""
    size = upload.size if getattr(upload, "size", None) is not None else 0
    if size > MAX_PHOTO_BYTES:
        raise FieldErrors([(field, "file_too_large", _("The photo is larger than 5 MB."))])
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, ext in _SIGNATURES:
        if head.startswith(magic) and not is_polyglot(upload, content_type):
            return CheckedPhoto(upload=upload, name=f"photo.{ext}", content_type=content_type)
    raise FieldErrors([(field, "file_type", _("The photo must be a JPEG or PNG image."))])
