/**
 * A sequential stream, for draws whose number depends on the course of the
 * run (shortlists in the fill phase, sampling of alternatives): seedrandom's
 * Alea generator, seeded from (run seed, purpose, year) so that each purpose
 * and year has its own sequence. Per-cadre decisions use the counter-based
 * draws of hash.ts instead.
 */
import seedrandom from 'seedrandom';

export class Stream {
  private readonly prng: seedrandom.PRNG;
  constructor(runSeed: number, name: string, year: number) {
    this.prng = seedrandom.alea(`${runSeed >>> 0}:${name}:${year}`);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }
}
