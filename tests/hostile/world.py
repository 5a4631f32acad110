"""One shared world for the authorization matrix and the CSRF tests: a user of every role and
a concrete object behind every page, built once per module inside a transaction that is rolled
back at the end (each test adds its own savepoint on top)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
ROLES = ("anonymous", "citizen", "other_citizen", "deputy", "staff", "other_staff", "council", "admin")


def _astana_and_council(load_reference: Callable[[], Any]) -> dict[str, Any]:
    """What the `astana` and `council_world` fixtures build (they are function-scoped)."""
    from maslikhat.directory.choices import AreaKind, ElectionMethod, PostRole
    from maslikhat.directory.models import Area, Organization
    from maslikhat.directory.reference import SUCCESSOR_COUNCIL_SLUG
    from maslikhat.directory.services import area_upsert
    from tests.factories import MembershipFactory, PersonFactory, PostFactory, UserFactory

    load_reference()
    region = Area.objects.get(code="KZ-71")
    maslikhat = Organization.objects.get(slug="kz-71-maslikhat")
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
    deputy_user = UserFactory(username="hostile-deputy", is_staff=True)
    deputy = PersonFactory(name_en="Aigerim Testova", user=deputy_user)
    MembershipFactory(person=deputy, organization=maslikhat, post=post)

    def staff_of(slug: str, username: str, start: date = date(2023, 3, 29)) -> Any:
        user = UserFactory(username=username, is_staff=True)
        MembershipFactory(
            person=PersonFactory(user=user),
            organization=Organization.objects.get(slug=slug),
            role=PostRole.STAFF,
            election_method=ElectionMethod.EMPLOYED,
            start_date=start,
        )
        return user

    return {
        "region": region,
        "maslikhat": maslikhat,
        "almaty": Organization.objects.get(slug="kz-75-maslikhat"),
        "council_body": Organization.objects.get(slug=SUCCESSOR_COUNCIL_SLUG),
        "deputy": deputy,
        "users": {
            "citizen": UserFactory(username="hostile-citizen"),
            "other_citizen": UserFactory(username="hostile-other-citizen"),
            "deputy": deputy_user,
            "staff": staff_of("kz-71-apparatus", "hostile-staff-71"),
            "other_staff": staff_of("kz-75-apparatus", "hostile-staff-75"),
            "council": staff_of(SUCCESSOR_COUNCIL_SLUG, "hostile-council", date(2026, 7, 1)),
            "admin": UserFactory(username="hostile-admin", is_staff=True, is_superuser=True),
        },
    }


def _objects(w: dict[str, Any]) -> dict[str, Any]:
    from maslikhat.appeals.services import appeal_submit
    from maslikhat.council import services as council
    from maslikhat.council.choices import MeetingKind
    from maslikhat.directory.lookup import reset_index
    from maslikhat.notifications.services import follow_create
    from maslikhat.notifications.unsubscribe import digest_unsubscribe_token, unsubscribe_token
    from tests.factories import valid_iin
    from tests.news.factories import make_publication, make_tag

    users = w["users"]
    appeal, token = appeal_submit(
        actor=users["citizen"],
        body=w["maslikhat"],
        kind="application",
        topic_code="roads",
        text="The road on our street has not been repaired for three years.",
        language="en",
        applicant={
            "full_name": "Aigul Bekova",
            "iin": valid_iin(),
            "address": "Astana, Mangilik El 8",
            "phone": "+7 701 234 56 78",
            "email": "aigul@example.org",
        },
        files=[SimpleUploadedFile("scan.pdf", PDF)],
        notify=False,
    )
    staff, council_staff = users["staff"], users["council"]
    meeting = council.meeting_create(
        actor=council_staff,
        held_on=date(2026, 12, 10),
        kind=MeetingKind.EXTENDED,
        title={"en": "Assessing the maslikhats"},
        agenda=[{"en": "Scorecard for 2026"}],
    )
    document = council.meeting_add_document(
        actor=council_staff, meeting=meeting, upload=SimpleUploadedFile("agenda.pdf", PDF), title="Agenda"
    )
    proposal = council.proposal_submit(
        actor=staff,
        body=w["maslikhat"],
        title="Local fees",
        text="Amend the Budget Code.",
        language="en",
        policy_area="budget",
        files=[SimpleUploadedFile("why.pdf", PDF)],
    )
    rec = council.recommendation_adopt(
        actor=council_staff,
        meeting=meeting,
        title={"en": "Hold monthly receptions"},
        text={"en": "Every deputy receives citizens monthly."},
        due_on=date(2027, 3, 1),
        addressees=[w["maslikhat"], w["almaty"]],
    )
    council.meeting_publish(actor=council_staff, meeting=meeting)
    draft_meeting = council.meeting_create(
        actor=council_staff, held_on=date(2027, 2, 1), kind=MeetingKind.REGULAR, title={"en": "Next (draft)"}
    )
    tag = make_tag(code="budget")
    published = make_publication(body=w["maslikhat"], tags=[tag], areas=[w["region"]])
    published.photo.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), save=False)
    published.photo_content_type = "image/png"
    published.save()
    draft = make_publication(body=w["maslikhat"], status="draft")
    follow = follow_create(actor=users["citizen"], kind="body", target=w["maslikhat"])
    reset_index()
    return {
        "appeal": appeal.registration_number,
        "token": token,
        "attachment": appeal.attachments.get().pk,
        "meeting": meeting.pk,
        "meeting_doc": document.pk,
        "draft_meeting": draft_meeting.pk,
        "proposal": proposal.pk,
        "proposal_doc": proposal.documents.get().pk,
        "rec": rec.pk,
        "report": rec.reports.get(body=w["maslikhat"]).pk,
        "body": w["maslikhat"].pk,
        "person": w["deputy"].pk,
        "news": published.pk,
        "draft_news": draft.pk,
        "follow": follow.pk,
        "unsubscribe": unsubscribe_token(follow),
        "digest_unsubscribe": digest_unsubscribe_token(follow.user, [follow], []),
    }


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is rolled back at its end. The services' own transactions are durable
    (they must be the outermost); inside this block they may still open, as inside the
    transaction of a Django TestCase (Django marks those `_from_testcase`, so does this)."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        yield
        transaction.set_rollback(True)


@contextmanager
def build_world(media: Path, load_reference: Callable[[], Any]) -> Iterator[dict[str, Any]]:
    """The world inside an open transaction; rolled back on exit. `load_reference` puts the
    reference data in (the suite's snapshot: tests/conftest.py)."""
    from maslikhat.core.tokens import api_token_issue

    with override_settings(MEDIA_ROOT=str(media / "public"), PRIVATE_MEDIA_ROOT=str(media / "private")):
        with rolled_back():
            w = _astana_and_council(load_reference)
            w["ids"] = _objects(w)
            from .access import OBJECT_BUILDERS

            for build in OBJECT_BUILDERS:
                w["ids"].update(build(w))
            w["media"] = media
            w["tokens"] = {
                role: api_token_issue(username=user.username, password="test-password")
                for role, user in w["users"].items()
            }
            yield w
