"""Attachment checks: count, size and type by content (magic bytes), never by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Protocol

from django.utils.translation import gettext_lazy as _

from maslikhat.core.errors import FieldErrors

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class UploadLike(Protocol):
    name: str | None
    size: int | None

    def seek(self, offset: int, whence: int = ...) -> int: ...
    def read(self, size: int = ...) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    upload: IO[bytes] | UploadLike
    name: str
    content_type: str
    size: int


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in _SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def check_uploads(files: list[UploadLike], field: str = "attachments") -> list[CheckedFile]:
    """Validate all files; raise FieldErrors listing every problem, or return the checked files."""
    errors: list[tuple[str, str, object]] = []
    if len(files) > MAX_FILES:
        errors.append((field, "too_many_files", _("At most %(n)d files may be attached.") % {"n": MAX_FILES}))
    checked: list[CheckedFile] = []
    for f in files:
        name = (f.name or "file").rsplit("/", 1)[-1][:150]
        size = f.size if f.size is not None else 0
        if size > MAX_BYTES:
            errors.append((field, "file_too_large", _("%(name)s is larger than 10 MB.") % {"name": name}))
            continue
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        kind = sniff(head)
        if kind is None:
            errors.append(
                (field, "file_type", _("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name})
            )
            continue
        content_type, ext = kind
        stem = name.rsplit(".", 1)[0] or "file"
        checked.append(CheckedFile(upload=f, name=f"{stem}.{ext}", content_type=content_type, size=size))
    if errors:
        raise FieldErrors(errors)  # type: ignore[arg-type]
    return checked
