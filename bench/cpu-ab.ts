/**
 * `node dist/bench/cpu-ab.js OLD_DIST NEW_DIST [scale] [rounds]`: the speed of
 * two builds of the model, run alternately in child processes (gansu preset),
 * by the process's CPU time per year (user + system) as well as wall time: on
 * a shared machine CPU time is the steadier of the two. Prints the median of
 * each build's yearly medians and the ratio new/old.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--child') {
  const dist = process.argv[3]!;
  const scale = Number(process.argv[4]);
  const { parseScenario } = await import(path.resolve(dist, 'src/scenario/load.js'));
  const { simulate } = await import(path.resolve(dist, 'src/model/simulate.js'));
  const { buildWorld } = await import(path.resolve(dist, 'src/world/world.js'));
  const world = buildWorld(parseScenario({ name: 'bench', world: { preset: 'gansu', scale } }).world);
  const small = world.nPosts < 300_000;
  const s = parseScenario({ name: 'bench', seed: 1, burnIn: small ? 20 : 6, years: small ? 12 : 6, world: { preset: 'gansu', scale } });
  const wall: number[] = [], cpu: number[] = [];
  let t = performance.now(), u = process.cpuUsage();
  const r = simulate(s, 1, {
    world,
    onYear: () => {
      const t2 = performance.now(), u2 = process.cpuUsage();
      wall.push(t2 - t); cpu.push((u2.user - u.user + u2.system - u.system) / 1000);
      t = t2; u = u2;
    },
  });
  const med = (a: number[]) => { const b = a.slice(1).sort((x, y) => x - y); return b[b.length >> 1]!; };
  process.stdout.write(JSON.stringify({ cadres: r.cadres, wall: med(wall), cpu: med(cpu) }));
} else {
  const [oldDist, newDist] = [process.argv[2]!, process.argv[3]!];
  const scale = process.argv[4] ?? '0.8';
  const rounds = Number(process.argv[5] ?? 4);
  const me = fileURLToPath(import.meta.url);
  const res: Record<string, { wall: number[]; cpu: number[]; cadres: number }> = {};
  for (let i = 0; i < rounds; i++) {
    for (const d of [oldDist, newDist]) {
      const p = spawnSync('nice', [process.execPath, '--max-old-space-size=8192', me, '--child', d, scale], { encoding: 'utf8' });
      if (p.status !== 0) { process.stderr.write(p.stderr); process.exit(1); }
      const m = JSON.parse(p.stdout) as { cadres: number; wall: number; cpu: number };
      (res[d] ??= { wall: [], cpu: [], cadres: m.cadres }).wall.push(m.wall);
      res[d]!.cpu.push(m.cpu);
      process.stderr.write(`${d}: wall ${m.wall.toFixed(1)} ms, cpu ${m.cpu.toFixed(1)} ms per year\n`);
    }
  }
  const med = (a: number[]) => { const b = a.slice().sort((x, y) => x - y); return b.length % 2 ? b[b.length >> 1]! : (b[b.length / 2 - 1]! + b[b.length / 2]!) / 2; };
  const o = res[oldDist]!, n = res[newDist]!;
  const line = (k: 'wall' | 'cpu') => `${k}: old ${med(o[k]).toFixed(1)} ms, new ${med(n[k]).toFixed(1)} ms per year; new/old ${(med(n[k]) / med(o[k])).toFixed(3)}; new ${(n.cadres / med(n[k]) / 1000).toFixed(2)} M cadre-years/s`;
  console.log(`gansu:${scale}, ${n.cadres} cadres, ${rounds} alternating rounds (medians)\n${line('wall')}\n${line('cpu')}`);
}
