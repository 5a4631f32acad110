"""The applicant of an appeal: who wrote it, as they gave it (no anonymous appeals)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Applicant:
    """The applicant's personal data as given: submitted with the appeal, copied to a forwarded
    appeal or a complaint, shown to staff and removed from what is published (redaction)."""

    full_name: str = ""
    iin: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def of(cls, value: Applicant | Mapping[str, Any]) -> Applicant:
        """From an Applicant or a mapping with these keys (a form's cleaned data, an API
        payload); a missing or non-text value counts as not given."""
        if isinstance(value, Applicant):
            return value
        return cls(**{f.name: _text(value.get(f.name)) for f in fields(cls)})

    @classmethod
    def of_appeal(cls, appeal: Any) -> Applicant:
        return cls(
            full_name=appeal.applicant_name,
            iin=appeal.applicant_iin,
            address=appeal.applicant_address,
            phone=appeal.applicant_phone,
            email=appeal.applicant_email,
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
