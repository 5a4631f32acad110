"""Private storage: files that are never served as public media (appeal attachments, council
documents); views send them only after a permission check.

The storage is the `private` alias of settings.STORAGES: on one machine PrivateStorage below (a
directory), on several app servers an S3-compatible bucket of its own (MEDIA_STORAGE=s3, see
deploy/README.md), never public: files are read by the app and sent after the check."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read at each use, so tests can move it); never served
    as static media: views send them after a permission check."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> Storage:
    return storages["private"]
