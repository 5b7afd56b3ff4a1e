#!/usr/bin/env sh
# Makes the Temporal CLI (dev server for `npm start` and the tests) available in .tools/bin.
#  1. `temporal` already on PATH or in .tools/bin: nothing to do.
#  2. Go present: build the pinned version (about 3.5 min cold, seconds from Go's build cache;
#     CI caches ~/.cache/go-build, ~/go/pkg/mod and .tools between runs).
#  3. Otherwise: the tests' TestWorkflowEnvironment.createLocal() can download it (internet needed);
#     or install it from https://temporal.io/setup and put it on PATH.
set -eu
VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.tools/bin"

if [ -x "$BIN/temporal" ]; then
  echo "temporal: $BIN/temporal ($("$BIN/temporal" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if command -v temporal >/dev/null 2>&1; then
  echo "temporal: $(command -v temporal) ($(temporal --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if command -v go >/dev/null 2>&1; then
  mkdir -p "$BIN"
  echo "building temporal CLI $VERSION with $(go version) into $BIN (a few minutes the first time)..."
  GOBIN="$BIN" CGO_ENABLED=0 go install -ldflags '-s -w' "github.com/temporalio/cli/cmd/temporal@$VERSION"
  echo "temporal: $BIN/temporal ($("$BIN/temporal" --version))"
  exit 0
fi
echo "temporal CLI not found and Go is not installed." >&2
echo "Install it (https://temporal.io/setup) and put it on PATH, or install Go and run this again." >&2
echo "Without it, npm start needs TEMPORAL_ADDRESS pointing at a Temporal server." >&2
exit 1
