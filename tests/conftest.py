"""Shared fixtures for the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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


# The real reference data is loaded once per test process (xdist worker), before any test's
# transaction: `load_reference` reads and normalizes the whole country's files (tens of seconds),
# its rows are copied into plain tables of the test database (`_snapshot_<table>`, no model,
# so no flush removes them) and deleted again. Each test that asks for the data gets it back with
# one `INSERT ... SELECT` per table, inside the database (the same primary keys; the ActionLog's
# content types are matched by app label and model, since a transactional test's flush
# re-creates them with new ids). Every test still starts from an empty database.
# (The SQL below is built from the names of Django's own tables and columns, quoted: S608.)
_SNAPSHOT_PREFIX = "_snapshot_"


@dataclass(frozen=True)
class ReferenceSnapshot:
    tables: list[tuple[str, list[str], set[str]]]  # table, its columns, those naming a content type
    result: dict[str, int]

    def restore(self) -> dict[str, int]:
        from django.db import connection, transaction

        q = connection.ops.quote_name
        # one transaction (a savepoint inside a test's): foreign keys are checked at its end
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns, ct_columns in self.tables:
                values = []
                for column in columns:
                    if column in ct_columns:
                        label, model = q(f"{column}__app_label"), q(f"{column}__model")
                        values.append(
                            f"(SELECT ct.id FROM django_content_type ct "  # noqa: S608
                            f"WHERE ct.app_label = s.{label} AND ct.model = s.{model})"
                        )
                    else:
                        values.append(f"s.{q(column)}")
                cursor.execute(
                    f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
                    f"SELECT {', '.join(values)} FROM {q(_SNAPSHOT_PREFIX + table)} s"
                )
        return dict(self.result)


def _row_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def _take_snapshot() -> ReferenceSnapshot:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from maslikhat.directory.reference import load_reference

    assert not connection.in_atomic_block, "the reference snapshot is taken outside any transaction"
    q = connection.ops.quote_name
    before = _row_counts()
    # committed at its end; the services' durable transactions may open inside it, as in a test
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        result = load_reference()
    touched = [t for t, n in _row_counts().items() if n != before[t]]
    assert not any(before[t] for t in touched), f"reference data on a non-empty database: {touched}"
    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    tables = []
    with transaction.atomic(), connection.cursor() as cursor:
        for table in touched:
            fields = list(models[table]._meta.concrete_fields)
            columns = [f.column for f in fields]
            ct_columns = {f.column for f in fields if f.is_relation and f.related_model is ContentType}
            select = [f"t.{q(c)}" for c in columns]
            joins = []
            for i, column in enumerate(sorted(ct_columns)):
                joins.append(f"LEFT JOIN django_content_type ct{i} ON ct{i}.id = t.{q(column)}")
                select += [
                    f"ct{i}.app_label AS {q(column + '__app_label')}",
                    f"ct{i}.model AS {q(column + '__model')}",
                ]
            snapshot = q(_SNAPSHOT_PREFIX + table)
            cursor.execute(f"DROP TABLE IF EXISTS {snapshot}")
            cursor.execute(
                f"CREATE TABLE {snapshot} AS SELECT {', '.join(select)} FROM {q(table)} t {' '.join(joins)}"  # noqa: S608
            )
            tables.append((table, columns, ct_columns))
        # the database is empty again (sequences stay past the snapshot's ids)
        for table in touched:
            cursor.execute(f"DELETE FROM {q(table)}")  # noqa: S608
    return ReferenceSnapshot(tables=tables, result=dict(result))


@pytest.fixture(scope="session")
def reference_snapshot(django_db_setup: Any, django_db_blocker: Any) -> ReferenceSnapshot:
    """The reference data, loaded once per process; `restore()` puts it into the database."""
    with django_db_blocker.unblock():
        return _take_snapshot()


@pytest.fixture
def reference(reference_snapshot: ReferenceSnapshot, db: Any) -> dict[str, int]:
    """The real reference data (the country, its regions, districts and settlements, their
    maslikhats, the national level), as `load_reference` writes it."""
    return reference_snapshot.restore()


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


@pytest.fixture
def applicant() -> dict[str, str]:
    """A citizen's details as an appeal form takes them (a valid IIN)."""
    from tests.factories import valid_iin

    return {
        "full_name": "Айгүл Бекова",
        "iin": valid_iin(),
        "address": "Астана, Мәңгілік Ел даңғылы, 8",
        "phone": "+7 701 234 56 78",
        "email": "aigul@example.org",
    }


@pytest.fixture
def council_body(reference: dict[str, int]) -> Any:
    """The council on maslikhats in office today (the Kurultai's), as an Organization."""
    from maslikhat.directory.models import Organization

    return Organization.objects.get(slug="kurultai-council-on-maslikhats")


@pytest.fixture
def council_world(astana: dict[str, Any]) -> dict[str, Any]:
    """The council in office today (the successor of the Senate's), a staff account of it, and
    Almaty city's maslikhat with a staff account of its apparatus (besides Astana's); with
    everything `astana` holds."""
    from datetime import date

    from maslikhat.directory.choices import ElectionMethod, PostRole
    from maslikhat.directory.models import Organization
    from maslikhat.directory.reference import COUNCIL_SLUG, SUCCESSOR_COUNCIL_SLUG
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    successor = Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG)
    staff = UserFactory(username="council-staff", is_staff=True, email="council@example.kz")
    MembershipFactory(
        person=PersonFactory(user=staff),
        organization=successor,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
        start_date=date(2026, 7, 1),
    )
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    other_staff = UserFactory(username="staff-kz-75", is_staff=True, email="almaty@example.kz")
    MembershipFactory(
        person=PersonFactory(user=other_staff),
        organization=Organization.objects.get(slug="kz-75-apparatus"),
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    astana["staff_user"].email = "astana@example.kz"
    astana["staff_user"].save()
    return {
        **astana,
        "council": successor,
        "senate_council": Organization.objects.get(slug=COUNCIL_SLUG),
        "council_staff": staff,
        "almaty": almaty,
        "almaty_staff": other_staff,
    }


@pytest.fixture
def council_record(council_world: dict[str, Any]) -> dict[str, Any]:
    """A draft extended meeting with a recommendation to Astana's and Almaty's maslikhats, Astana's
    proposal with an internal note, and a later draft meeting; with everything `council_world` holds."""
    from datetime import date

    from maslikhat.council import services
    from maslikhat.council.choices import MeetingKind

    staff = council_world["council_staff"]
    meeting = services.meeting_create(
        actor=staff,
        held_on=date(2026, 12, 10),
        kind=MeetingKind.EXTENDED,
        title={"en": "Assessing the maslikhats", "kk": "Мәслихаттарды бағалау", "ru": "Оценка маслихатов"},
        agenda=[{"en": "Scorecard for 2026"}],
    )
    proposal = services.proposal_submit(
        actor=council_world["staff_user"],
        body=council_world["maslikhat"],
        title="Local fees for district maslikhats",
        text="Amend the Budget Code.",
        language="en",
        policy_area="budget",
    )
    services.proposal_add_note(actor=staff, proposal=proposal, text="Ask the ministry first")
    rec = services.recommendation_adopt(
        actor=staff,
        meeting=meeting,
        title={"en": "Hold monthly receptions"},
        text={"en": "Every deputy receives citizens monthly."},
        due_on=date(2027, 3, 1),
        addressees=[council_world["maslikhat"], council_world["almaty"]],
    )
    draft = services.meeting_create(
        actor=staff, held_on=date(2027, 2, 1), kind=MeetingKind.REGULAR, title={"en": "Next meeting (draft)"}
    )
    return {**council_world, "meeting": meeting, "proposal": proposal, "rec": rec, "draft": draft}


@pytest.fixture
def scorecard_world(reference: dict[str, int], settings: Any) -> Iterator[Any]:
    """Varied appeals, proposals and reports over 2024-2025 for four regional and two district
    maslikhats, their rollups rebuilt (tests.scorecard.world.build_world): a `World` with the
    bodies and the districts."""
    from django.core.cache import cache

    from maslikhat.appeals.figures import reset_histograms
    from maslikhat.core.figures import reset_kept
    from tests.scorecard.world import build_world

    # the answer-days histograms and the sources' kept values are kept in the process: a test
    # starts without them; the tables are computed every time (query-count pins measure the
    # sources' own work; the kept values: tests/scorecard/test_kept.py)
    settings.SCORECARD_KEEP_VALUES = False
    reset_histograms()
    reset_kept()
    yield build_world()
    cache.clear()
    reset_histograms()
    reset_kept()


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
def _fresh_lookup_state() -> Iterator[None]:
    """The look-up's index and snapshot are per process: every test builds them from its own
    database (a snapshot left by an earlier test of the same worker would answer with its rows)."""
    from maslikhat.directory.lookup import reset_index

    reset_index()
    yield
    reset_index()


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Code run outside a request speaks English in every test.

    The site's default language is Kazakh, and a request leaves its language active in the
    thread (LocaleMiddleware activates it and nothing deactivates it): without this, a message
    built by a service after some request came out in that request's language, and which one
    depended on how xdist shared the tests out. Tests of translated output ask for their
    language themselves (a request's Accept-Language, or `translation.override`)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files go to a temporary directory, never into the working tree."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path_factory.mktemp("private"))


@pytest.fixture(autouse=True)
def _empty_page_cache() -> Iterator[None]:
    """The public page cache (core/pagecache.py, its own cache alias) is on in the suite, as in
    production; each test starts and ends with it empty (a page or a family version left by an
    earlier test of the same worker would answer for a database that no longer exists)."""
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def uncached(settings: Any) -> None:
    """The public page cache off: a query-count pin measures the page's own work, not a cache
    hit (the cache itself is tested in tests/core/test_pagecache.py)."""
    settings.PAGE_CACHE_ENABLED = False
