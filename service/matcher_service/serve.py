"""Running the service with uvicorn: what ``matcher serve`` and ``matcher demo`` find as ``matcher.http``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date

from matcher.settings import Settings

from .app import create_app


def run_server(
    settings: Settings, host: str = "127.0.0.1", port: int = 8000, today: date | None = None, banner: Sequence[str] = ()
) -> None:
    """Serve ``settings``' store on ``host:port`` until interrupted; ``banner`` lines are printed first.

    One process: the pools live in memory. ``today`` fixes the reference date (demo data).
    """
    import uvicorn

    for line in banner:
        print(line, file=sys.stdout, flush=True)
    print(f"web pages: http://{host}:{port}/ui/ (sign in with an API key)", file=sys.stdout, flush=True)
    uvicorn.run(create_app(settings, today=today), host=host, port=port, log_level="info", server_header=False)
