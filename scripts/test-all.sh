#!/usr/bin/env bash
# Every test and check the project has, in the order that fails fastest. `npm test` and CI run this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$1"; }

step "Node.js"
# npm puts node_modules/.bin first on PATH, so every script runs on the Node 22 the project brings (the
# devDependency `node`), whatever Node the machine has.
node -e 'const major = Number(process.versions.node.split(".")[0]); console.log(`Node ${process.version}`); if (major < 22) { console.error("Node 22 or later is needed: run npm ci, which installs it into node_modules/.bin"); process.exit(1); }'

step "TypeScript (strict)"
npm run --silent typecheck

step "ESLint and Prettier"
npx eslint .
npx prettier --check . --log-level warn

step "npm audit of the shipped dependencies (no high or critical; skipped when the registry is unreachable)"
npm run --silent check:audit

step "Companion service tests (vitest)"
npm run --silent test:service

step "The offline force-app checks' own rules, on fixtures (node --test scripts/test)"
npm run --silent test:checks

step "Salesforce metadata consistency (force-app)"
npm run --silent check:metadata

step "Salesforce CLI: sf project convert source (offline)"
npm run --silent check:convert

step "Apex: Prettier, apex-parser, apexlink"
npm run --silent check:apex

step "Lightning web components: ESLint"
npm run --silent lint:lwc

step "Lightning web components: Jest and accessibility (sfdx-lwc-jest, sa11y)"
npm run --silent test:lwc

step "Apex static analysis: PMD and regex engines via Code Analyzer (no severity 1-2 finding)"
npm run --silent check:pmd

step "Lightning web components in Chromium: preview gallery, clicks, keyboard, screenshots (playwright-core)"
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  npm run --silent test:browser
else
  echo "skipped: no Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium} (apt-get install -y chromium; .ci/run installs it)"
fi
