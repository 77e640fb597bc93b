/**
 * The reference kernel (issue "Performance"): the machine's ceiling for a
 * column-store cadre model in this language. The same kinds of column arrays
 * as the model, one pass per year doing only ageing, exits (replaced by a
 * recruit in the same slot and post) and a fixed share of moves (a swap of
 * posts with a randomly drawn cadre), with the same counter-based draws.
 * `node dist/bench/kernel.js [cadres] [years]`; bench/speed.ts reports the
 * model's speed as a share of it.
 */
import { hash3, streamKey, uniform } from '../src/random/hash.js';

export function kernel(n: number, years: number): { cadreYearsPerSec: number; msPerYear: number } {
  const age = new Uint8Array(n), yip = new Uint8Array(n), rank = new Uint8Array(n);
  const post = new Int32Array(n), occupant = new Int32Array(n), region = new Int32Array(n);
  const key = new Uint32Array(n);
  const ties = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    age[c] = 22 + (c % 38); rank[c] = c % 4 === 0 ? 1 : 0; post[c] = c; occupant[c] = c; region[c] = c >> 10; key[c] = hash3(1, c, 0);
  }
  const times: number[] = [];
  for (let y = 0; y < years; y++) {
    const t0 = performance.now();
    const kExit = streamKey(1, 'exit', y), kMove = streamKey(1, 'move', y);
    for (let c = 0; c < n; c++) {
      const a = age[c]! + 1;
      age[c] = a;
      if (yip[c]! < 255) yip[c]!++;
      ties[c] = ties[c]! + (1 - ties[c]!) * 0.08;
      if (a >= 60 || uniform(kExit, key[c]!) < 0.01) {
        // Exit, and a recruit takes the slot and the post.
        key[c] = hash3(y, c, 7); age[c] = 22; yip[c] = 0; rank[c] = 0; ties[c] = 0;
        continue;
      }
      const u = uniform(kMove, key[c]!);
      if (u < 0.08) {
        const o = Math.floor((u / 0.08) * n);
        if (o === c) continue;
        const pc = post[c]!, po = post[o]!;
        post[c] = po; post[o] = pc; occupant[po] = c; occupant[pc] = o;
        const rc = region[c]!; region[c] = region[o]!; region[o] = rc;
        yip[c] = 0; yip[o] = 0; ties[c] = ties[c]! * 0.25; ties[o] = ties[o]! * 0.25;
      }
    }
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  return { cadreYearsPerSec: n / (ms / 1000), msPerYear: ms };
}

if (process.argv[1]?.endsWith('kernel.js')) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = kernel(n, Number(process.argv[3] ?? 9));
  process.stdout.write(`reference kernel: ${n} cadres, ${r.msPerYear.toFixed(1)} ms/year, ${(r.cadreYearsPerSec / 1e6).toFixed(1)} M cadre-years/s\n`);
}
