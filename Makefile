# The front door. `make run` sets up from nothing and serves the demo; `make test` runs the suite.
# Both create the virtual environment with uv (installed with pip when missing).

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
OIDC_PORT ?= 9400
# The address the links in certificates (QR code, check-code link), e-mails and the demo's banner
# point to: what `make run` serves (127.0.0.1 when it listens on every interface). Set SITE_URL
# to the public address when a proxy serves the portal under another name.
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)

PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
# xmlsec1 signs for the local SAML identity provider (pysaml2) of the tests and the demo. The
# portal's own xmlsec binding is a wheel with libxmlsec1 inside; where no wheel fits the machine
# uv builds it, and needs libxmlsec1-dev and pkg-config for that.
SAML_PACKAGES := xmlsec1 libxmlsec1-dev pkg-config

.PHONY: run test install browser-deps pdf-deps saml-deps migrate demo lint format messages translations worker clean

# Debian's own Python refuses user installs (PEP 668) unless told it may.
$(UV):
	$(PYTHON) -m pip install --user --quiet uv || \
		$(PYTHON) -m pip install --user --quiet --break-system-packages uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV) saml-deps
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

migrate: install
	$(MANAGE) migrate --noinput

# Loads the demo only when the database has no university yet, so a restart keeps your changes.
demo: migrate translations
	SITE_URL=$(SITE_URL) $(MANAGE) seed_demo --if-empty

# Beside the portal, a real OpenID Connect provider on this machine is the demo's "university
# account" (institutions/demo/identity_provider.py); it stops when the portal stops.
# The demo's SAML identity provider (institutions/demo/saml_idp.py) runs beside it the same way,
# as "Lund University account (SAML)" on the login page.
SAML_IDP_PORT ?= 8001
SAML_IDP := $(PY) -m institutions.demo.saml_idp --port $(SAML_IDP_PORT) --state var/saml-idp

run: pdf-deps demo
	@echo "Serving the demo at $(SITE_URL)/ (log in as student / demo, or with the demo university account)"
	@mkdir -p staticfiles
	@$(PY) -m institutions.demo.identity_provider --port $(OIDC_PORT) --host 127.0.0.1 & provider=$$!; \
	$(SAML_IDP) & idp=$$!; \
	trap 'kill $$provider $$idp 2>/dev/null' EXIT INT TERM; \
	SAML_PROVIDERS="$${SAML_PROVIDERS:-$$($(SAML_IDP) --settings)}" \
	SITE_URL=$(SITE_URL) DEMO_IDENTITY_PROVIDER=http://127.0.0.1:$(OIDC_PORT) $(MANAGE) runserver $(HOST):$(PORT)

worker: install
	SITE_URL=$(SITE_URL) $(VENV)/bin/celery -A ladokportal worker --loglevel=INFO --concurrency=2

# Chromium and its driver for the browser tests (Debian packages); skipped without root.
browser-deps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		(apt-get install -y --no-install-recommends chromium chromium-driver || \
		 (apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver)); \
	else echo "Chromium is missing and you are not root: browser tests will be skipped."; fi

# Pango and HarfBuzz for WeasyPrint's PDFs (the fonts ship in certificates/fonts), and poppler's
# pdfsig, which the tests use to check the seal as an ordinary PDF reader would. Skipped
# without root.
pdf-deps:
	@if ldconfig -p | grep -q libpangoft2-1.0.so.0 && command -v pdfsig >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		(apt-get install -y --no-install-recommends $(PDF_PACKAGES) || \
		 (apt-get update && apt-get install -y --no-install-recommends $(PDF_PACKAGES))); \
	else echo "Pango or pdfsig is missing and you are not root: install $(PDF_PACKAGES)."; fi

# SAML_PACKAGES (above); skipped without root.
saml-deps:
	@if command -v xmlsec1 >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1 \
		&& pkg-config --exists xmlsec1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		(apt-get install -y --no-install-recommends $(SAML_PACKAGES) || \
		 (apt-get update && apt-get install -y --no-install-recommends $(SAML_PACKAGES))); \
	else echo "xmlsec1 is missing and you are not root: install $(SAML_PACKAGES)."; fi

# The compiled catalogues are committed; they are rebuilt when gettext is on the machine.
translations: install
	@if command -v msgfmt >/dev/null 2>&1; then $(MANAGE) compilemessages --ignore=.venv -v 0; fi

# Two passes (tests/suite.py): everything but the browser tests on pytest-xdist workers
# (TEST_WORKERS, default one per core), then the browser tests in one process (BROWSER_TESTS=no
# leaves them out). PYTEST_ARGS go to both passes.
TEST_WORKERS ?= auto
BROWSER_TESTS ?= yes

test: install browser-deps pdf-deps translations
	TEST_WORKERS=$(TEST_WORKERS) BROWSER_TESTS=$(BROWSER_TESTS) $(PY) -m tests.suite $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(MANAGE) makemessages -l sv --ignore=.venv --ignore=staticfiles --no-location
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
