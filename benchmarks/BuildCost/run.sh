#!/usr/bin/env bash
# What a [GeneratedLsrKernels(K)] declaration costs a user's build: a library project referencing the runtime and the
# generator (as the package does) is built with 0 declarations, 1 (K = 3, 10, 20, 32) and 5 (K = 10..14); for each, the
# median of REBUILDS rebuilds after touching a source file (wall time, and the generator's own time from ReportAnalyzer),
# the generated source (bytes and lines) and the assembly size. Prints a Markdown table. Each configuration is rebuilt
# twice over: with the compiler server (UseSharedCompilation=true, the .NET default, which keeps the generator loaded
# between builds) and without it (a fresh compiler process per build, as in an environment that sets
# UseSharedCompilation=false, like this project's machines).
# The "regex" row is the yardstick: the same project with one [GeneratedRegex] instead of a declaration, its generator
# column the .NET SDK's Regex generator's time and its other columns what that pattern costs.
#
#   bash benchmarks/BuildCost/run.sh                          # REBUILDS=5 by default
#   CONFIGS="regex;10" REBUILDS=7 bash benchmarks/BuildCost/run.sh   # some rows only
#   CSV=build-cost.csv bash benchmarks/BuildCost/run.sh       # also the rebuild times as a CSV the chart program draws
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rebuilds=${REBUILDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$repo/runtime/LsrGen.csproj" -c Release -v:q -nologo >/dev/null

make_project() { # name, K values... (or "regex")
  local dir="$work/$1"
  shift
  mkdir -p "$dir"
  cat > "$dir/Consumer.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <CompilerGeneratedFilesOutputPath>obj/generated</CompilerGeneratedFilesOutputPath>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/runtime/LsrGen.csproj" />
    <ProjectReference Include="$repo/generator/LsrGen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
PROJ
  {
    echo "namespace Consumer;"
    echo "public static class Touch { public const int Value = 0; }"
    if [ "${1:-}" = regex ]; then
      echo "public static partial class Patterns { [System.Text.RegularExpressions.GeneratedRegex(\"^[a-z]+[0-9]*\$\")] public static partial System.Text.RegularExpressions.Regex Word(); }"
    else
      for k in "$@"; do echo "[LsrGen.GeneratedLsrKernels($k)] public static partial class Head$k;"; done
    fi
  } > "$dir/Declarations.cs"
  echo "$dir"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

csv=${CSV:-}
[ -z "$csv" ] || echo "Method,Declarations,Mean" > "$csv"
echo "| declarations | rebuild, server | generator, server | rebuild, no server | generator, no server | generated source | generated lines | assembly |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
IFS=';' read -r -a configs <<< "${CONFIGS:-none;3;10;20;32;10 11 12 13 14;regex}"
for config in "${configs[@]}"; do
  name="c$(echo "$config" | tr ' ' '_')"
  generator='LsrGen\.Generator\.LsrKernelGenerator'
  if [ "$config" = none ]; then dir=$(make_project "$name"); label="none"
  elif [ "$config" = regex ]; then dir=$(make_project "$name" regex); label="one [GeneratedRegex] (Regex generator)"; generator='System\.Text\.RegularExpressions\.Generator\.RegexGenerator'
  else dir=$(make_project "$name" $config); label="K = ${config// /, }"; fi
  dotnet build "$dir/Consumer.csproj" -c Release -v:q -nologo >/dev/null
  cells=()
  for shared in true false; do
    dotnet build "$dir/Consumer.csproj" -c Release --no-restore -nologo -v:q -p:UseSharedCompilation=$shared >/dev/null
    walls=()
    gens=()
    for i in $(seq "$rebuilds"); do
      sed -i "s/Value = [0-9]*/Value = $i/" "$dir/Declarations.cs"
      start=$(date +%s.%N)
      out=$(dotnet build "$dir/Consumer.csproj" -c Release --no-restore -nologo -v:d -p:ReportAnalyzer=true -p:UseSharedCompilation=$shared 2>&1)
      end=$(date +%s.%N)
      walls+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
      gens+=("$(echo "$out" | grep -E "^\\s+[0-9.<]+\\s+[0-9<]+\\s+$generator\\s*\$" | head -1 | awk '{print $1}' | tr -d '<')")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    gen=$(printf '%s\n' "${gens[@]}" | grep -E '^[0-9.]+$' | median || true)
    cells+=("$(printf '%.1f s' "$wall")" "${gen:-0} s")
    if [ -n "$csv" ]; then
      [ "$shared" = true ] && server="with the compiler server" || server="a fresh compiler per build"
      case "$config" in none) short=none;; regex) short=GeneratedRegex;; *\ *) short="$(wc -w <<< "$config") declarations";; *) short="K = $config";; esac
      printf '"Rebuild, %s","%s",%s s\n' "$server" "$short" "$wall" >> "$csv"
    fi
  done
  bytes=$(find "$dir/obj/generated" -name '*.cs' -exec cat {} + 2>/dev/null | wc -c)
  lines=$(find "$dir/obj/generated" -name '*.cs' -exec cat {} + 2>/dev/null | wc -l)
  dll=$(stat -c %s "$dir/bin/Release/net10.0/Consumer.dll")
  printf '| %s | %s | %s | %s | %s | %s KB | %s | %s KB |\n' "$label" "${cells[0]}" "${cells[1]}" "${cells[2]}" "${cells[3]}" "$((bytes / 1024))" "$lines" "$((dll / 1024))"
done
