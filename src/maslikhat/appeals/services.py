"""Writes for appeals. Each use case is one function; each writes event rows and an ActionLog
row; notifications go out only after commit.

Transactions: every public use case (`appeal_*`) is `@transaction.atomic(durable=True)`, the
outermost transaction: when it returns, its work is committed and its after-commit jobs have
been handed over (so an adapter may answer "created" right after the call). Adapters open no
transaction of their own, and one use case never calls another: shared steps are the private
helpers (`_submit`, `_transition`, ...), which run inside their caller's transaction. The one
exception is `appeal_stats_rebuild`, a maintenance step other transactions compose (the demo's
reset): it is atomic but not durable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import connection, transaction
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.actors import user_or_none
from maslikhat.core.audit import log_action
from maslikhat.core.background import after_commit
from maslikhat.core.calendar import add_working_days, next_working_day, working_days_between
from maslikhat.core.errors import DomainError, ErrorCode, FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog, Visibility
from maslikhat.core.uploads import UploadLike, check_uploads
from maslikhat.directory.choices import MASLIKHAT_KINDS, OrganizationKind
from maslikhat.directory.models import Organization, Person

from . import refdata, rollups, rules
from .applicant import Applicant
from .choices import (
    ANSWER_WORKING_DAYS,
    EXTENSION_MAX_MONTHS,
    OPEN_STATUSES,
    TRANSITIONS,
    AppealKind,
    AppealStatus,
    EventKind,
)
from .error_codes import AppealErrorCode as Code
from .events import STATUS_EVENTS, AppealLogEvent
from .models import Appeal, AppealAttachment, AppealEvent, AppealStats, Topic
from .permissions import (
    DECIDED_STATUSES,
    RATEABLE_STATUSES,
    can_complain,
    can_rate,
    can_request_publication,
    can_withdraw,
    has_publishable_answer,
)

MAX_TEXT = 20000
ANONYMOUS_REASON = _(
    "Anonymous appeals are not considered under the Administrative Procedural and Process Code: "
    "give your full name, IIN, address, phone and email."
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _local_today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- validation


def _validate_submission(
    *,
    body: Organization | None,
    deputy: Person | None,
    kind: str,
    topic_code: str,
    text: str,
    language: str,
    applicant: Applicant,
) -> tuple[Organization, Topic]:
    """Every rule of a submission (appeals.rules, one function per rule), all problems at once in
    one FieldErrors; the page's form (preview and confirm) and the API both come here."""
    errors: list[tuple[str, str, Any]] = []
    if body is None and deputy is None:
        errors.append(("body_id", ErrorCode.REQUIRED, _("Choose a deputy or a maslikhat to write to.")))
    errors += rules.kind_problems(kind, list(AppealKind.values))
    topic = refdata.topic(topic_code) if topic_code else None  # from memory (G: appeals/refdata.py)
    errors += rules.topic_problems(topic_code, topic is not None)
    errors += rules.text_problems(text)
    errors += rules.language_problems(language)
    errors += rules.applicant_problems(applicant)
    target = body
    if deputy is not None:
        target = _deputy_body(deputy)
        if target is None:
            errors.append(
                ("deputy_id", Code.NOT_A_DEPUTY, _("This person is not a deputy of a maslikhat now."))
            )
        elif body is not None and body.pk != target.pk:
            errors.append(
                ("deputy_id", Code.DEPUTY_OF_OTHER_BODY, _("This deputy does not sit in that maslikhat."))
            )
    if target is not None and (target.kind not in MASLIKHAT_KINDS or not target.in_force()):
        errors.append(("body_id", Code.NOT_A_MASLIKHAT, _("Appeals are sent to a maslikhat in office.")))
    if errors:
        raise FieldErrors(errors)
    if target is None or topic is None:  # unreachable: both were checked above
        raise FieldErrors([("body_id", ErrorCode.REQUIRED, _("Choose a deputy or a maslikhat to write to."))])
    return target, topic


def _deputy_body(person: Person) -> Organization | None:
    return refdata.deputy_body(person.pk)  # reference data from memory (appeals/refdata.py)


def _body_code(body: Organization) -> str:
    return body.area.code if body.area_id else body.slug.upper()  # type: ignore[union-attr]


def next_registration_number(body: Organization, year: int) -> str:
    """Take the next number of a body's year. Gapless: the counter row is incremented by one
    statement (row-locked by the database) inside the caller's transaction."""
    table = "appeals_registrationcounter"
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (body_id, year, last_number) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (body_id, year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [body.pk, year],
        )
        number = cur.fetchone()[0]
    return f"{_body_code(body)}-{year}-{number:06d}"


def _insert_values(obj: Any, sql: dict[str, str]) -> tuple[list[str], list[str], list[Any]]:
    """The columns, placeholders and parameters of an INSERT of `obj`, computed as the ORM's own
    insert does (`pre_save(add=True)`: timestamps; `get_db_prep_save`; DEFAULT for a db_default);
    the columns named in `sql` get that SQL expression instead (no parameter)."""
    columns: list[str] = []
    marks: list[str] = []
    params: list[Any] = []
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.column in sql:
            marks.append(sql[f.column])
            continue
        value = f.pre_save(obj, True)
        if isinstance(value, DatabaseDefault):
            marks.append("DEFAULT")
            continue
        marks.append("%s")
        params.append(f.get_db_prep_save(value, connection))
    return columns, marks, params


def _insert_submission(
    appeal: Appeal, events: list[AppealEvent], *, actor: Any, log_data: dict[str, Any]
) -> None:
    """PostgreSQL: the registration number (the counter's upsert, row-locked, gapless), the appeal,
    its events, both rollups and the audit row in one statement of data-modifying CTEs, inside the
    caller's transaction; the same rows as the ORM path (SQLite). The appeal's and the audit row's
    pre_save/post_save signals are sent as the ORM would (page cache, search index)."""
    body = appeal.body
    year = appeal.registered_on.year
    counter = "appeals_registrationcounter"
    returning = [
        f for f in Appeal._meta.concrete_fields if getattr(f, "db_returning", False) and not f.primary_key
    ]
    number = (
        "(SELECT %s || CASE WHEN last_number < 1000000 THEN lpad(last_number::text, 6, '0') "
        "ELSE last_number::text END FROM n)"
    )
    pre_save.send(sender=Appeal, instance=appeal, raw=False, using=connection.alias, update_fields=None)
    a_cols, a_marks, a_params = _insert_values(appeal, {"registration_number": number})
    number_at = a_marks.index(number)
    a_params.insert(sum(1 for m in a_marks[:number_at] if m == "%s"), f"{_body_code(body)}-{year}-")
    parts = [
        f"n AS (INSERT INTO {counter} (body_id, year, last_number) VALUES (%s, %s, 1) "  # noqa: S608 - names are ours
        f"ON CONFLICT (body_id, year) DO UPDATE SET last_number = {counter}.last_number + 1 "
        "RETURNING last_number)",
        f"a AS (INSERT INTO {Appeal._meta.db_table} ({', '.join(a_cols)}) VALUES ({', '.join(a_marks)}) "  # noqa: S608
        f"RETURNING id, registration_number{''.join(', ' + f.column for f in returning)})",
    ]
    params: list[Any] = [body.pk, year, *a_params]
    rows = []
    e_cols: list[str] = []
    for event in events:
        e_cols, e_marks, e_params = _insert_values(event, {"appeal_id": "(SELECT id FROM a)"})
        rows.append(f"({', '.join(e_marks)})")
        params += e_params
    parts.append(
        f"e AS (INSERT INTO {AppealEvent._meta.db_table} ({', '.join(e_cols)}) VALUES {', '.join(rows)})"  # noqa: S608
    )
    for i, (sql, sql_params) in enumerate(rollups.bump_statements(appeal, received=1)):
        parts.append(f"r{i} AS ({sql})")
        params += sql_params
    log = ActionLog(
        actor=user_or_none(actor),
        event=str(AppealLogEvent.SUBMITTED),
        target_type=ContentType.objects.get_for_model(appeal),
        visibility=Visibility.INTERNAL,
        data=log_data,
    )
    l_cols, l_marks, l_params = _insert_values(
        log,
        {
            "target_id": "(SELECT id::text FROM a)",
            "target_repr": "(SELECT left(registration_number, 255) FROM a)",
        },
    )
    parts.append(
        f"l AS (INSERT INTO {ActionLog._meta.db_table} ({', '.join(l_cols)}) "  # noqa: S608
        f"VALUES ({', '.join(l_marks)}) RETURNING id)"
    )
    params += l_params
    with connection.cursor() as cur:
        cur.execute(f"WITH {', '.join(parts)} SELECT a.*, (SELECT id FROM l) FROM a", params)  # noqa: S608
        row = cur.fetchone()
    appeal.pk, appeal.registration_number = row[0], row[1]
    for f, value in zip(returning, row[2:-1], strict=True):
        setattr(appeal, f.attname, value)
    appeal._state.adding, appeal._state.db = False, connection.alias
    post_save.send(
        sender=Appeal, instance=appeal, created=True, update_fields=None, raw=False, using=connection.alias
    )
    for event in events:
        event.appeal_id = appeal.pk
        event._state.adding, event._state.db = False, connection.alias
    log.pk, log.target_id, log.target_repr = row[-1], str(appeal.pk), str(appeal)[:255]
    log._state.adding, log._state.db = False, connection.alias
    if post_save.has_listeners(ActionLog):
        post_save.send(
            sender=ActionLog,
            instance=log,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )


def _bump_stats(appeal: Appeal, **fields: Any) -> None:
    rollups.bump(appeal, **fields)  # both monthly rollups, one upsert each (appeals/rollups.py)


def _record_answer_days(appeal: Appeal, days: int) -> None:
    rollups.record_answer_days(appeal, days)


def _event(
    appeal: Appeal,
    *,
    kind: str,
    actor: Any,
    public: bool = True,
    text: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=user_or_none(actor),
        public=public,
        text=text,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def _store_files(appeal: Appeal, files: list[UploadLike], *, is_answer: bool) -> None:
    for checked in check_uploads(files):
        att = AppealAttachment(
            appeal=appeal,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            is_answer=is_answer,
        )
        att.file.save(checked.name, File(checked.upload, name=checked.name), save=False)  # type: ignore[arg-type]
        att.save()


# ---------------------------------------------------------------- submission


def appeal_submit(
    *,
    actor: Any,
    kind: str,
    topic_code: str,
    text: str,
    language: str,
    applicant: Applicant | dict[str, Any],
    body: Organization | None = None,
    deputy: Person | None = None,
    files: list[UploadLike] | None = None,
    is_public: bool = False,
    received_at: datetime | None = None,
    is_demo: bool = False,
    notify: bool = True,
) -> tuple[Appeal, str]:
    """Register a citizen's appeal. Returns the appeal and its private tracking token, committed.

    `applicant`: an Applicant (or a mapping with its keys). `is_public`: the citizen asks for
    publication; nothing is public before staff approve the redacted texts after the answer
    (appeal_publication_approve)."""
    refdata.warm()  # the reference data, loaded outside the transaction (appeals/refdata.py)
    return _submit_durable(
        actor=actor,
        kind=kind,
        topic_code=topic_code,
        text=text,
        language=language,
        applicant=Applicant.of(applicant),
        body=body,
        deputy=deputy,
        files=files,
        is_public=is_public,
        received_at=received_at,
        is_demo=is_demo,
        notify=notify,
    )


@transaction.atomic(durable=True)
def _submit_durable(**kwargs: Any) -> tuple[Appeal, str]:
    """The use case's transaction: appeal_submit is the outermost one (durable)."""
    return _submit(**kwargs)


def _submit(
    *,
    actor: Any,
    kind: str,
    topic_code: str,
    text: str,
    language: str,
    applicant: Applicant,
    body: Organization | None = None,
    deputy: Person | None = None,
    files: list[UploadLike] | None = None,
    is_public: bool = False,
    received_at: datetime | None = None,
    complaint_about: Appeal | None = None,
    forwarded_from: Appeal | None = None,
    is_demo: bool = False,
    notify: bool = True,
) -> tuple[Appeal, str]:
    """appeal_submit inside the caller's transaction (also a forwarded appeal, a complaint)."""
    target, topic = _validate_submission(
        body=body,
        deputy=deputy,
        kind=kind,
        topic_code=topic_code,
        text=text,
        language=language,
        applicant=applicant,
    )
    files = list(files or [])
    check_uploads(files)  # all-or-nothing before anything is written
    received = received_at or timezone.now()
    received_day = timezone.localtime(received).date()
    registered_on = next_working_day(received_day)
    due_on = add_working_days(registered_on, ANSWER_WORKING_DAYS)
    token = secrets.token_urlsafe(24)
    user = user_or_none(actor)
    appeal = Appeal(
        registration_number="",  # taken with the insert (next_registration_number)
        body=target,
        deputy=deputy,
        kind=kind,
        topic=topic,
        text=text.strip(),
        language=language,
        applicant_name=applicant.full_name.strip(),
        applicant_iin=applicant.iin.strip(),
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_user=user,
        token_hash=hash_token(token),
        status=AppealStatus.REGISTERED,
        received_at=received,
        registered_on=registered_on,
        due_on=due_on,
        original_due_on=due_on,
        publication_requested=is_public,
        complaint_about=complaint_about,
        forwarded_from=forwarded_from,
        is_demo=is_demo,
    )
    events = [  # the submission's events, one INSERT
        AppealEvent(appeal=appeal, kind=EventKind.STATUS, actor=user, to_status=AppealStatus.RECEIVED),
        AppealEvent(
            appeal=appeal,
            kind=EventKind.STATUS,
            actor=user,
            from_status=AppealStatus.RECEIVED,
            to_status=AppealStatus.REGISTERED,
            data={"registered_on": registered_on.isoformat(), "due_on": due_on.isoformat()},
        ),
    ]
    if is_public:
        events.append(
            AppealEvent(appeal=appeal, kind=EventKind.PUBLISHED, actor=user, data={"step": "requested"})
        )
    log_data = {"body": target.pk, "kind": kind, "topic": topic.code}
    if connection.vendor == "postgresql":
        # the number, the appeal, its events, both rollups and the audit row: one statement
        _insert_submission(appeal, events, actor=actor, log_data=log_data)
    else:
        appeal.registration_number = next_registration_number(target, registered_on.year)
        appeal.save(force_insert=True)
        AppealEvent.objects.bulk_create(events)
        _bump_stats(appeal, received=1)
        log_action(
            actor=actor,
            event=AppealLogEvent.SUBMITTED,
            target=appeal,
            visibility=Visibility.INTERNAL,
            data=log_data,
        )
    _store_files(appeal, files, is_answer=False)
    rollups.overdue_registered(appeal, _local_today())
    if notify:
        after_commit("appeals.registered", appeal.pk, token)
    return appeal, token


# ---------------------------------------------------------------- workflow


def _lock(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("body", "topic").get(pk=appeal.pk)


def _check(appeal: Appeal, to: str) -> None:
    if to not in TRANSITIONS[appeal.status]:
        raise NotAllowed(
            Code.TRANSITION_NOT_ALLOWED,
            _("An appeal that is %(status)s cannot become %(to)s.")
            % {"status": AppealStatus(appeal.status).label, "to": AppealStatus(to).label},
        )


def _transition(
    appeal: Appeal,
    to: str,
    *,
    actor: Any,
    public: bool = True,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> Appeal:
    _check(appeal, to)
    before = appeal.status
    appeal.status = to
    appeal.save(update_fields=["status", "updated_at"])
    rollups.overdue_change(
        appeal, before_status=before, before_due=appeal.due_on, after_status=to, after_due=appeal.due_on
    )
    _event(
        appeal,
        kind=EventKind.STATUS,
        actor=actor,
        public=public,
        text=text,
        from_status=before,
        to_status=to,
        data=data,
    )
    log_action(actor=actor, event=STATUS_EVENTS[to], target=appeal, data={"from": before, **(data or {})})
    return appeal


def _notify_status(appeal: Appeal) -> None:
    after_commit("appeals.status", appeal.pk)


@transaction.atomic(durable=True)
def appeal_assign(*, actor: Any, appeal: Appeal, assignee: Any) -> Appeal:
    from .permissions import can_be_assigned

    appeal = _lock(appeal)
    if not can_be_assigned(assignee, appeal):
        raise DomainError(
            Code.ASSIGNEE_NOT_ALLOWED,
            _("This person does not work for the addressed body."),
            field="assignee",
        )
    appeal.assignee = assignee
    appeal.save(update_fields=["assignee", "updated_at"])
    return _transition(
        appeal, AppealStatus.ASSIGNED, actor=actor, public=True, data={"assignee": assignee.pk}
    )


@transaction.atomic(durable=True)
def appeal_start(*, actor: Any, appeal: Appeal) -> Appeal:
    appeal = _transition(_lock(appeal), AppealStatus.IN_PROGRESS, actor=actor)
    _notify_status(appeal)
    return appeal


@transaction.atomic(durable=True)
def appeal_answer(*, actor: Any, appeal: Appeal, text: str, files: list[UploadLike] | None = None) -> Appeal:
    if not text or not text.strip():
        raise FieldErrors([("text", ErrorCode.REQUIRED, _("Write the answer."))])
    files = list(files or [])
    check_uploads(files)
    appeal = _lock(appeal)
    _check(appeal, AppealStatus.ANSWERED)
    now = timezone.now()
    answered_on = timezone.localtime(now).date()
    days = max(working_days_between(appeal.registered_on, answered_on), 0)
    appeal.answer_text = text.strip()
    appeal.answered_at = now
    appeal.answered_on = answered_on
    appeal.answer_working_days = days
    appeal.answered_on_time = answered_on <= appeal.due_on
    appeal.save(
        update_fields=["answer_text", "answered_at", "answered_on", "answer_working_days", "answered_on_time"]
    )
    _store_files(appeal, files, is_answer=True)
    _transition(
        appeal, AppealStatus.ANSWERED, actor=actor, data={"on_time": appeal.answered_on_time, "days": days}
    )
    _bump_stats(appeal, answered=1, answered_on_time=1 if appeal.answered_on_time else 0)
    _record_answer_days(appeal, days)
    _notify_status(appeal)
    return appeal


@transaction.atomic(durable=True)
def appeal_forward(*, actor: Any, appeal: Appeal, to_body: Organization, reason: str) -> Appeal:
    """Forward an appeal outside the body's competence to the competent body (within 3 working
    days of registration). A maslikhat on the platform registers it as a new linked appeal; any
    other state body (an akimat) receives it outside the platform, and the citizen is told."""
    from .permissions import can_receive_forwarded, forward_deadline

    if not reason or not reason.strip():
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("Give the reason for forwarding."))])
    appeal = _lock(appeal)
    if _local_today() > forward_deadline(appeal):
        raise NotAllowed(
            Code.FORWARD_TOO_LATE, _("An appeal may be forwarded only within 3 working days of registration.")
        )
    if to_body.pk == appeal.body_id:
        raise DomainError(Code.FORWARD_SAME_BODY, _("Choose another body."), field="to_body_id")
    if not can_receive_forwarded(to_body):
        raise DomainError(ErrorCode.INVALID_CHOICE, _("Choose a state body in office."), field="to_body_id")
    _check(appeal, AppealStatus.FORWARDED)
    new = token = None
    if to_body.kind in MASLIKHAT_KINDS:
        new, token = _submit(
            actor=actor,
            body=to_body,
            kind=appeal.kind,
            topic_code=appeal.topic.code,
            text=appeal.text,
            language=appeal.language,
            applicant=appeal.applicant,
            is_public=appeal.publication_requested,
            forwarded_from=appeal,
            is_demo=appeal.is_demo,
            notify=False,
        )
    appeal.forwarded_to = to_body
    appeal.refusal_reason = reason.strip()
    appeal.save(update_fields=["forwarded_to", "refusal_reason"])
    _transition(
        appeal,
        AppealStatus.FORWARDED,
        actor=actor,
        text=reason.strip(),
        data={"to_body": to_body.pk, "new_number": new.registration_number if new else None},
    )
    if new is not None:
        after_commit("appeals.forwarded", appeal.pk, new.pk, token)
    else:
        _notify_status(appeal)
    return appeal


@transaction.atomic(durable=True)
def appeal_extend(*, actor: Any, appeal: Appeal, until: date, reason: str) -> Appeal:
    if not reason or not reason.strip():
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("An extension needs a reasoned decision."))])
    appeal = _lock(appeal)
    if appeal.status not in OPEN_STATUSES:
        raise NotAllowed(Code.NOT_OPEN, _("Only an appeal under consideration can be extended."))
    limit = appeal.registered_on + relativedelta(months=EXTENSION_MAX_MONTHS)
    if until <= appeal.due_on:
        raise FieldErrors(
            [("until", Code.NOT_LATER, _("The new date must be later than the current due date."))]
        )
    if until > limit:
        raise FieldErrors(
            [
                (
                    "until",
                    ErrorCode.TOO_LONG,
                    _("The period may be extended to at most two months from registration."),
                )
            ]
        )
    before = appeal.due_on
    appeal.due_on = until
    appeal.save(update_fields=["due_on", "updated_at"])
    rollups.overdue_change(
        appeal, before_status=appeal.status, before_due=before, after_status=appeal.status, after_due=until
    )
    _event(
        appeal,
        kind=EventKind.EXTENDED,
        actor=actor,
        text=reason.strip(),
        data={"from": before.isoformat(), "until": until.isoformat()},
    )
    log_action(actor=actor, event=AppealLogEvent.EXTENDED, target=appeal, data={"until": until.isoformat()})
    _notify_status(appeal)
    return appeal


@transaction.atomic(durable=True)
def appeal_refuse(*, actor: Any, appeal: Appeal, reason: str) -> Appeal:
    """Not considered (e.g. without substance), with the reason the citizen will read."""
    if not reason or not reason.strip():
        raise FieldErrors([("reason", ErrorCode.REQUIRED, _("Give the reason."))])
    appeal = _lock(appeal)
    appeal.refusal_reason = reason.strip()
    appeal.save(update_fields=["refusal_reason"])
    appeal = _transition(appeal, AppealStatus.NOT_CONSIDERED, actor=actor, text=reason.strip())
    _notify_status(appeal)
    return appeal


@transaction.atomic(durable=True)
def appeal_close(*, actor: Any, appeal: Appeal) -> Appeal:
    return _transition(_lock(appeal), AppealStatus.CLOSED, actor=actor)


@transaction.atomic(durable=True)
def appeal_withdraw(*, actor: Any, appeal: Appeal) -> Appeal:
    appeal = _lock(appeal)
    if not can_withdraw(appeal):
        raise NotAllowed(Code.NOT_OPEN, _("Only an appeal that is not yet answered can be withdrawn."))
    return _transition(appeal, AppealStatus.WITHDRAWN, actor=actor)


@transaction.atomic(durable=True)
def appeal_add_note(*, actor: Any, appeal: Appeal, text: str) -> AppealEvent:
    if not text or not text.strip():
        raise FieldErrors([("text", ErrorCode.REQUIRED, _("Write the note."))])
    event = _event(appeal, kind=EventKind.NOTE, actor=actor, public=False, text=text.strip())
    log_action(actor=actor, event=AppealLogEvent.NOTE, target=appeal)
    return event


# ---------------------------------------------------------------- publication
#
# The citizen asks (at submission or later); staff approve redacted texts of the appeal and of
# the answer once it is answered; only then is the approved version public
# (selectors.public_appeals). Withdrawing the request cancels it, or un-publishes it once approved.

# PUBLISHABLE_STATUSES (answered or closed) is defined with the rules in appeals.permissions
MAX_PUBLIC_TEXT = MAX_TEXT


def publication_proposal(appeal: Appeal) -> tuple[str, str]:
    """The redaction the product proposes for (the appeal's text, the answer): the applicant's
    personal data and every personal-data-shaped string replaced by the marker, in the
    appeal's language."""
    from django.utils import translation

    from .redaction import propose_redaction

    applicant = appeal.applicant
    with translation.override(appeal.language):
        marker = str(_("[hidden]"))
    return (
        propose_redaction(appeal.text, applicant=applicant, marker=marker),
        propose_redaction(appeal.answer_text, applicant=applicant, marker=marker),
    )


def _clear_publication(appeal: Appeal) -> bool:
    """Remove the public version; True when there was one."""
    was_published = appeal.published_at is not None
    appeal.published_at = None
    appeal.published_by = None
    appeal.public_text = ""
    appeal.public_answer_text = ""
    return was_published


@transaction.atomic(durable=True)
def appeal_publication_request(*, actor: Any, appeal: Appeal, requested: bool) -> Appeal:
    """The citizen asks for publication, or withdraws the request: before approval that cancels
    it; after approval it also removes the public version."""
    appeal = _lock(appeal)
    if appeal.publication_requested == requested:
        return appeal  # nothing changes: no event, no log row
    if requested and not can_request_publication(appeal):
        raise NotAllowed(
            Code.NOT_PUBLISHABLE,
            _("Only an appeal that is answered or awaiting its answer can be published."),
        )
    appeal.publication_requested = requested
    unpublished = False if requested else _clear_publication(appeal)
    appeal.save(
        update_fields=[
            "publication_requested",
            "published_at",
            "published_by",
            "public_text",
            "public_answer_text",
            "updated_at",
        ]
    )
    step = "requested" if requested else "withdrawn"
    _event(appeal, kind=EventKind.PUBLISHED, actor=actor, data={"step": step, "unpublished": unpublished})
    log_action(
        actor=actor,
        event=AppealLogEvent.PUBLICATION_REQUESTED if requested else AppealLogEvent.PUBLICATION_WITHDRAWN,
        target=appeal,
        # an un-publication is as public as the publication was
        visibility=Visibility.PUBLIC if unpublished else Visibility.INTERNAL,
        data={"unpublished": unpublished},
    )
    return appeal


def appeal_set_public(*, actor: Any, appeal: Appeal, public: bool) -> Appeal:
    """The citizen's switch on the tracking page: ask for publication or withdraw the request
    (nothing becomes public before staff approve; see appeal_publication_approve)."""
    return appeal_publication_request(actor=actor, appeal=appeal, requested=public)


def _clean_public_text(value: str, field: str, errors: list[tuple[str, str, Any]]) -> str:
    from maslikhat.core.text import UnacceptableText, clean_text

    try:
        text = clean_text(value or "").strip()
    except UnacceptableText as exc:
        errors.append((field, exc.code, exc.message))
        return ""
    if not text:
        errors.append((field, ErrorCode.REQUIRED, _("The published text cannot be empty.")))
    elif len(text) > MAX_PUBLIC_TEXT:
        errors.append((field, ErrorCode.TOO_LONG, _("The text is longer than 20,000 characters.")))
    return text


@transaction.atomic(durable=True)
def appeal_publication_approve(*, actor: Any, appeal: Appeal, text: str, answer_text: str) -> Appeal:
    """Staff approve the redacted texts (edited from publication_proposal) of an answered appeal
    whose applicant asked for publication: from now on this version is public. Approving again
    replaces the published texts."""
    errors: list[tuple[str, str, Any]] = []
    public_text = _clean_public_text(text, "text", errors)
    public_answer = _clean_public_text(answer_text, "answer_text", errors)
    if errors:
        raise FieldErrors(errors)
    appeal = _lock(appeal)
    if not appeal.publication_requested:
        raise NotAllowed(
            Code.PUBLICATION_NOT_REQUESTED, _("The applicant has not asked to publish this appeal.")
        )
    if not has_publishable_answer(appeal):
        raise NotAllowed(Code.NOT_ANSWERED, _("An appeal is published only after its answer."))
    republished = appeal.published_at is not None
    appeal.public_text = public_text
    appeal.public_answer_text = public_answer
    appeal.published_at = timezone.now()
    appeal.published_by = user_or_none(actor)
    appeal.save(
        update_fields=["public_text", "public_answer_text", "published_at", "published_by", "updated_at"]
    )
    _event(appeal, kind=EventKind.PUBLISHED, actor=actor, data={"step": "approved", "again": republished})
    log_action(
        actor=actor,
        event=AppealLogEvent.PUBLISHED,
        target=appeal,
        visibility=Visibility.PUBLIC,
        data={"again": republished},
    )
    return appeal


@transaction.atomic(durable=True)
def appeal_rate(*, actor: Any, appeal: Appeal, rating: int, comment: str = "") -> Appeal:
    problems = rules.rating_problems(rating)
    problems += rules.optional_text_problems(comment, field="comment", limit=rules.MAX_RATING_COMMENT)
    if problems:  # a comment over the limit is refused, never cut
        raise FieldErrors(problems)
    appeal = _lock(appeal)
    if appeal.status not in RATEABLE_STATUSES:
        raise NotAllowed(Code.NOT_ANSWERED, _("Only an answered appeal can be rated."))
    if not can_rate(appeal):
        raise NotAllowed(Code.ALREADY_RATED, _("This answer has already been rated."))
    appeal.rating = rating
    appeal.rating_comment = (comment or "").strip()
    appeal.save(update_fields=["rating", "rating_comment", "updated_at"])
    _event(appeal, kind=EventKind.RATED, actor=actor, data={"rating": rating})
    _bump_stats(appeal, rated=1, rating_sum=rating)
    log_action(actor=actor, event=AppealLogEvent.RATED, target=appeal, data={"rating": rating})
    return appeal


def complaint_body(appeal: Appeal) -> Organization:
    """The higher body for a complaint: a district or city maslikhat's regional maslikhat;
    a regional maslikhat reviews complaints about its own answers (through its chair)."""
    parent = appeal.body.parent
    if parent is not None and parent.kind == OrganizationKind.REGIONAL_MASLIKHAT and parent.in_force():
        return parent
    return appeal.body


@transaction.atomic(durable=True)
def appeal_complain(
    *, actor: Any, appeal: Appeal, text: str, files: list[UploadLike] | None = None
) -> tuple[Appeal, str]:
    """A complaint about the answer (art. 92: within 3 months), registered at the higher body."""
    appeal = _lock(appeal)
    if appeal.status not in DECIDED_STATUSES:
        raise NotAllowed(Code.NOT_DECIDED, _("A complaint can be filed about an answer or a refusal."))
    if not can_complain(appeal, today=_local_today()):
        raise NotAllowed(
            Code.COMPLAINT_TOO_LATE, _("A complaint may be filed within three months of the answer.")
        )
    complaint, token = _submit(
        actor=actor,
        body=complaint_body(appeal),
        kind=AppealKind.COMPLAINT,
        topic_code=appeal.topic.code,
        text=text,
        language=appeal.language,
        applicant=appeal.applicant,
        files=files,
        complaint_about=appeal,
        is_demo=appeal.is_demo,
    )
    _event(
        appeal, kind=EventKind.COMPLAINT_FILED, actor=actor, data={"complaint": complaint.registration_number}
    )
    return complaint, token


@transaction.atomic  # a step other transactions compose (see the module docstring)
def appeal_stats_rebuild(*, actor: Any, body_ids: list[int] | None = None) -> int:
    """Recompute the monthly rollups from the appeals themselves (after an import, a data fix or
    to verify them). Returns the number of rollup rows written."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import TruncMonth

    appeals = Appeal.objects.all()
    stats = AppealStats.objects.all()
    if body_ids is not None:
        appeals = appeals.filter(body_id__in=body_ids)
        stats = stats.filter(body_id__in=body_ids)
    stats.delete()
    answered = Q(answered_on__isnull=False)
    grouped = (
        appeals.annotate(m=TruncMonth("registered_on"))
        .values("body_id", "m", "kind", "topic_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=answered),
            answered_on_time=Count("id", filter=answered & Q(answered_on_time=True)),
            rated=Count("id", filter=Q(rating__isnull=False)),
            rating_sum=Sum("rating", default=0),
        )
    )
    rows = {
        (g["body_id"], g["m"], g["kind"], g["topic_id"]): AppealStats(
            body_id=g["body_id"],
            month=g["m"],
            kind=g["kind"],
            topic_id=g["topic_id"],
            received=g["received"],
            answered=g["answered"],
            answered_on_time=g["answered_on_time"],
            rated=g["rated"],
            rating_sum=g["rating_sum"],
            answer_days={},
        )
        for g in grouped
    }
    days = (
        appeals.filter(answered)
        .annotate(m=TruncMonth("registered_on"))
        .values("body_id", "m", "kind", "topic_id", "answer_working_days")
        .annotate(n=Count("id"))
    )
    for d in days:
        row = rows[(d["body_id"], d["m"], d["kind"], d["topic_id"])]
        row.answer_days[str(d["answer_working_days"])] = d["n"]
    AppealStats.objects.bulk_create(rows.values(), batch_size=1000)
    rollups.rebuild_month_stats(rows.values(), body_ids)
    log_action(actor=actor, event=AppealLogEvent.STATS_REBUILT, data={"rows": len(rows)})
    # bulk writes send no signal: the pages and figures that show appeal counts change now
    from maslikhat.core import pagecache

    pagecache.bump("appeals-public")
    return len(rows)
