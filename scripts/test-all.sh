#!/usr/bin/env bash
# Every test and check the project has, in the order that fails fastest. `npm test` and CI run this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$1"; }

step "TypeScript (strict)"
npm run --silent typecheck

step "ESLint and Prettier"
npx eslint .
npx prettier --check . --log-level warn

step "Companion service tests (vitest)"
npm run --silent test:service
