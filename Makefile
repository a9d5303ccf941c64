# Verbatim: `make run` serves the archive, `make test` runs every test. Both start from
# nothing but python3 and make: the virtualenv and its pinned packages are built here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
# The demo archive that ships with the project (transcripts/demo/SOURCES.md).
SAMPLES ?= transcripts/demo/transcripts

.PHONY: run test lint format serve venv dev-venv browser clean superuser editor mutation \
	search-cluster search-cluster-stop test-search-cluster java-notice

# The server's packages (requirements.txt); the tests and developer tools add requirements-dev.txt.
venv: $(STAMP)
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-[0-9]*; touch $@

dev-venv: $(DEV_STAMP)
$(DEV_STAMP): requirements.txt requirements-dev.txt | $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-*; touch $@

# The site as it is served, debug off (its own 404 and 500 pages), on this machine only:
# archive/local.py keeps a generated secret in var/. Importing the demo again changes nothing.
run: export DJANGO_DEBUG = 0
run: export VERBATIM_LOCAL = 1
run: venv
	$(PY) manage.py migrate --noinput
	@if [ -d "$(SAMPLES)" ]; then $(PY) manage.py import_transcripts "$(SAMPLES)" --sidecars transcripts/demo/metadata; \
	else echo "!! No sample transcripts at $(SAMPLES) : the archive starts empty."; fi
	$(PY) manage.py rebuild_index --noinput --if-missing
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(PY) manage.py process_index_queue --forever & \
	$(PY) -m archive.local http://$(HOST):$(PORT)/ & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

# Debian's chromium drives the browser tests; install it when we can (root), else say so loudly.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  chromium is not installed and this is not root: BROWSER TESTS SKIPPED  !!"; \
		echo "!!  install Debian's chromium package to run them.                        !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; \
	fi

test: export DJANGO_DEBUG = 1
test: dev-venv browser java-notice lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Mutation testing (docs/testing.md): a score per module, each against only its own test files
# (tools/mutation.py maps them). MODULES=transcripts/normalise.py runs one; JOBS=2 runs two at once;
# SURVIVORS=1 reruns only the last run's survivors against the tests as they are now.
JOBS ?= 1
mutation: export DJANGO_DEBUG = 1
mutation: dev-venv
	$(PY) tools/mutation.py --jobs $(JOBS) $(if $(SURVIVORS),--survivors) $(MODULES)

# The search cluster (tools/opensearch/): real OpenSearch nodes on 127.0.0.1 from Maven's
# jars. `make test` runs the engine-parametrised tests on Whoosh only; this target starts
# the cluster, runs them on OpenSearch too, and stops it. See docs/search-engines.md.
SEARCH_CLUSTER := tools/opensearch/cluster.sh
SEARCH_CLUSTER_URL ?= http://127.0.0.1:$${SEARCH_CLUSTER_HTTP_PORT:-9200}
# The files whose tests take the search_engine fixture, plus the OpenSearch-only ones;
# only their OpenSearch runs (make test has run them on Whoosh).
SEARCH_ENGINE_TESTS ?= tests/search/test_search.py tests/search/test_search_pages.py tests/search/test_search_published.py \
	tests/search/test_index_queue.py tests/search/test_index_queue_failures.py tests/search/test_index_rebuild_progress.py \
	tests/alerts/test_alerts.py tests/alerts/test_alerts_sending.py tests/search/test_search_engines.py tests/search/test_search_cluster.py \
	tests/operations/test_languages.py

search-cluster:
	$(SEARCH_CLUSTER) start

search-cluster-stop:
	$(SEARCH_CLUSTER) stop

java-notice:
	@if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then \
		echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  java or mvn is missing: the OPENSEARCH CLUSTER RUN (make test-search-   !!"; \
		echo "!!  cluster) cannot run here. Install Java 17 and Maven (Debian: openjdk-   !!"; \
		echo "!!  17-jdk-headless maven); make test runs the search tests on Whoosh only. !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; \
	fi

test-search-cluster: export DJANGO_DEBUG = 1
test-search-cluster: dev-venv java-notice
	@command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || { echo "make test-search-cluster: SKIPPED (no java or mvn)"; exit 0; }; \
	trap '$(SEARCH_CLUSTER) stop' EXIT; \
	$(SEARCH_CLUSTER) start && \
	VERBATIM_TEST_OPENSEARCH=$(SEARCH_CLUSTER_URL) VERBATIM_TEST_CLUSTER_SCRIPT=$(SEARCH_CLUSTER) \
		timeout 1800 $(PY) -m pytest $(SEARCH_ENGINE_TESTS) -p no:randomly -rs \
		-k "opensearch or test_search_engines or test_search_cluster" $(PYTEST_ARGS)

# ruff, configured in pyproject.toml: lint and formatting are checked before any test runs.
lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production-style: gunicorn workers, whitenoise for static files, and the one index
# consumer. Needs SECRET_KEY and ALLOWED_HOSTS (and usually DATABASE_URL) in the environment.
serve: venv
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY (and ALLOWED_HOSTS) in the environment first."; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py rebuild_index --noinput --if-missing
	$(PY) manage.py check --deploy --fail-level WARNING
	@echo; echo "  Verbatim (gunicorn, $(WORKERS) workers) on http://$(HOST):$(PORT)/"; echo
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(PY) manage.py process_index_queue --forever & \
	$(PY) manage.py send_alerts --forever & \
	$(VENV)/bin/gunicorn archive.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - --timeout 60

# Accounts. Debug is on unless SECRET_KEY is set (a server), so these work on a laptop
# and in production alike; both migrate first so they work on a fresh checkout.
ACCOUNT_ENV = DJANGO_DEBUG=$${DJANGO_DEBUG:-$$(test -n "$$SECRET_KEY" && echo 0 || echo 1)}
superuser: venv
	$(ACCOUNT_ENV) $(PY) manage.py migrate --noinput
	$(ACCOUNT_ENV) $(PY) manage.py createsuperuser

# make editor NAME=alice [EMAIL=alice@example.org]: a staff user in the Editors group.
editor: venv
	@test -n "$(NAME)" || { echo "make editor: give the username, e.g. make editor NAME=alice"; exit 2; }
	$(ACCOUNT_ENV) $(PY) manage.py migrate --noinput
	$(ACCOUNT_ENV) $(PY) manage.py create_editor "$(NAME)" --email "$(EMAIL)"

clean:
	rm -rf $(VENV) var
