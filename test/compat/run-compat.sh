#!/usr/bin/env bash
# Proves the package as users get it. Packs the build and, for each Nest major given (default: 12
# and 11), installs it in a throwaway consumer project with what `npm install` gives today, then:
# checks the package (LICENSE, inlined source maps), runs the client flow from CommonJS (Nest 12
# is ESM-only: loaded through require(esm)), extracts the README's snippets, type-checks them and
# runs them with Vitest. A README snippet that stops compiling or running fails CI.
# Needs `npm run build` first. Usage: bash test/compat/run-compat.sh [12] [11]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
compat="$root/test/compat"
if [ ! -x "$root/dist/testing/cli.js" ]; then
  echo 'dist/testing/cli.js is not executable after the build' >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(12 11)

for major in "${majors[@]}"; do
  case "$major" in
    12) axios_major=12 config_major=12 ;;
    11) axios_major=4 config_major=4 ;;
    *) echo "unsupported Nest major: $major" >&2; exit 2 ;;
  esac
  echo "--- Nest $major consumer project"
  project="$work/nest$major"
  mkdir -p "$project"
  cd "$project"
  npm init -y >/dev/null
  npm pkg set type=module
  npm install --no-audit --no-fund --silent "$tarball" "@nestjs/common@$major" \
    "@nestjs/core@$major" "@nestjs/platform-express@$major" "@nestjs/axios@$axios_major" \
    "@nestjs/config@$config_major" axios rxjs reflect-metadata class-validator class-transformer
  # The README's testing recipe (section "In your tests").
  npm install --no-audit --no-fund --silent --save-dev vitest@^4 "@nestjs/testing@$major" \
    typescript @types/node
  echo "@nestjs/core $(node -p "require('@nestjs/core/package.json').version")," \
    "typescript $(node -p "require('typescript/package.json').version")," \
    "vitest $(node -p "require('vitest/package.json').version")"
  node "$compat/check-package.cjs"
  cp "$compat/client-flow-smoke.cjs" .
  node client-flow-smoke.cjs
  node "$compat/extract-readme-snippets.mjs" "$root/README.md" .
  cp "$compat/consumer/readme-snippets.spec.ts" test/
  npx tsc -p tsconfig.json
  npx vitest run
done
