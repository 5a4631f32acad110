"""Shared fixtures for the whole suite."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> Any:
    """Settings that make the suite fast and change nothing it asserts; production keeps its own.

    - Tests create many accounts: a deliberately slow hasher (PBKDF2, a million rounds) would
      cost ~0.5 s each.
    - WhiteNoise (with finders, outside production) walks every app's static files each time its
      middleware is built, and every test client builds the middleware again: ~35 ms per client,
      half of the authorization matrix's time. With autorefresh it looks a file up when one is
      asked for instead (the same files and headers are served).
    """
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


# The rows `load_reference` wrote in the first test that asked for them, per model, and what it
# returned. Later tests insert the same rows again (with the same primary keys) instead of
# re-reading and re-normalizing the boundary files: ~0.2 s instead of ~3 s per test. Every test
# still starts from an empty database (its transaction is rolled back or its tables flushed).
_REFERENCE_SNAPSHOT: tuple[list[tuple[Any, list[Any]]], dict[str, int]] | None = None


def _row_counts() -> dict[Any, int]:
    from django.apps import apps

    return {m: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


@pytest.fixture
def reference(db: Any) -> dict[str, int]:
    """The real reference data (country, 20 regions, their maslikhats, the national level)."""
    global _REFERENCE_SNAPSHOT
    from django.db import connection

    from maslikhat.directory.reference import load_reference

    if _REFERENCE_SNAPSHOT is None or not connection.in_atomic_block:
        if not connection.in_atomic_block:
            # A transactional test (browser tests, concurrency): its tables are flushed and
            # content types re-created with new ids after it, so no snapshot is taken or used.
            return load_reference()
        before = _row_counts()
        result = load_reference()
        after = _row_counts()
        touched = [m for m, n in after.items() if n != before[m]]
        if any(before[m] for m in touched):  # not a clean start: nothing to snapshot safely
            return result
        _REFERENCE_SNAPSHOT = ([(m, list(m._default_manager.order_by("pk"))) for m in touched], dict(result))
        return result
    snapshot, result = _REFERENCE_SNAPSHOT
    for model, rows in snapshot:
        model._default_manager.bulk_create(rows)
    return dict(result)


@pytest.fixture
def astana(reference: dict[str, int]) -> dict[str, Any]:
    """Astana's maslikhat with one constituency covering the whole city, its deputy and a chair,
    and a staff account of its apparatus. Returns the objects by name."""
    from datetime import date

    from maslikhat.directory.choices import AreaKind, ElectionMethod, PostRole
    from maslikhat.directory.lookup import reset_index
    from maslikhat.directory.models import Area, Organization
    from maslikhat.directory.services import area_upsert
    from tests.factories import MembershipFactory, PersonFactory, PostFactory, UserFactory

    region = Area.objects.get(code="KZ-71")
    maslikhat = Organization.objects.get(slug="kz-71-maslikhat")
    apparatus = Organization.objects.get(slug="kz-71-apparatus")
    constituency, _ = area_upsert(
        actor=None,
        code="KZ-71-T01",
        defaults={
            "kind": AreaKind.CONSTITUENCY,
            "parent": region,
            "body": maslikhat,
            "number": 1,
            "name_kk": "№1 сайлау округі",
            "name_ru": "Избирательный округ №1",
            "name_en": "Constituency No. 1",
            "boundary": region.boundary,
            "valid_from": date(2023, 3, 19),
        },
    )
    post = PostFactory(organization=maslikhat, area=constituency, label_en="Deputy for constituency No. 1")
    deputy = PersonFactory(name_en="Aigerim Testova", name_ru="Айгерим Тестова", name_kk="Айгерім Тестова")
    deputy_membership = MembershipFactory(person=deputy, organization=maslikhat, post=post)
    chair = PersonFactory(name_en="Serik Chairov", name_ru="Серик Чаиров", name_kk="Серік Чаиров")
    chair_post = maslikhat.posts.get(role=PostRole.CHAIR)
    MembershipFactory(
        person=chair,
        organization=maslikhat,
        post=chair_post,
        role=PostRole.CHAIR,
        election_method=ElectionMethod.INDIRECT,
    )
    staff_user = UserFactory(username="staff-test-kz-71", is_staff=True)
    staff_person = PersonFactory(user=staff_user)
    MembershipFactory(
        person=staff_person,
        organization=apparatus,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    reset_index()
    return {
        "region": region,
        "maslikhat": maslikhat,
        "apparatus": apparatus,
        "constituency": constituency,
        "deputy": deputy,
        "deputy_membership": deputy_membership,
        "chair": chair,
        "staff_user": staff_user,
    }


_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _migration_data(request: pytest.FixtureRequest) -> None:
    """Rows that migrations write (the appeal topics) exist in every test that uses the database.

    A transactional test (browser, concurrency, fuzzing) ends by flushing every table, which also
    removes what data migrations wrote; any later test in the same worker would then run without
    topics, and which tests those are depends on how xdist shares them out. So every database test
    starts by putting them back (idempotent, one query when they are there)."""
    if request.node.get_closest_marker("django_db") is None and not _DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps as django_apps

    from maslikhat.appeals.models import Topic

    if not Topic.objects.exists():
        import importlib

        importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files go to a temporary directory, never into the working tree."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path_factory.mktemp("private"))
