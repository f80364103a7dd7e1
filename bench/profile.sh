#!/usr/bin/env bash
# Profiles one phase of the bench with dotnet-trace: starts the bench, waits for the phase to begin (a line on its
# stderr), samples every .NET thread's stack (~100 Hz, waiting threads included) for a while, and prints the hottest
# frames. Needs dotnet-trace (`dotnet tool install --global dotnet-trace`).
#
#   bench/profile.sh [phase-marker] [seconds] -- <bench options>
#   bench/profile.sh "warm dispatch:" 20 -- --projects 10000 --districts 200 --scenarios dispatch
#
# The trace (.nettrace, and .speedscope.json for https://www.speedscope.app) is left in bench/traces/.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=${1:-"warm dispatch:"}
seconds=${2:-20}
shift 2 || true
[ "${1:-}" = "--" ] && shift
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || { echo "dotnet-trace is missing: dotnet tool install --global dotnet-trace" >&2; exit 1; }

dotnet build -c Release bench/Dispatch.Bench >/dev/null
mkdir -p bench/traces
stamp=$(date +%Y%m%d-%H%M%S)
err=bench/traces/bench-$stamp.err
dotnet bench/Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll "$@" >bench/traces/bench-$stamp.out 2>"$err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until grep -q -- "$marker" "$err" 2>/dev/null; do
  kill -0 $pid 2>/dev/null || { echo "bench ended before '$marker'" >&2; tail -5 "$err" >&2; exit 1; }
  sleep 0.5
done
echo "profiling '$marker' for $seconds s (pid $pid)" >&2
dotnet-trace collect -p $pid --profile dotnet-sampled-thread-time --duration "00:00:00:$seconds" \
  -o bench/traces/$stamp.nettrace --format Speedscope >/dev/null
dotnet-trace report bench/traces/$stamp.nettrace topN -n 25 --inclusive
wait $pid || true
trap - EXIT
grep '^bench=' bench/traces/bench-$stamp.out || true
echo "trace: bench/traces/$stamp.nettrace" >&2
