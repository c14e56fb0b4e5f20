# The two commands of the README:
#   make run    set everything up, prepare a demo bundle, run legacyd with its defaults
#   make test   set everything up, run the whole test suite (unit + integration, real runc/CRIU/Prometheus)
.PHONY: setup build run test bench demo-bundle clean

DEMO_BUNDLE ?= /var/lib/legacyd-demo/bundle

setup:
	sh scripts/setup.sh

build:
	npm run --silent build

demo-bundle: setup
	@[ -f $(DEMO_BUNDLE)/config.json ] || sh scripts/make-bundle.sh $(DEMO_BUNDLE) sh -c 'i=0; while :; do i=$$((i+1)); echo "tick $$i"; sleep 2; done'

run: demo-bundle
	@sh scripts/demo-help.sh $(DEMO_BUNDLE)
	node dist/src/cli/legacyd.js

test: setup
	node scripts/run-tests.mjs

bench: setup
	node dist/bench/create.js && node dist/bench/lifecycle.js && node dist/bench/stats.js && node dist/bench/scrape.js && node dist/bench/checkpoint.js

clean:
	rm -rf dist
