"""One error shape for every 4xx/5xx: {"error": {"code", "message"}}, mapped in one place."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

DB_RETRY_AFTER_SECONDS = 5

# Codes for errors raised by the framework itself (unknown route, wrong method, ...).
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "service_unavailable",
}


class AppError(Exception):
    """An error the API reports to the client as is."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.headers = dict(headers or {})
        self.details = details


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    details: Any = None,
) -> JSONResponse:
    return JSONResponse(
        jsonable_encoder(error_body(code, message, details)),
        status_code=status,
        headers=dict(headers or {}),
    )


def is_connection_error(exc: BaseException) -> bool:
    """DB down, unreachable or connection dropped: worth a retry, not a 500."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


_UNDECODABLE_BODY = "There was an error parsing the body"  # fastapi.routing's wording


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status, exc.code, exc.message, exc.headers, exc.details)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if exc.status_code == 400 and detail == _UNDECODABLE_BODY:
        # bytes that are not UTF-8: FastAPI says 400, but malformed JSON is a 422
        # validation_error everywhere else, and 422 is what the contract documents
        return error_response(422, "validation_error",
                              "The request body is not valid JSON (UTF-8 text expected).")
    if isinstance(detail, dict) and "code" in detail:
        code, message = str(detail["code"]), str(detail.get("message", ""))
    else:
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = str(detail) if detail else HTTPStatus(exc.status_code).phrase
    return error_response(exc.status_code, code, message, exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # pydantic names the member of a union that failed (`function-after[_utc(), ...]`); the
    # client named only the field
    details = [
        {"loc": [p for p in err.get("loc", ()) if not (isinstance(p, str) and "[" in p)],
         "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"] if p != "body")
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return error_response(422, "validation_error", message, details=details)


async def _db_error(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, DataError):
        # the database refused a value the schema allowed (e.g. a NUL character, which
        # Postgres cannot store in text or JSONB): the request is at fault, nothing was written
        log.info("database rejected a value: %s", exc.orig.__class__.__name__)
        return error_response(422, "invalid_value", "A value in the request cannot be stored "
                              "(for example text containing NUL characters).")
    if not is_connection_error(exc):
        return await _unhandled(_, exc)
    log.warning("database unavailable: %s", exc.__class__.__name__)
    return error_response(
        503,
        "database_unavailable",
        "The database is unavailable; try again shortly.",
        {"Retry-After": str(DB_RETRY_AFTER_SECONDS)},
    )


async def _unhandled(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal_error", "Internal server error.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _db_error)
    app.add_exception_handler(Exception, _unhandled)
