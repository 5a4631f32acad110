"""The rules a citizen's appeal must meet, one function per rule, without the database.

`services._validate_submission` applies every rule and collects every problem into one
`FieldErrors`; the page (`forms.AppealForm.clean`, also for the preview) and the API
(`appeal_submit`) both go through it, so no rule is decided twice or differently. Each
function returns the problems it finds as `(field, code, message)` entries, with messages
translated lazily (in the language of the request or the API caller when shown).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maslikhat.core.errors import ErrorCode
from maslikhat.core.iin import parse_iin

from .applicant import Applicant
from .error_codes import AppealErrorCode as Code

Problem = tuple[str, str, Any]

MAX_TEXT = 20000
MAX_RATING_COMMENT = 2000
# The database's lengths of the applicant's fields (models.Appeal); the email as in RFC 5321.
APPLICANT_MAX = {"full_name": 200, "iin": 12, "address": 300, "phone": 40, "email": 254}
LANGUAGES = ("kk", "ru", "en")

# What each missing part of the applicant's data asks for (no anonymous appeals, APPC).
MISSING = {
    "full_name": _("Enter your full name: anonymous appeals are not considered."),
    "iin": _("Enter your IIN: anonymous appeals are not considered."),
    "address": _("Enter your address: anonymous appeals are not considered."),
    "phone": _("Enter your phone number: anonymous appeals are not considered."),
    "email": _("Enter your email: the answer and the private link are sent there."),
}


def _num(value: int) -> str:
    return str(number_format(value, 0, use_l10n=True, force_grouping=True))


def _too_long(length: int, limit: int) -> str:
    # Built when shown, in the language active then (never at import time).
    return gettext(
        "This is %(length)s characters long, %(over)s more than the limit of %(limit)s. "
        "Shorten it: nothing is cut off automatically."
    ) % {"length": _num(length), "over": _num(length - limit), "limit": _num(limit)}


too_long_message = lazy(_too_long, str)


def length(text: str) -> int:
    """Characters as the citizen sees them: a line break counts once (a browser sends a
    textarea's line breaks as CR LF), as in the page's counter."""
    return len(text.strip().replace("\r\n", "\n"))


def text_problems(text: str, *, field: str = "text", limit: int = MAX_TEXT) -> list[Problem]:
    """Required, and at most `limit` characters: refused with the count, never cut."""
    if not text or not text.strip():
        return [(field, ErrorCode.REQUIRED, _("Write what your appeal is about."))]
    n = length(text)
    if n > limit:
        return [(field, ErrorCode.TOO_LONG, too_long_message(n, limit))]
    return []


def optional_text_problems(text: str, *, field: str, limit: int) -> list[Problem]:
    """An optional text (a comment): at most `limit` characters, never cut."""
    n = length(text or "")
    if n > limit:
        return [(field, ErrorCode.TOO_LONG, too_long_message(n, limit))]
    return []


def kind_problems(kind: str, kinds: list[str]) -> list[Problem]:
    if not kind:
        return [("kind", ErrorCode.REQUIRED, _("Choose the kind of appeal."))]
    if kind not in kinds:
        return [("kind", ErrorCode.INVALID_CHOICE, _("Unknown kind of appeal."))]
    return []


def topic_problems(topic_code: str, found: bool) -> list[Problem]:
    if not topic_code:
        return [("topic", ErrorCode.REQUIRED, _("Choose the topic of the appeal."))]
    if not found:
        return [("topic", ErrorCode.INVALID_CHOICE, _("Unknown topic."))]
    return []


def language_problems(language: str) -> list[Problem]:
    if language not in LANGUAGES:
        return [("language", ErrorCode.INVALID_CHOICE, _("Choose Kazakh, Russian or English."))]
    return []


def iin_problems(iin: str) -> list[Problem]:
    """The IIN rule is core.iin.parse_iin (format, century, birth date, check digit)."""
    try:
        parse_iin(iin)
    except ValidationError as exc:
        # the lazy message itself: translated when shown, in the language of the page or caller
        message = getattr(exc, "message", None) or exc.messages[0]
        return [("applicant.iin", exc.code or Code.IIN_INVALID, message)]
    return []


def email_problems(email: str) -> list[Problem]:
    try:
        validate_email(email.strip())
    except ValidationError:
        message = _("Enter a valid email address, such as name@example.kz.")
        return [("applicant.email", Code.INVALID_EMAIL, message)]
    return []


def phone_problems(phone: str) -> list[Problem]:
    digits = [c for c in phone if c.isdigit()]
    if not 10 <= len(digits) <= 15 or any(c not in "+0123456789 ()-" for c in phone):
        return [("applicant.phone", Code.INVALID_PHONE, _("Enter a phone number such as +7 701 234 56 78."))]
    return []


def applicant_problems(applicant: Applicant) -> list[Problem]:
    """Every part given (no anonymous appeals), within its stored length, and each valid."""
    problems: list[Problem] = []
    for name, value in applicant.as_dict().items():
        field = f"applicant.{name}"
        if not value.strip():
            problems.append((field, Code.ANONYMOUS_NOT_ALLOWED, MISSING[name]))
            continue
        limit = APPLICANT_MAX[name]
        if name != "iin" and len(value.strip()) > limit:
            problems.append((field, ErrorCode.TOO_LONG, too_long_message(len(value.strip()), limit)))
            continue
        if name == "iin":
            problems += iin_problems(value)
        elif name == "email":
            problems += email_problems(value)
        elif name == "phone":
            problems += phone_problems(value)
    return problems


def rating_problems(rating: object) -> list[Problem]:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        return [("rating", Code.OUT_OF_RANGE, _("Choose a rating from 1 (very bad) to 5 (very good)."))]
    return []
