"""Every setting of Cercle, read from environment variables with defaults.

Tests and tools set the environment before importing this module.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from starlette.config import Config, environ
from tortoise.backends.base.config_generator import expand_db_url

ROOT = Path(__file__).resolve().parent
config = Config(environ=environ)

CERCLE_ENV: str = config("CERCLE_ENV", default="development")
PRODUCTION = CERCLE_ENV == "production"

_EMBEDDED_DATABASE_URL = f"sqlite://{ROOT / 'data' / 'cercle.db'}"
DATABASE_URL: str = config("DATABASE_URL", default=_EMBEDDED_DATABASE_URL)
DB_POOL_MAX: int = config("DB_POOL_MAX", cast=int, default=20)
REDIS_URL: str | None = config("REDIS_URL", default=None) or None
REDIS_PREFIX: str = config("REDIS_PREFIX", default="cercle")
PORT: int = config("PORT", cast=int, default=8000)
CORS_ORIGINS: list[str] = [o.strip() for o in config("CORS_ORIGINS", default="").split(",") if o.strip()]
LOG_LEVEL: str = config("LOG_LEVEL", default="INFO").upper()

_DEV_SECRET_KEY = "cercle-development-key-do-not-use-in-production"
SECRET_KEY: str = config("SECRET_KEY", default="") or ""
TOKEN_TTL_SECONDS: int = config("TOKEN_TTL_SECONDS", cast=int, default=7 * 24 * 3600)

# GraphQL limits: a request past any of them answers QUERY_TOO_COMPLEX.
MAX_QUERY_DEPTH: int = config("MAX_QUERY_DEPTH", cast=int, default=10)
MAX_ALIASES: int = config("MAX_ALIASES", cast=int, default=15)
MAX_TOKENS: int = config("MAX_TOKENS", cast=int, default=2000)
MAX_QUERY_COST: int = config("MAX_QUERY_COST", cast=int, default=5000)
MAX_BODY_BYTES: int = config("MAX_BODY_BYTES", cast=int, default=1_000_000)
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

# Rate limits, in the `limits` library's notation.
RATE_LIMIT_LOGIN: str = config("RATE_LIMIT_LOGIN", default="10/minute")
RATE_LIMIT_MUTATIONS: str = config("RATE_LIMIT_MUTATIONS", default="120/minute")
RATE_LIMIT_KUDOS: str = config("RATE_LIMIT_KUDOS", default="20/day")  # kudos per giver: thanks, not spam

# Events a live subscription may fall behind by before it is dropped (it can resume from its cursor).
LISTENER_QUEUE_SIZE: int = config("LISTENER_QUEUE_SIZE", cast=int, default=1000)

# Rank changes in the weekly leaderboard are notified within this top (further down, ranks churn all day).
LEADERBOARD_NOTIFY_TOP: int = config("LEADERBOARD_NOTIFY_TOP", cast=int, default=10)
# ... and each kind (rose, overtaken) at most once per member in this many minutes, except for first place.
RANK_NOTIFICATION_COOLDOWN_MINUTES: int = config("RANK_NOTIFICATION_COOLDOWN_MINUTES", cast=int, default=60)

# engagementPulse pushes a manager's live report at most this often: a busy community would otherwise
# recompute the report (five aggregate queries) on every event.
ENGAGEMENT_PULSE_SECONDS: float = config("ENGAGEMENT_PULSE_SECONDS", cast=float, default=5.0)

# Activity older than this is deleted by the scheduler; resuming from before it is CURSOR_EXPIRED.
ACTIVITY_RETENTION_DAYS: int = config("ACTIVITY_RETENTION_DAYS", cast=int, default=90)

# The scheduler (scheduled posts, stale alerts, newcomer care, the weekly digest draft, weekly badges).
SCHEDULER_INTERVAL_SECONDS: float = config("SCHEDULER_INTERVAL_SECONDS", cast=float, default=15.0)
# Run it inside each web process (false when a `worker:` process runs `python manage.py scheduler`).
# Either way each job runs once per slot: processes claim it in the database first.
SCHEDULER_IN_WEB: bool = config("SCHEDULER_IN_WEB", cast=bool, default=True)
# Managers are alerted when nothing was published by this hour (UTC) of the day.
STALE_ALERT_HOUR: int = config("STALE_ALERT_HOUR", cast=int, default=12)
# A newcomer's first post with no reply after this long is shown to welcomers and moderators.
NEWCOMER_CARE_HOURS: float = config("NEWCOMER_CARE_HOURS", cast=float, default=4.0)
# Members are newcomers for this many days after joining.
NEWCOMER_DAYS: int = config("NEWCOMER_DAYS", cast=int, default=30)


class ConfigurationError(RuntimeError):
    pass


def effective_secret_key() -> str:
    """The signing key; refuses to run production on the development key."""
    if SECRET_KEY:
        return SECRET_KEY
    if PRODUCTION:
        raise ConfigurationError(
            "SECRET_KEY is not set, and CERCLE_ENV=production requires it. "
            "Set SECRET_KEY to a long random string shared by every process."
        )
    logging.getLogger("cercle").warning("SECRET_KEY is not set: using the development key.")
    return _DEV_SECRET_KEY


def tortoise_db_url(url: str = DATABASE_URL) -> str:
    """Tortoise spells PostgreSQL `postgres://`; accept `postgresql://` too."""
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    if url.startswith("postgres://") and "maxsize=" not in url:
        url += ("&" if "?" in url else "?") + f"maxsize={DB_POOL_MAX}"
    return url


def tortoise_connection(url: str = DATABASE_URL) -> str | dict:
    """SQLite by URL; PostgreSQL through Cercle's client (models/database.py), honest about lost connections."""
    url = tortoise_db_url(url)
    if not url.startswith("postgres://"):
        return url
    return {**expand_db_url(url), "engine": "models.database"}


def tortoise_config(url: str = DATABASE_URL) -> dict:
    return {
        "connections": {"default": tortoise_connection(url)},
        "apps": {
            "models": {
                "models": [
                    "models.members",
                    "models.communities",
                    "models.posts",
                    "models.tasks",
                    "models.events",
                    "models.scheduling",
                    "models.activity",
                    "models.notifications",
                    "models.recognition",
                    "models.points",
                ],
                "migrations": "migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config()

if DATABASE_URL == _EMBEDDED_DATABASE_URL:
    os.makedirs(ROOT / "data", exist_ok=True)
