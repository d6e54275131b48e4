#!/usr/bin/env bash
# `npm test`: every check, in the order a failure is cheapest to find: typecheck, lint,
# unit + integration tests (vitest in a random order; PGlite always, PostgreSQL too when
# DATABASE_URL is set), the same tests once more under a non-UTC time zone, the mutation check,
# production build, end-to-end journeys in Chromium (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .test-reports e2e/artifacts

step() { printf '\n\033[1m▶ %s\033[0m\n' "$1"; }

if [ ! -d node_modules ]; then
  step "Installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

ensure_chromium() {
  if [ -n "${PLAYWRIGHT_CHROMIUM_PATH:-}" ]; then
    [ -x "$PLAYWRIGHT_CHROMIUM_PATH" ] && return 0
    echo "PLAYWRIGHT_CHROMIUM_PATH=$PLAYWRIGHT_CHROMIUM_PATH is not an executable." >&2; exit 1
  fi
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "Installing Chromium from Debian (apt-get install -y chromium)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [ -x /usr/bin/chromium ] && return 0
  fi
  if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium* >/dev/null 2>&1; then return 0; fi
  cat >&2 <<'MSG'
The end-to-end tests need Chromium and none was found.
  - Debian/Ubuntu: sudo apt-get install -y chromium
  - elsewhere: npx playwright install chromium
  - or point PLAYWRIGHT_CHROMIUM_PATH at a Chromium/Chrome executable.
MSG
  exit 1
}

# The report tests read the generated PDF as a person would: text (pdftotext, pdfinfo) and the
# first page as an image (pdftoppm), from Debian's poppler-utils.
ensure_poppler() {
  command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "Installing poppler-utils from Debian (apt-get install -y poppler-utils)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
    command -v pdftotext >/dev/null && return 0
  fi
  cat >&2 <<'MSG'
The PDF report tests need poppler-utils (pdftotext, pdfinfo, pdftoppm) and none was found.
  - Debian/Ubuntu: sudo apt-get install -y poppler-utils
  - macOS: brew install poppler
MSG
  exit 1
}

step "Typecheck (tsc)"
npx tsc --noEmit

step "Typecheck sst.config.ts against SST's platform types (cached in .sst/platform)"
bash scripts/typecheck-sst.sh

step "Lint (biome)"
npx biome ci --reporter=summary .

ensure_poppler

step "Unit and integration tests (vitest, random order)${DATABASE_URL:+ — PGlite and PostgreSQL}"
# The order is shuffled (vitest.config.mts); the seed is printed: repeat with --sequence.seed=<seed>.
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json

# Dates must not depend on the server's zone: code that reads or writes local time passes under
# UTC, where local time is UTC, and breaks on a server anywhere else.
# PGlite only: the database's zone is the server's setting, not this process's, so a second engine
# adds time and no coverage. Another random order comes with it.
step "Unit and integration tests again under TZ=Asia/Kolkata (UTC+05:30, PGlite)"
env -u DATABASE_URL TZ=Asia/Kolkata npx vitest run --reporter=dot --reporter=json \
  --outputFile.json=.test-reports/vitest-time-zone.json

# Faults planted one at a time (scripts/mutation/*.json) must each fail a test; PGlite only.
step "Mutation check (planted faults must fail a test)"
node scripts/mutation/run.mjs

ensure_chromium

step "Production build (next build)"
npx next build

step "End-to-end journeys (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=.test-reports/playwright.json npx playwright test --reporter=list,json

step "End-to-end journey with files in S3 (fake S3 server, presigned uploads and downloads)"
npx playwright test -c playwright.s3-storage.config.ts

# Needs PostgreSQL: DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test when unset.
step "End-to-end journey in production shape (Lambda environment, PostgreSQL, Inngest and Pusher protocols, S3 region, 6 MB limit)"
E2E_PORT=3160 npx playwright test -c playwright.production-shape.config.ts

node scripts/test-summary.mjs .test-reports/vitest.json .test-reports/playwright.json
