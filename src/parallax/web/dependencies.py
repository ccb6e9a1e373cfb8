"""What the routes get injected: the app's store (opened once by :func:`parallax.web.create_app`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from parallax.store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
