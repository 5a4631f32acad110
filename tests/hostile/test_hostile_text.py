"""Hostile text and numbers against EVERY form and EVERY API parameter: NUL bytes, lone
surrogates, text made only of invisible characters, whole numbers beyond 64 bits.

The forms are found by walking the project's modules (every Form subclass under maslikhat.*), the
API parameters by reading the published OpenAPI schema (each operation's path and query
parameters and the string and integer fields of its JSON body): a new form or endpoint is covered
without touching this file. The answer is always a clear refusal (a form error; a 422 naming the
field with a stable code), never an exception or a 5xx.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maslikhat
from maslikhat.core.forms import SafeFormMixin
from maslikhat.core.text import UnacceptableText, clean_text, is_invisible

pytestmark = pytest.mark.django_db

TEXT_CODES = {"null_characters", "invalid_characters", "invisible_only"}
PASSWORD_CODES = {
    "password_entirely_numeric",
    "password_too_short",
    "password_too_common",
    "password_too_similar",
    "password_mismatch",
}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INVISIBLE = (
    "\u200b\u200c\u200d\ufeff\u200e\u200f\u202a\u202e\u2066\u2069\u061c\xa0\u2060\u3164\u2800\u00ad \t\n"
)
EXAMPLES = settings(
    max_examples=4,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# A short prefix/suffix around the hostile character: no "/" (a path separator) and no surrogate.
_AROUND = st.text(st.characters(exclude_characters="/", exclude_categories=["Cs"]), max_size=4)
INVISIBLE_ONLY = st.text(INVISIBLE, min_size=1, max_size=6)
WITH_NUL = st.tuples(_AROUND, _AROUND).map(lambda t: f"{t[0]}\x00{t[1]}")
WITH_SURROGATE = st.tuples(_AROUND, st.integers(0xD800, 0xDFFF)).map(lambda t: t[0] + chr(t[1]))
HUGE = st.one_of(st.integers(min_value=INT64_MAX + 1), st.integers(max_value=INT64_MIN - 1))
# Every value below is refused wherever a string or a whole number is expected.
FIXED_TEXT = ["\x00", "a\x00b", "\u200b", "\ufeff", "\u200d\u200c", "\u202e\u2066", "\xa0\xa0", "\u3164"]
FIXED_HUGE = [2**63, 2**64 + 1, -(2**63) - 1, 10**30]


def _hostile_strings(*, surrogates: bool) -> st.SearchStrategy[str]:
    choices = [st.sampled_from(FIXED_TEXT), INVISIBLE_ONLY, WITH_NUL]
    if surrogates:
        choices.append(WITH_SURROGATE)
    return st.one_of(*choices)


def _run(strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> None:
    @given(value=strategy)
    @EXAMPLES
    def run(value: Any) -> None:
        check(value)

    run()


# ------------------------------------------------------------------------------------------ forms

_SKIPPED_MODULES = (".migrations", ".management", "maslikhat.config")


def _import_project_modules() -> None:
    for info in pkgutil.walk_packages(maslikhat.__path__, "maslikhat."):
        if not any(part in info.name for part in _SKIPPED_MODULES):
            importlib.import_module(info.name)


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    _import_project_modules()
    found = {
        c
        for c in _subclasses(forms.BaseForm)
        if c.__module__.startswith("maslikhat.") and c.__module__ != "maslikhat.core.forms"
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_form_of_the_project_applies_the_text_rule() -> None:
    classes = project_form_classes()
    names = {c.__qualname__ for c in classes}
    assert {"AppealForm", "RatingForm", "ComplaintForm", "PublicationForm"} <= names
    assert [c.__qualname__ for c in classes if not issubclass(c, SafeFormMixin)] == []


def _form_kwargs(cls: type[forms.BaseForm], astana: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments a form's constructor requires (extend when a form needs a new one)."""
    known: dict[str, Any] = {"bodies": [astana["maslikhat"]]}
    required = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty
    ]
    assert set(required) <= set(known), f"{cls.__qualname__} needs {required}: add them to _form_kwargs"
    return {name: known[name] for name in required}


def _allowed_codes(field: forms.Field) -> set[str] | None:
    """The error codes a hostile value may get in this field; None: any clean refusal."""
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.PasswordInput):
        # a new password also meets Django's password validators (a long digit string is refused
        # as entirely numeric)
        return TEXT_CODES | {"required", "max_length", "min_length", "invalid", *PASSWORD_CODES}
    if isinstance(field, forms.CharField):
        # the rule's codes, or the field's own refusal of a long digit string (length, format)
        return TEXT_CODES | {"required", "max_length", "min_length", "invalid"}
    if isinstance(field, forms.ChoiceField):
        return {"invalid_choice", "invalid_list", "required"}
    if isinstance(field, forms.IntegerField):
        return {"invalid", "max_value", "min_value", "required"}
    return None


def _assert_form_refuses_or_stores_clean(
    form_class: type[forms.BaseForm], kwargs: dict[str, Any], name: str, value: Any
) -> None:
    form = form_class(data={name: value}, **kwargs)
    valid = form.is_valid()  # never raises
    field = form.fields[name]
    if name in form.errors:
        codes = {e.code for e in form.errors.as_data()[name]}
        allowed = _allowed_codes(field)
        assert allowed is None or codes <= allowed, (form_class.__qualname__, name, repr(value), codes)
        return
    assert valid or form.errors, (form_class.__qualname__, name)
    cleaned = form.cleaned_data.get(name)
    if isinstance(cleaned, str):
        # Accepted text is what the rule would store (no NUL, no surrogate, bidi removed)...
        assert clean_text(cleaned) == cleaned, (form_class.__qualname__, name, repr(value))
        # ...and never invisible-only (empty is fine: a blank optional field).
        assert cleaned == "" or not all(is_invisible(c) for c in cleaned)
    if isinstance(cleaned, int) and not isinstance(cleaned, bool):
        assert INT64_MIN <= cleaned <= INT64_MAX


def _data_fields(form_class: type[forms.BaseForm]) -> list[str]:
    fields: dict[str, forms.Field] = form_class.base_fields  # type: ignore[attr-defined]
    return [n for n, f in fields.items() if not isinstance(f, forms.FileField)]


def test_every_form_refuses_hostile_text_and_numbers_with_a_field_error(astana: dict[str, Any]) -> None:
    # given: every form class of the project, and hostile strings and numbers
    hostile = st.one_of(_hostile_strings(surrogates=True), HUGE.map(str))
    checked: list[str] = []
    for form_class in project_form_classes():
        kwargs = _form_kwargs(form_class, astana)
        for name in _data_fields(form_class):
            checked.append(f"{form_class.__qualname__}.{name}")

            # when: one field gets a hostile value; then: a field error with a known code, or a
            # stored value that obeys the rule
            def check(
                value: Any, form_class: Any = form_class, kwargs: Any = kwargs, name: str = name
            ) -> None:
                _assert_form_refuses_or_stores_clean(form_class, kwargs, name, value)

            for value in [*FIXED_TEXT, "x\ud800", *map(str, FIXED_HUGE)]:
                check(value)
            _run(hostile, check)
    assert "AppealForm.full_name" in checked and "PublicationForm.title_kk" in checked


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("\u200b\u200b", "invisible_only"),
        ("\ufeff\u200d", "invisible_only"),
        ("\u202e\u2066", "invisible_only"),
    ],
)
def test_the_appeal_page_shows_a_form_error_for_invisible_text_and_stores_nothing(
    astana: dict[str, Any], applicant: dict[str, str], value: str, code: str
) -> None:
    from maslikhat.appeals.models import Appeal
    from maslikhat.core.text import MESSAGES

    data = {"kind": "application", "topic": "roads", "text": value, "language": "en", **applicant}
    response = Client().post(f"/en/appeals/new/?body={astana['maslikhat'].pk}", data)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["text"]] == [code]
    assert str(MESSAGES[code]).encode() in response.content.replace(b"&#x27;", b"'")
    assert Appeal.objects.count() == 0


# ------------------------------------------------------------------------------------------ API

# Values of the parameters that are not under test: plausible, so only the hostile one is refused.
_PATH_DEFAULTS = {"number": "KZ-71-2026-000001", "code": "KZ-71"}


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        options = [o for o in schema.get(key, []) if o.get("type") != "null"]
        if options:
            return _resolve(options[0], components)
    return schema


def _kind(schema: dict[str, Any]) -> str:
    if "enum" in schema or "const" in schema:
        return "enum"
    if schema.get("type") == "string":
        if schema.get("format") == "password":
            return "secret"  # compared as typed: only what cannot be stored is refused
        return "date" if schema.get("format") in ("date", "date-time") else "text"
    return str(schema.get("type"))


_CODES_BY_KIND: dict[str, Callable[[str], bool]] = {
    "text": lambda c: c in TEXT_CODES,
    "secret": lambda c: c in TEXT_CODES,
    "enum": lambda c: c in {"enum", "literal_error"},
    "date": lambda c: c.startswith("date"),
    "integer": lambda c: (
        c in {"int_parsing", "int_parsing_size", "int_type", "less_than_equal", "greater_than_equal"}
    ),
    "number": lambda c: (
        c in {"float_parsing", "float_type", "finite_number", "less_than_equal", "greater_than_equal"}
    ),
    "boolean": lambda c: c in {"bool_parsing", "bool_type"},
}


class Target:
    """One parameter or body field of one operation."""

    def __init__(self, method: str, path: str, where: str, name: str, schema: dict[str, Any]) -> None:
        self.method, self.path, self.where, self.name = method, path, where, name
        self.schema = schema
        self.kind = _kind(schema)

    def __repr__(self) -> str:
        return f"{self.method} {self.path} {self.where}:{self.name} ({self.kind})"

    def strategy(self) -> st.SearchStrategy[Any]:
        texts = _hostile_strings(surrogates=self.where == "body")  # a URL cannot carry a surrogate
        if self.kind == "integer":
            return st.one_of(HUGE if self.where == "body" else HUGE.map(str), texts)
        return texts

    def fixed(self) -> list[Any]:
        values: list[Any] = list(FIXED_TEXT)
        if self.where == "body":
            values.append("ok\udc00")
        if self.kind == "integer":
            values += FIXED_HUGE if self.where == "body" else [str(v) for v in FIXED_HUGE]
        return values


def api_targets(schema: dict[str, Any]) -> list[Target]:
    components = schema.get("components", {}).get("schemas", {})
    targets: list[Target] = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            for p in op.get("parameters", []):
                targets.append(
                    Target(method.upper(), path, p["in"], p["name"], _resolve(p["schema"], components))
                )
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                targets += _body_targets(
                    method.upper(), path, _resolve(body["schema"], components), components, ""
                )
    return targets


def _body_targets(
    method: str, path: str, schema: dict[str, Any], components: dict[str, Any], prefix: str
) -> list[Target]:
    found: list[Target] = []
    for name, prop in schema.get("properties", {}).items():
        resolved = _resolve(prop, components)
        if resolved.get("type") == "object" or "properties" in resolved:
            found += _body_targets(method, path, resolved, components, f"{prefix}{name}.")
        elif _kind(resolved) in ("text", "secret", "integer", "enum", "date"):
            found.append(Target(method, path, "body", f"{prefix}{name}", resolved))
    return found


def _nested(dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    return {head: _nested(rest, value) if rest else value}


def _request(client: Client, headers: dict[str, str], target: Target, value: Any) -> Any:
    path, query, body = target.path, {}, None
    for name in [seg[1:-1] for seg in path.split("/") if seg.startswith("{")]:
        given_value = (
            str(value) if (target.where, target.name) == ("path", name) else _PATH_DEFAULTS.get(name, "1")
        )
        path = path.replace("{" + name + "}", quote(given_value, safe=""))
    if target.where == "query":
        query[target.name] = str(value)
    if target.where == "body":
        body = json.dumps(_nested(target.name, value))
    url = f"{path}?{urlencode(query)}" if query else path
    return client.generic(target.method, url, body or "", content_type="application/json", **headers)  # type: ignore[arg-type]


def _assert_refused(target: Target, value: Any, response: Any) -> None:
    label = f"{target!r} <- {value!r}: {response.status_code} {response.content[:300]!r}"
    assert response.status_code < 500, label
    assert response["Content-Type"] == "application/json", label
    body = response.json()
    assert isinstance(body.get("code"), str) and isinstance(body.get("message"), str) and body["message"], (
        label
    )
    if target.where == "path" and response.status_code == 404:
        return  # a path that names nothing (e.g. an id that cannot exist) is not found
    if target.kind == "secret" and not ("\x00" in value or any("\ud800" <= c <= "\udfff" for c in value)):
        return  # a secret may hold invisible characters: it is only compared
    assert response.status_code == 422, label
    assert body["code"] == "validation_error", label
    mine = [e for e in body["errors"] if e["field"] == target.name]
    assert mine, label
    # pydantic itself refuses a lone surrogate in some places ("string_unicode"), before any type
    assert all(
        (_CODES_BY_KIND[target.kind](e["code"]) or e["code"] == "string_unicode") and e["message"]
        for e in mine
    ), label


def test_every_api_parameter_refuses_hostile_text_and_numbers_with_422(
    astana: dict[str, Any], settings: Any
) -> None:
    # given: the published schema, a staff token (staff endpoints validate after authentication)
    from maslikhat.core.tokens import api_token_issue

    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 100_000
    settings.APPEAL_ATTEMPT_LIMIT_PER_HOUR = 100_000
    client = Client()
    token = api_token_issue(username="staff-test-kz-71", password="test-password")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
    targets = api_targets(client.get("/api/v1/openapi.json").json())

    # when: each parameter and body field in turn gets hostile values
    failures: dict[str, str] = {}
    for target in targets:
        if target.kind not in _CODES_BY_KIND:
            continue

        def check(value: Any, target: Target = target) -> None:
            _assert_refused(target, value, _request(client, headers, target, value))

        try:
            for value in target.fixed():
                check(value)
            _run(target.strategy(), check)
        except AssertionError as exc:  # collected: one run names every broken parameter
            failures[repr(target)] = str(exc)[:600]

    # then: every one answered a clear 4xx naming the field, and the whole API was covered
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    covered = {f"{t.method} {t.path} {t.where}:{t.name}" for t in targets}
    assert {
        "POST /api/v1/appeals body:text",
        "POST /api/v1/appeals body:applicant.full_name",
        "POST /api/v1/appeals body:body_id",
        "GET /api/v1/areas query:q",
        "GET /api/v1/people/{person_id} path:person_id",
        "POST /api/v1/auth/token body:username",
        "GET /api/v1/inbox query:deputy_id",
    } <= covered
    assert len(targets) >= 80


def test_every_integer_the_api_reads_is_bounded_to_64_bits(client: Client) -> None:
    # given: every integer parameter and body field of the published schema
    integers = [t for t in api_targets(client.get("/api/v1/openapi.json").json()) if t.kind == "integer"]

    # then: each has bounds within 64 bits (so no value overflows a database column)
    unbounded = [
        repr(t)
        for t in integers
        if not (
            INT64_MIN <= t.schema.get("minimum", INT64_MIN - 1)
            and t.schema.get("maximum", INT64_MAX + 1) <= INT64_MAX
        )
    ]
    assert unbounded == []
    assert len(integers) >= 20


def test_text_accepted_by_the_api_is_stored_without_bidi_controls(
    astana: dict[str, Any], applicant: dict[str, str], settings: Any
) -> None:
    from maslikhat.appeals.models import Appeal

    settings.APPEAL_SUBMIT_LIMIT_PER_HOUR = 100
    payload = {
        "body_id": astana["maslikhat"].pk,
        "kind": "application",
        "topic": "roads",
        "text": "Please \u202erepair\u202c the road",
        "applicant": {**applicant, "full_name": "\u2067Айгүл\u2069 Бекова"},
    }
    response = Client().post("/api/v1/appeals", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert appeal.text == "Please repair the road"
    assert appeal.applicant_name == "Айгүл Бекова"


def test_unacceptable_text_error_has_a_message_for_every_code() -> None:
    for value, code in [
        ("\x00", "null_characters"),
        ("\ud800", "invalid_characters"),
        ("\u200b", "invisible_only"),
    ]:
        with pytest.raises(UnacceptableText) as exc:
            clean_text(value)
        assert exc.value.code == code
