"""The project's allauth account adapter.

allauth's login rate limits ("login_failed" per address) key on `get_client_ip`; here it is the
project's one answer to "who is the client" (`maslikhat.core.client.client_address`, honouring
`TRUSTED_PROXY_COUNT`), so a forged `X-Forwarded-For` cannot reset the login limit either.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .client import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)
