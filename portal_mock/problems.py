"""RFC 9457 problem details in English and Arabic, and the handlers that turn every error
(ours, FastAPI's validation, Starlette's HTTP errors, the unexpected) into one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_mock.validation import FieldError, field_errors

PROBLEM_TYPE_BASE = "https://hawiya.example/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

_log = structlog.get_logger("portal_mock.problems")


class ProblemDetails(BaseModel):
    """The body of every error answer (for OpenAPI; answers are built from `Problem`)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    title_ar: str
    detail_ar: str
    errors: list[FieldError] | None = None


class Problem(Exception):  # noqa: N818 - it is the problem itself, as RFC 9457 names it
    """An error answer the portal gives on purpose: raise it anywhere in a request."""

    def __init__(
        self,
        status: int,
        kind: str,
        *,
        title: str,
        title_ar: str,
        detail: str,
        detail_ar: str,
        extensions: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {kind}: {detail}")
        self.status = status
        self.kind = kind
        self.title = title
        self.title_ar = title_ar
        self.detail = detail
        self.detail_ar = detail_ar
        self.extensions = extensions or {}
        self.headers = headers

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.kind if ":" in self.kind else PROBLEM_TYPE_BASE + self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "title_ar": self.title_ar,
            "detail_ar": self.detail_ar,
        }
        body.update(self.extensions)
        return body

    def response(self) -> JSONResponse:
        return JSONResponse(
            self.body(),
            status_code=self.status,
            headers=self.headers,
            media_type=PROBLEM_MEDIA_TYPE,
        )


def not_found_problem() -> Problem:
    return Problem(
        404,
        "not-found",
        title="No matching person",
        title_ar="لا يوجد شخص مطابق",
        detail=(
            "No person has this ID number with this date of birth. Check both against the "
            "card and try again."
        ),
        detail_ar=(
            "لا يوجد شخص بهذا الرقم وتاريخ الميلاد معًا. راجع الرقم وتاريخ الميلاد في البطاقة "
            "ثم حاول مرة أخرى."
        ),
    )


def internal_problem() -> Problem:
    return Problem(
        500,
        "internal",
        title="The portal hit an internal error",
        title_ar="حدث خطأ داخلي في البوابة",
        detail="Try again in a moment; if it keeps happening, report it to the portal support.",
        detail_ar="حاول مرة أخرى بعد قليل، وإذا تكرر الخطأ فأبلغ الدعم الفني للبوابة.",
    )


def validation_problem(errors: list[FieldError]) -> Problem:
    return Problem(
        422,
        "validation",
        title="The request has invalid fields",
        title_ar="الطلب يحتوي على حقول غير صحيحة",
        detail="Check the highlighted fields and send again.",
        detail_ar="راجع الحقول المشار إليها ثم أرسل الطلب مرة أخرى.",
        extensions={"errors": [error.model_dump() for error in errors]},
    )


# Arabic titles for the HTTP errors the framework raises by itself (unknown path, wrong method).
_ARABIC_STATUS_TITLES = {
    400: "طلب غير صالح",
    404: "العنوان غير موجود",
    405: "طريقة الطلب غير مسموح بها",
    406: "صيغة الرد المطلوبة غير متاحة",
    413: "حجم الطلب كبير جدًا",
    415: "نوع المحتوى غير مدعوم",
    429: "طلبات كثيرة جدًا",
}


def http_problem(status: int, headers: dict[str, str] | None = None) -> Problem:
    """A problem for a plain HTTP error raised by the framework (no extra semantics)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return Problem(
        status,
        "not-found" if status == 404 else "about:blank",
        title=phrase,
        title_ar=_ARABIC_STATUS_TITLES.get(status, "تعذر تنفيذ الطلب"),
        detail=("Check the address and method against the portal API (GET /docs) and try again."),
        detail_ar="راجع العنوان وطريقة الطلب في وثائق واجهة البوابة (GET /docs) ثم حاول مرة أخرى.",
        headers=headers,
    )


async def _on_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return exc.response()


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_problem(field_errors(exc.errors())).response()


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return http_problem(exc.status_code, headers).response()


class UnexpectedErrorMiddleware:
    """Answers 500 problem details for any unhandled exception, logging it but never sending
    a traceback to the client. Pure ASGI, so streaming and lifespan pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            _log.exception("unhandled_error", method=scope.get("method"), path=scope.get("path"))
            if response_started:
                raise
            await internal_problem().response()(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error answer of `app` a problem details document."""
    handlers: dict[type[Exception], Callable[[Request, Exception], Awaitable[JSONResponse]]] = {
        Problem: _on_problem,
        RequestValidationError: _on_validation_error,
        StarletteHTTPException: _on_http_error,
    }
    for exception_class, handler in handlers.items():
        app.add_exception_handler(exception_class, handler)
    app.add_middleware(UnexpectedErrorMiddleware)
