"""``create_app(settings)``: the FastAPI application. Nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from guarantor.config import Settings, load_or_create_secret
from guarantor.model.diagnostics import InvalidInput
from guarantor.report.messages import describe
from guarantor.services.access import Forbidden
from guarantor.services.portal import Portal
from guarantor.store import StoreError
from guarantor.web.security import (
    SESSION_HOURS,
    CsrfFailed,
    NotAuthenticated,
    RateLimited,
    RateLimiter,
    csrf_token,
    session_user,
)
from guarantor.web.templating import current_lang, make_templates

SESSION_COOKIE = "guarantor_session"


def create_app(settings: Settings, portal: Portal | None = None) -> FastAPI:
    """The portal for ``settings`` (an open :class:`Portal` may be passed, as tests do)."""
    state: dict[str, Portal] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if "portal" not in state:
            state["portal"] = portal or Portal(settings)
        app.state.portal = state["portal"]
        yield
        if portal is None:
            state.pop("portal").close()

    app = FastAPI(
        title="Guarantor",
        summary="Questionnaire portal and force-package assessment",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN: no third-party code in the portal
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )
    if portal is not None:
        state["portal"] = portal
        app.state.portal = portal
    app.state.settings = settings
    app.state.templates = make_templates()
    app.state.login_limiter = RateLimiter(limit=10, window=60.0)

    @app.middleware("http")
    async def language(request: Request, call_next):  # type: ignore[no-untyped-def]
        lang = request.session.get("lang")
        requested = request.query_params.get("lang")
        chosen = requested if requested in ("en", "ar") else lang if lang in ("en", "ar") else "en"
        token = current_lang.set(chosen)
        try:
            response: Response = await call_next(request)
        finally:
            current_lang.reset(token)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
        )
        return response

    # Added last, so it runs first: the language middleware above reads the session.
    app.add_middleware(
        SessionMiddleware,
        secret_key=load_or_create_secret(settings),
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=SESSION_HOURS * 3600,
    )

    static = resources.files("guarantor.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    fonts = resources.files("guarantor") / "data" / "fonts"
    app.mount("/fonts", StaticFiles(directory=str(fonts)), name="fonts")

    from guarantor.web import api, deals, evidence, negotiation, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(negotiation.router)
    app.include_router(deals.router)
    app.include_router(evidence.router)
    _errors(app)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _errors(app: FastAPI) -> None:
    """Map the project's exceptions onto HTTP answers: JSON for the API, pages otherwise."""

    def page(request: Request, status: int, title: str, lines: list[str]) -> Response:
        templates = request.app.state.templates
        # The header (language switch, log out) works on error pages too.
        user = (
            session_user(request, request.app.state.portal) if "session" in request.scope else None
        )
        response: Response = templates.TemplateResponse(
            request,
            "error.html",
            {
                "title": title,
                "lines": lines,
                "user": user,
                "csrf": csrf_token(request),
                "units": {},
            },
            status_code=status,
        )
        return response

    @app.exception_handler(NotAuthenticated)
    async def _unauthenticated(request: Request, _: NotAuthenticated) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"errors": [{"code": "auth.required"}]},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"errors": [{"code": "forbidden", "action": exc.action}]}, status_code=403
            )
        return page(request, 403, "Forbidden", [])

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _: CsrfFailed) -> Response:
        return page(request, 403, "Forbidden", ["CSRF"])

    @app.exception_handler(RateLimited)
    async def _limited(request: Request, _: RateLimited) -> Response:
        return page(request, 429, "Too many attempts", [])

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> Response:
        lang = current_lang.get()
        errors: list[dict[str, Any]] = [
            {
                "code": d.code,
                "path": d.path_text(),
                "params": d.params,
                "message": describe(d, lang),
            }
            for d in exc.diagnostics
        ]
        if _is_api(request):
            return JSONResponse({"errors": errors}, status_code=422)
        return page(request, 422, "Invalid input", [e["message"] for e in errors])

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Response:
        from guarantor.model.diagnostics import Diagnostic

        status = 409 if exc.code.endswith("exists") else 404
        message = describe(Diagnostic(code=exc.code, params=exc.params), current_lang.get())
        if _is_api(request):
            return JSONResponse(
                {"errors": [{"code": exc.code, "message": message}]}, status_code=status
            )
        return page(request, status, "Not found" if status == 404 else "Conflict", [message])

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "code": "request.invalid",
                "path": ".".join(map(str, e.get("loc", ()))),
                "message": str(e.get("msg")),
            }
            for e in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"errors": errors}, status_code=422)
        return page(request, 422, "Invalid request", [e["message"] for e in errors])
