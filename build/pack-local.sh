#!/usr/bin/env bash
# Packs src/MixtureModels (and the optional packages src/MixtureModels.Parquet, src/MixtureModels.Arrow and
# src/MixtureModels.Orleans, same version) into the local feed artifacts/packages with a version used once only,
# <VersionPrefix>-local.<unix seconds>.<process id> (VersionPrefix is set in Directory.Build.props, the only place the
# version is set), and writes that version to artifacts/packages/MixtureModels.version.
# tests/MixtureModels.ConsumerTests references exactly that version, so every pack is restored afresh: NuGet's
# global packages folder caches a package by id and version, and a reused version would serve the old build.
# Run it once before building or testing the solution (.ci/run does); run it again after changing src/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
feed="$root/artifacts/packages"
suffix="local.$(date -u +%s).$$"
version="$(dotnet msbuild "$root/src/MixtureModels/MixtureModels.csproj" -nologo -getProperty:Version -p:VersionSuffix="$suffix")"

mkdir -p "$feed"
rm -f "$feed"/MixtureModels.*.nupkg "$feed"/MixtureModels.*.snupkg
for package in MixtureModels MixtureModels.Parquet MixtureModels.Arrow MixtureModels.Orleans; do
  dotnet pack "$root/src/$package" -c Release -o "$feed" -p:VersionSuffix="$suffix" --nologo
  test -f "$feed/$package.$version.nupkg" || { echo "pack-local: expected $feed/$package.$version.nupkg" >&2; exit 1; }
done
printf '%s\n' "$version" > "$feed/MixtureModels.version.tmp"
mv "$feed/MixtureModels.version.tmp" "$feed/MixtureModels.version"
echo "Packed MixtureModels, MixtureModels.Parquet, MixtureModels.Arrow and MixtureModels.Orleans $version into $feed"
