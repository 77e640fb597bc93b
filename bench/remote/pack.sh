#!/usr/bin/env bash
# bench/remote/pack.sh [DIR]: packs what a machine without Node needs to run CadreFlow's
# benchmarks (or any command), into DIR (default .remote/, ignored by git): node.xz, this
# machine's node binary stripped and xz-compressed (the official builds link only the C and
# C++ runtimes, so it runs on any recent x86-64 Linux), and app.tar.xz, the built project
# (dist/, scenarios/) with its production dependencies. About 30 MB in all.
# Then, on the other machine, with the repository's files and DIR: bench/remote/run.sh SCRIPT ARGS…
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-.remote}
mkdir -p "$out"
npm run build >/dev/null
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/app"
cp -r dist scenarios package.json package-lock.json "$stage/app/"
(cd "$stage/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
tar -C "$stage/app" -cJf "$out/app.tar.xz.tmp" . && mv "$out/app.tar.xz.tmp" "$out/app.tar.xz"
cp "$(command -v node)" "$stage/node"
strip "$stage/node" 2>/dev/null || true
xz -T0 -c "$stage/node" > "$out/node.xz.tmp" && mv "$out/node.xz.tmp" "$out/node.xz"
du -h "$out/node.xz" "$out/app.tar.xz"
