"""Finding the HTTP front end without importing it: the library never imports the service.

The service package registers itself under the entry-point group ``matcher.http`` (name
``server``): a callable ``run(settings, host, port, today=None, banner=())`` that serves until
interrupted. ``matcher serve`` and ``matcher demo`` look it up here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from importlib.metadata import entry_points
from typing import Protocol

from ..settings import Settings

GROUP = "matcher.http"


class HttpServer(Protocol):
    def __call__(
        self, settings: Settings, host: str, port: int, today: date | None = None, banner: Sequence[str] = ()
    ) -> None: ...


def http_server() -> HttpServer:
    """The installed HTTP front end, or a clear error naming what to install."""
    found = [e for e in entry_points(group=GROUP) if e.name == "server"]
    if not found:
        raise RuntimeError(
            "the HTTP service is not installed: pip install 'matcher[service]' (or make run in a checkout)"
        )
    server: Callable[..., None] = found[0].load()
    return server
