"""The staff inbox's filters, read from the query string: anything unknown or malformed is
ignored (the inbox falls back to its default), never an error page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maslikhat.core.forms import SafeForm
from maslikhat.core.text import clean_input

from .choices import AppealKind, AppealStatus
from .selectors import INBOX_SORTS, InboxFilters

MAX_QUERY = 50

STATE_CHOICES = [
    ("open", _("Open")),
    ("closed", _("Closed")),
    ("all", _("All")),
]
SORT_CHOICES = [
    ("due", _("Due date, soonest first")),
    ("-due", _("Due date, latest first")),
    ("-received", _("Received, newest first")),
    ("received", _("Received, oldest first")),
    ("number", _("Number, ascending")),
    ("-number", _("Number, descending")),
]
DUE_CHOICES = [
    ("", "—"),
    ("overdue", _("overdue")),
    ("3", _("due within 3 working days")),
    ("10", _("due within 10 working days")),
]
assert {v for v, _label in SORT_CHOICES} == set(INBOX_SORTS)  # noqa: S101 (a module invariant)


class InboxFilterForm(SafeForm):
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *AppealStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *AppealKind.choices], required=False)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=40)
    due = forms.ChoiceField(label=_("Deadline"), choices=DUE_CHOICES, required=False)
    deputy = forms.IntegerField(label=_("Deputy"), required=False, min_value=1, max_value=2**31 - 1)
    q = forms.CharField(label=_("Number or applicant's name"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def clean_q(self) -> str:
        return clean_input(self.cleaned_data.get("q") or "").strip()[:MAX_QUERY]


def inbox_filters(data: Any) -> tuple[InboxFilters, dict[str, Any]]:
    """The filters of the query string, and the values to show back in the form (each field
    that failed to parse is dropped, the others kept)."""
    form = InboxFilterForm(data)
    form.is_valid()
    values: dict[str, Any] = {
        k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")
    }
    state = values.get("state") or "open"
    due = values.get("due", "")
    filters = InboxFilters(
        state=state,
        status=values.get("status") or None,
        kind=values.get("kind") or None,
        topic=values.get("topic") or None,
        overdue=due == "overdue",
        due_within=int(due) if due.isdigit() else None,
        deputy_id=values.get("deputy"),
        q=values.get("q") or None,
        sort=values.get("sort") or "due",
    )
    values.setdefault("state", state)
    values.setdefault("sort", filters.sort)
    return filters, values
