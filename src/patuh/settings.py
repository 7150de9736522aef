"""One settings module, driven by the environment.

SQLite under ``var/`` by default; PostgreSQL (or any engine) when ``DATABASE_URL`` says so.
"""

from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("PATUH_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "rest_framework",
    # Its table is emptied by api/migrations/0002 (tokens moved, hashed, to api.ApiToken);
    # kept so that upgraded and fresh databases carry the same migrations (patuh restore).
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "patuh.core",
    "patuh.orgs",
    "patuh.assessments",
    "patuh.accounts",
    "patuh.standards",
    "patuh.locker",
    "patuh.followup",
    "patuh.results",
    "patuh.reports",
    "patuh.surveys",
    "patuh.reminders",
    "patuh.notifications",
    "patuh.complaints",
    "patuh.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "patuh.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "patuh.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last, as django-axes asks: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "patuh.urls"
WSGI_APPLICATION = "patuh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

_sqlite_path = VAR_DIR / "patuh.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{_sqlite_path}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and IMMEDIATE transactions keep concurrent writers from
    # failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # SQLite's page cache lives in the connection: a process that keeps its connection (a
    # gunicorn worker) reads hot pages from memory instead of opening the file per request
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-patuh.sqlite3")}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# Read-only replica(s) for dashboards and public pages: DATABASE_REPLICA_URL. Views marked
# with patuh.core.replicas.reads_from_replica read from it; every write and every other view
# uses the primary. Without it, everything uses the primary.
_replica_url = env.str("DATABASE_REPLICA_URL", default="")
if _replica_url:
    DATABASES["replica"] = env.db_url_config(_replica_url)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["patuh.core.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (survey rate limits, throttles): process memory by default, which is right for one
# process only. A deployment with several web processes or machines sets CACHE_URL, e.g.
# redis://127.0.0.1:6379/1 (or dbcache://patuh_cache after `patuh createcachetable`).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://patuh")}
# Sessions live in the database (Django's default), never in a process's memory.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts -------------------------------------------------------------------------------
# argon2 for new and changed passwords; older hashes still verify and are upgraded on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PATUH_PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # refuses a locked-out address/username before any password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("PATUH_LOGIN_FAILURE_LIMIT", default=5)
"""Failed logins for one username from one address before that pair is locked out."""
AXES_COOLOFF_TIME = env.float("PATUH_LOGIN_COOLOFF_HOURS", default=0.5)
"""Hours a lockout lasts."""
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]  # masked in logs; password always
PATUH_REQUIRE_TOTP_FOR = env.list("PATUH_REQUIRE_TOTP_FOR", default=[])
"""Roles that must enrol a second factor (TOTP) before anything else, e.g. assessor,verifier."""
AXES_CLIENT_IP_CALLABLE = "patuh.core.net.client_address"
PATUH_TRUSTED_PROXIES = env.int("PATUH_TRUSTED_PROXIES", default=0)
"""Reverse proxies in front of the app (nginx: 1). With 0 the address is the socket's own;
otherwise it is read from X-Forwarded-For, counting that many proxies from the right."""
SESSION_COOKIE_AGE = env.int("PATUH_SESSION_SECONDS", default=8 * 60 * 60)
"""A working day; after that the user logs in again."""
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # keeps whitenoise from warning in dev
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Evidence and other uploaded files: the local disk under MEDIA_ROOT by default; an
# S3-compatible object store (AWS S3, MinIO, Ceph, …) when PATUH_S3_BUCKET is set, so that
# several web and worker machines share one set of files.
PATUH_S3_BUCKET = env.str("PATUH_S3_BUCKET", default="")
if PATUH_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PATUH_S3_BUCKET,
            "endpoint_url": env.str("PATUH_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PATUH_S3_REGION", default="") or None,
            "access_key": env.str("PATUH_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("PATUH_S3_SECRET_KEY", default="") or None,
            "location": env.str("PATUH_S3_PREFIX", default=""),
            # files stay private: every download goes through Patuh's permission check
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No MEDIA_URL: evidence files are served only by a view that checks who is asking.
PATUH_EVIDENCE_MAX_BYTES = env.int("PATUH_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Outgoing mail (reminders, invitations, password resets): EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.go.id:587 (STARTTLS), smtp+ssl://…:465 (TLS from the
# start), smtp://host:25, filemail:///var/lib/patuh/mail, consolemail:// (the default: printed).
# Characters such as @ : / in the password are %-encoded. EMAIL_BACKEND, when set, overrides the
# URL's backend (host and login still come from the URL).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_PORT = _email.get("EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
if _email.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = "/" + _email["EMAIL_FILE_PATH"].lstrip("/")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
"""Seconds to wait for the mail server: a hung server never holds a request for long."""
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="patuh@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
PATUH_INVITATION_DAYS = env.int("PATUH_INVITATION_DAYS", default=7)
"""Days an e-mailed invitation link works."""
PASSWORD_RESET_TIMEOUT = env.int("PATUH_PASSWORD_RESET_SECONDS", default=24 * 60 * 60)
"""Seconds an e-mailed password reset link works (once)."""
PATUH_SITE_URL = env.str("PATUH_SITE_URL", default="http://127.0.0.1:8000")
PATUH_SURVEY_RATE_PER_HOUR = env.int("PATUH_SURVEY_RATE_PER_HOUR", default=30)
"""Survey submissions accepted per network address per hour."""
PATUH_SURVEY_QUOTA_PER_UNIT = env.int("PATUH_SURVEY_QUOTA_PER_UNIT", default=5000)
"""Web submissions accepted per unit, survey and cycle."""
"""The address links in e-mails point to."""

# --- Background jobs and housekeeping (patuh jobs, patuh housekeeping) -----------------------
PATUH_JOB_HEARTBEAT_SECONDS = env.int("PATUH_JOB_HEARTBEAT_SECONDS", default=30)
"""How often a worker marks its running job alive; 0 turns the timer off."""
PATUH_JOB_MAX_ATTEMPTS = env.int("PATUH_JOB_MAX_ATTEMPTS", default=3)
"""Workers lost on one job before it is marked failed instead of requeued."""
PATUH_JOB_STALE_MINUTES = env.int("PATUH_JOB_STALE_MINUTES", default=60)
"""Minutes without a heartbeat after which housekeeping requeues a running job."""
PATUH_JOB_OUTPUT_DAYS = env.int("PATUH_JOB_OUTPUT_DAYS", default=30)
"""Days a finished job's file (rapor ZIP, workbook) is kept before housekeeping deletes it."""
PATUH_AXES_KEEP_DAYS = env.int("PATUH_AXES_KEEP_DAYS", default=90)
"""Days login attempt and lockout records are kept before housekeeping deletes them."""
PATUH_SURVEY_IMPORT_INLINE_BYTES = env.int("PATUH_SURVEY_IMPORT_INLINE_BYTES", default=256 * 1024)
"""Survey files up to this size import during the upload; larger ones become a job."""

# --- Complaint register (patuh complaints, docs/complaints.md) --------------------------------
PATUH_COMPLAINT_RETENTION_DAYS = env.int("PATUH_COMPLAINT_RETENTION_DAYS", default=730)
"""Days after closure that a complainant's name and contact are kept (UU 27/2022); then
housekeeping erases them. The complaint itself, anonymised, stays for the statistics."""
PATUH_COMPLAINT_HOLIDAYS_FILE = env.str("PATUH_COMPLAINT_HOLIDAYS_FILE", default="")
"""A CSV of this deployment's own days off (date,name[,action add|remove]) for the clock."""

# --- REST API (/api/) -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "patuh.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "1200/minute"},
}
PATUH_API_TOKEN_DAYS = env.int("PATUH_API_TOKEN_DAYS", default=90)
"""Days a new API token is valid unless its maker chooses otherwise."""
PATUH_API_TOKEN_MAX_DAYS = env.int("PATUH_API_TOKEN_MAX_DAYS", default=365)
"""The longest lifetime a token may be given (on the token page and ``patuh api-token``)."""
PATUH_API_TOKEN_KEEP_DAYS = env.int("PATUH_API_TOKEN_KEEP_DAYS", default=30)
"""Days a revoked or expired token stays listed before housekeeping deletes it."""
PATUH_NOTIFICATION_KEEP_DAYS = env.int("PATUH_NOTIFICATION_KEEP_DAYS", default=90)
"""Days a read notification is kept before housekeeping deletes it; unread ones stay."""
SPECTACULAR_SETTINGS = {
    "TITLE": "Patuh API",
    "DESCRIPTION": "Penilaian penyelenggaraan pelayanan publik: pemerintah, unit, siklus, "
    "penilaian, jawaban, bukti, survei, hasil dan peringkat.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["patuh.api.schema.only_versioned_paths"],
}

# --- Web hardening --------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
FILE_UPLOAD_HANDLERS = [
    "patuh.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
PATUH_UPLOAD_MAX_BYTES = env.int("PATUH_UPLOAD_MAX_BYTES", default=PATUH_EVIDENCE_MAX_BYTES + 2**20)
"""File bytes one request may stream in before the upload is stopped (see core/uploads.py)."""
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PATUH_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""Sent on every page that does not set its own: no inline script, no inline style."""

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes /healthz over plain HTTP: answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
