#!/usr/bin/env bash
# The consumer test: a fresh console project (`dotnet new console`) that references the packed MixtureModels package from
# the local feed artifacts/packages — as an application outside this repository would — with build/consumer/Program.cs
# as its program. It is built and run for net10.0, and built for net8.0; the net8.0 build is also run on the installed
# runtime with DOTNET_ROLL_FORWARD=Major when no .NET 8 runtime is installed (the SDK image has .NET 10 only), which runs
# the package's net8.0 assembly. Fails on a restore or compile error, a warning, or a failed check of the program.
#
# usage: build/consumer-test.sh [--pack] [--keep]
#   --pack   pack the library first (build/pack-local.sh); without it the last pack is used, or one is made when
#            artifacts/packages/MixtureModels.version is missing
#   --keep   keep the scratch project (its path is printed; it is always kept when something fails)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
pack=0; keep=0
for arg in "$@"; do
  case "$arg" in
    --pack) pack=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unexpected argument: $arg" >&2; exit 2 ;;
  esac
done

source build/package-scratch.sh
package_scratch consumer "$pack"
trap 'echo "consumer test FAILED; the project is kept in $work" >&2' ERR
start=$SECONDS

cd "$work"
dotnet new console -n Consumer -o Consumer --no-restore > /dev/null
cd Consumer
# Both target frameworks the package ships; warnings as errors, as a strict consumer builds.
sed -i -E 's|<TargetFramework>[^<]*</TargetFramework>|<TargetFrameworks>net10.0;net8.0</TargetFrameworks>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>|' Consumer.csproj
dotnet add package MixtureModels --version "$version" > add-package.log 2>&1 || { cat add-package.log >&2; exit 1; }
cp "$root/build/consumer/Program.cs" Program.cs

for tfm in net10.0 net8.0; do
  dotnet build -c Release -f "$tfm" --no-restore -nologo > "build-$tfm.log" 2>&1 || { grep -E ': (error|warning) ' "build-$tfm.log" >&2 || cat "build-$tfm.log" >&2; exit 1; }
  echo "built Consumer for $tfm against MixtureModels $version"
done

echo "--- net10.0:"
dotnet bin/Release/net10.0/Consumer.dll
echo "--- net8.0:"
if dotnet --list-runtimes | grep -q '^Microsoft.NETCore.App 8\.'; then
  dotnet bin/Release/net8.0/Consumer.dll
else
  echo "(no .NET 8 runtime installed: running the net8.0 build on $(dotnet --list-runtimes | grep '^Microsoft.NETCore.App' | tail -1 | cut -d' ' -f2) with DOTNET_ROLL_FORWARD=Major)"
  DOTNET_ROLL_FORWARD=Major dotnet bin/Release/net8.0/Consumer.dll
fi

echo "consumer test done in $((SECONDS - start)) s: every check holds"
trap - ERR
cd "$root"
if [[ $keep == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
