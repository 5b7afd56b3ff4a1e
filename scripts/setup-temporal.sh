#!/usr/bin/env sh
# Convenience: makes the Temporal CLI available now (`npm start` and `npm test` do it themselves
# when it is missing). Same as `npm run setup:temporal`; see runtime/temporal-provision.ts.
set -eu
cd "$(dirname "$0")/.."
exec node --import tsx runtime/temporal-provision.ts
