#!/usr/bin/env bash
# Typechecks sst.config.ts (and infra/) offline against SST's platform types. `sst install` writes
# them to .sst/platform (about 300 MB from npm, through the bun binary in @oven/bun-linux-x64); they
# are kept between runs and reinstalled only when the pinned sst version changes, so CI stays fast.
set -euo pipefail
cd "$(dirname "$0")/.."
want="$(node -p 'require("./node_modules/sst/package.json").version')"
have="$(cat .sst/platform/version 2>/dev/null || true)"
if [ ! -f .sst/platform/config.d.ts ] || [ "$have" != "$want" ]; then
  echo "Installing SST $want platform types into .sst/platform (cached for later runs)"
  SST_BUN_PATH="$PWD/node_modules/@oven/bun-linux-x64/bin/bun" SST_STAGE=dev SST_SKIP_DEPENDENCY_CHECK=true \
    SST_TELEMETRY_DISABLED=1 npx sst install >/dev/null
fi
# Nested copies of @types/node (bun-types brings one) clash with each other's globals.
find .sst/platform/node_modules -mindepth 3 -maxdepth 4 -type d -path '*/node_modules/@types/node' \
  -not -path '.sst/platform/node_modules/@types/node' -exec rm -rf {} +
npx tsc -p tsconfig.sst.json
echo "sst.config.ts typechecks against SST $want"
