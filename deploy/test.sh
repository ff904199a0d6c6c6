#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL 15: starts (or reuses)
# the test cluster (fsync off, its own port), then `swift test`. Every test
# that touches the database gets a schema of its own. Extra arguments go to
# `swift test`, e.g. `deploy/test.sh --filter Ordering`. Before the suite,
# `deploy/walkthrough.sh` runs the README's curl walk-through as written,
# `deploy/fault-test.sh` kills the server and restarts PostgreSQL during
# ingest, `deploy/restore-drill.sh` restores a backup to a point in time,
# `deploy/fuzz.sh` fuzzes the API, and `deploy/webapp-test.sh`
# drives the web app in a real browser (all only when no argument is given).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
deploy/postgres.sh --test
source "${VARDE_DATA_DIR:-$repo/.varde}/pg-test.env"
export VARDE_SQL_DIR="$repo/sql"
deploy/python-tools.sh
export PATH="$repo/.varde/venv/bin:$PATH"
# The tree stays formatted (.swift-format); a lint finding fails the run.
swift format lint --strict --recursive --parallel Sources Tests Package.swift
deploy/check-artefacts.sh
swift build --build-tests
# The README's curl walk-through against a real server (skipped when only
# some tests are asked for, e.g. `deploy/test.sh --filter Ordering`).
(( $# )) || deploy/walkthrough.sh .build/debug/varde
(( $# )) || deploy/fault-test.sh .build/debug/varde
# Point-in-time recovery on a throwaway cluster, proven by `varde verify --heads`.
(( $# )) || deploy/restore-drill.sh .build/debug/varde
# Every operation fuzzed as every role from the OpenAPI document (schemathesis,
# valid, invalid and stateful), in a fixed budget (VARDE_FUZZ_BUDGET, 240 s).
(( $# )) || deploy/fuzz.sh .build/debug/varde
# A FHIR client nobody here wrote (fhirclient) against a real server, likewise.
(( $# )) || deploy/fhir-client-test.sh .build/debug/varde
# The web app in headless chromium (Selenium, axe-core), signed in through
# the local OpenID Connect provider, likewise.
(( $# )) || deploy/webapp-test.sh .build/debug/varde
swift test --skip-build "$@"
