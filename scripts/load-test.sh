#!/usr/bin/env bash
# Load and fault test of `runtime serve` against a real server process on 127.0.0.1 (tests/Runtime/Host/Serving/LoadTests.cs,
# NUnit category "Load"): steady load from 32 clients for SECONDS (default 30), then a burst past the concurrency bound,
# a hostile mix of bad bodies, and aborting clients (each at most 10 s), a memory check, every request path repeated on a
# server of its own (80 scores of 64 images at k = 256, 400 of each other path; RSS must level off: under 24 MB of growth
# over the second half of the repetitions) and a SIGTERM shutdown.
# Prints throughput, p50/p99 latency, answers by status and server RSS; the report is also kept in TestResults/.
# Usage: scripts/load-test.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
report="${VAEONNX_LOAD_REPORT:-$PWD/TestResults/load-report.txt}"
mkdir -p "$(dirname "$report")"
rm -f "$report"
status=0
VAEONNX_LOAD_SECONDS="$seconds" VAEONNX_LOAD_REPORT="$report" \
  dotnet test tests -c Release --filter "Category=Load" --logger "console;verbosity=minimal" || status=$?
echo
if [ -f "$report" ]; then cat "$report"; else echo "load-test: no report was written (see the test output above)" >&2; fi
exit "$status"
