"""Configuration, one class per environment; values come from the environment."""
import os

# Settings that could not be read (the default is used instead): ``billboard check`` lists them
# as errors, so that a typo never silently changes how the app behaves.
PROBLEMS: list[str] = []


def _number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        PROBLEMS.append(f"{name}={raw!r} is not a whole number.")
        return default


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The site's own address (https://baliho.example.go.id): absolute links in the API, emails
    # and QR plates start with it, never with the Host header a client sent. Unset: the API's
    # links are paths on this site.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
    # None means: a SQLite file in the instance folder (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAP_TILES_URL = os.environ.get(
        "MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    )
    MAP_TILES_ATTRIBUTION = os.environ.get(
        "MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors"
    )
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    # Each blueprint keeps its own catalog next to its code; Flask-Babel merges them.
    BABEL_TRANSLATION_DIRECTORIES = ";".join(
        f"{area}/translations" if area else "translations"
        for area in ("", "public", "auth", "agency", "review", "admin", "api", "campaign",
                     "finance")
    )

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per 15 minutes")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "50 per 15 minutes")
    # Wrong passwords typed by a logged-in user (password change, new API token), per user.
    PASSWORD_CHECK_RATE_LIMIT = os.environ.get("PASSWORD_CHECK_RATE_LIMIT", "5 per 15 minutes")
    # How many reverse proxies (nginx…) stand in front of the app: their X-Forwarded-For is
    # trusted that many hops deep, so rate limits and session protection see the client.
    PROXY_COUNT = _number("PROXY_COUNT", 0)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Booking rules (DESIGN §3), overridable per deployment.
    BOOKING_MIN_LEAD_DAYS = _number("BOOKING_MIN_LEAD_DAYS", 3)
    BOOKING_MAX_DAYS = _number("BOOKING_MAX_DAYS", 90)
    BOOKING_HORIZON_DAYS = _number("BOOKING_HORIZON_DAYS", 365)

    # None means: the uploads folder inside the instance folder (resolved in create_app).
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")
    MAX_UPLOAD_BYTES = _number("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    # Photos and artwork: the pixels an image may declare (a 48-megapixel camera fits).
    MAX_IMAGE_PIXELS = _number("MAX_IMAGE_PIXELS", 50_000_000)
    # A request carries a letter and an artwork, each up to MAX_UPLOAD_BYTES.
    MAX_CONTENT_LENGTH = 3 * MAX_UPLOAD_BYTES

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _number("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "baliho@pangkalpinangkota.go.id")
    BAKEUDA_EMAIL = os.environ.get("BAKEUDA_EMAIL", "bakeuda@pangkalpinangkota.go.id")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # Browsers then refuse plain HTTP to this host for a year (production is served over HTTPS).
    STRICT_TRANSPORT_SECURITY = os.environ.get("STRICT_TRANSPORT_SECURITY",
                                               "max-age=31536000; includeSubDomains")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    MAP_TILES_URL = "none"
    RATELIMIT_STORAGE_URI = "memory://"
    # Tests that are about CSRF switch it back on; the browser tests run with it on.
    WTF_CSRF_ENABLED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def use_stand_ins(config, problems: list[str]) -> None:
    """Swap a database or rate-limit URL that cannot be used at all for a stand-in (a database
    that cannot be opened, counters in memory), so that the app can still be built to run
    ``billboard check``, which lists the problem; production then refuses to serve."""
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        create_engine(config["SQLALCHEMY_DATABASE_URI"]).dispose()
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        problems.append(f"DATABASE_URL cannot be used: {error}.")
        # Fails on connect: no other command may quietly write to a stand-in database.
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////dev/null/DATABASE_URL-cannot-be-used"
        config["DATABASE_STAND_IN"] = True
    try:
        storage_from_string(config["RATELIMIT_STORAGE_URI"])
    except (ConfigurationError, ImportError, ValueError) as error:
        problems.append(f"RATELIMIT_STORAGE_URI cannot be used: {error}.")
        config["RATELIMIT_STORAGE_URI"] = "memory://"
