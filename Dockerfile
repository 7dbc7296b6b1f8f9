# Ladokportal: one image for the web process (gunicorn), the Celery worker and Celery beat.
# Configuration comes from the environment at run time (docs/configuration.md); see
# docs/deployment.md and docker-compose.yml for how the processes fit together.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# Run-time libraries: gettext for compilemessages; Pango, HarfBuzz and a font for WeasyPrint.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN pip install "uv>=0.13,<0.14"

RUN groupadd --system --gid 10001 ladokportal \
    && useradd --system --uid 10001 --gid ladokportal --create-home \
        --home-dir /home/ladokportal --shell /usr/sbin/nologin ladokportal \
    && mkdir -p /app /var/lib/ladokportal/media /var/lib/ladokportal/seals \
    && chown -R ladokportal:ladokportal /var/lib/ladokportal

WORKDIR /app

# Dependencies first, so a change to the code does not reinstall them. The SAML login's xmlsec
# binding comes as a wheel with libxmlsec1 built in (x86-64 and aarch64), so no Debian package
# is needed for it at run time; the xmlsec1 program only serves the tests' identity provider.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3

COPY . .

ENV PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=ladokportal.settings \
    STATIC_MANIFEST=true \
    WHITENOISE_USE_FINDERS=false \
    MEDIA_ROOT=/var/lib/ladokportal/media \
    WEB_CONCURRENCY=3

# Translations and static files are built into the image. The dummy key only lets Django start
# during the build; it is not kept in the image, and every container needs its own SECRET_KEY.
RUN export SECRET_KEY=build-only-dummy-key \
    && python manage.py compilemessages --ignore=.venv -v 0 \
    && python manage.py collectstatic --noinput -v 0

# The ladokportal user, by number so that runAsNonRoot-style checks can verify it.
USER 10001:10001

EXPOSE 8000

# Answers when gunicorn and Django answer. The request carries the first allowed host name and
# the https scheme, so it is not refused by ALLOWED_HOSTS; any status below 500 counts as healthy
# (a redirect to HTTPS included).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import http.client, os; host = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('*.') or 'localhost'; conn = http.client.HTTPConnection('127.0.0.1', 8000, timeout=4); conn.request('GET', '/accounts/login/', headers={'Host': host, 'X-Forwarded-Proto': 'https'}); raise SystemExit(conn.getresponse().status >= 500)"]

# Sync workers; their number comes from WEB_CONCURRENCY (gunicorn reads it), more options from
# GUNICORN_CMD_ARGS.
CMD ["gunicorn", "ladokportal.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "sync", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--access-logfile", "-"]
