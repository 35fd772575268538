#!/usr/bin/env bash
# Installs the packed library beside Nest 12 (ESM-only packages, loaded through require(esm)) in a
# temporary folder and runs the client flow against the simulator. Needs `npm run build` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "./$tarball" @nestjs/common@12 @nestjs/core@12 \
  @nestjs/platform-express@12 @nestjs/axios@12 axios rxjs reflect-metadata class-validator \
  class-transformer
cp "$root/test/compat/nest12-smoke.cjs" .
node nest12-smoke.cjs
