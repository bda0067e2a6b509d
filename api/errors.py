"""The one place where errors become HTTP responses: JSON with a message, the status from the error."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from hoptac.errors import HoptacError


def error_body(kind: str, message: str, details: object = None) -> dict[str, object]:
    body: dict[str, object] = {"error": kind, "message": message}
    if details is not None:
        body["details"] = details
    return body


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HoptacError)
    async def hoptac_error(_: Request, error: HoptacError) -> JSONResponse:
        return JSONResponse(
            error_body(type(error).__name__, str(error), error.details), error.http_status
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'] if p not in ('query', 'body'))}: {e['msg']}"
            for e in error.errors()
        ]
        return JSONResponse(
            error_body("InvalidInput", "; ".join(problems), jsonable(error.errors())), 422
        )

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(error_body("HTTPError", str(error.detail)), error.status_code)


def jsonable(errors: object) -> object:
    """Validation errors may hold exceptions in their context; keep what JSON can carry."""
    if isinstance(errors, dict):
        return {k: jsonable(v) for k, v in errors.items() if k != "ctx"}
    if isinstance(errors, list | tuple):
        return [jsonable(v) for v in errors]
    if isinstance(errors, str | int | float | bool) or errors is None:
        return errors
    return str(errors)
