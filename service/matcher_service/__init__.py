"""matcher's HTTP service: a thin FastAPI layer that translates HTTP into calls to :mod:`matcher`.

``create_app(settings)`` builds the app; ``serve`` and ``demo_serve`` run it with uvicorn.
"""

from __future__ import annotations

from .app import create_app
from .serve import demo_serve, load_demo, serve

__all__ = ["create_app", "demo_serve", "load_demo", "serve"]
