"""Use cases of participation. Every public function is one durable transaction (except where
noted), takes keyword-only arguments and the acting user, and writes the ActionLog."""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.audit import log_action
from maslikhat.core.calendar import add_working_days
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors, NotAllowed
from maslikhat.core.iin import parse_iin
from maslikhat.core.models import Visibility
from maslikhat.core.ratelimit import hit
from maslikhat.core.sms import send_sms
from maslikhat.core.text import clean_input, field_text
from maslikhat.core.uploads import check_uploads
from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.models import Area, Organization
from maslikhat.directory.selectors import maslikhat_for_area

from .choices import (
    ALL_METHODS,
    INITIATIVE_TRANSITIONS,
    ImplementationStatus,
    InitiativeCategory,
    InitiativeStatus,
    Phase,
    ProjectStatus,
    TallyMethod,
    VerificationMethod,
)
from .error_codes import ParticipationErrorCode as E
from .events import ParticipationLogEvent as Ev
from .models import (
    Ballot,
    BudgetProcess,
    Implementation,
    ImplementationUpdate,
    Initiative,
    InitiativePhoto,
    PaperSignatures,
    PhoneCode,
    Project,
    ResidentRecord,
    Support,
    Verification,
)
from .permissions import can_run_participation
from .places import place_errors
from .residency import area_chain_ids, iin_hash, keyed_hash, require_resident
from .tally import Candidate, equal_shares, greedy


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _today() -> date:
    return timezone.localdate()


def _staff_of(actor: Any, body: Organization) -> None:
    if not can_run_participation(actor, body):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only the staff of this maslikhat may do this."))


class Forbidden(DomainError):
    status = 403


def _require_staff(actor: Any, body: Organization) -> None:
    if not can_run_participation(actor, body):
        raise Forbidden(ErrorCode.FORBIDDEN, _("Only the staff of this maslikhat may do this."))


def _clean_text(field: str, value: object, max_length: int, errors: list[tuple[str, str, Any]]) -> str:
    """A required text field under the text rule (`core.text.field_text`)."""
    return field_text(field, value, max_length=max_length, errors=errors)


# ====================================================================== residency

VERIFICATION_DAYS = 365
CODE_MINUTES = 10
CODE_ATTEMPTS = 5


def _grant(*, actor: Any, user: Any, area: Area, method: str, by: Any = None, note: str = "") -> Verification:
    now = timezone.now()
    # a new residency ends the others (a move): one place of residence at a time
    Verification.objects.filter(user=user, revoked_at__isnull=True).exclude(area=area).update(revoked_at=now)
    v = Verification.objects.create(
        user=user,
        area=area,
        method=method,
        verified_at=now,
        expires_at=now + timedelta(days=int(_setting("PARTICIPATION_VERIFICATION_DAYS", VERIFICATION_DAYS))),
        verified_by=by,
        document_note=note,
    )
    log_action(actor=actor, event=Ev.VERIFIED, target=v, data={"method": method, "area": area.code})
    return v


def parse_phone(raw: object) -> str:
    """A Kazakhstan mobile number in E.164, or FieldErrors."""
    error = FieldErrors([("phone", E.INVALID_PHONE, _("Enter a valid mobile phone number."))])
    if not isinstance(raw, str) or len(raw) > 30:
        raise error
    try:
        number = phonenumbers.parse(raw, "KZ")
    except phonenumbers.NumberParseException:
        raise error from None
    if (
        not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "KZ"
    ) or phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise error
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _refuse_if_limited(result: Any) -> None:
    if not result.allowed:
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            _("Too many codes requested. Try again later."),
            retry_after=result.retry_after,
        )


@transaction.atomic(durable=True)
def phone_code_send(*, actor: Any, area: Area, phone: str, client: str) -> PhoneCode:
    """Send a one-time code to `phone` for residency of `area`; throttled per number and client."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(ErrorCode.FORBIDDEN, _("Sign in first."))
    e164 = parse_phone(phone)
    phone_key = keyed_hash("phone", e164)
    per_number = int(_setting("PARTICIPATION_SMS_PER_NUMBER_PER_HOUR", 3))
    _refuse_if_limited(hit("sms_phone", phone_key, limit=per_number, window=3600))
    per_client = int(_setting("PARTICIPATION_SMS_PER_CLIENT_PER_HOUR", 10))
    _refuse_if_limited(hit("sms_client", client, limit=per_client, window=3600))
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    PhoneCode.objects.filter(user=actor, used_at__isnull=True).update(used_at=now)  # one live code
    pc = PhoneCode.objects.create(
        user=actor,
        area=area,
        phone_hash=phone_key,
        code_hash=keyed_hash("code", f"{phone_key}:{code}"),
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    send_sms(e164, str(_("Maslikhat: your code is %(code)s") % {"code": code}))
    log_action(actor=actor, event=Ev.CODE_SENT, target=pc, data={"area": area.code})
    return pc


def phone_code_confirm(*, actor: Any, code: str) -> Verification:
    """Check the code of the actor's live PhoneCode. An attempt is counted (and committed) even
    when it fails, so this runs two transactions: the count, then the grant."""
    with transaction.atomic(durable=True):
        pc = (
            PhoneCode.objects.select_for_update()
            .filter(user=actor, used_at__isnull=True)
            .order_by("-id")
            .first()
            if getattr(actor, "is_authenticated", False)
            else None
        )
        if pc is None or pc.expires_at <= timezone.now():
            raise FieldErrors([("code", E.CODE_EXPIRED, _("The code has expired. Ask for a new one."))])
        if pc.attempts >= CODE_ATTEMPTS:
            raise FieldErrors([("code", E.TOO_MANY_ATTEMPTS, _("Too many wrong codes. Ask for a new one."))])
        PhoneCode.objects.filter(pk=pc.pk).update(attempts=F("attempts") + 1)
    raw = code.strip() if isinstance(code, str) else ""
    if not (len(raw) == 6 and raw.isascii() and raw.isdigit()) or not secrets.compare_digest(
        keyed_hash("code", f"{pc.phone_hash}:{raw}"), pc.code_hash
    ):
        raise FieldErrors([("code", E.CODE_WRONG, _("The code is wrong."))])
    with transaction.atomic(durable=True):
        if PhoneCode.objects.filter(pk=pc.pk, used_at__isnull=True).update(used_at=timezone.now()) != 1:
            raise FieldErrors([("code", E.CODE_EXPIRED, _("The code has expired. Ask for a new one."))])
        return _grant(actor=actor, user=actor, area=pc.area, method=VerificationMethod.SMS_CODE)


@transaction.atomic(durable=True)
def residency_by_list(*, actor: Any, iin: str, area: Area) -> Verification:
    """Match the IIN the citizen enters against the imported list for the settlement `area`."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(ErrorCode.FORBIDDEN, _("Sign in first."))
    try:
        value = parse_iin(iin).value
    except Exception:
        raise FieldErrors([("iin", E.INVALID_IIN, _("Enter a valid IIN of 12 digits."))]) from None
    if (
        not area.kato_code
        or not ResidentRecord.objects.filter(iin_hash=iin_hash(value), kato_code=area.kato_code).exists()
    ):
        raise FieldErrors(
            [("iin", E.NOT_IN_LIST, _("This IIN is not on the residents list of this settlement."))]
        )
    return _grant(actor=actor, user=actor, area=area, method=VerificationMethod.RESIDENTS_LIST)


@transaction.atomic(durable=True)
def residency_in_person(*, actor: Any, user: Any, area: Area, document_note: str) -> Verification:
    """Staff of the area's maslikhat record that they saw the person's identity document."""
    body = maslikhat_for_area(area=area)
    if body is None:
        raise FieldErrors([("area", E.NOT_A_MASLIKHAT_AREA, _("No maslikhat serves this area."))])
    _require_staff(actor, body)
    errors: list[tuple[str, str, Any]] = []
    note = _clean_text("document_note", document_note, 200, errors)
    if errors:
        raise FieldErrors(errors)
    return _grant(actor=actor, user=user, area=area, method=VerificationMethod.IN_PERSON, by=actor, note=note)


@transaction.atomic(durable=True)
def residents_import(*, actor: Any, rows: Iterable[tuple[str, str]], source: str) -> tuple[int, int]:
    """Import (IIN, settlement KATO) pairs; only keyed hashes are stored. Returns (added, bad)."""
    records, bad = [], 0
    for iin, kato in rows:
        try:
            value = parse_iin(iin).value
        except Exception:
            bad += 1
            continue
        kato = (kato or "").strip()
        if not (kato.isascii() and kato.isdigit() and len(kato) == 9):
            bad += 1
            continue
        records.append(ResidentRecord(iin_hash=iin_hash(value), kato_code=kato, source=source[:255]))
    before = ResidentRecord.objects.count()
    ResidentRecord.objects.bulk_create(records, ignore_conflicts=True, batch_size=2000)
    added = ResidentRecord.objects.count() - before
    log_action(
        actor=actor, event=Ev.RESIDENTS_IMPORTED, data={"added": added, "bad": bad, "source": source[:255]}
    )
    return added, bad


# ====================================================================== initiatives

SUPPORT_DAYS = 90
ANSWER_WORKING_DAYS = 20
INITIATIVE_METHODS = ALL_METHODS


def law_threshold(body: Organization) -> int | None:
    """The petitions law's shape: a district or city maslikhat 5,000, or 10 % of the population
    where it is 50,000 or less; a regional maslikhat 2 %. None where the population is missing
    and no default applies."""
    population = body.area.population if body.area is not None else None
    if body.kind == OrganizationKind.REGIONAL_MASLIKHAT:
        return max(1, math.ceil(population * 0.02)) if population else None
    if population is not None and population <= 50_000:
        return max(1, math.ceil(population * 0.10))
    return 5_000


def threshold_for(body: Organization) -> int | None:
    """The law's threshold, or a lower local one the operator set (PARTICIPATION_THRESHOLDS,
    maslikhat slug → supports); where the law gives none, the operator's number."""
    override = _setting("PARTICIPATION_THRESHOLDS", {}).get(body.slug)
    law = law_threshold(body)
    if override is not None and (law is None or int(override) < law):
        return max(1, int(override))
    return law


def excluded_topics() -> list[str]:
    """The published list of excluded topics (lower-case words or phrases)."""
    return [
        str(t).lower()
        for t in _setting(
            "PARTICIPATION_EXCLUDED_TOPICS",
            ["state security", "national defence", "court decision", "election results", "criminal case"],
        )
    ]


def excluded_topic_of(text: str) -> str | None:
    low = text.lower()
    return next((t for t in excluded_topics() if t in low), None)


def _transition(initiative: Initiative, to: str) -> None:
    if to not in INITIATIVE_TRANSITIONS[initiative.status]:
        raise NotAllowed(E.TRANSITION_NOT_ALLOWED, _("This step is not possible in the initiative's state."))
    initiative.status = to


@transaction.atomic(durable=True)
def initiative_create(
    *,
    actor: Any,
    area: Area,
    title: str,
    text: str,
    category: str,
    place_area: Area | None = None,
    lat: object = None,
    lon: object = None,
    photos: Sequence[Any] = (),
    co_authors: Sequence[Any] = (),
) -> Initiative:
    require_resident(actor, area, INITIATIVE_METHODS)
    errors: list[tuple[str, str, Any]] = []
    title = _clean_text("title", title, 200, errors)
    text = _clean_text("text", text, 10000, errors)
    if category not in InitiativeCategory.values:
        errors.append(("category", ErrorCode.INVALID_CHOICE, _("Choose a category from the list.")))
    if place_area is not None and area.pk not in area_chain_ids(place_area.pk):
        errors.append(("place_area", ErrorCode.INVALID_CHOICE, _("The settlement is not in this area.")))
    lat, lon, place = place_errors(area, lat, lon)
    errors.extend(place)
    body = maslikhat_for_area(area=area)
    if body is None:
        errors.append(("area", E.NOT_A_MASLIKHAT_AREA, _("No maslikhat serves this area.")))
    if errors:
        raise FieldErrors(errors)
    checked = check_uploads(list(photos), field="photos")
    if any(not c.content_type.startswith("image/") for c in checked):
        raise FieldErrors([("photos", "file_type", _("Photos must be JPEG or PNG files."))])
    if body is None:  # pragma: no cover - reported above
        raise FieldErrors(errors)
    initiative = Initiative.objects.create(
        body=body,
        area=area,
        place_area=place_area,
        lat=lat,
        lon=lon,
        author=actor,
        title=title,
        text=text,
        category=category,
    )
    for c in checked:
        photo = InitiativePhoto(initiative=initiative, name=c.name)
        photo.file.save(c.name, c.upload, save=True)
    others = [u for u in co_authors if u.pk != actor.pk]
    if others:
        initiative.co_authors.set(others)
    log_action(actor=actor, event=Ev.INITIATIVE_CREATED, target=initiative, visibility=Visibility.PUBLIC)
    return initiative


@transaction.atomic(durable=True)
def initiative_moderate(*, actor: Any, initiative: Initiative, publish: bool, reason: str = "") -> Initiative:
    """Publish for support, or refuse with a published reason. An excluded topic cannot pass."""
    initiative = (
        Initiative.objects.select_for_update(of=("self",)).select_related("body__area").get(pk=initiative.pk)
    )
    _require_staff(actor, initiative.body)
    reason = clean_input(reason)[:2000]
    if publish:
        topic = excluded_topic_of(f"{initiative.title}\n{initiative.text}")
        if topic is not None:
            raise FieldErrors(
                [
                    (
                        "publish",
                        E.EXCLUDED_TOPIC,
                        _("The initiative is on an excluded topic: %(t)s.") % {"t": topic},
                    )
                ]
            )
        threshold = threshold_for(initiative.body)
        if threshold is None:
            raise FieldErrors(
                [
                    (
                        "publish",
                        E.INVALID_AMOUNT,
                        _("Set this maslikhat's threshold first: its population is unknown."),
                    )
                ]
            )
        _transition(initiative, InitiativeStatus.COLLECTING)
        today = _today()
        initiative.threshold = threshold
        initiative.support_from = today
        initiative.support_until = today + timedelta(
            days=int(_setting("PARTICIPATION_SUPPORT_DAYS", SUPPORT_DAYS))
        )
        initiative.moderation_reason = reason
        event = Ev.INITIATIVE_PUBLISHED
    else:
        if not reason:
            raise FieldErrors([("reason", E.REASON_REQUIRED, _("Give the reason; it is published."))])
        _transition(initiative, InitiativeStatus.REFUSED)
        initiative.moderation_reason = reason
        event = Ev.INITIATIVE_REFUSED
    initiative.save()
    log_action(
        actor=actor, event=event, target=initiative, visibility=Visibility.PUBLIC, data={"reason": reason}
    )
    return initiative


def _open_for_support(initiative: Initiative) -> None:
    if initiative.status != InitiativeStatus.COLLECTING or (
        initiative.support_until is not None and _today() > initiative.support_until
    ):
        raise FieldErrors([("initiative", E.NOT_COLLECTING, _("This initiative is not collecting support."))])


def _check_reached(initiative_id: int) -> None:
    initiative = Initiative.objects.get(pk=initiative_id)
    if (
        initiative.status == InitiativeStatus.COLLECTING
        and initiative.threshold is not None
        and initiative.supports >= initiative.threshold
    ):
        today = _today()
        days = int(_setting("PARTICIPATION_ANSWER_WORKING_DAYS", ANSWER_WORKING_DAYS))
        Initiative.objects.filter(pk=initiative_id, status=InitiativeStatus.COLLECTING).update(
            status=InitiativeStatus.REACHED, reached_on=today, answer_due=add_working_days(today, days)
        )


@transaction.atomic(durable=True)
def initiative_support(*, actor: Any, initiative: Initiative) -> bool:
    """Support once (a repeat changes nothing). Returns whether this call added a support."""
    require_resident(actor, initiative.area, INITIATIVE_METHODS)
    _open_for_support(initiative)
    try:
        with transaction.atomic():
            Support.objects.create(initiative=initiative, user=actor)
    except IntegrityError:
        return False
    Initiative.objects.filter(pk=initiative.pk).update(online_supports=F("online_supports") + 1)
    _check_reached(initiative.pk)
    return True


@transaction.atomic(durable=True)
def initiative_withdraw_support(*, actor: Any, initiative: Initiative) -> bool:
    _open_for_support(initiative)
    deleted, _rows = Support.objects.filter(initiative=initiative, user=actor).delete()
    if not deleted:
        return False
    Initiative.objects.filter(pk=initiative.pk).update(online_supports=F("online_supports") - 1)
    return True


@transaction.atomic(durable=True)
def paper_signatures_add(
    *, actor: Any, initiative: Initiative, count: int, note: str = ""
) -> PaperSignatures:
    """Staff enter a batch of checked paper signatures; counted separately, each batch audited."""
    _require_staff(actor, initiative.body)
    _open_for_support(initiative)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 1_000_000:
        raise FieldErrors(
            [("count", E.INVALID_AMOUNT, _("Enter a number of signatures from 1 to 1,000,000."))]
        )
    batch = PaperSignatures.objects.create(
        initiative=initiative, count=count, note=clean_input(note)[:300], entered_by=actor
    )
    Initiative.objects.filter(pk=initiative.pk).update(paper_supports=F("paper_supports") + count)
    _check_reached(initiative.pk)
    log_action(
        actor=actor, event=Ev.PAPER_SIGNATURES, target=initiative, data={"count": count, "batch": batch.pk}
    )
    return batch


@transaction.atomic(durable=True)
def initiatives_close_expired(*, actor: Any, today: date | None = None) -> int:
    """Initiatives whose support period ended below the threshold (a daily job)."""
    today = today or _today()
    n = Initiative.objects.filter(status=InitiativeStatus.COLLECTING, support_until__lt=today).update(
        status=InitiativeStatus.NOT_REACHED
    )
    if n:
        log_action(actor=actor, event=Ev.INITIATIVE_CLOSED, data={"count": n})
    return n


@transaction.atomic(durable=True)
def initiative_answer(
    *,
    actor: Any,
    initiative: Initiative,
    outcome: str,
    text: str,
    plan_reference: str = "",
    agenda_item_id: int | None = None,
) -> Initiative:
    """The maslikhat's answer: accepted (with the session agenda item of this maslikhat that
    carries it out, or a plan outside sessions), partly, or rejected."""
    initiative = Initiative.objects.select_for_update().select_related("body").get(pk=initiative.pk)
    _require_staff(actor, initiative.body)
    errors: list[tuple[str, str, Any]] = []
    if outcome not in (InitiativeStatus.ACCEPTED, InitiativeStatus.PARTLY, InitiativeStatus.REJECTED):
        errors.append(("outcome", ErrorCode.INVALID_CHOICE, _("Choose accepted, partly or rejected.")))
    answer = _clean_text("text", text, 10000, errors)
    reference = field_text("plan_reference", plan_reference, max_length=300, errors=errors, required=False)
    item = None
    if agenda_item_id is not None:
        item = _agenda_item_of(initiative.body_id, agenda_item_id)
        if item is None:
            errors.append(
                (
                    "agenda_item",
                    E.INVALID_AGENDA_ITEM,
                    _("Choose an agenda item of one of this maslikhat's sessions."),
                )
            )
        elif outcome == InitiativeStatus.REJECTED:
            errors.append(
                (
                    "agenda_item",
                    E.INVALID_AGENDA_ITEM,
                    _("A rejected initiative is not carried out by an agenda item."),
                )
            )
    if errors:
        raise FieldErrors(errors)
    _transition(initiative, outcome)
    initiative.answer_text = answer
    initiative.answered_on = _today()
    initiative.plan_reference = reference
    initiative.agenda_item = item
    initiative.save()
    if outcome in (InitiativeStatus.ACCEPTED, InitiativeStatus.PARTLY):
        Implementation.objects.create(
            initiative=initiative, responsible=initiative.body, is_demo=initiative.is_demo
        )
    log_action(
        actor=actor,
        event=Ev.INITIATIVE_ANSWERED,
        target=initiative,
        visibility=Visibility.PUBLIC,
        data={"outcome": outcome, "agenda_item": item.pk if item is not None else None},
    )
    return initiative


def _agenda_item_of(body_id: int, item_id: object) -> Any:
    """The agenda item `item_id` of a session of the maslikhat `body_id`, or None."""
    from maslikhat.proceedings.models import AgendaItem

    if isinstance(item_id, bool) or not isinstance(item_id, int) or not 0 < item_id < 2**31:
        return None
    return AgendaItem.objects.filter(pk=item_id, session__body_id=body_id).first()


# ====================================================================== participatory budgets

PROCESS_AREA_KINDS = (AreaKind.CITY, AreaKind.DISTRICT, AreaKind.REGION, AreaKind.CITY_DISTRICT)


def phase_of(process: BudgetProcess, on: date | None = None) -> str:
    """The phase a process is in on a day (the dates are inclusive)."""
    d = on or _today()
    if d < process.applications_from:
        return Phase.UPCOMING
    for until, phase in (
        (process.applications_until, Phase.APPLICATIONS),
        (process.review_until, Phase.REVIEW),
        (process.revision_until, Phase.REVISION),
        (process.second_review_until, Phase.SECOND_REVIEW),
    ):
        if d <= until:
            return phase
    if d < process.voting_from:
        return Phase.SECOND_REVIEW
    if d <= process.voting_until:
        return Phase.VOTING
    if process.tallied_at is None:
        return Phase.TALLY
    return Phase.FINISHED


@transaction.atomic(durable=True)
def process_create(
    *,
    actor: Any,
    area: Area,
    title: str,
    total_amount: int,
    cost_limit: int,
    dates: dict[str, date],
    max_votes: int = 3,
    method: str = TallyMethod.GREEDY,
    categories: Sequence[str] = (),
    adult_population: int | None = None,
    local_budget: int | None = None,
    min_share_pct: Any = None,
) -> BudgetProcess:
    body = maslikhat_for_area(area=area)
    if body is None or area.kind not in PROCESS_AREA_KINDS:
        raise FieldErrors([("area", E.NOT_A_MASLIKHAT_AREA, _("A process is run for a city or a district."))])
    _require_staff(actor, body)
    errors: list[tuple[str, str, Any]] = []
    title = _clean_text("title", title, 200, errors)
    if not 0 < cost_limit <= total_amount:
        errors.append(
            ("cost_limit", E.INVALID_AMOUNT, _("The cost limit must be positive and within the total."))
        )
    if method not in TallyMethod.values:
        errors.append(("method", ErrorCode.INVALID_CHOICE, _("Choose a tally method.")))
    if not 1 <= max_votes <= 20:
        errors.append(("max_votes", E.INVALID_AMOUNT, _("Between 1 and 20 projects per voter.")))
    order = [
        "applications_from",
        "applications_until",
        "review_until",
        "revision_until",
        "second_review_until",
        "voting_from",
        "voting_until",
        "tally_until",
    ]
    if (
        set(dates) != set(order)
        or any(dates[a] > dates[b] for a, b in zip(order, order[1:], strict=False))
        or (dates["second_review_until"] >= dates["voting_from"])
    ):
        errors.append(("dates", E.INVALID_DATES, _("The phases' dates must follow each other.")))
    if errors:
        raise FieldErrors(errors)
    process = BudgetProcess.objects.create(
        body=body,
        area=area,
        title=title,
        total_amount=total_amount,
        cost_limit=cost_limit,
        max_votes=max_votes,
        method=method,
        categories=list(categories),
        adult_population=adult_population,
        local_budget=local_budget,
        min_share_pct=min_share_pct,
        **dates,
    )
    process.phase = phase_of(process)
    process.save(update_fields=["phase"])
    log_action(actor=actor, event=Ev.PROCESS_CREATED, target=process, visibility=Visibility.PUBLIC)
    return process


def _phase_required(process: BudgetProcess, phases: Iterable[str]) -> None:
    if phase_of(process) not in set(phases):
        raise FieldErrors([("phase", E.PHASE_CLOSED, _("This is not possible in the current phase."))])


@transaction.atomic(durable=True)
def project_submit(
    *,
    actor: Any,
    process: BudgetProcess,
    title: str,
    text: str,
    object_ref: str,
    cost: int,
    category: str = "",
    lat: object = None,
    lon: object = None,
) -> Project:
    require_resident(actor, process.area)
    _phase_required(process, [Phase.APPLICATIONS])
    errors: list[tuple[str, str, Any]] = []
    title = _clean_text("title", title, 200, errors)
    text = _clean_text("text", text, 10000, errors)
    object_ref = _clean_text("object_ref", object_ref, 200, errors)
    point_lat, point_lon, place = place_errors(process.area, lat, lon)
    errors.extend(place)
    if not isinstance(cost, int) or not 0 < cost <= process.cost_limit:
        errors.append(
            ("cost", E.OVER_COST_LIMIT, _("The cost must be positive and within the project limit."))
        )
    if process.categories and category not in process.categories:
        errors.append(("category", ErrorCode.INVALID_CHOICE, _("Choose a category from the list.")))
    if errors:
        raise FieldErrors(errors)
    if Project.objects.filter(process=process, author=actor, object_ref__iexact=object_ref).exists():
        raise FieldErrors(
            [("object_ref", E.DUPLICATE_APPLICATION, _("You already applied for this object."))]
        )
    project = Project.objects.create(
        process=process,
        author=actor,
        title=title,
        text=text,
        object_ref=object_ref,
        cost=cost,
        category=category,
        lat=point_lat,
        lon=point_lon,
    )
    log_action(actor=actor, event=Ev.PROJECT_SUBMITTED, target=project, visibility=Visibility.PUBLIC)
    return project


@transaction.atomic(durable=True)
def project_review(
    *, actor: Any, project: Project, feasible: bool, legal: bool, estimate: int | None, reason: str
) -> Project:
    """The expert decision (feasible, cost estimate, legal check), published with its reason."""
    process = project.process
    _require_staff(actor, process.body)
    _phase_required(process, [Phase.APPLICATIONS, Phase.REVIEW, Phase.REVISION, Phase.SECOND_REVIEW])
    reason = clean_input(reason)[:2000]
    price = estimate if estimate is not None else project.cost
    admitted = feasible and legal and 0 < price <= process.cost_limit
    if not admitted and not reason:
        raise FieldErrors([("reason", E.REASON_REQUIRED, _("Give the reason; it is published."))])
    project.review_feasible, project.review_legal, project.review_estimate = feasible, legal, estimate
    project.review_reason = reason
    project.status = ProjectStatus.FEASIBLE if admitted else ProjectStatus.REJECTED
    project.save()
    log_action(
        actor=actor,
        event=Ev.PROJECT_REVIEWED,
        target=project,
        visibility=Visibility.PUBLIC,
        data={"admitted": admitted},
    )
    return project


def _check_choice(process: BudgetProcess, project_ids: Sequence[int]) -> list[Project]:
    ids = list(dict.fromkeys(int(i) for i in project_ids))
    if not ids:
        raise FieldErrors([("projects", ErrorCode.REQUIRED, _("Choose at least one project."))])
    if len(ids) > process.max_votes:
        raise FieldErrors(
            [
                (
                    "projects",
                    E.OVER_LIMIT,
                    _("You may choose at most %(n)d projects.") % {"n": process.max_votes},
                )
            ]
        )
    projects = list(Project.objects.filter(process=process, pk__in=ids, status=ProjectStatus.FEASIBLE))
    if len(projects) != len(ids):
        raise FieldErrors([("projects", E.NOT_IN_PROCESS, _("Choose projects admitted to this vote."))])
    if sum(p.price for p in projects) > process.total_amount:
        raise FieldErrors([("projects", E.OVER_BUDGET, _("The projects chosen cost more than the budget."))])
    return projects


@transaction.atomic(durable=True)
def ballot_cast(*, actor: Any, process: BudgetProcess, project_ids: Sequence[int]) -> Ballot:
    """A verified resident's ballot; cast again to change it until the voting phase closes."""
    require_resident(actor, process.area)
    _phase_required(process, [Phase.VOTING])
    projects = _check_choice(process, project_ids)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(process=process, user=actor)
    except IntegrityError:
        ballot = Ballot.objects.select_for_update().get(process=process, user=actor)
    ballot.projects.set(projects)
    ballot.save(update_fields=["updated_at"])
    return ballot


@transaction.atomic(durable=True)
def paper_ballot_enter(*, actor: Any, process: BudgetProcess, project_ids: Sequence[int]) -> Ballot:
    """Staff enter a paper ballot (during the vote or the tally); who entered it is kept."""
    _require_staff(actor, process.body)
    _phase_required(process, [Phase.VOTING, Phase.TALLY])
    projects = _check_choice(process, project_ids)
    ballot = Ballot.objects.create(process=process, paper=True, entered_by=actor)
    ballot.projects.set(projects)
    log_action(actor=actor, event=Ev.PAPER_BALLOT, target=process, data={"ballot": ballot.pk})
    return ballot


def ballots_of(process: BudgetProcess) -> list[list[int]]:
    through = Ballot.projects.through
    rows: dict[int, list[int]] = {}
    for ballot_id, project_id in through.objects.filter(ballot__process=process).values_list(
        "ballot_id", "project_id"
    ):
        rows.setdefault(ballot_id, []).append(project_id)
    return list(rows.values())


@transaction.atomic(durable=True)
def process_tally(*, actor: Any, process: BudgetProcess) -> BudgetProcess:
    """Count the votes after the voting phase and choose the winners by the process's method."""
    process = BudgetProcess.objects.select_for_update().get(pk=process.pk)
    _require_staff(actor, process.body)
    _phase_required(process, [Phase.TALLY])
    projects = list(process.projects.filter(status=ProjectStatus.FEASIBLE).annotate(n=Count("ballots")))
    candidates = [Candidate(p.pk, p.price, p.n) for p in projects]
    if process.method == TallyMethod.EQUAL_SHARES:
        winners = set(equal_shares(candidates, ballots_of(process), process.total_amount))
    else:
        winners = set(greedy(candidates, process.total_amount))
    for p in projects:
        p.votes, p.is_winner = p.n, p.pk in winners
    Project.objects.bulk_update(projects, ["votes", "is_winner"])
    process.voters = process.ballots.count()
    process.tallied_at = timezone.now()
    process.save(update_fields=["voters", "tallied_at"])
    Implementation.objects.bulk_create(
        [
            Implementation(project=p, responsible=process.body, is_demo=process.is_demo)
            for p in projects
            if p.is_winner
        ]
    )
    log_action(
        actor=actor,
        event=Ev.TALLIED,
        target=process,
        visibility=Visibility.PUBLIC,
        data={"winners": sorted(winners), "voters": process.voters},
    )
    return process


# ====================================================================== implementation


@transaction.atomic(durable=True)
def implementation_update(
    *,
    actor: Any,
    implementation: Implementation,
    on: date,
    text: str,
    progress: int,
    spent: int,
    status: str,
    photo: Any = None,
) -> ImplementationUpdate:
    implementation = (
        Implementation.objects.select_for_update().select_related("responsible").get(pk=implementation.pk)
    )
    _require_staff(actor, implementation.responsible)
    errors: list[tuple[str, str, Any]] = []
    text = _clean_text("text", text, 5000, errors)
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors.append(("progress", E.INVALID_AMOUNT, _("Progress is a percentage from 0 to 100.")))
    if not isinstance(spent, int) or not 0 <= spent <= 10**15:
        errors.append(("spent", E.INVALID_AMOUNT, _("Enter the money spent in tenge.")))
    if status not in ImplementationStatus.values:
        errors.append(("status", ErrorCode.INVALID_CHOICE, _("Choose a status.")))
    if errors:
        raise FieldErrors(errors)
    update = ImplementationUpdate(
        implementation=implementation, on=on, text=text, progress=progress, spent=spent, author=actor
    )
    if photo is not None:
        checked = check_uploads([photo], field="photo")[0]
        if not checked.content_type.startswith("image/"):
            raise FieldErrors([("photo", "file_type", _("Photos must be JPEG or PNG files."))])
        update.photo.save(checked.name, checked.upload, save=False)
    update.save()
    implementation.progress, implementation.spent, implementation.status = progress, spent, status
    implementation.save()
    log_action(
        actor=actor, event=Ev.IMPLEMENTATION_UPDATED, target=implementation, visibility=Visibility.PUBLIC
    )
    return update


# ====================================================================== the daily close


@dataclass(frozen=True)
class DayClosed:
    reached: int
    not_reached: int
    phases_moved: int
    overdue: int


@transaction.atomic(durable=True)
def participation_close_day(*, actor: Any = None, today: date | None = None) -> DayClosed:
    """The daily job's one transaction; a second run on the same day changes nothing.

    1. Support periods whose end passed close: threshold reached (then the answer's clock
       starts on the period's last day) or not reached.
    2. Each budget process's recorded phase moves to the phase its dates give today.
    3. Initiatives whose answer is past due are marked overdue (the first late day is kept).
    Every update is conditional on the old state, so two workers never apply one step twice."""
    today = today or _today()
    reached = not_reached = 0
    days = int(_setting("PARTICIPATION_ANSWER_WORKING_DAYS", ANSWER_WORKING_DAYS))
    ended = Initiative.objects.select_for_update().filter(
        status=InitiativeStatus.COLLECTING, support_until__lt=today
    )
    for i in ended.only("id", "threshold", "online_supports", "paper_supports", "support_until"):
        last = i.support_until or today
        if i.threshold is not None and i.supports >= i.threshold:
            changed = Initiative.objects.filter(pk=i.pk, status=InitiativeStatus.COLLECTING).update(
                status=InitiativeStatus.REACHED, reached_on=last, answer_due=add_working_days(last, days)
            )
            reached += changed
            event = Ev.INITIATIVE_REACHED
        else:
            changed = Initiative.objects.filter(pk=i.pk, status=InitiativeStatus.COLLECTING).update(
                status=InitiativeStatus.NOT_REACHED
            )
            not_reached += changed
            event = Ev.INITIATIVE_CLOSED
        if changed:
            log_action(
                actor=actor,
                event=event,
                target=i,
                visibility=Visibility.PUBLIC,
                data={"supports": i.supports, "threshold": i.threshold},
            )
    moved = 0
    for p in BudgetProcess.objects.select_for_update().exclude(phase=Phase.FINISHED).defer("categories"):
        phase = phase_of(p, today)
        if phase != p.phase and BudgetProcess.objects.filter(pk=p.pk, phase=p.phase).update(phase=phase):
            moved += 1
            log_action(
                actor=actor,
                event=Ev.PHASE_CHANGED,
                target=p,
                visibility=Visibility.PUBLIC,
                data={"from": p.phase, "to": phase, "on": today.isoformat()},
            )
    late: list[tuple[int, date | None, str]] = list(
        Initiative.objects.filter(
            status=InitiativeStatus.REACHED, answer_due__lt=today, overdue_since__isnull=True
        ).values_list("id", "answer_due", "title")
    )
    overdue = 0
    for pk, maybe_due, title in late:
        due = maybe_due or today
        if Initiative.objects.filter(pk=pk, overdue_since__isnull=True).update(
            overdue_since=due + timedelta(days=1)
        ):
            overdue += 1
            log_action(
                actor=actor,
                event=Ev.INITIATIVE_OVERDUE,
                target=Initiative(pk=pk, title=title),
                visibility=Visibility.PUBLIC,
                data={"answer_due": due.isoformat()},
            )
    return DayClosed(reached, not_reached, moved, overdue)


def answer_due_for(reached_on: date) -> date:
    return add_working_days(
        reached_on, int(_setting("PARTICIPATION_ANSWER_WORKING_DAYS", ANSWER_WORKING_DAYS))
    )


def now() -> datetime:
    return timezone.now()
