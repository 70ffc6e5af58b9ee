#!/usr/bin/env bash
# The whole suite: build, type check, lint, unit + integration + browser tests.
# Prints a closing line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
bash scripts/ensure-test-deps.sh || exit 1
npx remix build >/dev/null || { echo "build failed"; exit 1; }
npx tsc --noEmit || { echo "type check failed"; exit 1; }
npx eslint . || { echo "lint failed"; exit 1; }
mkdir -p .cache
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json "$@"
status=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(".cache/vitest.json", "utf8"));
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit $status
