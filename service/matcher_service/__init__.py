"""matcher's HTTP service: a thin FastAPI layer that translates HTTP into calls to :mod:`matcher.app`.

``create_app(settings)`` builds the app; ``run_server`` runs it with uvicorn (``matcher serve``).
"""

from __future__ import annotations

from .app import create_app
from .serve import run_server

__all__ = ["create_app", "run_server"]
