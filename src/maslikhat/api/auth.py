"""API authentication: a bearer token for staff (`POST /auth/token`, `POST /auth/token/revoke`)
and the one bearer-token authentication class of every router. Adapters only: the rules live in
`maslikhat.core.tokens` (limits shared with the web login, the second factor, revocation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from maslikhat.core.client import client_address
from maslikhat.core.errors import ErrorCode
from maslikhat.core.ratelimit import hit
from maslikhat.core.tokens import api_token_issue, api_token_revoke, api_token_user

from .errors import ApiError, ErrorOut
from .schemas import Login, OneTimeCode, Secret

router = Router(tags=["auth"])

# Attempts per client address (any account) in CLIENT_WINDOW seconds; the per-account limit is
# allauth's "login_failed" (ACCOUNT_RATE_LIMITS), shared with the web login.
CLIENT_LIMIT = 20
CLIENT_WINDOW = 300


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
            request.auth_token = token  # type: ignore[attr-defined]
        return user


bearer = BearerToken()

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def no_bearer_token(request: HttpRequest) -> bool:
    """The second authentication of the routers open to everyone: anonymous callers and the
    site's session pass when they present no bearer token (a presented token is `bearer`'s to
    accept; one it refuses is a 401, as ninja tries `bearer` first). A signed-in session's write
    must pass Django's CSRF check, as the pages' forms do: a form on another site must not act
    as the signed-in visitor."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return False
    if request.method not in SAFE_METHODS and request.user.is_authenticated:
        return check_csrf(request) is None
    return True


class CredentialsIn(Schema):
    username: Login
    password: Secret  # compared as typed; no NUL or lone surrogate (api.schemas)
    # A code from the authenticator app: required of staff, deputies and council accounts
    # when STAFF_SECOND_FACTOR_REQUIRED is on.
    code: OneTimeCode = ""


class TokenOut(Schema):
    token: str


class RevokedOut(Schema):
    revoked: bool


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
)
def auth_token(request: HttpRequest, payload: CredentialsIn) -> Any:
    limit = hit("auth_token", client_address(request), limit=CLIENT_LIMIT, window=CLIENT_WINDOW)
    if not limit.allowed:
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            _("Too many attempts. Try again later."),
            retry_after=limit.retry_after,
        )
    # A refusal (core.tokens.TokenRefused, a DomainError with its status and, when limited,
    # `retry_after`) is answered by the API's DomainError handler.
    key = api_token_issue(
        username=payload.username, password=payload.password, code=payload.code, request=request
    )
    return {"token": key}


@router.post("/auth/token/revoke", auth=bearer, response={200: RevokedOut, 401: ErrorOut})
def auth_token_revoke(request: HttpRequest) -> HttpResponse | dict[str, bool]:
    """Revoke the presented bearer token (log the API client out)."""
    return {"revoked": api_token_revoke(key=request.auth_token)}  # type: ignore[attr-defined]
