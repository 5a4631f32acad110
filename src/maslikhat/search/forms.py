"""The search page's filters, read from the query string (anything odd is ignored, not an
error: a filter that does not parse is left out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from maslikhat.core.search import kinds as registered_kinds

PER_PAGE = 20
MAX_PAGE = 500


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _int(value: Any, *, low: int = 1, high: int = 2**31 - 1) -> int | None:
    try:
        n = int(str(value))
    except ValueError:
        return None
    return n if low <= n <= high else None


@dataclass(frozen=True)
class SearchForm:
    q: str = ""
    kinds: list[str] = field(default_factory=list)
    area: str = ""
    body: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params: Any) -> SearchForm:
        known = set(registered_kinds())
        kinds = [k for k in params.getlist("kind") if k in known][:20] if hasattr(params, "getlist") else []
        area = str(params.get("area", "") or "").replace("\x00", "").strip()[:40]
        return cls(
            q=str(params.get("q", "") or "")[:1000],
            kinds=list(dict.fromkeys(kinds)),
            area=area,
            body=_int(params.get("body")),
            date_from=_date(params.get("from")),
            date_to=_date(params.get("to")),
            page=_int(params.get("page"), high=MAX_PAGE) or 1,
        )

    def filters(self) -> dict[str, Any]:
        return {
            "kinds": self.kinds or None,
            "area_code": self.area or None,
            "body_id": self.body,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    def params(self, **changes: Any) -> str:
        """The query string of this search with some parameters changed (None drops one)."""
        from django.http import QueryDict

        values: dict[str, Any] = {
            "q": self.q,
            "kind": self.kinds,
            "area": self.area,
            "body": self.body,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        values.update(changes)
        qd = QueryDict(mutable=True)
        for key, value in values.items():
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                qd.setlist(key, [str(v) for v in value])
            else:
                qd[key] = str(value)
        return qd.urlencode()
