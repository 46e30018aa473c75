#!/usr/bin/env bash
# Checks contract/openapi.yaml with the tools a frontend team uses on it: Redocly's linter (recommended rules) and
# openapi-typescript, whose generated types a short TypeScript file (types/uses-the-contract.ts) must type-check
# against. Versions are pinned in package.json and package-lock.json; `npm ci` installs them into node_modules/
# (git-ignored) only when the lock file changed since the last install. Run by ./test.sh; alone: contract/check.sh
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null || ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "contract checks need Node.js 20.19 or newer as 'node' (found: $(node --version 2>/dev/null || echo none))." >&2
    echo "Debian 12's own nodejs package is 18; install Node.js 20 or 22 from nodejs.org or NodeSource." >&2
    exit 1
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_NOTIFICATIONS=true NO_UPDATE_NOTIFIER=1 npm_config_update_notifier=false

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.installed-from ] || [ "$(cat node_modules/.installed-from)" != "$lock_hash" ]; then
    echo "installing the pinned checkers (npm ci)..."
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_hash" > node_modules/.installed-from
fi

echo "redocly lint (recommended rules):"
npx --no-install redocly lint openapi.yaml --format=stylish
echo "openapi-typescript: types/generated/openapi.d.ts"
npx --no-install openapi-typescript openapi.yaml --redocly types/redocly.yaml --output types/generated/openapi.d.ts
echo "tsc --noEmit types/uses-the-contract.ts"
npx --no-install tsc --project types/tsconfig.json --noEmit
echo "contract checks passed: lint clean, the generated types carry what the frontend uses"
