#!/usr/bin/env bash
# fresh.sh DIR COMMAND...: runs COMMAND with DIR removed first, so a rerun never sees an old trace.
set -euo pipefail
rm -rf "$1"
shift
exec "$@"
