"""Settings for Maklumat, read from the environment with safe development defaults.

Every variable is documented in `.env.example`. With DEBUG off the site refuses to
start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET:
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value when DEBUG is off.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's real host names when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",  # login throttling (README "Sign-in")
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # intcomma: 6.400 in Indonesian, 6,400 in English
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "simple_history",
    "django_tasks_db",
    "charters",
    "feedback",
    "monitoring",
    "dashboard",
    "audit",
    "demo",
    "operations",  # backup and restore (docs/operations.md)
    # Two-factor sign-in: an authenticator app and backup codes (README "Sign-in", accounts/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]

MIDDLEWARE = [
    # First: forwarded headers count only from our own proxies (charter_site/proxies.py).
    "charter_site.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what every middleware below has finished; public responses only (README, BREACH).
    "charter_site.compression.PublicGZipMiddleware",
    # A stored public page is served here, before the session, the language, the user and the
    # database; it stores pages with every header the middleware below adds (charters/pagecache.py).
    "charters.pagecache.PageCacheMiddleware",
    # Staff, admin and sign-in pages: Cache-Control: no-store (charter_site/privacy.py).
    "charter_site.privacy.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "charter_site.privacy.IdleSessionMiddleware",
    "charter_site.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Someone the two-factor policy requires it of, who has not set it up, reaches no staff or admin
    # page (accounts/middleware.py): after the session, the user and the messages.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Every staff change and bulk read leaves an entry (audit/middleware.py): after the user and
    # the messages, which it reads.
    "audit.middleware.AuditMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Bodies over MAX_REQUEST_BODY refused unread, unreadable uploads made form errors
    # (charter_site/bodylimit.py): before any view or process_view reads request.POST (CSRF's),
    # after the middleware whose headers and language its 413 page needs.
    "charter_site.bodylimit.RequestBodyLimitMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "charter_site.urls"
WSGI_APPLICATION = "charter_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A persistent connection broken while the database was away is replaced, not reused.
        conn_health_checks=True,
    )
}
# A PostgreSQL read replica for the read-only public pages (charter_site/replica.py); optional.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["charter_site.replica.ReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "charter_site.replica.ReplicaMiddleware"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, or
# from one address, sign-in is refused for AXES_COOLOFF_TIME, the right password included, on the
# staff and the admin login alike. Attempts live in the database, so every process and node sees
# them; a successful sign-in clears the address's and the username's failures (colleagues behind
# one Puskesmas network are not locked out by each other's typos). Admins lift a lockout in the
# admin (Access attempts).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "charter_site.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# A wrong code at the second step of two-factor sign-in is a failed sign-in for axes too; the code
# typed is not stored with the attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Two-factor sign-in (django-otp, accounts/two_factor.py): after the right password, the code must
# follow within this many seconds. The pause above is the only throttle: django-otp's own growing
# delay per device would refuse a right code typed quickly after a wrong one, with no clear page.
TWO_FACTOR_PENDING_SECONDS = 300
OTP_TOTP_ISSUER = "Maklumat"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin (where a lost phone's device is removed) never shows a secret key or a backup code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password reset e-mails asked for, per sender address and per e-mail address (limit, seconds).
PASSWORD_RESET_RATE = (5, 3600)
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for a day
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "manage:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Bahasa Indonesia is the default whatever the browser asks for; English on request.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["charter_site.formats"]  # dates as "3 Des 2026", without Django's "Des."
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# The largest body a form needs: a 10 MB scan of a forum's minutes (charters/uploads.py) and 1 MB
# for its fields and the multipart framing; a complaint's file is at most 5 MB, a CSV import 2 MB.
# Larger bodies are refused before they are read (charter_site/bodylimit.py); nginx's
# client_max_body_size (deploy/nginx.conf) says the same.
MAX_REQUEST_BODY = env_int("MAX_REQUEST_BODY", 11 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django 6.1 mailers: the console in development, SMTP (configured below) in production.
_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "maklumat@localhost")
# The address links in e-mails point to (e-mails are sent outside any request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Background tasks (e-mails) wait in the database until `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# A strict policy: everything from our own host, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A staff session ends after a working day without a request (charter_site/privacy.py).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 9) * 3600

# `make bench` only: mount the 20 KB baseline page at /bench/baseline/ (charter_site/benchmark.py).
BENCHMARK_BASELINE = env_bool("BENCHMARK_BASELINE", False)

# The addresses or networks (CIDR) of our own proxies and load balancers, comma-separated: only
# their X-Forwarded-For and X-Forwarded-Proto are believed (charter_site/proxies.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")


def cache_from_url(url: str) -> dict[str, object]:
    """`locmem://` (this process only: development), `redis://host:6379/0` or `rediss://…` (shared
    by every process and node: production), `dummy://` (nothing kept)."""
    scheme, _sep, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "maklumat"}
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "maklumat"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem://, redis://, rediss:// or dummy://, not {url!r}")


# Rate limits, cached pages and everything else shared across requests live in this cache.
CACHE_URL = env_str("CACHE_URL", "locmem://")
CACHES = {"default": cache_from_url(CACHE_URL)}

# What citizens post, counted in Django's cache (with several server processes, a shared one):
# (posts, seconds) per browser, i.e. its address with the random id of a signed cookie, because a
# Puskesmas Wi-Fi or a carrier's address puts many phones behind one address (charter_site/ratelimit.py).
# Comments on a draft in consultation; cases and additions to them; survey answers (a shared tablet
# at the facility is one browser).
CONSULTATION_COMMENT_RATE = (5, 600)
FEEDBACK_SUBMIT_RATE = (5, 600)
SURVEY_SUBMIT_RATE = (20, 600)
# Per address in the same window, whatever the browser: the ceiling against floods. Ten browsers'
# worth for comments and cases; three for answers (a browser's 20 are a shared tablet's): a room of
# 40 phones passes, a script that fetches a new cookie for each post stops well before 100.
CONSULTATION_ADDRESS_CEILING = 50
FEEDBACK_ADDRESS_CEILING = 50
SURVEY_ADDRESS_CEILING = 60
# Per address in the same window, posts without a valid browser cookie (a script that drops it).
TOKENLESS_SUBMIT_LIMIT = 3
# The ceiling for a facility's own survey and complaint form from inside the network its head marked
# as the waiting room's (feedback settings): a full waiting room on the facility's free Wi-Fi.
WAITING_ROOM_CEILING = 200
# Wrong tracking codes per address.
TRACKING_GUESS_RATE = (10, 600)

# WhiteNoise serves from STATIC_ROOT after collectstatic; in development it uses the finders.
WHITENOISE_USE_FINDERS = DEBUG

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer probes over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if TRUSTED_PROXIES:
        # Only our proxies' X-Forwarded-Proto reaches Django (TrustedProxyMiddleware drops others').
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
