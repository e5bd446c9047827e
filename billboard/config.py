"""Configuration, one class per environment; values come from the environment."""
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
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
        for area in ("", "public", "auth", "agency", "review", "admin", "api")
    )

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per 15 minutes")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "50 per 15 minutes")
    # How many reverse proxies (nginx…) stand in front of the app: their X-Forwarded-For is
    # trusted that many hops deep, so rate limits and session protection see the client.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Booking rules (DESIGN §3), overridable per deployment.
    BOOKING_MIN_LEAD_DAYS = int(os.environ.get("BOOKING_MIN_LEAD_DAYS", 3))
    BOOKING_MAX_DAYS = int(os.environ.get("BOOKING_MAX_DAYS", 90))
    BOOKING_HORIZON_DAYS = int(os.environ.get("BOOKING_HORIZON_DAYS", 365))

    # None means: the uploads folder inside the instance folder (resolved in create_app).
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")
    MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    # A request carries a letter and an artwork, each up to MAX_UPLOAD_BYTES.
    MAX_CONTENT_LENGTH = 3 * MAX_UPLOAD_BYTES

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
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
