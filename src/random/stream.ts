/**
 * A sequential stream, for draws whose number depends on the course of the
 * run (shortlists in the fill phase, sampling of alternatives): the Alea
 * generator (Baagøe 2010, as in seedrandom's `alea`), seeded from (run seed,
 * purpose, year) so that each purpose and year has its own sequence.
 * Per-cadre decisions use the counter-based draws of hash.ts instead.
 *
 * The generator is written out here rather than called through seedrandom:
 * the fill phase makes millions of draws a year, and a class with four
 * numeric fields lets V8 inline next() into the hot loops, where the library's
 * closure could not be. The sequence is exactly seedrandom.alea's (same
 * seeding by Mash, same arithmetic); bench/stream-check.ts compares them.
 */

/** Baagøe's Mash, as seedrandom uses it to seed Alea: one instance per seeding. */
class Mash {
  private n = 0xefc8249d;
  hash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    this.n = n;
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  }
}

export class Stream {
  // Numbers from the start: a field declared without a value starts as undefined, and V8 would
  // then box every double stored into it (a heap number per draw; twice as slow).
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 1;

  constructor(runSeed: number, name: string, year: number) {
    const seed = `${runSeed >>> 0}:${name}:${year}`;
    const mash = new Mash();
    this.s0 = mash.hash(' ');
    this.s1 = mash.hash(' ');
    this.s2 = mash.hash(' ');
    this.s0 -= mash.hash(seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= mash.hash(seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= mash.hash(seed);
    if (this.s2 < 0) this.s2 += 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    return (this.s2 = t - this.c);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
