"""Property tests of the parsers and validators: IIN, dates and the working-day calendar,
coordinates (the find page and the look-up API) and the directory imports.

Whatever the input, the answer is a clear refusal (a ValidationError, a 400/422, an
ImportValidationError), never another exception, a 5xx or a half-written import.
"""

from __future__ import annotations

import json
import math
import string
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from maslikhat.core.iin import _WEIGHTS_1, check_digit, parse_iin

DB_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def english() -> Iterator[None]:
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def rollback() -> Any:
    """Run a block in a transaction that is rolled back: each hypothesis example starts clean."""

    class _Rollback:
        def __enter__(self) -> None:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()

        def __exit__(self, *exc: Any) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(*exc)

    return _Rollback


# ------------------------------------------------------------------------------------------ IIN

_CENTURY_DIGITS = {1800: "12", 1900: "34", 2000: "56"}


@st.composite
def valid_iins(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    century = draw(st.sampled_from(_CENTURY_DIGITS[born.year // 100 * 100]))
    serial = draw(st.text(string.digits, min_size=4, max_size=4))
    first_eleven = f"{born:%y%m%d}{century}{serial}"
    digit = check_digit(first_eleven)
    assume(digit is not None)
    return f"{first_eleven}{digit}"


@given(valid_iins())
@settings(max_examples=200)
def test_a_number_built_with_its_check_digit_parses(iin: str) -> None:
    parsed = parse_iin(iin)
    assert parsed.value == iin
    assert f"{parsed.birth_date:%y%m%d}" == iin[:6]
    assert parsed.male == (int(iin[6]) % 2 == 1)
    assert parse_iin(f"  {iin}\n").value == iin  # surrounding blanks are forgiven


def _second_pass_needed(first_eleven: str) -> bool:
    return sum(int(d) * w for d, w in zip(first_eleven, _WEIGHTS_1, strict=True)) % 11 == 10


@given(valid_iins(), st.integers(0, 11), st.integers(1, 9))
@settings(max_examples=200)
def test_a_single_changed_digit_is_refused_where_the_checksum_covers_it(
    iin: str, position: int, delta: int
) -> None:
    changed = iin[:position] + str((int(iin[position]) + delta) % 10) + iin[position + 1 :]
    try:
        parse_iin(changed)
    except ValidationError as exc:
        assert exc.code in {"iin_century", "iin_birth_date", "iin_checksum"}
        return
    # Accepted: only where the national algorithm is blind. Digit 11 weighs 11 = 0 (mod 11) in
    # the first pass; and a change that sends the first pass to the second one may land on the
    # same check digit by chance. The check digit itself is always protected.
    assert position != 11
    assert position == 10 or _second_pass_needed(changed[:11]) or _second_pass_needed(iin[:11])


@given(
    st.one_of(
        st.text(max_size=30),
        st.text(string.digits, max_size=30).filter(lambda s: len(s) != 12),
        st.text(string.digits, min_size=12, max_size=12).map(lambda s: s[:5] + "x" + s[6:]),
        # Non-ASCII digits that str.isdigit() accepts.
        st.text("٠١٢٣٤٥٦٧٨٩０１２３４５６７８９²³", min_size=12, max_size=12),
    )
)
@settings(max_examples=200)
@example("")
@example("1" * 1000)
@example("８５０３１５３００１２９")
def test_wrong_length_or_not_digits_is_refused_as_a_format_error(value: str) -> None:
    assume(not (len(value.strip()) == 12 and value.strip().isascii() and value.strip().isdigit()))
    with pytest.raises(ValidationError) as exc:
        parse_iin(value)
    assert exc.value.code == "iin_format"


@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.integers())))
@settings(max_examples=50)
def test_a_non_string_is_refused_as_a_format_error(value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_iin(value)
    assert exc.value.code == "iin_format"


@given(st.text(string.digits, min_size=12, max_size=12))
@settings(max_examples=200)
def test_any_twelve_digits_parse_or_raise_a_validation_error_only(value: str) -> None:
    try:
        parse_iin(value)
    except ValidationError as exc:
        assert exc.code in {"iin_century", "iin_birth_date", "iin_checksum"}


# ------------------------------------------------------------------------------------------ calendar

SANE_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
OVERRIDES = st.dictionaries(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2042, 12, 31)),
    st.sampled_from(["day_off", "working_day"]),
    max_size=5,
)


def _with_overrides(overrides: dict[date, str]) -> None:
    from maslikhat.core.models import CalendarOverride

    CalendarOverride.objects.bulk_create(CalendarOverride(date=d, kind=k) for d, k in overrides.items())


@given(start=SANE_DAYS, n=st.integers(0, 400), overrides=OVERRIDES)
@DB_SETTINGS
def test_adding_working_days_then_counting_them_round_trips(
    db: None, rollback: Any, start: date, n: int, overrides: dict[date, str]
) -> None:
    from maslikhat.core.calendar import add_working_days, is_working_day, working_days_between

    with rollback():
        _with_overrides(overrides)
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert working_days_between(end, start) == -n
        if n == 0:
            assert end == start
        else:
            assert end > start
            assert is_working_day(end)
            # the day before is the (n-1)-th working day, or before it
            assert working_days_between(start, end - timedelta(days=1)) == n - 1


@given(start=SANE_DAYS, a=st.integers(0, 150), b=st.integers(0, 150))
@DB_SETTINGS
def test_adding_working_days_composes(db: None, start: date, a: int, b: int) -> None:
    from maslikhat.core.calendar import add_working_days

    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(first=SANE_DAYS, second=SANE_DAYS, third=SANE_DAYS)
@DB_SETTINGS
def test_counting_working_days_is_additive_and_antisymmetric(
    db: None, first: date, second: date, third: date
) -> None:
    from maslikhat.core.calendar import working_days_between

    ab, bc = working_days_between(first, second), working_days_between(second, third)
    assert working_days_between(first, third) == ab + bc
    assert working_days_between(second, first) == -ab
    assert abs(ab) <= abs((second - first).days)


@given(start=SANE_DAYS, n=st.one_of(st.integers(max_value=-1), st.integers(min_value=3661)))
@DB_SETTINGS
def test_a_negative_or_absurd_count_is_a_value_error(db: None, start: date, n: int) -> None:
    from maslikhat.core.calendar import add_working_days

    with pytest.raises(ValueError, match="between 0 and"):
        add_working_days(start, n)


# ------------------------------------------------------------------------------------------ API dates

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "0000-00-00",
            "2026-02-30",
            "9999-12-31",
            "0001-01-01",
            "10000-01-01",
            "-2026-01-01",
            "2026-1-1",
            "2026-01-01T00:00:00",
            "2026-01-01T25:00",
            "1e308",
            "NaN",
            "inf",
            "٢٠٢٦-٠١-٠١",
            "2026‐01‐01",
            "2026-01-01\x00",
            "' OR 1=1 --",
            "%00",
            "null",
            "[]",
        ]
    ),
    st.dates().map(date.isoformat),
    st.integers().map(str),
)


def _get(client: Client, path: str, params: dict[str, str]) -> Any:
    return client.get(f"{path}?{urlencode(params)}", HTTP_ACCEPT_LANGUAGE="en")


@given(start=HOSTILE_TEXT, days=st.one_of(HOSTILE_TEXT, st.integers(-10, 5000).map(str)))
@DB_SETTINGS
def test_working_days_endpoint_answers_200_or_422_for_any_text(db: None, start: str, days: str) -> None:
    response = _get(Client(), "/api/v1/calendar/working-days", {"start": start, "days": days})
    assert response.status_code in (200, 422), (start, days, response.content[:300])
    body = response.json()
    if response.status_code == 422:
        assert body["code"] == "validation_error"
        assert body["errors"] and all(e["message"] for e in body["errors"])
    else:
        assert date.fromisoformat(body["date"]) >= date.fromisoformat(body["start"])


@given(on=HOSTILE_TEXT)
@DB_SETTINGS
def test_date_parameters_answer_200_404_or_422_for_any_text(db: None, on: str) -> None:
    client = Client()
    for path in ("/api/v1/bodies/1", "/api/v1/lookup?lat=51.13&lon=71.43"):
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}{urlencode({'date': on})}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (200, 404, 422), (path, on, response.content[:300])
        assert response["Content-Type"].startswith("application/json")
    for path in ("/api/v1/bodies/1/appeal-stats", "/api/v1/scorecard"):
        response = _get(client, path, {"start": on, "end": on})
        assert response.status_code in (200, 404, 422), (path, on, response.content[:300])


# ------------------------------------------------------------------------------------------ coordinates

COORDINATE_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-200, 200).map(lambda f: f"{f:.6f}".replace(".", ",")),
    st.integers().map(str),
    st.text(max_size=40),
    st.sampled_from(
        [
            "nan",
            "NaN",
            "-inf",
            "Infinity",
            "1e999",
            "-1e-999",
            "1_0",
            "0x10",
            "٥١",
            "５１",
            "51.1.1",
            " ",
            "\x00",
        ]
    ),
)


def _expected_number(raw: str, low: float, high: float) -> float | None:
    """What the find page should accept: a finite decimal in range (a comma may be the point)."""
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


@given(lat=COORDINATE_TEXT, lon=COORDINATE_TEXT)
@DB_SETTINGS
@example(lat="51.1694", lon="71.4491")  # Astana
@example(lat="nan", lon="nan")
@example(lat="1e999", lon="-1e999")
def test_find_page_answers_200_or_400_never_5xx(reference: Any, lat: str, lon: str) -> None:
    response = Client().get("/en/find/", {"lat": lat, "lon": lon})
    assert response.status_code in (200, 400), (lat, lon, response.status_code)
    if "\x00" in lat + lon:
        # refused before the view (core.request_limits): PostgreSQL cannot store a NUL
        assert response.status_code == 400
        assert b"Null characters are not allowed." in response.content
        return
    if not (lat.strip() or lon.strip()):
        assert response.status_code == 200
        return
    valid = _expected_number(lat, -90, 90) is not None and _expected_number(lon, -180, 180) is not None
    assert (response.status_code == 200) == valid, (lat, lon)
    if not valid:
        assert b"Enter a latitude between -90 and 90" in response.content


@given(
    lat=st.one_of(COORDINATE_TEXT, st.floats(-90, 90).map(repr)),
    lon=st.one_of(COORDINATE_TEXT, st.floats(-180, 180).map(repr)),
)
@DB_SETTINGS
@example(lat="51.1694", lon="71.4491")
@example(lat="0", lon="0")
def test_lookup_api_answers_200_404_or_422_never_5xx(reference: Any, lat: str, lon: str) -> None:
    response = _get(Client(), "/api/v1/lookup", {"lat": lat, "lon": lon})
    assert response.status_code in (200, 404, 422), (lat, lon, response.content[:300])
    body = response.json()
    if response.status_code == 422:
        assert body["code"] == "validation_error"
        assert {e["field"] for e in body["errors"]} <= {"lat", "lon"}
    elif response.status_code == 404:
        assert body["code"] == "outside_coverage"
    else:
        assert -90 <= body["lat"] <= 90 and -180 <= body["lon"] <= 180


# ------------------------------------------------------------------------------------------ imports


def _counts() -> dict[str, int]:
    from maslikhat.core.models import ActionLog
    from maslikhat.directory.models import Area, DirectoryState, Membership, Organization, Person, Post

    state = DirectoryState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first()
    return {
        "areas": Area.objects.count(),
        "organizations": Organization.objects.count(),
        "persons": Person.objects.count(),
        "posts": Post.objects.count(),
        "memberships": Membership.objects.count(),
        "log": ActionLog.objects.count(),
        "boundaries_version": state or 0,
    }


def _refused_and_nothing_written(importer: Any, path: Path, content: bytes, **kwargs: Any) -> None:
    """The import raises ImportValidationError with located problems and writes nothing, or (when
    the generated file happens to be valid) succeeds; any other exception fails the test."""
    from maslikhat.directory.importers import ImportValidationError

    path.write_bytes(content)
    before = _counts()
    try:
        importer(path=path, **kwargs)
    except ImportValidationError as exc:
        assert exc.errors, "a refusal names its problems"
        assert all(p.file.startswith(path.name) and p.line >= 0 and p.reason for p in exc.errors)
        assert _counts() == before
        return
    # Accepted: it must at least have been a decodable file.
    content.decode("utf-8-sig")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


@given(content=st.binary(max_size=600))
@DB_SETTINGS
@example(content=b"\xff\xfe\x00k\x00a\x00t\x00o")  # UTF-16
@example(content=b"kato_code,kind\n" + b"\x00" * 10)
@example(content=b'kato_code,kind,name_kk,parent_code\n"unterminated')
def test_kato_import_of_arbitrary_bytes_is_refused_cleanly(
    reference: Any, english: None, rollback: Any, tmp_path: Path, content: bytes
) -> None:
    from maslikhat.directory.importers import import_kato

    with rollback():
        _refused_and_nothing_written(import_kato, tmp_path / "units.csv", content)


KATO_CELLS = st.one_of(
    st.text(max_size=12),
    st.text(string.digits, min_size=9, max_size=9),
    st.sampled_from(["district", "city", "settlement", "region", "KZ-19", "KZ-71", "", "1e999", "NaN", "-1"]),
)


@given(rows=st.lists(st.lists(KATO_CELLS, min_size=0, max_size=11), min_size=1, max_size=6))
@DB_SETTINGS
def test_kato_import_of_malformed_rows_is_refused_cleanly(
    reference: Any, english: None, rollback: Any, tmp_path: Path, rows: list[list[str]]
) -> None:
    import csv
    import io

    from maslikhat.directory.importers import KATO_COLUMNS, import_kato

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(KATO_COLUMNS)
    writer.writerows(rows)
    with rollback():
        _refused_and_nothing_written(import_kato, tmp_path / "units.csv", buffer.getvalue().encode())


@given(
    content=st.one_of(
        st.binary(max_size=400),
        JSON_VALUES.map(_dumps),
        st.lists(JSON_VALUES, max_size=4).map(lambda f: _dumps({"type": "FeatureCollection", "features": f})),
        st.lists(
            st.fixed_dictionaries(
                {"type": st.just("Feature"), "geometry": JSON_VALUES, "properties": JSON_VALUES}
            ),
            max_size=3,
        ).map(lambda f: _dumps({"type": "FeatureCollection", "features": f})),
    )
)
@DB_SETTINGS
@example(content=b'{"type": "FeatureCollection", "features": [NaN]}')
@example(content=b"[" * 5000 + b"]" * 5000)
@example(
    content=_dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "KZ-71"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1e308, 1e308], [0, 0]]]},
                }
            ],
        }
    )
)
def test_geojson_import_of_malformed_input_is_refused_cleanly(
    reference: Any, english: None, rollback: Any, tmp_path: Path, content: bytes
) -> None:
    from maslikhat.directory.importers import import_geojson

    with rollback():
        _refused_and_nothing_written(import_geojson, tmp_path / "bounds.geojson", content)


POPOLO_COLLECTIONS = ("areas", "organizations", "persons", "posts", "memberships")


@given(
    content=st.one_of(
        st.binary(max_size=400),
        JSON_VALUES.map(_dumps),
        st.dictionaries(
            st.sampled_from(POPOLO_COLLECTIONS), st.lists(JSON_VALUES, max_size=3), max_size=5
        ).map(_dumps),
        st.dictionaries(
            st.sampled_from(POPOLO_COLLECTIONS),
            st.lists(
                st.dictionaries(
                    st.sampled_from(
                        [
                            "id",
                            "name",
                            "classification",
                            "parent_id",
                            "person_id",
                            "post_id",
                            "organization_id",
                            "area_id",
                            "start_date",
                            "end_date",
                            "role",
                            "label",
                        ]
                    ),
                    st.one_of(JSON_VALUES, st.sampled_from(["kz-71-maslikhat", "KZ-71", "2026-13-45"])),
                    max_size=6,
                ),
                min_size=1,
                max_size=3,
            ),
            min_size=1,
            max_size=5,
        ).map(_dumps),
    )
)
@DB_SETTINGS
@example(content=b'{"persons": [{"name": Infinity}]}')
@example(content=b"\xef\xbb\xbf{}")
def test_popolo_import_of_malformed_input_is_refused_cleanly(
    reference: Any, english: None, rollback: Any, tmp_path: Path, content: bytes
) -> None:
    from maslikhat.directory.importers import import_popolo

    with rollback():
        _refused_and_nothing_written(import_popolo, tmp_path / "directory.json", content)
