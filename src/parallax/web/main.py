"""The FastAPI application: the web UI, the JSON API and the API docs, all from package files.

One JSON error envelope for every error status, from the API, from validation (422)
and from unknown routes: ``{"ok": false, "error": str, "status": int}``. A browser
asking a page for HTML gets the same error as a page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax import __version__
from parallax.errors import NotFoundError, ParallaxError, StoreError
from parallax.store import Store, open_store
from parallax.web.security import SecurityMiddleware, allowed_hosts, security_headers

DESCRIPTION = "One news story from every side: articles, facts, stories and comparisons, in the shapes of `parallax export`."


def create_app(
    db: str | Path | None = None,
    *,
    store: Store | None = None,
    host: str = "127.0.0.1",
    allow_hosts: Iterable[str] = (),
) -> FastAPI:
    """The web UI and the JSON API over the store at ``db`` (a path or URL; see
    :func:`parallax.store.open_store`), or over an already open ``store``.

    Requests are answered only when their Host is ``host`` (the address the server is
    bound to), a loopback name, or one of ``allow_hosts``.
    """
    from parallax.web.routers import api, docs, pages

    opened = store if store is not None else open_store(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if store is None:
            opened.close()

    app = FastAPI(
        title="Parallax",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = opened
    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(pages.router)
    app.add_middleware(SecurityMiddleware, hosts=allowed_hosts(host, allow_hosts))

    @app.exception_handler(ParallaxError)
    async def parallax_error(request: Request, exc: ParallaxError) -> Response:
        if isinstance(exc, NotFoundError):
            status = 404
        elif isinstance(exc, StoreError):
            status = 500
        else:
            status = 400
        return error_response(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page or endpoint: {request.url.path}"
        return error_response(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        return error_response(
            request,
            500,
            f"internal error ({type(exc).__name__}); the server log has the details",
            headers=security_headers(request.url.path),
        )

    return app


def validation_message(errors: Iterable[Any]) -> str:
    """'query parameter kind: Input should be ...; ...' from FastAPI's error list."""
    parts = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ())]
        where = f"{loc[0]} parameter {'.'.join(loc[1:])}" if len(loc) > 1 else ".".join(loc) or "request"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_html(request):
        from parallax.web.routers.pages import render

        return HTMLResponse(
            render("error.html.j2", status=status, error=message), status_code=status, headers=headers
        )
    return JSONResponse(
        {"ok": False, "error": message, "status": status}, status_code=status, headers=headers
    )


__all__ = ["create_app"]
