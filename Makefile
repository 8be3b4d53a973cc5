# Odoo ITSM — the two commands of the README, plus the benchmark and the linters.
.PHONY: run test bench load lint

run:   ## create or update the demo database and serve it on http://127.0.0.1:8069
	@bash tools/itsm.sh run

test:  ## install the suite into a throwaway database and run every test
	@bash tools/itsm.sh test

bench: ## build a benchmark database and print the performance figures
	@bash tools/itsm.sh bench

load:  ## concurrent intake on a prefork server: 0 lost, 0 duplicated, latencies (ARGS="--clients 50")
	@bash tools/itsm.sh load $(ARGS)

lint:  ## ruff, pylint-odoo and OCA's XML, manifest and PO checks, through pre-commit
	@bash tools/itsm.sh lint
