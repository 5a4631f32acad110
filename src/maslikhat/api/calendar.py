"""The working-day calculator: N working days after a date, by Kazakhstan's calendar."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from maslikhat.core.calendar import add_working_days

from .errors import ValidationErrorOut
from .schemas import WorkingDaysOut, WorkingDaysQuery

router = Router(tags=["calendar"])


@router.get(
    "/calendar/working-days",
    response={200: WorkingDaysOut, 422: ValidationErrorOut},
    summary="The date N working days after a start date",
)
def working_days(request: HttpRequest, q: Query[WorkingDaysQuery]) -> WorkingDaysOut:
    # The schema bounds both the start date and N, so the date arithmetic cannot overflow.
    return WorkingDaysOut(date=add_working_days(q.start, q.days), start=q.start, days=q.days)
