"""Settings for Ladokportal, read entirely from the environment (docs/configuration.md).

With nothing set the project runs on SQLite with eager tasks and a local-memory cache, so
`make run` works on a fresh machine. DATABASE_URL selects PostgreSQL, REDIS_URL selects Redis as
Celery broker and cache.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ladokportal.env import env_bool, env_int, env_json, env_list, env_str
from people import saml as saml_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or (
    # A fixed key is only acceptable for a local demo; production must set SECRET_KEY
    # (check --deploy warns about this one because it is short and well known).
    "insecure-local-demo-key"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# An expired form gets the portal's translated page, not Django's bare one (#12 point 6).
CSRF_FAILURE_VIEW = "ladokportal.csrf.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_htmx",
    "template_partials",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "ladokportal",
    "institutions",
    "people",
    "catalog",
    "registration",
    "studychoices",
    "exams",
    "results",
    "notifications",
    "certificates",
    "credits",
    "emrex",
    "fees",
    "degrees",
    "studentweb",
    "staffweb",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whatever a logged-in person is sent is never stored by a cache (#17 point 5).
    "ladokportal.privacy.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "people.saml.IdentityProviderOriginsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.SessionLifetimeMiddleware",
    "people.middleware.KnownBrowserMiddleware",
    "people.middleware.PortalModeMiddleware",
    "institutions.middleware.CurrentInstitutionMiddleware",
    # NotAllowed becomes 403, another refusal a view leaves uncaught a message (#11 point 4).
    "ladokportal.refusals.RefusalMiddleware",
    # Last, so that a refusal is a whole page; still before anything reads the body (the CSRF
    # check reads it in process_view, after every middleware's call): a request over its path's
    # limit is refused unread (#17 point 4).
    "ladokportal.limits.BodyLimitMiddleware",
]

ROOT_URLCONF = "ladokportal.urls"
WSGI_APPLICATION = "ladokportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "institutions.context_processors.portal",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
# A report sheet of 500 students posts about four fields a row (T-REP-1); Django's default of
# 1000 would split it into pages. Still a bound against oversized forms.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 5000)
# Request bodies (ladokportal.limits): the declared length over the path's limit is refused
# before anything reads the body, and an upload stops at the limit. (prefix, bytes[, view that
# answers the 413]); the longest matching prefix wins.
REQUEST_BODY_LIMIT = env_int("REQUEST_BODY_LIMIT", 3 * 1024 * 1024)
REQUEST_BODY_LIMITS = [
    ("/verify/", 10 * 1024 * 1024 + 64 * 1024, "certificates.public.refuse_too_large"),
    ("/staff/results/file/", 2 * 1024 * 1024 + 64 * 1024),
    ("/api/", 2 * 1024 * 1024),
]
FILE_UPLOAD_HANDLERS = [
    "ladokportal.limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database of the demo serves several requests at once (runserver is
    # threaded). Write-ahead logging lets readers go on while one request writes; IMMEDIATE
    # takes the write lock when a transaction begins, so a second writer waits for it (up to
    # the busy timeout, in seconds) instead of failing with "database is locked" when a read
    # inside its transaction would have to become a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, with a clear() that keeps to KEY_PREFIX (ladokportal.cache).
            "BACKEND": "ladokportal.cache.PrefixedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "ladokportal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None  # results live in our own tables, never in the broker
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged after it ran, so a worker killed mid-task hands it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
# The broker must not hand a running task to a second worker: keep its visibility timeout well
# above the hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 400_000)
# One queue name per installation (or per test process) sharing a Redis database.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE") or "ladokportal"
# Run by the one beat process (docs/deployment.md). A sweep that waited longer than the next one
# is dropped instead of run late.
CELERY_BEAT_SCHEDULE = {
    "remind-due-tuition-fees": {
        "task": "fees.remind_due",
        "schedule": 6 * 3600.0,
        "options": {"expires": 3600},
    },
    "requeue-stalled-certificates": {
        "task": "certificates.requeue_stalled",
        "schedule": 120.0,
        "options": {"expires": 110},
    },
    # B-2: reminders before registration and exam sign-up periods close. Each person is reminded
    # once per period whenever the sweep runs (notifications.Reminder), so running it often only
    # makes the first reminder come sooner after the day it is due.
    "send-reminders": {
        "task": "notifications.send_reminders",
        "schedule": float(env_int("REMINDERS_EVERY_SECONDS", 3600)),
        "options": {"expires": env_int("REMINDERS_EVERY_SECONDS", 3600) - 1},
    },
}

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Failed logins: per address by allauth's counters, high enough for a campus behind one address;
# per account by a progressive delay that never locks the owner out (people.throttle, #17).
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": env_str("LOGIN_FAILED_RATE", "60/5m/ip"),
    "reauthenticate": "10/m/user",
}
# Behind a load balancer the client's address is in X-Forwarded-For: count the proxies we run,
# or every visitor shares the proxy's address and its failed-login limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)


def _rate(name: str, default: str) -> str:
    """A django-ratelimit rate: a count per period, e.g. 30/m or 100/5m (s, m, h, d)."""
    value = env_str(name, default).strip()
    if not re.fullmatch(r"[1-9]\d*/(?:[1-9]\d*)?[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate like 30/m or 100/5m, not {value!r}")
    return value


# The public verification page (certificates.public) counts per client address, the same address
# allauth computes: check-code lookups (typed, followed links, downloads) and file uploads.
# django-ratelimit keeps the counters in the default cache: shared by every process with Redis,
# per process with the demo's local-memory cache (good enough there). Its system check of the
# cache runs only when "django_ratelimit" is an installed app, which it need not be for its
# decorator, so `check` stays quiet with either cache.
VERIFY_RATE = _rate("VERIFY_RATE", "30/m")
VERIFY_UPLOAD_RATE = _rate("VERIFY_UPLOAD_RATE", "10/m")

SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# Identity providers (docs/configuration.md): a JSON list, one object per provider:
# {"id": "lu-sso", "name": "Lund University", "server_url": "https://idp/…", "client_id": "…",
#  "secret": "…", "kind": "student" | "alumni", "identity_claim": "personal_identity_number"}
OIDC_PROVIDERS: list[dict] = env_json("OIDC_PROVIDERS", [])
# The demo's university account: a real OpenID Connect provider on this machine that `make run`
# starts (institutions/demo/identity_provider.py, #12 point 6).
DEMO_IDENTITY_PROVIDER = env_str("DEMO_IDENTITY_PROVIDER", "")
if DEMO_IDENTITY_PROVIDER:
    from institutions.demo.identity_provider import PROVIDER as _DEMO_PROVIDER

    OIDC_PROVIDERS = [*OIDC_PROVIDERS, {**_DEMO_PROVIDER, "server_url": DEMO_IDENTITY_PROVIDER}]
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": provider["id"],
                "name": provider["name"],
                "client_id": provider["client_id"],
                "secret": provider.get("secret", ""),
                "settings": {
                    "server_url": provider["server_url"],
                    "token_auth_method": provider.get("token_auth_method", "client_secret_post"),
                    "scope": provider.get("scope", ["openid", "profile", "email"]),
                },
            }
            for provider in OIDC_PROVIDERS
        ],
    },
}
# SAML identity providers (docs/configuration.md), made into django-allauth's apps by people.saml.
SAML_PROVIDERS: list[dict] = env_json("SAML_PROVIDERS", [])
if SAML_PROVIDERS:
    SOCIALACCOUNT_PROVIDERS["saml"] = {"APPS": saml_config.allauth_apps(SAML_PROVIDERS)}

# Staff hold wider powers: their sessions end sooner than students' (people.adapters).
STUDENT_SESSION_SECONDS = env_int("STUDENT_SESSION_SECONDS", 60 * 60 * 8)
STAFF_SESSION_SECONDS = env_int("STAFF_SESSION_SECONDS", 60 * 60 * 2)
SESSION_COOKIE_AGE = STUDENT_SESSION_SECONDS
# Sessions are read from Redis and written through to the database, so a Redis restart logs
# nobody out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# The language choice lives in a cookie, not the session, so it survives logout (G-1).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Production runs collectstatic and sets STATIC_MANIFEST=true for hashed, compressed files;
# the demo and the tests serve straight from the app folders through whitenoise's finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=True)

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ladokportal <no-reply@ladokportal.local>")

# --- Documents ----------------------------------------------------------------------------------
# Each university's seal: SEAL_DIR/<institution code>/key.pem, cert.pem and optional chain.pem
# (certificates.seal). Web and worker processes must see the same folder.
SEAL_DIR = Path(env_str("SEAL_DIR") or BASE_DIR / "var" / "seals")
SEAL_KEY_PASSPHRASE = env_str("SEAL_KEY_PASSPHRASE")
# Or the key and certificate in one PKCS#12 file, SEAL_DIR/<code>/seal.p12, with this password.
SEAL_PKCS12_PASSWORD = env_str("SEAL_PKCS12_PASSWORD")
# The demo seals with a self-signed key it makes itself; off in production, where a demo key is
# then never used and check --deploy reports one (certificates.checks).
SEAL_DEMO_KEYS = env_bool("SEAL_DEMO_KEYS", default=True)
# An RFC 3161 timestamp authority: when set, every seal carries its signed timestamp and the
# validation data (certificates, revocation information) embedded, so it stays verifiable after
# the seal's certificate expires. SEAL_TSA_ROOTS: PEM file of the certificates to trust the
# authority's (and any CA's) chain to.
SEAL_TSA_URL = env_str("SEAL_TSA_URL")
SEAL_TSA_ROOTS = env_str("SEAL_TSA_ROOTS")
# check --deploy reports a seal certificate that expires within this many days.
SEAL_EXPIRY_WARNING_DAYS = env_int("SEAL_EXPIRY_WARNING_DAYS", 30)
# Attachments of credit-transfer applications: outside the web root, read only through the
# student's and the case officers' download views (credits.attachments).
ATTACHMENT_DIR = Path(env_str("ATTACHMENT_DIR") or BASE_DIR / "var" / "attachments")
# The official ELMO 1.7 schema set (emrex-eu/elmo-schemas) that imported documents must pass.
ELMO_SCHEMA_DIR = Path(env_str("ELMO_SCHEMA_DIR") or BASE_DIR / "var" / "elmo")
# The project's own EMREX contact point for the demo and the tests (emrex.contact_point), with
# its signing key kept in EMREX_DEMO_DIR. Off in production.
EMREX_DEMO_CONTACT_POINT = env_bool("EMREX_DEMO_CONTACT_POINT", default=SEAL_DEMO_KEYS)
EMREX_DEMO_DIR = Path(env_str("EMREX_DEMO_DIR") or BASE_DIR / "var" / "emrex-demo")

# --- Security -----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO") else None
)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# A year of HSTS is the preload list's bar; a deployment that may not commit to it says so.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS >= 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers on <body>


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# SAML IdPs read from metadata add their origin on the pages that offer them
# (people.saml.IdentityProviderOriginsMiddleware).
_IDENTITY_PROVIDER_ORIGINS = {
    _origin(p["server_url"]) for p in OIDC_PROVIDERS
} | saml_config.static_origins(SAML_PROVIDERS)

# No inline script or style anywhere: htmx is configured (templates/base.html) not to inject
# its indicator styles, and every page uses static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        # A login form posts here and is redirected to the identity provider; browsers check
        # form-action on that redirect too.
        "form-action": [SELF, *sorted(_IDENTITY_PROVIDER_ORIGINS)],
    }
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_identity_numbers": {"()": "people.logging.MaskIdentityNumbers"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_identity_numbers"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Domain -------------------------------------------------------------------------------------
# The demo offers local username/password login on the login page (S-AUTH-1).
PORTAL_LOCAL_LOGIN = env_bool("PORTAL_LOCAL_LOGIN", default=True)
# The Django admin is off unless configured; when on, it logs in through the portal's login and
# its limits (ladokportal.urls).
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", default=False)
# Failed logins per account before each attempt must wait (2, 4, 8 … seconds, at most the max).
LOGIN_FREE_FAILURES = env_int("LOGIN_FREE_FAILURES", 5)
LOGIN_MAX_DELAY = env_int("LOGIN_MAX_DELAY", 60)
