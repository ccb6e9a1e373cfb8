"""Security for ``parallax serve``: a Host allow-list and the response headers every page gets.

The server binds to loopback, but a page on another site can still reach it through
DNS rebinding (its own host name resolved to 127.0.0.1): the browser then sends that
site's name as ``Host``. Answering only the names the server was started for (the
bound host, localhost, and ``--allow-host`` additions) closes that door, so no
foreign page can read ``/api/export``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

#: Pages run no inline script and load nothing from elsewhere; charts are inline SVG.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: Swagger UI (served from package files) sets inline styles from its own script.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def security_headers(path: str) -> dict[str, str]:
    """The headers every response carries, for a response sent around the middleware (the
    500 of an unexpected error is sent by Starlette's outermost layer, outside it)."""
    csp = DOCS_CSP if path == "/docs" or path.startswith("/static/swagger/") else CSP
    return {"content-security-policy": csp, **{k.decode(): v.decode() for k, v in HEADERS}}


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a request's Host may carry: the bound host, the loopback names, and ``extra``.

    A wildcard bind (0.0.0.0, ::) names no host: then only loopback names and ``extra`` pass.
    """
    names = {*LOCAL_NAMES, *(h.strip().lower().strip("[]") for h in extra if h.strip())}
    if host and host not in ("0.0.0.0", "::", ""):
        names.add(host.lower().strip("[]"))
    return frozenset(names)


def host_name(header: str) -> str:
    """'example.com:8765' -> 'example.com'; '[::1]:8765' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SecurityMiddleware:
    """Refuses a request whose Host is not allowed (400, the API's error envelope) and adds
    the security headers to every response, errors included."""

    def __init__(self, app: Any, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        path = scope.get("path", "")
        csp = (DOCS_CSP if path == "/docs" or path.startswith("/static/swagger/") else CSP).encode()

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", csp), *HEADERS]
                message["headers"] = [*(message.get("headers") or []), *extra]
            await send(message)

        if host not in self.hosts:
            if scope["type"] != "http":
                await send({"type": "websocket.close", "code": 1008})
                return
            body = json.dumps(
                {
                    "ok": False,
                    "error": f"host {host!r} is not served here (start the server with --allow-host {host or 'NAME'} to allow it)",
                    "status": 400,
                }
            ).encode()
            await send_secured(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send_secured({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_secured)
