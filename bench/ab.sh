#!/bin/bash
# Alternating speed runs of two builds (old first), at one scale: bench/ab.sh OLD_DIST NEW_DIST SCALE ROUNDS
old=$1; new=$2; scale=${3:-0.8}; n=${4:-3}
for i in $(seq $n); do
  for d in "$old" "$new"; do
    printf '%s ' "$d"; nice node "$d/bench/speed.js" --one "$scale" - - gansu | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log(m.msPerYear.toFixed(1),(m.cyps/1e6).toFixed(2),Object.entries(m.phases).map(([k,v])=>k+" "+v.toFixed(1)).join(", "))})'
  done
done
