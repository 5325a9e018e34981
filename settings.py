"""Every setting of Cercle, read from environment variables with defaults.

Tests and tools set the environment before importing this module.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from starlette.config import Config, environ
from starlette.datastructures import CommaSeparatedStrings
from tortoise.backends.base.config_generator import expand_db_url

ROOT = Path(__file__).resolve().parent


def _seconds_list(name: str, value: str) -> list[float]:
    """'60,300,1800' -> [60.0, 300.0, 1800.0]; a clear error for anything else."""
    try:
        seconds = [float(part) for part in CommaSeparatedStrings(value)]
    except ValueError:
        seconds = []
    if not seconds or min(seconds) < 0:
        raise ValueError(f"{name} must be seconds separated by commas, like 60,300,1800; not {value!r}.")
    return seconds


def _gc_thresholds(value: str) -> tuple[int, int, int]:
    """'50000,20,100' -> (50000, 20, 100), as gc.set_threshold takes them; a clear error for anything else."""
    try:
        thresholds = tuple(int(part) for part in CommaSeparatedStrings(value))
    except ValueError:
        thresholds = ()
    if len(thresholds) != 3 or min(thresholds) < 0:
        example = "like 50000,20,100"
        raise ValueError(f"GC_THRESHOLDS must be three whole numbers separated by commas, {example}; not {value!r}.")
    return thresholds[0], thresholds[1], thresholds[2]


config = Config(environ=environ)

CERCLE_ENV: str = config("CERCLE_ENV", default="development")
PRODUCTION = CERCLE_ENV == "production"

_EMBEDDED_DATABASE_URL = f"sqlite://{ROOT / 'data' / 'cercle.db'}"
DATABASE_URL: str = config("DATABASE_URL", default=_EMBEDDED_DATABASE_URL)
DB_POOL_MAX: int = config("DB_POOL_MAX", cast=int, default=20)
REDIS_URL: str | None = config("REDIS_URL", default=None) or None
REDIS_PREFIX: str = config("REDIS_PREFIX", default="cercle")
PORT: int = config("PORT", cast=int, default=8000)
# Origins of the browser apps that may use the API from other sites, comma-separated ("*" for any):
# they get CORS over HTTP, and may open WebSockets (a browser sends Origin on the handshake; another
# origin is refused with 403). Same-origin pages and clients that send no Origin (not browsers) are
# always served.
CORS_ORIGINS: list[str] = [o.rstrip("/") for o in config("CORS_ORIGINS", cast=CommaSeparatedStrings, default="")]
# Request headers those apps may send. The default lets Apollo Client (CSRF prevention and client
# awareness headers) and urql work as they come, with Cercle's own Idempotency-Key and Last-Event-ID.
CORS_ALLOW_HEADERS: list[str] = list(
    config(
        "CORS_ALLOW_HEADERS",
        cast=CommaSeparatedStrings,
        default="authorization,content-type,accept,apollo-require-preflight,x-apollo-operation-name,"
        "apollographql-client-name,apollographql-client-version,idempotency-key,last-event-id",
    )
)
# Open WebSockets per client address, per process: each costs 100-170 KiB, and one address opened
# 1,000 (152 MiB). Past it a socket is accepted then closed with 1013 (Try Again Later) and a reason;
# graphql-ws clients retry later. The address is the one uvicorn sees: behind a reverse proxy, the
# proxy's, unless uvicorn runs with --proxy-headers and --forwarded-allow-ips naming the proxy (as the
# Procfile does, from FORWARDED_ALLOW_IPS): then the client's, from X-Forwarded-For.
MAX_WEBSOCKETS_PER_ADDRESS: int = config("MAX_WEBSOCKETS_PER_ADDRESS", cast=int, default=50)
# permessage-deflate on WebSockets: off by default, as each socket then holds zlib's buffers for as long as it
# lives (python -m bench fanout measures both) and every frame is compressed once per subscriber. Live events are
# small; on a slow network with large events it may be worth turning on.
WEBSOCKET_COMPRESSION: bool = config("WEBSOCKET_COMPRESSION", cast=bool, default=False)
LOG_LEVEL: str = config("LOG_LEVEL", default="INFO").upper()
# Cercle's own origin as browsers see it (https://cercle.example.org): the web app's session cookie is only
# accepted from pages on it. Unset: the scheme and Host each request came with (behind a proxy that ends TLS,
# uvicorn needs --proxy-headers, as the Procfile has, or this set).
PUBLIC_URL: str = (config("PUBLIC_URL", default="") or "").rstrip("/")
# Where the web app is built (web/, by Vite): index.html and its hashed files under assets/.
WEB_APP_DIR: Path = config("WEB_APP_DIR", cast=Path, default=ROOT / "static" / "app")

_DEV_SECRET_KEY = "cercle-development-key-do-not-use-in-production"
SECRET_KEY: str = config("SECRET_KEY", default="") or ""
TOKEN_TTL_SECONDS: int = config("TOKEN_TTL_SECONDS", cast=int, default=7 * 24 * 3600)
# The web app's session cookie is sent over https only: always in production, else when the request was https.
SESSION_COOKIE_SECURE: bool = config("SESSION_COOKIE_SECURE", cast=bool, default=PRODUCTION)

# A revoked session (logout, revokeSession, a password change, a suspension) is refused at once on every process
# the broker reaches, and on any process within this many seconds: each caches its check of a session so long.
SESSION_CHECK_SECONDS: float = config("SESSION_CHECK_SECONDS", cast=float, default=5.0)
# A session's (and its member's) last-seen time is written at most this often, in the background.
LAST_SEEN_WRITE_SECONDS: float = config("LAST_SEEN_WRITE_SECONDS", cast=float, default=60.0)
# Who may create communities: `anyone`, `verified` (members whose email address is verified) or `admins`.
COMMUNITY_CREATORS: str = config("COMMUNITY_CREATORS", default="verified").strip().lower()
if COMMUNITY_CREATORS not in ("anyone", "verified", "admins"):
    raise ValueError(f"COMMUNITY_CREATORS must be anyone, verified or admins, not {COMMUNITY_CREATORS!r}")
# The GraphiQL page (GET /graphql from a browser) and introspection queries: on by default, off in production
# deployments that do not want the schema browsable.
GRAPHIQL: bool = config("GRAPHIQL", cast=bool, default=True)
INTROSPECTION: bool = config("INTROSPECTION", cast=bool, default=True)

# GraphQL limits: a request past any of them answers QUERY_TOO_COMPLEX.
MAX_QUERY_DEPTH: int = config("MAX_QUERY_DEPTH", cast=int, default=10)
MAX_ALIASES: int = config("MAX_ALIASES", cast=int, default=15)
MAX_TOKENS: int = config("MAX_TOKENS", cast=int, default=2000)
MAX_QUERY_COST: int = config("MAX_QUERY_COST", cast=int, default=5000)
# Fields selected again at the same place are merged, and graphql checks that they can be, pair by
# pair: 500 repeats of `me { id }` (2,000 tokens) took 3.5 s. 5,000 pairs take well under 0.1 s, and
# leave room for the many fragments on one object (each with `id` and `__typename`) of real clients.
MAX_REPEATED_FIELD_PAIRS: int = config("MAX_REPEATED_FIELD_PAIRS", cast=int, default=5000)
MAX_BODY_BYTES: int = config("MAX_BODY_BYTES", cast=int, default=1_000_000)
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

# Threads that hash and verify passwords (argon2, about 0.2 s of CPU each, off the event loop).
# More logins than this at once wait their turn; more threads than cores buy nothing.
PASSWORD_HASH_THREADS: int = config("PASSWORD_HASH_THREADS", cast=int, default=2)

# Processes that render long markdown bodies (over 5,000 characters), up to seconds of CPU each,
# so the event loop never waits for one (resolvers/markdown.py). Each holds about 30 MB once a long
# body arrives; more long bodies than this at once wait their turn. 0: render them in a thread.
MARKDOWN_RENDER_PROCESSES: int = config("MARKDOWN_RENDER_PROCESSES", cast=int, default=1)

# Rate limits, in the `limits` library's notation.
RATE_LIMIT_LOGIN: str = config("RATE_LIMIT_LOGIN", default="10/minute")
RATE_LIMIT_MUTATIONS: str = config("RATE_LIMIT_MUTATIONS", default="120/minute")
RATE_LIMIT_KUDOS: str = config("RATE_LIMIT_KUDOS", default="20/day")  # kudos per giver: thanks, not spam
# Failed logins per login name (existing or not), from any address; each window must have room.
# Growing windows make a stepped backoff: a typo costs minutes, a guesser gets 20 tries a day.
RATE_LIMIT_LOGIN_NAME: str = config("RATE_LIMIT_LOGIN_NAME", default="5/15 minutes;10/hour;20/day")
# Redis must answer a rate-limit check within this, or the check is counted in the process instead.
RATE_LIMIT_REDIS_TIMEOUT_SECONDS: float = config("RATE_LIMIT_REDIS_TIMEOUT_SECONDS", cast=float, default=0.5)
# After Redis failed, limits are counted in the process for this long before Redis is tried again,
# so an outage costs one timeout now and then, not one per request.
RATE_LIMIT_REDIS_RETRY_SECONDS: float = config("RATE_LIMIT_REDIS_RETRY_SECONDS", cast=float, default=5.0)

# Account emails (issue 14). Links in them carry single-use tokens that expire after these.
VERIFY_EMAIL_TOKEN_HOURS: int = config("VERIFY_EMAIL_TOKEN_HOURS", cast=int, default=48)
RESET_PASSWORD_TOKEN_MINUTES: int = config("RESET_PASSWORD_TOKEN_MINUTES", cast=int, default=30)
# Account emails asked for, per address (reset) or per member (verification, email change): nobody's inbox is
# flooded through Cercle. Past it a reset request still answers true and sends nothing (saying otherwise would
# tell whether the address has an account); a signed-in member is told RATE_LIMITED.
RATE_LIMIT_ACCOUNT_EMAIL: str = config("RATE_LIMIT_ACCOUNT_EMAIL", default="3/hour;10/day")
# Password reset requests per client address (RATE_LIMITED past it).
RATE_LIMIT_PASSWORD_RESET_IP: str = config("RATE_LIMIT_PASSWORD_RESET_IP", default="10/hour")
# A reset request answers no sooner than this, so the time taken does not tell whether the address has an account.
PASSWORD_RESET_ANSWER_SECONDS: float = config("PASSWORD_RESET_ANSWER_SECONDS", cast=float, default=0.25)

# Messages a live subscription may fall behind by before it is dropped (it can resume from its cursor). Each is a
# reference to a message all the feed's listeners share (8 bytes while it waits). A feed carries more than its events
# (points, membership): at 1000, a busy community's 50 subscribers all fell behind together in `bench load` while
# the server was short of CPU, and all came back at once to replay from their cursors, which cost more CPU still.
LISTENER_QUEUE_SIZE: int = config("LISTENER_QUEUE_SIZE", cast=int, default=10000)
# Python's garbage collector in a server process (see app.py): young collections every 50,000 allocations (Python's
# default is 700), full ones 5 times rarer.
GC_THRESHOLDS: tuple[int, int, int] = config("GC_THRESHOLDS", cast=_gc_thresholds, default="50000,20,100")

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

# Emails that bring members back (resolvers/email: digest, summary, notifications).
# Members away this many days get a summary of their communities' top new posts, once per digest period.
EMAIL_SUMMARY_ABSENT_DAYS: int = config("EMAIL_SUMMARY_ABSENT_DAYS", cast=int, default=7)
# A notification still unread this long after it arrived is emailed (IMMEDIATE): what is seen meanwhile is not.
EMAIL_NOTIFICATION_DELAY_SECONDS: int = config("EMAIL_NOTIFICATION_DELAY_SECONDS", cast=int, default=120)
# BUNDLED members get at most one email per this many minutes, listing what is still unread.
EMAIL_BUNDLE_MINUTES: int = config("EMAIL_BUNDLE_MINUTES", cast=int, default=60)


# Email (resolvers/email/). EMAIL_URL: smtp://, smtps:// (TLS from the start, port 465) or smtp+starttls://
# (port 587), with user:password@host:port; user and password percent-encoded. Unset: in development, messages
# are written as .eml files under EMAIL_DIR; in production, email is off and rows stay queued until it is set.
EMAIL_URL: str | None = config("EMAIL_URL", default=None) or None
EMAIL_FROM: str = config("EMAIL_FROM", default="Cercle <cercle@localhost>")
EMAIL_DIR: Path = config("EMAIL_DIR", cast=Path, default=ROOT / "data" / "mail")
# Messages a second, across this process's connections (SMTP providers throttle senders that burst); 0: no cap.
EMAIL_SEND_RATE: float = config("EMAIL_SEND_RATE", cast=float, default=20.0)
# SMTP connections open at once per sender; each carries message after message.
EMAIL_CONNECTIONS: int = config("EMAIL_CONNECTIONS", cast=int, default=2)
# Seconds before each new attempt after a temporary failure (4xx, connection refused): about two days in all.
EMAIL_RETRY_SCHEDULE: list[float] = config(
    "EMAIL_RETRY_SCHEDULE",
    cast=lambda value: _seconds_list("EMAIL_RETRY_SCHEDULE", value),
    default="60,300,1800,7200,21600,86400",
)
# The sender looks for due rows this often; rows queued by this process wake it at once.
EMAIL_POLL_SECONDS: float = config("EMAIL_POLL_SECONDS", cast=float, default=10.0)
# A sender holds the rows it claimed this long; past it (the sender died), another takes them again.
EMAIL_LEASE_SECONDS: float = config("EMAIL_LEASE_SECONDS", cast=float, default=120.0)
# Sent, skipped and failed emails are kept this long (for support and the bounce history), then deleted.
EMAIL_RETENTION_DAYS: int = config("EMAIL_RETENTION_DAYS", cast=int, default=30)


def public_url() -> str:
    """The base of links in email: PUBLIC_URL, else (development) this machine on PORT."""
    return PUBLIC_URL or f"http://localhost:{PORT}"


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


def tortoise_connection(url: str = DATABASE_URL) -> str | dict[str, Any]:
    """SQLite by URL; PostgreSQL through Cercle's client (models/database.py), honest about lost connections."""
    url = tortoise_db_url(url)
    if not url.startswith("postgres://"):
        return url
    return {**expand_db_url(url), "engine": "models.database"}


def tortoise_config(url: str = DATABASE_URL) -> dict[str, Any]:
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
                    "models.idempotency",
                    "models.email",
                    "models.engagement",
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
