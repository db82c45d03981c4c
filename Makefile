# leaderkit — two commands do all the set-up on a fresh machine:
#   make run    serve the dashboards on the bundled sample data (127.0.0.1, PORT=8866)
#   make test   run the whole test suite (pytest + nbval)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8866
DATA   ?= sample_data

.PHONY: install run test bench lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	LEADERKIT_DATA=$(abspath $(DATA)) exec $(PY) -m leaderkit.app.serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env tests notebooks dashboards

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/artifacts benchmarks/data
