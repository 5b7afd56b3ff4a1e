#!/bin/sh
# Waits until the Temporal frontend at TEMPORAL_ADDRESS serves, then registers TEMPORAL_NAMESPACE
# (retention TEMPORAL_NAMESPACE_RETENTION, default 7d) unless it exists. Safe to run again.
# Run by the `temporal-namespace` job of docker-compose.yml (temporalio/admin-tools) and by
# `npm run e2e:cluster` with the project's `temporal` CLI.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS (host:port of the frontend)}"
: "${TEMPORAL_NAMESPACE:=default}"
tries=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "Temporal at $TEMPORAL_ADDRESS did not serve within 120 s" >&2
    exit 1
  fi
  sleep 1
done
if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" \
    --namespace "$TEMPORAL_NAMESPACE" --retention "${TEMPORAL_NAMESPACE_RETENTION:-7d}"
fi
