#!/usr/bin/env bash
# Proves the package as users get it. Packs the build and, for each Nest major given (default: 12
# and 11), makes a throwaway app: the Nest packages `nest new` gives, then the README's install
# lines for that major exactly as written (extracted, with `nestjs-verigator` pointing at the
# tarball), so no optional peer they do not name is installed. Then, once per major:
# checks the package (LICENSE, inlined source maps, its `exports`), type-checks a consumer of `.`
# and `./testing` in every TypeScript setup (typecheck.mjs) and type-checks the README's snippets;
# and on each Node.js binary given in COMPAT_NODES (default: the `node` on the PATH): runs the
# client flow from CommonJS (Nest 12 is ESM-only: loaded through require(esm)), checks that
# `import` gives the API `require` gives, and runs the README's snippets with Vitest. Last, with
# @opentelemetry/api installed, type-checks a consumer of `./opentelemetry` in every setup.
# A README line or snippet that stops working fails CI.
# Needs `npm run build` first. Usage: COMPAT_NODES="/path/node22 /path/node24" bash run-compat.sh [12] [11]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
compat="$root/test/compat"
if [ ! -x "$root/dist/testing/cli.js" ]; then
  echo 'dist/testing/cli.js is not executable after the build' >&2
  exit 1
fi
read -r -a nodes <<<"${COMPAT_NODES:-$(command -v node)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(12 11)

for major in "${majors[@]}"; do
  echo "--- Nest $major app"
  project="$work/nest$major"
  mkdir -p "$project"
  cd "$project"
  npm init -y >/dev/null
  npm pkg set type=module
  # The app: what `nest new` gives on this Nest major.
  npm install --no-audit --no-fund --silent "@nestjs/common@$major" "@nestjs/core@$major" \
    "@nestjs/platform-express@$major" reflect-metadata rxjs
  # The README's install lines for this major, as written.
  lines="$(node "$compat/readme-install-lines.cjs" "$root/README.md" "$major" "$tarball")"
  while read -r line; do
    echo "README: ${line/$tarball/nestjs-verigator}"
    eval "$line --no-audit --no-fund --silent"
  done <<<"$lines"
  # An optional peer (peerDependenciesMeta) the README's lines do not name stays out, so the
  # checks below prove the package works without it.
  for peer in $(node -p "Object.keys(require('$root/package.json').peerDependenciesMeta).join(' ')"); do
    if [ -e "node_modules/$peer" ] && ! grep -qE "(^| )$peer(@| |$)" <<<"$lines"; then
      echo "the optional peer $peer got installed: the checks below would not prove it optional" >&2
      exit 1
    fi
  done
  version() { node -p "require('./node_modules/$1/package.json').version"; }
  echo "@nestjs/core $(version @nestjs/core), @nestjs/axios $(version @nestjs/axios)," \
    "@nestjs/config $(version @nestjs/config), typescript $(version typescript)," \
    "vitest $(version vitest)"
  node "$compat/check-package.cjs"
  # node10 needs a TypeScript before 7: the repo's own (a Nest 11 app's TypeScript 5).
  node "$compat/typecheck.mjs" "$major" "$root/node_modules/typescript/bin/tsc"
  cp "$compat/client-flow-smoke.cjs" "$compat/esm-api.mjs" .
  node "$compat/extract-readme-snippets.mjs" "$root/README.md" .
  cp "$compat/consumer/readme-snippets.spec.ts" test/
  npx tsc -p tsconfig.json
  for node in "${nodes[@]}"; do
    echo "--- Nest $major on Node.js $("$node" -v)"
    (
      export PATH="$(dirname "$node"):$PATH"
      node client-flow-smoke.cjs
      node esm-api.mjs
      npx vitest run
    )
  done
  # The OpenTelemetry entry point, once its optional peer is installed as docs/opentelemetry.md says.
  npm install --no-audit --no-fund --silent @opentelemetry/api
  node "$compat/typecheck.mjs" "$major" "$root/node_modules/typescript/bin/tsc" opentelemetry
done
