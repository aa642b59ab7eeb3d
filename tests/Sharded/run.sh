#!/usr/bin/env bash
# Runs samples/LsrGen.Sharded under Open MPI with P = 1, 2 and 4 ranks on this machine: every rank checks its loss
# and gradient slice against the single-process loss. Installs openmpi-bin and libopenmpi-dev when mpiexec or
# libmpi is missing. Prints "mpi test: P = n passed|failed" lines for .ci/run to count.
set -uo pipefail
cd "$(dirname "$0")/../.."

if ! command -v mpiexec >/dev/null 2>&1 || ! ldconfig -p | grep -q 'libmpi.so.40'; then
  echo "installing openmpi-bin and libopenmpi-dev"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq openmpi-bin libopenmpi-dev >/dev/null
fi

dll=samples/LsrGen.Sharded/bin/Release/net10.0/LsrGen.Sharded.dll
if [ ! -f "$dll" ] && ! dotnet build samples/LsrGen.Sharded -c Release >/dev/null 2>&1; then
  echo "mpi test: build of samples/LsrGen.Sharded failed"
  exit 1
fi

# As root (CI), Open MPI wants --allow-run-as-root; 4 ranks on 2 cores need --oversubscribe. Single-copy shared memory
# (CMA) needs ptrace rights containers often lack: plain copies instead. Bound to one core (Open MPI's default), a
# .NET rank ran its steps 10x slower (the runtime's own threads share that core): --bind-to none.
flags="--oversubscribe --bind-to none --mca btl_vader_single_copy_mechanism none"
[ "$(id -u)" -eq 0 ] && flags="--allow-run-as-root $flags"
status=0
for ranks in 1 2 4; do
  out=$(timeout 900 mpiexec $flags -n "$ranks" dotnet "$dll" 32 100 2>&1)
  code=$?
  echo "$out"
  if [ "$code" -eq 0 ] && grep -q "^sharded test: $ranks rank(s) passed" <<< "$out"; then
    echo "mpi test: P = $ranks passed"
  else
    echo "mpi test: P = $ranks failed (exit $code)"
    status=1
  fi
done

exit $status
