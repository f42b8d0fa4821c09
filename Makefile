# Two commands on a fresh machine: `make app` and `make test`. Everything else is a helper.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
HOME_KG ?= .climatekg
PORT    ?= 8501

.PHONY: install system-deps app stats test lint bench neo4j serve clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (never a browser download) and a CJK font so Chinese
# labels render as glyphs in it; Java and Maven come with the machine.
system-deps:
	@{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q .; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@command -v java >/dev/null && command -v mvn >/dev/null || { echo "make: Java 17 and Maven are needed for the Neo4j and Jena test servers" >&2; exit 1; }

app: install
	$(VENV)/bin/climatekg --home $(HOME_KG) load --bundled data/twin-cities-wikipedia/twin_cities_geocoded.csv
	$(VENV)/bin/climatekg --home $(HOME_KG) stats
	@# the home page's overview, computed once per data version, so the first visit is quick too
	CLIMATEKG_HOME=$(HOME_KG) $(PY) -m climatekg.app.explorer.prepare
	@# .streamlit/config.toml binds 127.0.0.1, caps uploads and hides the Deploy button
	CLIMATEKG_HOME=$(HOME_KG) $(VENV)/bin/streamlit run app/explorer/server.py --server.port $(PORT)

stats: install
	$(VENV)/bin/climatekg --home $(HOME_KG) stats

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# mypy follows imports only through a real package tree: link the top-level folders as climatekg/
	@mkdir -p .typecheck/climatekg && for part in graph loaders queries app data; do ln -sfn $(CURDIR)/$$part .typecheck/climatekg/$$part; done
	MYPYPATH=.typecheck $(VENV)/bin/mypy -p climatekg.graph -p climatekg.loaders -p climatekg.queries -p climatekg.app

test: install system-deps lint
	$(VENV)/bin/pytest -q -p no:cacheprovider

bench: install
	$(PY) bench/run.py

neo4j: install
	$(PY) tests/servers/neo4j_server.py

serve: install
	$(VENV)/bin/climatekg --home $(HOME_KG) serve

clean:
	rm -rf $(VENV) $(HOME_KG) .typecheck build dist *.egg-info tests/servers/*/target
