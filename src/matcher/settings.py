"""One settings object for the whole of matcher, read from ``MATCHER_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
    scorer: Literal["placement", "transparent"] = Field(
        default="placement",
        description="'placement': the learned model (MATCHER_MODEL_DIR or the packaged one; an error when missing); "
        "'transparent': the documented-weights baseline, chosen explicitly",
    )
    model_dir: Path | None = Field(default=None, description="directory of a trained model; None uses the packaged one")
    pool_dir: Path | None = Field(
        default=None,
        description="where rescoring runs keep the encoded pools between runs, so a run after an import "
        "encodes only the changed profiles; None: beside a SQLite database file (<file>.pools), none for "
        "PostgreSQL. Deleting the file is always safe (the next run encodes everything again)",
    )
    min_skill_match: float = Field(
        default=0.6, ge=0.0, le=1.0, description="free text below this search score stays unresolved (kept as text)"
    )
    sure_skill_match: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="a must-requirement linked from free text below this score (and at least min_skill_match) "
        "is marked to confirm with its next three alternatives; chosen on the eval-dev sets: links "
        "scoring 0.9 or more were right 90-97% of the time, links at 0.85-0.9 only 33-67%",
    )
    min_occupation_match: float = Field(
        default=0.55, ge=0.0, le=1.0, description="a vacancy title below this score gets no occupation"
    )
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    fit_threshold: float = Field(
        default=0.35,
        ge=0.0,
        le=1.0,
        description="placement probability from which a pair with no failed check fits ('Past', "
        "'Fits') in rankings, reviews, the service and batch runs: a little above the 6-month "
        "retention of an average broker-proposed placement (about 0.3 in the training history)",
    )
    stretch_floor: float = Field(
        default=0.15,
        ge=0.0,
        le=1.0,
        description="a pair failing exactly one check is shown as a stretch match only from this "
        "placement probability: below it even the relaxed requirement would rarely give a durable match",
    )
    allocation_attention: int = Field(
        default=3, ge=1, le=50, description="at most this many active proposals per candidate when spreading a run"
    )
    allocation_per_opening: int = Field(
        default=5, ge=1, le=50, description="suggestions wanted per opening of a vacancy when spreading a run"
    )
    block_size: int = Field(default=256, ge=1, description="vacancies per block in batch rescoring")
    one_pass: bool = Field(
        default=True,
        description="a full rescoring decides each pair once: its vacancy blocks keep the pairs that can enter "
        "a list and its candidate side is ranked from them (false: the candidate side scores its pairs again)",
    )
    top_k: int = Field(default=20, ge=1, le=1000)
    n_jobs: int = Field(default=2, description="joblib workers for batch rescoring")
    rate_limit_per_second: float = Field(
        default=50.0, gt=0, description="requests per second per API key on average (per service process)"
    )
    rate_limit_burst: int = Field(default=100, ge=1, description="requests an API key may send at once")
    failed_auth_per_minute: float = Field(
        default=10.0, gt=0, description="failed authentications per minute per client address before 429"
    )
    failed_auth_burst: int = Field(default=10, ge=1)
    retention_days: int = Field(
        default=183,
        ge=1,
        description="days served-suggestion logs and the audit log are kept (6 months, the AI Act's minimum)",
    )
    prune_every_hours: float = Field(
        default=24.0, ge=0, description="how often `matcher serve` prunes old logs; 0: never (run `matcher prune`)"
    )
    webhook_url: str | None = Field(default=None, description="called with a POST when a rescoring run ends")
    webhook_secret: str | None = Field(default=None, description="HMAC-SHA256 key of the webhook's signature header")
    session_secret: str | None = Field(
        default=None,
        min_length=32,
        description="secret that signs the web pages' session cookies; unset: a random one per process, "
        "so sessions end when the service restarts",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="web page sessions end after this idle time"
    )
