"""API docs from package files: Swagger UI from the swagger-ui-bundle-v2 wheel, started by
our own script (no inline script, no CDN), so /docs works offline under the CSP."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from parallax.errors import NotFoundError

router = APIRouter(include_in_schema=False)

#: the files /static/swagger/ may serve (no directory listing, nothing else from the package)
SWAGGER_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})


def swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


@router.get("/docs", response_class=HTMLResponse)
def docs() -> str:
    from parallax.web.routers.pages import render

    return render("docs.html.j2", available=swagger_dir() is not None)


@router.get("/static/swagger/{name}")
def swagger_file(name: str) -> FileResponse:
    folder = swagger_dir()
    if folder is None or name not in SWAGGER_FILES or not (folder / name).is_file():
        raise NotFoundError(f"no such file: /static/swagger/{name}")
    return FileResponse(folder / name, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/static/docs.js")
def docs_script() -> FileResponse:
    from importlib import resources

    path = Path(str(resources.files("parallax").joinpath("web/static/docs.js")))
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})
