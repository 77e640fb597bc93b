#!/usr/bin/env bash
# Rebuilds bench/wasm/kernels.wasm from bench/wasm/kernels.ts with the pinned
# AssemblyScript compiler (fetched by npx into its cache; not a dependency of
# the project: the build and the tests do not need it).
set -euo pipefail
cd "$(dirname "$0")"
npx --yes -p assemblyscript@0.28.20 asc kernels.ts -O3 --runtime stub --noAssert --importMemory --enable simd -o kernels.wasm
