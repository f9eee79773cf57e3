# Sourced by build/check-snippets.sh and build/consumer-test.sh: a scratch folder outside the repository in which
# projects restore MixtureModels from the local feed artifacts/packages, as an application elsewhere would.
#
# package_scratch NAME PACK   packs the library first when PACK is 1 or nothing was packed yet (build/pack-local.sh),
#                             then sets feed, version (the packed version) and work (a new folder under $TMPDIR, named
#                             mixturemodels-NAME.*) holding a NuGet.config that adds the feed to the machine's sources
#                             and empty Directory.Build.props/.targets, so MSBuild looks no further up for them.
package_scratch() {
  feed="$root/artifacts/packages"
  if [[ $2 == 1 || ! -f "$feed/MixtureModels.version" ]]; then bash "$root/build/pack-local.sh"; fi
  version="$(cat "$feed/MixtureModels.version")"
  work="$(mktemp -d "${TMPDIR:-/tmp}/mixturemodels-$1.XXXXXX")"
  cat > "$work/NuGet.config" <<NUGET
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="mixturemodels-local" value="$feed" />
  </packageSources>
</configuration>
NUGET
  printf '<Project />\n' > "$work/Directory.Build.props"
  printf '<Project />\n' > "$work/Directory.Build.targets"
}
