#!/usr/bin/env bash
# Makes DIR/libLibTorchSharp.so load on a libstdc++ older than GCC 13's (Debian 12): builds
# DIR/libios_base_library_init.so, which defines the one function it lacks, points the library's reference to that
# function at any version, makes the library load that file, and marks its need of GLIBCXX_3.4.32 weak.
# Usage: patch.sh DIR. Does nothing when DIR's copy is already patched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1%/}"
lib="$dir/libLibTorchSharp.so"
shim=libios_base_library_init.so
for tool in g++ patchelf python3; do
  command -v "$tool" > /dev/null || { echo "patch.sh: $tool is missing (apt-get install g++ patchelf python3)"; exit 1; }
done
if patchelf --print-needed "$lib" | grep -qx "$shim"; then
  exit 0
fi
g++ -shared -fPIC -O2 -o "$dir/$shim" "$here/ios_base_library_init.cpp"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$lib"
patchelf --add-needed "$shim" "$lib"
python3 "$here/weaken_version.py" "$lib" GLIBCXX_3.4.32
