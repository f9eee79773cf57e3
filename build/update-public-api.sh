#!/usr/bin/env bash
# Generate PublicAPI.{Shipped,Unshipped}.txt for the MixtureModels library from the
# Microsoft.CodeAnalysis.PublicApiAnalyzers diagnostics (the IDE code fix is not
# available on the command line).
#
# usage: build/update-public-api.sh REPO [--shipped] [--fresh] [--project REL/PATH.csproj] [--no-verify]
#   REPO        repository root (e.g. /work/main)
#   --shipped   write new symbols into PublicAPI.Shipped.txt (default: Unshipped)
#   --fresh     empty both files (header only) before generating
#   --project   library project, relative to REPO (default src/MixtureModels/MixtureModels.csproj)
#   --no-verify skip the final `dotnet build -c Release -warnaserror` of the whole repo
#
# What it does (idempotent, safe to re-run after API changes):
#   1. adds the analyzer PackageReference + AdditionalFiles to the csproj if missing;
#   2. creates the two files with the `#nullable enable` header if missing;
#   3. builds the library (all TFMs) with warnings not as errors, collects
#      RS0016 "Symbol 'X' is not part of the declared public API"  -> add X
#      RS0017 "Symbol 'X' is part of the declared public API, but ..." -> remove X
#      and repeats until neither is reported (max 4 passes);
#   4. verifies the whole repo builds with -c Release -warnaserror.
set -euo pipefail

ANALYZER_VERSION=5.6.0
REPO=""; TARGET=Unshipped; FRESH=0; VERIFY=1; PROJ_REL=src/MixtureModels/MixtureModels.csproj
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shipped) TARGET=Shipped ;;
    --unshipped) TARGET=Unshipped ;;
    --fresh) FRESH=1 ;;
    --no-verify) VERIFY=0 ;;
    --project) PROJ_REL="$2"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) if [[ -z "$REPO" ]]; then REPO="$1"; else echo "unexpected argument: $1" >&2; exit 2; fi ;;
  esac
  shift
done
[[ -n "$REPO" ]] || { echo "usage: $0 REPO [--shipped] [--fresh] [--project P] [--no-verify]" >&2; exit 2; }
REPO=$(cd "$REPO" && pwd)
PROJ="$REPO/$PROJ_REL"
[[ -f "$PROJ" ]] || { echo "no project at $PROJ" >&2; exit 2; }
DIR=$(dirname "$PROJ")
SHIPPED="$DIR/PublicAPI.Shipped.txt"; UNSHIPPED="$DIR/PublicAPI.Unshipped.txt"
OUT="$DIR/PublicAPI.$TARGET.txt"
LOG=$(mktemp -t publicapi.XXXXXX.log)
start=$SECONDS

# 1. csproj snippet
if ! grep -q 'Microsoft.CodeAnalysis.PublicApiAnalyzers' "$PROJ"; then
  echo "adding PublicApiAnalyzers $ANALYZER_VERSION to $PROJ_REL"
  python3 - "$PROJ" "$ANALYZER_VERSION" <<'PY'
import sys
p, v = sys.argv[1], sys.argv[2]
s = open(p, encoding='utf-8-sig').read()
snip = f'''  <ItemGroup>
    <!-- Public API tracking: new public symbols go into PublicAPI.Unshipped.txt (RS0016), removed ones are flagged (RS0017). -->
    <PackageReference Include="Microsoft.CodeAnalysis.PublicApiAnalyzers" Version="{v}">
      <PrivateAssets>all</PrivateAssets>
      <IncludeAssets>runtime; build; native; contentfiles; analyzers; buildtransitive</IncludeAssets>
    </PackageReference>
    <AdditionalFiles Include="PublicAPI.Shipped.txt" />
    <AdditionalFiles Include="PublicAPI.Unshipped.txt" />
  </ItemGroup>
'''
i = s.rindex('</Project>')
open(p, 'w', encoding='utf-8').write(s[:i] + snip + s[i:])
PY
fi

# 2. files with header
for f in "$SHIPPED" "$UNSHIPPED"; do
  if [[ $FRESH == 1 || ! -s "$f" ]]; then printf '#nullable enable\n' > "$f"; fi
  if [[ "$(sed -n '1{s/^\xEF\xBB\xBF//;s/\r$//;p}' "$f")" != "#nullable enable" ]]; then
    { printf '#nullable enable\n'; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
  fi
done

# 3. build, parse, merge, repeat
symbols() { # $1 = rule, prints the quoted symbol of each diagnostic of that rule, unique
  grep -E "(error|warning) $1:" "$LOG" | sed -nE "s/^.*$1: Symbol '(.*)' is (not part|part) of the declared (public )?API.*$/\1/p" | LC_ALL=C sort -u || true
}
rewrite() { # $1 = file, $2 = lines to add (file), $3 = lines to remove (file)
  python3 - "$1" "$2" "$3" <<'PY'
import sys
path, add, rem = sys.argv[1:4]
lines = [l.rstrip('\r\n') for l in open(path, encoding='utf-8-sig')]
body = [l for l in lines[1:] if l.strip()]
remove = {l.rstrip('\n') for l in open(rem, encoding='utf-8')} if rem != '-' else set()
new = [l.rstrip('\n') for l in open(add, encoding='utf-8')] if add != '-' else []
body = sorted(set(l for l in body if l not in remove) | set(new),
              key=lambda l: (l.startswith('*REMOVED*'), l))   # ordinal, *REMOVED* lines last
open(path, 'w', encoding='utf-8', newline='\n').write('#nullable enable\n' + ''.join(l + '\n' for l in body))
PY
}
for pass in 1 2 3 4; do
  echo "pass $pass: building $PROJ_REL ..."
  set +e
  dotnet build "$PROJ" -c Release --no-incremental -nologo -clp:NoSummary \
    -p:TreatWarningsAsErrors=false > "$LOG" 2>&1
  rc=$?
  set -e
  if grep -E ' error [A-Z]+[0-9]+:' "$LOG" | grep -vqE 'error RS00(16|17):'; then
    grep -E ' error ' "$LOG" | grep -vE 'error RS00(16|17):' | sort -u | head -20 >&2
    echo "build has errors other than RS0016/RS0017 (log: $LOG)" >&2; exit 1
  fi
  symbols RS0016 > "$LOG.add"; symbols RS0017 > "$LOG.rem"
  nadd=$(wc -l < "$LOG.add"); nrem=$(wc -l < "$LOG.rem")
  echo "  RS0016 (add): $nadd   RS0017 (remove): $nrem"
  if [[ $nadd == 0 && $nrem == 0 ]]; then
    [[ $rc == 0 ]] || { echo "build failed (log: $LOG)" >&2; exit 1; }
    break
  fi
  [[ $pass != 4 ]] || { echo "still RS0016/RS0017 after 4 passes (log: $LOG)" >&2; exit 1; }
  if [[ $TARGET == Unshipped ]]; then
    # a removed symbol that was shipped is recorded as *REMOVED*<symbol> in Unshipped (analyzer convention);
    # one that was only unshipped is simply deleted
    grep -Fxf "$LOG.rem" <(tail -n +2 "$SHIPPED") | sed 's/^/*REMOVED*/' >> "$LOG.add" || true
    rewrite "$UNSHIPPED" "$LOG.add" "$LOG.rem"
  else
    rewrite "$SHIPPED" "$LOG.add" "$LOG.rem"
    rewrite "$UNSHIPPED" - "$LOG.rem"
  fi
done
other_rs=$(grep -oE '(warning|error) RS[0-9]{4}' "$LOG" | sort | uniq -c || true)
if [[ -n "$other_rs" ]]; then
  echo "other public-API diagnostics still reported (RS0026/RS0027 fire only for Unshipped entries: rerun with --shipped for a baseline, or fix the overloads):" >&2; echo "$other_rs" >&2
  grep -E 'RS[0-9]{4}:' "$LOG" | sort -u | head -20 >&2; exit 1
fi
echo "$(($(wc -l < "$SHIPPED") - 1)) lines in PublicAPI.Shipped.txt, $(($(wc -l < "$UNSHIPPED") - 1)) in PublicAPI.Unshipped.txt"

# 4. verify
if [[ $VERIFY == 1 ]]; then
  echo "verifying: dotnet build -c Release -warnaserror (whole repo) ..."
  if ! (cd "$REPO" && dotnet build -c Release -warnaserror --no-incremental -nologo -clp:NoSummary > "$LOG" 2>&1); then
    grep -E ' error ' "$LOG" | sort -u | head -30 >&2
    echo "verification build FAILED (log: $LOG)" >&2; exit 1
  fi
  echo "verification build passed"
fi
rm -f "$LOG" "$LOG.add" "$LOG.rem"
echo "done in $((SECONDS - start)) s"
