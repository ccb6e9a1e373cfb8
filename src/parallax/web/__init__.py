"""The JSON API and the web UI (``parallax serve``): FastAPI over the same store."""

from parallax.web.main import create_app

__all__ = ["create_app"]
