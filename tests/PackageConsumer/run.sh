#!/usr/bin/env bash
# Packs LsrGen into a temp folder and builds two user projects against only that folder plus the normal
# registry: a good one that must build, run and print OK, and a bad one that must fail with LSR0001.
# Prints one line per check ("package test: NAME passed|failed") and exits non-zero on a failure.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -1)
export NUGET_PACKAGES="$work/packages" # a fresh cache: an older LsrGen of the same version can never be picked up
failed=0

if ! dotnet pack "$repo/runtime/LsrGen.csproj" -c Release -o "$work/feed" > "$work/pack.log" 2>&1; then
  cat "$work/pack.log"; echo "package test: pack failed"; exit 1
fi
ls "$work/feed"

# The machine's own registries (whatever `dotnet nuget list source` shows) for everything but LsrGen, which may only
# come from the local feed.
registries=$(dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ {print $2}')
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo '  <packageSources>'
  echo '    <clear />'
  echo "    <add key=\"local\" value=\"$work/feed\" />"
  i=0; for url in $registries; do echo "    <add key=\"registry$i\" value=\"$url\" />"; i=$((i+1)); done
  echo '  </packageSources>'
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="local"><package pattern="LsrGen" /></packageSource>'
  i=0; for url in $registries; do echo "    <packageSource key=\"registry$i\"><package pattern=\"*\" /></packageSource>"; i=$((i+1)); done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} > "$work/nuget.config"

for name in Good Bad; do
  mkdir -p "$work/$name"
  cp "$repo/tests/PackageConsumer/$name/"* "$work/$name/"
  cp "$work/nuget.config" "$work/$name/"
done

# Package layout: runtime under lib/, generator under analyzers/, no Roslyn dependency.
nupkg="$work/feed/LsrGen.$version.nupkg"
layout=$(unzip -l "$nupkg")
for entry in "lib/net10.0/LsrGen.dll" "lib/net10.0/LsrGen.xml" "analyzers/dotnet/cs/LsrGen.Generator.dll" "README.md"; do
  if ! grep -q "$entry" <<< "$layout"; then echo "package test: layout failed (missing $entry)"; failed=1; fi
done
if grep -q "lib/.*LsrGen.Generator.dll" <<< "$layout" || unzip -p "$nupkg" LsrGen.nuspec | grep -qi "Microsoft.CodeAnalysis"; then
  echo "package test: layout failed (generator in lib/ or a Roslyn dependency)"; failed=1
fi
if ! unzip -p "$nupkg" LsrGen.nuspec | grep -q 'id="System.Numerics.Tensors"'; then
  echo "package test: layout failed (no System.Numerics.Tensors dependency for the tensor-span overloads)"; failed=1
fi
[ "$failed" -eq 0 ] && echo "package test: layout passed"

if (cd "$work/Good" && dotnet build -c Release -p:LsrGenVersion="$version" > build.log 2>&1 && dotnet run -c Release --no-build -p:LsrGenVersion="$version" | tee run.log | grep -q OK); then
  cat "$work/Good/run.log"; echo "package test: consumer passed"
else
  cat "$work/Good/build.log" "$work/Good/run.log" 2>/dev/null | tail -30; echo "package test: consumer failed"; failed=1
fi

if (cd "$work/Bad" && dotnet build -c Release -p:LsrGenVersion="$version" > build.log 2>&1); then
  echo "package test: bad declaration failed (it built)"; failed=1
elif grep -q "LSR0001" "$work/Bad/build.log"; then
  echo "package test: bad declaration passed (LSR0001)"
else
  tail -20 "$work/Bad/build.log"; echo "package test: bad declaration failed (no LSR0001)"; failed=1
fi

exit "$failed"
