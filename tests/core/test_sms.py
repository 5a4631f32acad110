"""The SMS adapter: the setting picks a registered backend; the outbox keeps messages."""

from __future__ import annotations

from typing import Any

import pytest

from maslikhat.core import sms


def test_the_outbox_is_the_default_and_keeps_the_message(db: None) -> None:
    from maslikhat.participation.models import SmsMessage

    sms.send_sms("+77012345678", "Your code is 123456")
    assert sms.backend_name() == "outbox"
    assert SmsMessage.objects.get().text == "Your code is 123456"


def test_an_unknown_backend_falls_back_to_the_console(settings: Any, caplog: Any, db: None) -> None:
    from maslikhat.participation.models import SmsMessage

    settings.SMS_BACKEND = "no-such-gateway"
    with caplog.at_level("INFO", logger="maslikhat.core.sms"):
        sms.send_sms("+77012345678", "hello")
    assert sms.backend_name() == "console"
    assert "…5678" in caplog.text and "+77012345678" not in caplog.text
    assert not SmsMessage.objects.exists()


def test_a_name_cannot_be_taken_by_another_backend() -> None:
    class Other:
        def send(self, phone: str, text: str) -> None:
            raise AssertionError("never sent")

    with pytest.raises(ValueError, match="already registered"):
        sms.register_backend("console", Other())
