"""The FastAPI application. One JSON error envelope for every error:
``{"ok": false, "error": str, "status": int}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from parallax import __version__
from parallax.errors import NotFoundError, ParallaxError
from parallax.web.routers import api, pages


def create_app() -> FastAPI:
    app = FastAPI(title="Parallax", version=__version__, description="One news story from every side: articles, facts, stories and comparisons.")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(ParallaxError)
    async def parallax_error(request: Request, exc: ParallaxError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFoundError) else 400
        return JSONResponse({"ok": False, "error": str(exc), "status": status}, status_code=status)

    return app
