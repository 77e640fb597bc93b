#!/usr/bin/env bash
# bench/remote/run.sh SCRIPT [ARGS…]: on a machine without Node, unpacks what
# bench/remote/pack.sh packed (from REMOTE_DIR, default .remote/ beside this repository)
# into a temporary folder and runs `node SCRIPT ARGS…` there with the packed node, e.g.
#   BENCH_ONLY_SERIES=1 bench/remote/run.sh dist/bench/sweep.js
#   bench/remote/run.sh dist/src/cli/main.js sweep scenarios/sweeps/gansu-levers.json --out /tmp/s
# The packed node is first on PATH, so that the benchmarks' child processes use it too.
# The temporary folder is removed afterwards; KEEP=1 keeps it.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
src=${REMOTE_DIR:-$here/.remote}
for f in node.xz app.tar.xz; do
  [ -f "$src/$f" ] || { echo "error: $src/$f is missing: run bench/remote/pack.sh on a machine with Node first" >&2; exit 2; }
done
work=$(mktemp -d)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
xz -dc "$src/node.xz" > "$work/bin/node"
chmod +x "$work/bin/node"
tar -C "$work" -xJf "$src/app.tar.xz"
cd "$work"
PATH="$work/bin:$PATH" "$work/bin/node" "$@"
