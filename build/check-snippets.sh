#!/usr/bin/env bash
# Compiles and runs every C# snippet of README.md and docs/**/*.md against the packed package, as a reader would:
# each ```csharp block (build/extract-snippets.awk says how a block can continue the previous one or be marked as a
# fragment) becomes Program.cs of its own console project, set up as `dotnet new console` sets one up (net10.0,
# implicit usings, nullable) plus a PackageReference to MixtureModels from the local feed artifacts/packages, with
# warnings as errors. All projects are built in one `dotnet build`; then each program runs in a scratch folder
# where samples/ is the repository's (snippets read samples/MixtureModels.Samples/data/*.csv). Fails on a compile
# error, a warning, a non-zero exit code, a program that prints nothing, or one that runs longer than 120 s.
#
# usage: build/check-snippets.sh [--pack] [--keep] [FILE.md ...]
#   --pack   pack the library first (build/pack-local.sh); without it the last pack is used, or one is made when
#            artifacts/packages/MixtureModels.version is missing. After changing src/, pass --pack.
#   --keep   keep the scratch folder (its path is printed; it is always kept when something fails)
#   FILE.md  check only these files (default: README.md and every docs/**/*.md outside docs/api and docs/_site)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
pack=0; keep=0; files=()
for arg in "$@"; do
  case "$arg" in
    --pack) pack=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) files+=("$arg") ;;
  esac
done
if [[ ${#files[@]} == 0 ]]; then
  files=(README.md)
  while IFS= read -r f; do files+=("$f"); done < <(find docs -name '*.md' -not -path 'docs/api/*' -not -path 'docs/_site/*' | LC_ALL=C sort)
fi

source build/package-scratch.sh
package_scratch snippets "$pack"
start=$SECONDS
for f in "${files[@]}"; do
  awk -v out="$work/programs" -v src="$root/$f" -f build/extract-snippets.awk "$f"
done
[[ -d "$work/programs" ]] || { echo "no \`\`\`csharp blocks in ${files[*]}"; rm -rf "$work"; exit 0; }

programs=()
{
  echo '<Solution>'
  for dir in "$work"/programs/*/; do
    n="$(basename "$dir")"; programs+=("$n")
    cat > "$dir/Snippet$n.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MixtureModels" Version="$version" />
  </ItemGroup>
</Project>
EOF
    echo "  <Project Path=\"programs/$n/Snippet$n.csproj\" />"
  done
  echo '</Solution>'
} > "$work/Snippets.slnx"

echo "Building ${#programs[@]} snippet programs against MixtureModels $version (in $work) ..."
built=1
if ! dotnet build "$work/Snippets.slnx" -c Release -nologo -clp:NoSummary -v:q > "$work/build.log" 2>&1; then
  built=0
  grep -E ': (error|warning) ' "$work/build.log" | sed -E 's/ \[[^]]*\]$//' | LC_ALL=C sort -u || cat "$work/build.log"
  echo "snippet build FAILED (log: $work/build.log); running the programs that built"
fi
echo "built in $((SECONDS - start)) s"

mkdir -p "$work/run"
failed=0; passed=0
for n in "${programs[@]}"; do
  src="$(cat "$work/programs/$n/source")"; src="${src#"$root"/}"
  cwd="$work/run/$n"; mkdir -p "$cwd"; ln -s "$root/samples" "$cwd/samples"
  dll="$work/programs/$n/bin/Release/net10.0/Snippet$n.dll"
  if [[ ! -f "$dll" ]]; then
    echo "BROKEN $src: does not compile (errors above)"; failed=$((failed + 1)); continue
  fi
  t0=$SECONDS; rc=0
  (cd "$cwd" && timeout 120 dotnet "$dll") > "$work/run/$n.out" 2>&1 || rc=$?
  lines=$(wc -l < "$work/run/$n.out")
  if [[ $rc != 0 ]]; then
    echo "BROKEN $src (exit code $rc, $((SECONDS - t0)) s):"; sed 's/^/    /' "$work/run/$n.out" | tail -40; failed=$((failed + 1))
  elif [[ $lines == 0 ]]; then
    echo "BROKEN $src: printed nothing (a snippet shows its result)"; failed=$((failed + 1))
  else
    echo "ran  $src ($((SECONDS - t0)) s, $lines lines of output)"; passed=$((passed + 1))
  fi
done
echo "snippet programs built and run in $((SECONDS - start)) s"
echo "snippet programs: $passed ran and printed, $failed broken"
if [[ $failed != 0 || $built == 0 ]]; then echo "outputs kept in $work/run" >&2; exit 1; fi
if [[ $keep == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
