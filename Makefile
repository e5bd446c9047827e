# Two commands: `make run` and `make test`. Everything else is what they need.
VENV    ?= .venv
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
HOST    ?= 127.0.0.1
PORT    ?= 5000
STAMP   := $(VENV)/.installed

.PHONY: run test install migrate seed lint translations bench profile clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	for dir in billboard/translations billboard/*/translations; do \
	  if [ -d $$dir ]; then $(VENV)/bin/pybabel -q compile -d $$dir || exit 1; fi; \
	done

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) billboard seed

# Demo accounts only in development; the command itself refuses in production.
run: seed
	$(FLASK) billboard seed-demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(VENV)/bin/ruff check billboard tests wsgi.py benchmarks docs migrations/env.py
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# The app under gunicorn and wrk with 100,000 bookings (BENCH_DATABASE_URL: PostgreSQL too).
bench: install
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_api_lists.py

$(VENV)/.profiler: $(STAMP)
	$(PY) -m pip install --quiet -e '.[profile]'
	touch $@

# Where the workers' time goes under the bench's load, by py-spy (BENCH_DATABASE_URL as above).
profile: install $(VENV)/.profiler
	$(PY) benchmarks/profile_workers.py

clean:
	rm -rf $(VENV) build *.egg-info
