#!/usr/bin/env bash
# The test command (README, .ci/run): packs the library for the consumer tests, runs every test project, then runs
# them again with AVX-512 switched off so that the 256-bit and scalar fallbacks of the kernels are exercised too.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash build/pack-local.sh
dotnet test MixtureModels.sln -c Release
DOTNET_EnableAVX512F=0 dotnet test MixtureModels.sln -c Release --no-build
