"""Browser sign-in and sign-out: a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, Field

from api.deps import SESSION_COOKIE, AuditDep, SettingsDep, UserDep, UsersDep
from api.schemas import SignedOut, UserView
from hoptac.errors import TooManyRequests, Unauthenticated

router = APIRouter(prefix="/api", tags=["session"])
#: One address may try this many times the attempts allowed per user name (a shared office NAT).
CLIENT_FACTOR = 4


class SignIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


def _rate_checks(request: Request, name: str, rate: str) -> list[tuple[Any, str]]:
    """(limit, key) per user name and per client address."""
    per_name = parse(rate)
    per_client = type(per_name)(per_name.amount * CLIENT_FACTOR, per_name.multiples)
    client = request.client.host if request.client else "unknown"
    return [(per_name, f"name:{name.lower()}"), (per_client, f"client:{client}")]


def _limiter(request: Request) -> MovingWindowRateLimiter:
    """Failed sign-ins counted in the app's memory (one process serves the API), one per app."""
    state = request.app.state
    if not hasattr(state, "sign_in_limiter"):
        state.sign_in_limiter = MovingWindowRateLimiter(MemoryStorage())
    limiter: MovingWindowRateLimiter = state.sign_in_limiter
    return limiter


@router.post("/session", response_model=UserView)
def sign_in(
    request: Request,
    response: Response,
    body: SignIn,
    users: UsersDep,
    audit: AuditDep,
    settings: SettingsDep,
) -> UserView:
    """Check the password and set the session cookie; every attempt is in the audit log.

    A few failed attempts a minute per name and per address: slow enough to stop password guessing.
    """
    limiter, checks = _limiter(request), _rate_checks(request, body.name, settings.sign_in_rate)
    if not all(limiter.test(limit, "sign-in", key) for limit, key in checks):
        audit.record(body.name, "sign-in refused: too many attempts")
        raise TooManyRequests("too many failed sign-in attempts; wait a minute and try again")
    try:
        user = users.authenticate(body.name, body.password)
    except Unauthenticated:
        for limit, key in checks:
            limiter.hit(limit, "sign-in", key)
        audit.record(body.name, "sign-in failed")
        raise
    audit.record(user.name, "sign-in")
    lifetime = timedelta(hours=settings.session_hours)
    response.set_cookie(
        SESSION_COOKIE,
        users.start_session(user, lifetime),
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=settings.https or request.url.scheme == "https",
        path="/",
    )
    return UserView.of(user)


@router.get("/session", response_model=UserView)
def who_am_i(user: UserDep) -> UserView:
    """The signed-in user (name, role, clearance); 401 when nobody is."""
    return UserView.of(user)


@router.delete("/session", response_model=SignedOut)
def sign_out(request: Request, response: Response, users: UsersDep, user: UserDep) -> SignedOut:
    """End the session here and on the server: the cookie is worthless afterwards."""
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        users.end_session(session)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return SignedOut(signed_out=True)
