#!/usr/bin/env bash
# NativeAOT: publishes samples/LsrGen.Demo as a native executable twice (for the baseline instruction set NativeAOT
# targets by default, and with IlcInstructionSet=native for this machine's), runs each and compares its whole output
# with the JIT build's at the same vector width. Any trim or AOT warning fails. Installs the native toolchain (clang,
# zlib1g-dev) when it is missing. Prints "aot test: NAME passed|failed" lines for .ci/run to count, and size and
# start-up time against the JIT build.
set -uo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} for the native link"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jit_dll=samples/LsrGen.Demo/bin/Release/net10.0/LsrGen.Demo.dll
if ! dotnet build samples/LsrGen.Demo -c Release >"$work/build.log" 2>&1; then
  tail -20 "$work/build.log"
  echo "aot test: JIT build of the demo failed"
  exit 1
fi

# Best of five wall-clock runs, in milliseconds.
best_ms() {
  local best=999999 start end ms
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    ms=$(((end - start) / 1000000))
    [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best"
}

status=0
# variant, extra publish properties, the JIT's switches for the same vector width
for variant in baseline native; do
  if [ "$variant" = native ]; then
    props="-p:IlcInstructionSet=native"
    isa=""
  else
    props=""
    isa="DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0"
  fi

  out="$work/$variant"
  if ! dotnet publish samples/LsrGen.Demo -c Release -r linux-x64 $props -o "$out" >"$work/publish-$variant.log" 2>&1; then
    tail -30 "$work/publish-$variant.log"
    echo "aot test: publish ($variant instruction set) failed"
    status=1
    continue
  fi

  warnings=$(grep -E ': warning [A-Z]+[0-9]+' "$work/publish-$variant.log" | sort -u)
  if [ -n "$warnings" ]; then
    echo "$warnings"
    echo "aot test: publish ($variant instruction set) has trim or AOT warnings: failed"
    status=1
  else
    echo "aot test: publish ($variant instruction set) without warnings passed"
  fi

  "$out/LsrGen.Demo" >"$work/aot-$variant.txt" 2>&1
  aot_status=$?
  env $isa dotnet "$jit_dll" >"$work/jit-$variant.txt" 2>&1
  if [ "$aot_status" -eq 0 ] && diff "$work/jit-$variant.txt" "$work/aot-$variant.txt"; then
    echo "aot test: native demo ($variant instruction set) prints the JIT build's output passed"
  else
    echo "aot test: native demo ($variant instruction set) prints the JIT build's output failed (exit $aot_status)"
    status=1
  fi

  size=$(stat -c %s "$out/LsrGen.Demo")
  echo "aot: $variant binary $((size / 1024)) KB; start to exit $(best_ms "$out/LsrGen.Demo") ms native, $(best_ms env $isa dotnet "$jit_dll") ms JIT (best of 5)"
done

exit $status
