"""The web surface's guards: allowed hosts, same-origin and CSRF checks, size limit, strict headers.

Each guard answers in the app's JSON error shape. CSRF tokens come from ``starlette-csrf`` (double
submit: a signed cookie the page reads and echoes in ``X-CSRF-Token``); they are required only of
requests carrying the session cookie, so scripts using Bearer tokens need none.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette_csrf.middleware import CSRFMiddleware

from api.deps import SESSION_COOKIE
from api.errors import error_body
from hoptac.errors import TooLarge
from hoptac.settings import Settings

CSRF_COOKIE = "hoptac_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
#: The app's own pages load only their own scripts, styles and images; nothing frames them.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: FastAPI's Swagger page starts Swagger UI with an inline script; its assets are still local.
DOCS_CSP = APP_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", "::1"]

Next = Callable[[Request], Awaitable[Response]]


class JsonCSRFMiddleware(CSRFMiddleware):
    """starlette-csrf, answering 403 in the app's JSON error shape."""

    def _get_error_response(self, request: Request) -> Response:
        message = "CSRF check failed: send the hoptac_csrf cookie's value in X-CSRF-Token"
        return JSONResponse(error_body("Forbidden", message), 403)


def allowed_hosts(settings: Settings, bound_host: str | None) -> list[str]:
    """The Host names to answer: the setting, else the bound host and localhost (DNS rebinding)."""
    if settings.allowed_hosts:
        return settings.allowed_hosts
    hosts = [*LOCAL_HOSTS]
    if bound_host in ("0.0.0.0", "::", ""):
        hosts += [socket.gethostname(), socket.getfqdn()]
    elif bound_host:
        hosts.append(bound_host)
    return hosts


def signing_secret(settings: Settings) -> str:
    """A random secret kept in the data directory (mode 600), made on first use."""
    path = settings.data_dir / "secret_key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def install_security(app: FastAPI, settings: Settings, bound_host: str | None) -> None:
    """Add the guards; the last added runs first (hosts, then size, origin, CSRF, headers)."""

    @app.middleware("http")
    async def strict_headers(request: Request, call_next: Next) -> Response:
        response = await call_next(request)
        docs = request.url.path.startswith("/docs")
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else APP_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.add_middleware(
        JsonCSRFMiddleware,
        secret=signing_secret(settings),
        sensitive_cookies={SESSION_COOKIE},
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_samesite="strict",
        cookie_secure=settings.https,
    )

    @app.middleware("http")
    async def same_origin(request: Request, call_next: Next) -> Response:
        """A state-changing request from another site's page is refused, signed in or not."""
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            cross_site = request.headers.get("sec-fetch-site") == "cross-site"
            if cross_site or (origin and urlsplit(origin).netloc != request.headers.get("host")):
                message = f"cross-site request refused (Origin {origin or 'of another site'})"
                return JSONResponse(error_body("Forbidden", message), 403)
        return await call_next(request)

    @app.middleware("http")
    async def size_limit(request: Request, call_next: Next) -> Response:
        """Bodies over the upload limit are refused before they are read (413)."""
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > settings.max_upload_mb * 1024 * 1024:
            message = f"the request is over the {settings.max_upload_mb} MB upload limit"
            return JSONResponse(error_body(TooLarge.__name__, message), TooLarge.http_status)
        return await call_next(request)

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings, bound_host))
