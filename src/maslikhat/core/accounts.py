"""The project's allauth account adapter.

allauth's login rate limits ("login_failed" per address) key on `get_client_ip`; here it is the
project's one answer to "who is the client" (`maslikhat.core.client.client_address`, honouring
`TRUSTED_PROXY_COUNT`), so a forged `X-Forwarded-For` cannot reset the login limit either.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest

from .client import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)

    # API tokens (core.tokens) follow the account's credentials and sessions. allauth calls these
    # two hooks from every password change/set/reset form and its logout view: explicit calls,
    # no signals. (A password changed by any other path still voids the tokens at use: each token
    # keeps the session auth hash it was issued under.)

    def set_password(self, user: Any, password: str) -> None:
        from .tokens import RevokeReason, api_tokens_revoke_for_user

        with transaction.atomic():
            super().set_password(user, password)
            api_tokens_revoke_for_user(actor=user, user=user, reason=RevokeReason.PASSWORD_CHANGED)

    def logout(self, request: HttpRequest) -> None:
        from .tokens import api_tokens_revoke_for_session

        api_tokens_revoke_for_session(user=request.user, session_key=request.session.session_key)
        super().logout(request)
