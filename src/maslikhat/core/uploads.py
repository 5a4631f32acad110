"""Attachment checks: count, size and type by content, never by name.

The type comes from the magic bytes; then the content must not be something else as well (a
polyglot): no ZIP archive inside or appended (an archive renamed, a PNG or PDF with a ZIP
tail), no HTML, SVG or script markup where a browser sniffs (the first KB), nothing after a PNG's
IEND chunk.
"""

from __future__ import annotations

import re
import zipfile
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


# Markup a browser or a viewer would act on; never at the start of a real PDF, JPEG or PNG.
_MARKUP = re.compile(
    rb"<\s*(script|html|svg|body|iframe|object|embed|!doctype|\?php|\?xml-stylesheet)|javascript:",
    re.IGNORECASE,
)
_SNIFF_BYTES = 1024
# The IEND chunk: length 0, type, CRC (fixed).
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _read_at(f: IO[bytes] | UploadLike, offset: int, size: int, whence: int = 0) -> bytes:
    f.seek(offset, whence)
    data = f.read(size)
    return data if isinstance(data, bytes) else b""


def _png_has_tail(f: IO[bytes] | UploadLike) -> bool:
    """Whether anything follows the PNG's IEND chunk (where PNG polyglots carry their payload)."""
    data = _read_at(f, 0, MAX_BYTES + 1)
    at = data.find(_PNG_IEND)
    return at != -1 and data[at + len(_PNG_IEND) :].strip(b"\x00") != b""


def is_polyglot(f: IO[bytes] | UploadLike, content_type: str) -> bool:
    """Whether a file that starts like `content_type` is (also) something else."""
    try:
        head = _read_at(f, 0, _SNIFF_BYTES)
        if _MARKUP.search(head):
            return True
        f.seek(0)
        if zipfile.is_zipfile(f):  # type: ignore[arg-type]
            return True
        return content_type == "image/png" and _png_has_tail(f)
    finally:
        f.seek(0)


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
        if is_polyglot(f, content_type):
            errors.append(
                (field, "file_type", _("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name})
            )
            continue
        stem = name.rsplit(".", 1)[0] or "file"
        checked.append(CheckedFile(upload=f, name=f"{stem}.{ext}", content_type=content_type, size=size))
    if errors:
        raise FieldErrors(errors)  # type: ignore[arg-type]
    return checked
