#!/usr/bin/env bash
# The test command (README, .ci/run): packs the library for the consumer tests, runs every test project, then runs
# them again with AVX-512 switched off so that the 256-bit and scalar fallbacks of the kernels are exercised too.
# It ends with one plain summary line, "N passed, N failed, N skipped" alone on the line, added up over both runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

log="$(mktemp)"
# The summary line is also written to artifacts/test-summary.txt so that .ci/run can repeat it as its very last line.
mkdir -p artifacts
summary="artifacts/test-summary.txt"
rm -f "$summary"
trap 'rm -f "$log"' EXIT

bash build/pack-local.sh
status=0
dotnet test MixtureModels.sln -c Release 2>&1 | tee -a "$log" || status=$?
if [ "$status" -eq 0 ]; then
  DOTNET_EnableAVX512F=0 dotnet test MixtureModels.sln -c Release --no-build 2>&1 | tee -a "$log" || status=$?
fi

# dotnet test closes each test assembly with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..."
# (or "Failed!  - ..."); add them up into the one line that any CI reader understands.
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    line = $0
    sub(/.*Failed: +/, "", line); f += line + 0
    line = $0; sub(/.*Passed: +/, "", line); p += line + 0
    line = $0; sub(/.*Skipped: +/, "", line); s += line + 0
    n++
  }
  END {
    if (n == 0) { print "no test assembly reported a result" > "/dev/stderr"; exit 1 }
    printf "%d passed, %d failed, %d skipped\n", p, f, s
  }' "$log" | tee "$summary" || status=1
exit "$status"
