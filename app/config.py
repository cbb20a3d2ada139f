"""Configuration classes read from the environment."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

VALID_ENVS = ("development", "production", "test")
# SECRET_KEY signs login cookies and CSRF tokens: HMAC-SHA1/SHA256 keys want 32 random bytes.
SECRET_KEY_MIN_BYTES = 32
GENERATE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def instance_dir() -> Path:
    """The instance folder: HOLDSPACE_INSTANCE, else instance/ beside the package; read on call."""
    return Path(os.environ.get("HOLDSPACE_INSTANCE") or PROJECT_ROOT / "instance")


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg2, the driver eventlet makes green."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def default_database_url() -> str:
    """SQLite file in the instance folder."""
    return f"sqlite:///{instance_dir() / 'holdspace.db'}"


def development_secret_key() -> str:
    """Read the generated development key from instance/, creating it once (folder 0700, key
    0600 from its first byte)."""
    from app.core.private_files import create_private_file, ensure_private_folder, tighten

    path = instance_dir() / "secret_key"
    ensure_private_folder(path.parent)
    if not create_private_file(path, secrets.token_urlsafe(48).encode()):
        tighten(path)
    return path.read_text().strip()


def parse_origins(raw: str | None) -> list[str] | None:
    """Split ALLOWED_ORIGINS; None means "the server's own origin"."""
    if not raw:
        return None
    origins = [item.strip().rstrip("/") for item in raw.split(",") if item.strip()]
    if "*" in origins:
        raise ConfigError("ALLOWED_ORIGINS may not contain '*': list the exact origins instead.")
    return origins or None


def origin_of(url: str | None) -> str | None:
    """`https://host[:port]` of a PUBLIC_URL, or None when unset; ConfigError when malformed."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            "PUBLIC_URL must be the address people use, like https://holdspace.example.org"
        )
    return f"{parts.scheme}://{parts.netloc}"


def parse_rate_limits(raw: str | None) -> bool:
    """HOLDSPACE_RATE_LIMITS=off turns every limit off (benchmarks only)."""
    return (raw or "on").strip().lower() not in ("off", "0", "false", "no")


def parse_flag(raw: str | None) -> bool:
    """An on/off environment variable: 1, on, true or yes is on; anything else, or none, off."""
    return (raw or "").strip().lower() in ("1", "on", "true", "yes")


def parse_socket_ping(raw: str | None) -> tuple[int, int]:
    """HOLDSPACE_SOCKET_PING="INTERVAL,TIMEOUT": seconds between the server's pings, and how long
    it waits for the answer before it counts the connection as gone (default 20,20)."""
    message = (
        "HOLDSPACE_SOCKET_PING must be two whole numbers of seconds, 1 to 300: INTERVAL,TIMEOUT."
    )
    try:
        interval, timeout = (int(part) for part in (raw or "20,20").split(","))
    except ValueError:
        raise ConfigError(message) from None
    if not (1 <= interval <= 300 and 1 <= timeout <= 300):
        raise ConfigError(message)
    return interval, timeout


def parse_proxy_hops(raw: str | None) -> int:
    """How many reverse proxies in front of the app to trust for X-Forwarded-* (default 0)."""
    try:
        hops = int((raw or "0").strip())
    except ValueError:
        raise ConfigError("HOLDSPACE_TRUSTED_PROXIES must be a whole number (0, 1, ...).") from None
    if not 0 <= hops <= 5:
        raise ConfigError("HOLDSPACE_TRUSTED_PROXIES must be between 0 and 5.")
    return hops


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY = ""
    REDIS_URL: str | None = None
    ALLOWED_ORIGINS: list[str] | None = None
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    REGISTER_RATE_LIMIT = "5 per minute; 30 per hour"
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_NAME = "holdspace_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    LOGIN_IDLE_TIMEOUT = timedelta(days=3)
    LOGIN_ABSOLUTE_TIMEOUT = timedelta(days=14)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    STATIC_RECHECK_SECONDS = 1.0  # how often pages look for edits under static/ (core/static_urls)
    SOCKET_MAX_PACKET_BYTES = 64 * 1024
    SOCKET_PING_INTERVAL = 20
    SOCKET_PING_TIMEOUT = 20
    ASYNC_MODE = "eventlet"
    TRUSTED_PROXIES = 0
    PREFERRED_URL_SCHEME = "http"
    TESTING = False
    # Argon2 at test strength for passwords and journal keys: the suite and the real servers it
    # starts (HOLDSPACE_LIGHT_HASHING=1) hash hundreds of passwords; production refuses it.
    LIGHT_HASHING = False
    LIVE_PRESENCE_COALESCE = True  # one `presence` per room per window (presence/announce.py)
    # Every room event that others hear has a limit per person, across their sockets and
    # processes (Flask-Limiter's storage); `message:send` has its own window (LIVE_SEND_LIMIT).
    LIVE_EVENT_LIMITS = {
        "session:join": "20 per 10 seconds",
        "message:react": "30 per 10 seconds",
        "typing": "20 per 10 seconds",
        "hands": "10 per 10 seconds",
        "message:report": "5 per minute",
        "support:request": "5 per minute",
        "checkin:submit": "6 per minute",
        "followup": "30 per 10 seconds",
    }

    @classmethod
    def from_environment(cls) -> dict:
        """Values that must be read at app creation rather than at import."""
        env = os.environ
        redis_url = env.get("REDIS_URL") or None
        values = {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(
                env.get("DATABASE_URL") or default_database_url()
            ),
            "REDIS_URL": redis_url,
            "ALLOWED_ORIGINS": cls.allowed_origins(
                parse_origins(env.get("ALLOWED_ORIGINS")), origin_of(env.get("PUBLIC_URL"))
            ),
            "RATELIMIT_ENABLED": cls.RATELIMIT_ENABLED
            and parse_rate_limits(env.get("HOLDSPACE_RATE_LIMITS")),
            "RATELIMIT_STORAGE_URI": redis_url or "memory://",
            "ASYNC_MODE": env.get("HOLDSPACE_ASYNC_MODE", "eventlet"),
            "TRUSTED_PROXIES": parse_proxy_hops(env.get("HOLDSPACE_TRUSTED_PROXIES")),
            "LIGHT_HASHING": cls.light_hashing(parse_flag(env.get("HOLDSPACE_LIGHT_HASHING"))),
        }
        values["SOCKET_PING_INTERVAL"], values["SOCKET_PING_TIMEOUT"] = parse_socket_ping(
            env.get("HOLDSPACE_SOCKET_PING")
        )
        values["SECRET_KEY"] = cls.checked_secret_key(env.get("SECRET_KEY"))
        return values

    @classmethod
    def light_hashing(cls, wanted: bool) -> bool:
        """Test-strength hashing, when asked for (never in production)."""
        return wanted or cls.LIGHT_HASHING

    @classmethod
    def checked_secret_key(cls, key: str | None) -> str:
        """The configured key, or the environment's answer when there is none."""
        return key or cls.missing_secret_key()

    @classmethod
    def missing_secret_key(cls) -> str:
        """Development keeps a generated key in instance/."""
        return development_secret_key()

    @classmethod
    def allowed_origins(cls, listed: list[str] | None, public: str | None) -> list[str] | None:
        """ALLOWED_ORIGINS, else PUBLIC_URL's origin, else None: the server's own origin."""
        return listed or ([public] if public else None)


class DevelopmentConfig(Config):
    """Local development: SQLite, generated secret key."""


class TestConfig(Config):
    """Used by the pytest suite; databases come from the fixtures."""

    ENV_NAME = "test"
    TESTING = True
    LIGHT_HASHING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # The test client reads `presence` right after an ack: broadcast it at once. Coalescing has
    # its own tests (tests/live/test_presence_coalescing.py) and the real server keeps it on.
    LIVE_PRESENCE_COALESCE = False

    @classmethod
    def missing_secret_key(cls) -> str:
        """Tests get a throwaway key."""
        return secrets.token_urlsafe(32)


class ProductionConfig(Config):
    """Behind a TLS proxy: secure cookies, HSTS, a secret key and the public origin from the
    environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def light_hashing(cls, wanted: bool) -> bool:
        """Never: a stolen database would give up weak password hashes."""
        if wanted:
            raise ConfigError(
                "HOLDSPACE_LIGHT_HASHING is for tests: production hashes passwords and journal "
                "keys at full strength. Remove it from the environment."
            )
        return False

    @classmethod
    def allowed_origins(cls, listed: list[str] | None, public: str | None) -> list[str]:
        """Never "whatever Host the request names": a forged Host would pass its own origin."""
        origins = super().allowed_origins(listed, public)
        if not origins:
            raise ConfigError(
                "Set PUBLIC_URL (the address people open, e.g. https://holdspace.example.org) or "
                "ALLOWED_ORIGINS in production: sockets are accepted only from those origins, "
                "never from whatever Host a request names."
            )
        return origins

    @classmethod
    def missing_secret_key(cls) -> str:
        """Refuse to start: a generated key would log everyone out on every restart."""
        raise ConfigError(
            "SECRET_KEY is not set. In production Holdspace needs a long random SECRET_KEY "
            "shared by every app process (it signs login cookies and CSRF tokens). "
            f"Generate one with: {GENERATE_A_KEY}"
        )

    @classmethod
    def checked_secret_key(cls, key: str | None) -> str:
        """Refuse a short key: a guessable one lets anyone forge login cookies and CSRF tokens."""
        key = super().checked_secret_key(key)
        if len(key.encode()) < SECRET_KEY_MIN_BYTES:
            raise ConfigError(
                f"SECRET_KEY is too short ({len(key.encode())} bytes). In production it must be "
                f"at least {SECRET_KEY_MIN_BYTES} bytes of randomness, because it signs login "
                "cookies and CSRF tokens and a short key can be guessed offline from one cookie. "
                f"Generate one with: {GENERATE_A_KEY}"
            )
        return key


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_for_environment(name: str | None = None) -> type[Config]:
    """Pick the config class named by HOLDSPACE_ENV (default development)."""
    name = (name or os.environ.get("HOLDSPACE_ENV") or "development").strip().lower()
    if name not in CONFIGS:
        raise ConfigError(f"HOLDSPACE_ENV must be one of {', '.join(VALID_ENVS)}, not {name!r}.")
    return CONFIGS[name]
