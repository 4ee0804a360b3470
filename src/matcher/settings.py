"""One settings object for the whole of matcher, read from ``MATCHER_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration that flows down from the CLI or the service into the library.

    Every field can be set by an environment variable named ``MATCHER_`` plus the field name in
    capitals, e.g. ``MATCHER_DATABASE_URL``.
    """

    model_config = SettingsConfigDict(env_prefix="MATCHER_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/matcher.sqlite3",
        description="SQLAlchemy URL; SQLite file by default, postgresql://... for PostgreSQL",
    )
    model_dir: Path | None = Field(default=None, description="directory of a trained model; None uses the packaged one")
    min_skill_match: float = Field(
        default=0.6, ge=0.0, le=1.0, description="free text below this search score stays unresolved (kept as text)"
    )
    min_occupation_match: float = Field(
        default=0.55, ge=0.0, le=1.0, description="a vacancy title below this score gets no occupation"
    )
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    fit_threshold: float = Field(
        default=0.35,
        ge=0.0,
        le=1.0,
        description="placement probability from which a strict match counts as fitting in "
        "reviews: a little above the 6-month retention of an average "
        "broker-proposed placement (about 0.3 in the training history)",
    )
    block_size: int = Field(default=256, ge=1, description="vacancies per block in batch rescoring")
    top_k: int = Field(default=20, ge=1, le=1000)
    n_jobs: int = Field(default=2, description="joblib workers for batch rescoring")
    session_secret: str | None = Field(
        default=None,
        min_length=32,
        description="secret that signs the web pages' session cookies; unset: a random one per process, "
        "so sessions end when the service restarts",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="web page sessions end after this idle time"
    )
