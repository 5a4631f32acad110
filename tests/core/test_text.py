"""The one rule for user text (core.text) and the form base that applies it (core.forms)."""

from __future__ import annotations

import pytest
from django import forms

from maslikhat.core.forms import INT64_MAX, SafeForm
from maslikhat.core.text import (
    BIDI_CONTROLS,
    INVALID_CHARACTERS,
    INVISIBLE_ONLY,
    NULL_CHARACTERS,
    UnacceptableText,
    clean_display,
    clean_text,
)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("a\x00b", NULL_CHARACTERS),
        ("\x00", NULL_CHARACTERS),
        ("abc\ud800", INVALID_CHARACTERS),
        ("\udfff", INVALID_CHARACTERS),
        ("x\uffff", INVALID_CHARACTERS),
        ("\u200b", INVISIBLE_ONLY),  # zero-width space
        ("\u200d\u200c", INVISIBLE_ONLY),  # joiners
        ("\ufeff", INVISIBLE_ONLY),  # BOM
        ("\u200e\u200f\u202e", INVISIBLE_ONLY),  # direction marks and an override
        ("\xa0\xa0", INVISIBLE_ONLY),  # no-break spaces
        ("  \t\n ", INVISIBLE_ONLY),
        ("\u3164\u2800", INVISIBLE_ONLY),  # Hangul filler, braille blank
        ("\u2060\u00ad\u034f", INVISIBLE_ONLY),  # word joiner, soft hyphen, grapheme joiner
        ("\x07\x1b", INVISIBLE_ONLY),  # control characters only
    ],
)
def test_unacceptable_text_is_refused_with_its_code(value: str, code: str) -> None:
    with pytest.raises(UnacceptableText) as exc:
        clean_text(value)
    assert exc.value.code == code
    assert str(exc.value.message)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("", ""),
        ("Сәлем, әлем!", "Сәлем, әлем!"),
        ("O'Brien & Sons <b>", "O'Brien & Sons <b>"),
        ("line one\r\nline two\tend", "line one\r\nline two\tend"),
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # a joiner inside an emoji is kept
        ("abc\u202edcba", "abcdcba"),  # the override is removed
        ("\u2066x\u2069 \u200ey\u200f \u061cz", "x y z"),
        ("bell\x07 and escape\x1b[31m", "bell and escape[31m"),
        ("\u200bvisible", "\u200bvisible"),  # not only invisible: kept as typed
    ],
)
def test_acceptable_text_is_kept_with_the_bidi_and_control_characters_removed(
    value: str, stored: str
) -> None:
    assert clean_text(value) == stored


def test_every_bidi_control_is_removed() -> None:
    # given: a word with every bidirectional control character around it
    value = "".join(BIDI_CONTROLS) + "word" + "".join(BIDI_CONTROLS)

    # then: only the word is left, for stored and for displayed text
    assert clean_text(value) == "word"
    assert clean_display(value) == "word"
    assert len(BIDI_CONTROLS) == 12


def test_verbatim_text_refuses_only_what_cannot_be_stored() -> None:
    assert clean_text(" \u202e secret\u200b ", verbatim=True) == " \u202e secret\u200b "
    with pytest.raises(UnacceptableText) as exc:
        clean_text("pass\x00word", verbatim=True)
    assert exc.value.code == NULL_CHARACTERS
    with pytest.raises(UnacceptableText) as exc:
        clean_text("pass\ud800", verbatim=True)
    assert exc.value.code == INVALID_CHARACTERS


def test_clean_display_removes_only_bidi_controls() -> None:
    assert clean_display("a\u202eb\u200bc\x00") == "ab\u200bc\x00"


class _SampleForm(SafeForm):
    name = forms.CharField(max_length=50)
    note = forms.CharField(required=False)
    count = forms.IntegerField(required=False)
    bounded = forms.IntegerField(required=False, min_value=0, max_value=10)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["late"] = forms.CharField(required=False)  # added after the base's __init__


def test_a_safe_form_stores_cleaned_text() -> None:
    form = _SampleForm({"name": "\u202eAsel\u202c", "note": "ok", "late": "x\u2066y"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Asel"
    assert form.cleaned_data["late"] == "xy"


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"name": "\u200b\u200b"}, "name", INVISIBLE_ONLY),
        ({"name": "ok", "note": "\ufeff"}, "note", INVISIBLE_ONLY),
        ({"name": "ok", "late": "\u200d"}, "late", INVISIBLE_ONLY),
        ({"name": "ok", "count": str(INT64_MAX + 1)}, "count", "max_value"),
        ({"name": "ok", "count": str(-(2**63) - 1)}, "count", "min_value"),
        ({"name": "ok", "count": "9" * 5000}, "count", "invalid"),
        ({"name": "ok", "bounded": "11"}, "bounded", "max_value"),
    ],
)
def test_a_safe_form_refuses_hostile_values_with_a_field_error(
    data: dict[str, str], field: str, code: str
) -> None:
    form = _SampleForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert [e.code for e in form.errors.as_data()[field]] == [code]


def test_a_whole_number_within_64_bits_is_accepted_and_bounds_are_added_once() -> None:
    form = _SampleForm({"name": "ok", "count": str(INT64_MAX)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == INT64_MAX
    form.full_clean()  # a second validation adds no second bound
    assert len(form.fields["count"].validators) == 2
    assert len(form.fields["bounded"].validators) == 2  # its own bounds only


def test_the_clean_display_filter_removes_bidi_controls_and_still_escapes() -> None:
    from django.template import Context, Template

    rendered = Template("{% load text %}{{ name|clean_display }}").render(
        Context({"name": "<b>\u202eAsel\u2066</b>"})
    )
    assert rendered == "&lt;b&gt;Asel&lt;/b&gt;"
