"""Configuration classes. Secrets and the database URL come from the environment."""
from __future__ import annotations

import base64
import os


def generated_member_data_key() -> str:
    """A fresh Fernet key (32 random bytes, url-safe base64), for tests: never committed."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def normalise_database_url(url: str | None) -> str | None:
    """Use psycopg 3 for PostgreSQL URLs written the usual short way."""
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings shared by every environment."""

    # None: a random key generated once into <instance>/secret_key (0600) and reused.
    # Several machines must share one key: set SECRET_KEY (32+ characters) on each.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means "SQLite in the instance folder"; the factory fills the path in.
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("DATABASE_URL"))
    # Pre-ping a pooled connection before use, so a restarted PostgreSQL costs one
    # retry, not an error page (skipped for SQLite, where it only costs time).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
    # None: count in the app's database (app/ratelimit_storage.py), shared by every
    # worker and machine; or e.g. redis://host:6379. memory:// counts per process.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))  # every token expires
    # Per token: requests, with estimates and fits costing 1 + lines × draws / 200,000.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    # The most lines × draws one estimate or fit may ask for (200 lines at 10,000 draws).
    API_MAX_WORK = int(os.environ.get("API_MAX_WORK", "2000000"))
    # Under gunicorn (gunicorn.conf.py), each worker renders plan PDFs and Word plans in a
    # renderer process of its own at this extra niceness, so pages go first
    # (app/rendering.py); "inline" renders them in the worker itself.
    DOCUMENT_RENDERER = os.environ.get("DOCUMENT_RENDERER", "process")
    # None: app/rendering.py's DEFAULT_NICENESS (3, chosen with the load test)
    DOCUMENT_RENDERER_NICENESS = (int(os.environ["DOCUMENT_RENDERER_NICENESS"])
                                  if os.environ.get("DOCUMENT_RENDERER_NICENESS") else None)
    DOCUMENT_RENDERER_TIMEOUT = float(os.environ.get("DOCUMENT_RENDERER_TIMEOUT", "30"))
    # Kept results (engine estimates, PDFs, spreadsheets, charts), found by content
    # (app/cache.py): a private folder in the instance path unless CACHE_DIR says
    # otherwise; CACHE_TYPE=RedisCache with CACHE_REDIS_URL shares them across machines.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "app.cache.FolderCache")
    CACHE_DIR = os.environ.get("CACHE_DIR")  # None: <instance>/cache
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", str(7 * 24 * 3600)))
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", "2000"))  # entries per folder
    CACHE_KEY_PREFIX = "coproduction:"
    BIDS_PER_PAGE = 20
    SEED_DEMO_ALLOWED = False
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    HSTS = False
    # How long a SQLite write waits for another writer's lock before a "try again" page.
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    # Behind a load balancer or proxy: how many proxies' X-Forwarded-* headers to trust.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    # Review notifications by email as well as in the app (off unless asked for).
    NOTIFY_EMAIL = os.environ.get("NOTIFY_EMAIL", "").lower() in ("1", "true", "yes")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")  # host or host:port
    MAIL_FROM = os.environ.get("MAIL_FROM", "co-production-planner@localhost")
    # Where links in emails point (e.g. https://planner.example.org): never the Host
    # header of whichever request caused the email. Required with NOTIFY_EMAIL.
    BASE_URL = os.environ.get("BASE_URL", "").strip() or None
    # Host names this app answers to (comma-separated; others get 400). Unset: any.
    TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",")
                     if host.strip()] or None
    # Field-level encryption of the network's special category data (app/membership/
    # crypto.py): Fernet keys separated by commas; the first encrypts, all decrypt.
    MEMBER_DATA_KEYS = os.environ.get("MEMBER_DATA_KEYS")
    # Without MEMBER_DATA_KEYS, make (once) and use a key file in the instance folder.
    MEMBER_DATA_KEY_FILE = False
    NETWORK_MEMBERS_PER_PAGE = 50


class DevelopmentConfig(Config):
    """Local use: `make run` on SQLite with demo data."""

    SECRET_KEY_FROM_INSTANCE = True  # unless SECRET_KEY is set
    SEED_DEMO_ALLOWED = True
    MEMBER_DATA_KEY_FILE = True  # instance/member-data.key, made on first start


class TestingConfig(Config):
    """The test suite: in-memory limits, no CSRF unless a test turns it on."""

    TESTING = True
    SECRET_KEY = "testing-only"
    WTF_CSRF_ENABLED = False
    SEED_DEMO_ALLOWED = True
    LOGIN_RATE_LIMIT = "5 per minute"
    API_RATE_LIMIT = "100000 per minute"  # tests that mean to hit it set their own
    RATELIMIT_STORAGE_URI = "memory://"
    CACHE_TYPE = "SimpleCache"  # one per app, so tests never share kept results
    MEMBER_DATA_KEYS = generated_member_data_key()  # one per test run


class ProductionConfig(Config):
    """Behind gunicorn: secure cookies; SECRET_KEY must come from the environment."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by APP_ENV (development by default)."""
    name = os.environ.get("APP_ENV", "development").lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
